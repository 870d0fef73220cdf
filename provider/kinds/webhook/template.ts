// What can be known about a webhook template without a server: Prefect Cloud renders it with
// Jinja2 against each request and parses the result as the event's JSON. A full Jinja2 parser
// would need a heavy dependency (and nunjucks, the nearest one, disagrees with Jinja2 on
// syntax it lacks, such as `{% with %}` or `{% do %}`), so this checks only what every Jinja2
// accepts or refuses alike: tags that are opened and never closed, block statements that do not
// pair up, and a template without markup, which renders as itself and must then be JSON.
// Everything else (expression syntax, filters) is left to the server, which answers 422.

/** Block statements and the tags that may appear between their start and end. */
const BLOCKS: Record<string, readonly string[]> = {
  if: ["elif", "else"],
  for: ["else"],
  macro: [],
  call: [],
  filter: [],
  with: [],
  block: [],
  autoescape: [],
  set: [],
};
const MIDDLES = new Set(Object.values(BLOCKS).flat());

const EXCERPT_LENGTH = 40;

interface Position {
  line: number;
  column: number;
}

function positionOf(text: string, index: number): Position {
  const before = text.slice(0, index);
  const line = before.split("\n").length;
  return { line, column: index - before.lastIndexOf("\n") };
}

function at(text: string, index: number): string {
  const { line, column } = positionOf(text, index);
  return `line ${line}, column ${column}`;
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, " ");
  return JSON.stringify(flat.length > EXCERPT_LENGTH ? `${flat.slice(0, EXCERPT_LENGTH)}...` : flat);
}

/**
 * The index just past `close` at or after `from`, or -1 when the tag never closes. Like
 * Jinja2's lexer, quoted strings are skipped and the tag cannot end inside brackets, so
 * `{{ {'a': {'b': 1}} }}` is one tag.
 */
function endOfTag(text: string, from: number, close: string): number {
  let quote: string | undefined;
  let depth = 0;
  for (let index = from; index < text.length; index++) {
    const char = text[index] ?? "";
    if (quote) {
      if (char === "\\") index++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (depth === 0 && text.startsWith(close, index)) {
      return index + close.length;
    } else if ("([{".includes(char)) {
      depth++;
    } else if (")]}".includes(char)) {
      depth = Math.max(0, depth - 1);
    }
  }
  return -1;
}

interface OpenBlock {
  name: string;
  index: number;
}

/**
 * Why a webhook template cannot work, or `undefined` when nothing is wrong that can be seen
 * without rendering it. The message names the problem, where it is and how to fix it.
 */
export function webhookTemplateProblem(template: string): string | undefined {
  if (template.trim() === "") {
    return 'is empty: a webhook template renders the event each request produces, e.g. jsonencode({ event = "order.created", resource = { "prefect.resource.id" = "shop.order" } })';
  }
  const open: OpenBlock[] = [];
  let markup = false;
  for (let index = template.indexOf("{"); index !== -1 && index < template.length; index = template.indexOf("{", index)) {
    const opener = template.slice(index, index + 2);
    if (opener !== "{{" && opener !== "{%" && opener !== "{#") {
      index++;
      continue;
    }
    markup = true;
    if (opener === "{#") {
      const end = template.indexOf("#}", index + 2);
      if (end === -1) return `opens a comment "{#" at ${at(template, index)} that is never closed with "#}"`;
      index = end + 2;
      continue;
    }
    const close = opener === "{{" ? "}}" : "%}";
    const end = endOfTag(template, index + 2, close);
    if (end === -1) {
      return `opens ${excerpt(template.slice(index))} at ${at(template, index)} and never closes it with "${close}" (or a quoted string in it is not closed)`;
    }
    if (opener === "{%") {
      const tag = template.slice(index, end);
      const statement = tag.slice(2, -2).replace(/^[-+]/, "").replace(/[-+]$/, "").trim();
      const name = /^[A-Za-z_]\w*/.exec(statement)?.[0] ?? "";
      if (name === "raw") {
        // Nothing inside {% raw %} is markup, so it is skipped up to its end.
        const endRaw = /\{%[-+]?\s*endraw\s*[-+]?%\}/.exec(template.slice(end));
        if (!endRaw) return `opens {% raw %} at ${at(template, index)} and never closes it with {% endraw %}`;
        index = end + endRaw.index + endRaw[0].length;
        continue;
      }
      // `{% set x = 1 %}` assigns in one tag; only `{% set x %}...{% endset %}` is a block.
      const opensBlock = name in BLOCKS && !(name === "set" && statement.includes("="));
      if (opensBlock) {
        open.push({ name, index });
      } else if (name.startsWith("end") && name.slice(3) in BLOCKS) {
        const expected = name.slice(3);
        const innermost = open.pop();
        if (!innermost) return `has {% ${name} %} at ${at(template, index)} without a matching {% ${expected} %}`;
        if (innermost.name !== expected) {
          return `has {% ${name} %} at ${at(template, index)} where {% ${innermost.name} %} from ${at(template, innermost.index)} must be closed first with {% end${innermost.name} %}`;
        }
      } else if (MIDDLES.has(name)) {
        const innermost = open.at(-1);
        if (!innermost || !(BLOCKS[innermost.name] ?? []).includes(name)) {
          const allowed = Object.entries(BLOCKS)
            .filter(([, middles]) => middles.includes(name))
            .map(([block]) => `{% ${block} %}`)
            .join(" or ");
          return `has {% ${name} %} at ${at(template, index)} outside ${allowed}`;
        }
      }
    }
    index = end;
  }
  const unclosed = open.at(-1);
  if (unclosed) return `opens {% ${unclosed.name} %} at ${at(template, unclosed.index)} and never closes it with {% end${unclosed.name} %}`;
  if (!markup) {
    try {
      JSON.parse(template);
    } catch (error) {
      return `${excerpt(template)} has no Jinja markup, so every request renders it unchanged, and it is not JSON (${(error as Error).message}): write the event as JSON (jsonencode(...)) or insert request data with {{ body.field }}`;
    }
  }
  return undefined;
}
