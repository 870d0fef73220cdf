// Jinja templates in automations, checked where and as Prefect's server checks them: a user
// template must parse and may hold at most 10 for-loops, nested at most 2 deep (the limits
// of the server's sandbox). Parsing uses nunjucks, whose syntax is Jinja's for everything
// automations use; its error messages are nunjucks' own, not Jinja's.
import nunjucks from "nunjucks";

/** Why a template was refused, as Prefect reports it: the line (0 for a limit) and a message. */
export interface TemplateProblem {
  line: number;
  message: string;
}

interface TemplateNode {
  typename?: string;
  fields?: string[];
  children?: unknown[];
  [field: string]: unknown;
}

interface NunjucksParser {
  parse(source: string, extensions: unknown[], options: Record<string, unknown>): TemplateNode;
}

/** The parts of nunjucks' parser API an extension tag uses. */
interface TagParser {
  nextToken(): { value: string };
  parseSignature(tolerant: boolean, noParens: boolean): unknown;
  advanceAfterBlockEnd(name?: string): void;
  parseUntilBlocks(...names: string[]): unknown;
}
type NodeClasses = { CallExtension: new (extension: unknown, method: string, args: unknown, content: unknown[]) => TemplateNode };

// The parser is public in nunjucks but missing from its type declarations.
const parser = (nunjucks as unknown as { parser: NunjucksParser }).parser;

/** Jinja's `{% with a = 1 %}...{% endwith %}`, the one common Jinja tag nunjucks lacks. */
const withTag = {
  tags: ["with"],
  parse(tags: TagParser, nodes: NodeClasses): TemplateNode {
    const token = tags.nextToken();
    const args = tags.parseSignature(true, true);
    tags.advanceAfterBlockEnd(token.value);
    const body = tags.parseUntilBlocks("endwith");
    tags.advanceAfterBlockEnd();
    return new nodes.CallExtension(withTag, "run", args, [body]);
  },
};

const MAX_LOOP_COUNT = 10;
const MAX_NESTED_LOOP_DEPTH = 2;
const LOOP_NODES = new Set(["For", "AsyncEach", "AsyncAll"]);

function childrenOf(node: TemplateNode): TemplateNode[] {
  const values = Array.isArray(node.children) ? node.children : (node.fields ?? []).map((field) => node[field]);
  const out: TemplateNode[] = [];
  for (const value of values) {
    if (Array.isArray(value)) {
      for (const item of value) if (item && typeof item === "object") out.push(item as TemplateNode);
    } else if (value && typeof value === "object") {
      out.push(value as TemplateNode);
    }
  }
  return out;
}

/** Loops in the tree and the deepest nesting of loops. */
function loopStats(node: TemplateNode, depth = 0): { count: number; depth: number } {
  const isLoop = LOOP_NODES.has(node.typename ?? "");
  const here = isLoop ? depth + 1 : depth;
  let count = isLoop ? 1 : 0;
  let deepest = here;
  for (const child of childrenOf(node)) {
    const stats = loopStats(child, here);
    count += stats.count;
    deepest = Math.max(deepest, stats.depth);
  }
  return { count, depth: deepest };
}

/** `{{` or `{%` anywhere: Prefect only treats such strings as templates. */
function maybeTemplate(value: string): boolean {
  return value.includes("{{") || value.includes("{%");
}

/** The problem with a user template, or `undefined` when Prefect's server would accept it. */
export function templateProblem(template: string): TemplateProblem | undefined {
  let root: TemplateNode;
  try {
    root = parser.parse(template, [withTag], {});
  } catch (error) {
    const failure = error as { message?: string; lineno?: number };
    // Errors at the end of the input carry no line; Jinja reports the last one.
    const line = typeof failure.lineno === "number" ? failure.lineno : template.split("\n").length;
    return { line, message: failure.message ?? String(error) };
  }
  const stats = loopStats(root);
  if (stats.count > MAX_LOOP_COUNT) {
    return { line: 0, message: `Contains ${stats.count} for loops. Templates can contain no more than ${MAX_LOOP_COUNT} for loops.` };
  }
  if (stats.depth > MAX_NESTED_LOOP_DEPTH) {
    return {
      line: 0,
      message: `Contains nested for loops at a depth of ${stats.depth}. Templates can nest for loops no more than ${MAX_NESTED_LOOP_DEPTH} loops deep.`,
    };
  }
  return undefined;
}

type Hydrated = { error: string } | { ok: true } | { remove: true } | { value: unknown };

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * Old-style parameters are plain strings holding Jinja; the server reads them as
 * `{"__prefect_kind": "jinja", "template": ...}` before checking (on a copy: what is stored
 * stays as sent).
 */
function upgradeTemplates(parameters: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parameters)) {
    if (isPlainObject(value)) {
      out[key] = "__prefect_kind" in value ? value : upgradeTemplates(value);
    } else if (Array.isArray(value)) {
      out[key] = value.map((item) =>
        isPlainObject(item) ? upgradeTemplates(item) : typeof item === "string" && maybeTemplate(item) ? { __prefect_kind: "jinja", template: item } : item,
      );
    } else if (typeof value === "string" && maybeTemplate(value)) {
      out[key] = { __prefect_kind: "jinja", template: value };
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** One `__prefect_kind` placeholder checked without rendering, as the server's hydration does. */
function hydrateKind(value: Record<string, unknown>): Hydrated {
  const kind = value.__prefect_kind;
  const inner = (field: string): Hydrated => {
    const raw = value[field];
    return isPlainObject(raw) ? hydrate(raw) : { value: raw };
  };
  switch (kind) {
    case "none":
      return "value" in value ? hydrate(value.value) : { error: "Missing 'value' key in __prefect object" };
    case "json": {
      if (!("value" in value)) return { remove: true };
      const source = inner("value");
      if (!("value" in source)) return source;
      try {
        return { value: JSON.parse(String(source.value)) as unknown };
      } catch (error) {
        return { error: `Invalid JSON: ${(error as Error).message}` };
      }
    }
    case "jinja": {
      if (!("template" in value)) return { error: "Missing 'template' key in __prefect object" };
      const source = inner("template");
      if (!("value" in source)) return source;
      const problem = templateProblem(String(source.value));
      return problem ? { error: `Invalid jinja: ${problem.message}` } : { ok: true };
    }
    case "workspace_variable": {
      if (!("variable_name" in value)) return { remove: true };
      const source = inner("variable_name");
      return "value" in source ? { ok: true } : source;
    }
    default:
      return { value: value.value ?? null };
  }
}

function hydrate(value: unknown): Hydrated {
  if (isPlainObject(value) && "__prefect_kind" in value) return hydrateKind(value);
  return { value };
}

/**
 * Problems in a run-deployment action's parameters, keyed by dotted path, as the server
 * collects them: only placeholders reachable through objects are reported (the server's
 * collector never reports problems inside lists).
 */
function collectProblems(parameters: Record<string, unknown>, prefix: string, problems: [string, string][]): void {
  for (const [key, raw] of Object.entries(parameters)) {
    const hydrated = hydrate(raw);
    if ("error" in hydrated) {
      problems.push([`${prefix}${key}`, hydrated.error]);
    } else if ("value" in hydrated && isPlainObject(hydrated.value)) {
      collectProblems(hydrated.value, `${prefix}${key}.`, problems);
    }
  }
}

/**
 * The server's message for invalid run-deployment parameters (Jinja that does not parse,
 * malformed `__prefect_kind` placeholders), or `undefined` when they are valid.
 */
export function parametersProblem(parameters: Record<string, unknown> | null | undefined): string | undefined {
  if (!parameters || Object.keys(parameters).length === 0) return undefined;
  const problems: [string, string][] = [];
  if ("__prefect_kind" in parameters) {
    const hydrated = hydrateKind(parameters);
    if ("error" in hydrated) problems.push(["", hydrated.error]);
  } else {
    collectProblems(upgradeTemplates(parameters), "", problems);
  }
  if (problems.length === 0) return undefined;
  return "Invalid parameters: \n" + problems.map(([key, message]) => `${key ? `${key}:` : ""} ${message}`).join("\n  ");
}
