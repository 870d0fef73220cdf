// Reading configuration files into Terraform JSON documents, with the line of every block and
// attribute so that problems can be pointed at: `.tf` through @cdktf/hcl2json, `.tf.json` and
// `cdk.tf.json` as JSON.
import { EngineError } from "../errors.js";

/** Lines of one block and its attributes. */
export interface BlockLines {
  line: number;
  attributes: Map<string, number>;
}

/** A file read as a Terraform JSON document, with a line index keyed like `resource.prefect_flow.etl`. */
export interface SourceDocument {
  file: string;
  text: string;
  document: Record<string, unknown>;
  lines: Map<string, BlockLines>;
}

/** A configuration file that is not valid HCL or JSON (CONFIG_SYNTAX). */
export class SourceError extends EngineError {
  constructor(
    readonly file: string,
    message: string,
    readonly line?: number,
  ) {
    super("CONFIG_SYNTAX", message);
  }
}

/**
 * Line numbers of HCL blocks and their attributes. hcl2json gives no positions, so the text is
 * scanned for block headers and `name =` lines, tracking brace depth outside strings,
 * comments and heredocs.
 */
export function indexHclLines(text: string): Map<string, BlockLines> {
  const index = new Map<string, BlockLines>();
  const lines = text.split("\n");
  let depth = 0;
  let heredoc: string | undefined;
  let inComment = false;
  let current: BlockLines | undefined;
  lines.forEach((raw, i) => {
    const lineNumber = i + 1;
    if (heredoc) {
      if (raw.trim() === heredoc) heredoc = undefined;
      return;
    }
    if (depth === 0 && !inComment) {
      const header = /^\s*([a-z_]+)((?:\s+"[^"]*")*)\s*\{/.exec(raw);
      if (header) {
        const labels = [...(header[2] ?? "").matchAll(/"([^"]*)"/g)].map((match) => match[1]);
        current = { line: lineNumber, attributes: new Map() };
        index.set([header[1], ...labels].join("."), current);
      }
    } else if (depth === 1 && current && !inComment) {
      const attribute = /^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*(=|\{)/.exec(raw);
      if (attribute?.[1] && !current.attributes.has(attribute[1])) current.attributes.set(attribute[1], lineNumber);
    }
    // Track depth through the line, skipping strings, comments and heredoc openers.
    for (let c = 0; c < raw.length; c++) {
      const ch = raw[c];
      if (inComment) {
        if (ch === "*" && raw[c + 1] === "/") {
          inComment = false;
          c++;
        }
        continue;
      }
      if (ch === "#" || (ch === "/" && raw[c + 1] === "/")) break;
      if (ch === "/" && raw[c + 1] === "*") {
        inComment = true;
        c++;
        continue;
      }
      if (ch === '"') {
        for (c++; c < raw.length && raw[c] !== '"'; c++) if (raw[c] === "\\") c++;
        continue;
      }
      if (ch === "<" && raw[c + 1] === "<") {
        const marker = /^<<-?([A-Za-z_]+)/.exec(raw.slice(c));
        if (marker?.[1]) {
          heredoc = marker[1];
          break;
        }
      }
      if (ch === "{" || ch === "[" || ch === "(") depth++;
      else if (ch === "}" || ch === "]" || ch === ")") depth = Math.max(0, depth - 1);
    }
  });
  return index;
}

/**
 * Line numbers for a Terraform JSON document: the first line naming each key path after its
 * parent's line (JSON has no better anchor, and these files are generated with one key a line).
 */
export function indexJsonLines(text: string, document: Record<string, unknown>): Map<string, BlockLines> {
  const index = new Map<string, BlockLines>();
  // Every object key's lines, found in one pass; `find` is then a binary search (a scan per key
  // from its parent's line would be quadratic in the number of resources).
  const keyLines = new Map<string, number[]>();
  text.split("\n").forEach((line, lineIndex) => {
    for (const match of line.matchAll(/"((?:[^"\\]|\\.)*)"\s*:/g)) {
      const key = match[1] ?? "";
      const found = keyLines.get(key);
      if (!found) keyLines.set(key, [lineIndex]);
      else if (found[found.length - 1] !== lineIndex) found.push(lineIndex);
    }
  });
  const find = (key: string, from: number): number => {
    const found = keyLines.get(JSON.stringify(key).slice(1, -1));
    if (!found) return -1;
    let low = 0;
    let high = found.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((found[middle] ?? 0) < from) low = middle + 1;
      else high = middle;
    }
    return low < found.length ? (found[low] ?? -1) : -1;
  };
  const blocks = (section: string, depthLabels: number) => {
    const top = find(section, 0);
    const value = document[section];
    if (top < 0 || !value || typeof value !== "object") return;
    const walk = (node: unknown, labels: string[], from: number) => {
      if (labels.length === depthLabels) {
        const body = Array.isArray(node) ? node[0] : node;
        const block: BlockLines = { line: from + 1, attributes: new Map() };
        if (body && typeof body === "object") {
          for (const attribute of Object.keys(body)) {
            const at = find(attribute, from + 1);
            if (at >= 0) block.attributes.set(attribute, at + 1);
          }
        }
        index.set([section, ...labels].join("."), block);
        return;
      }
      const entries = Array.isArray(node) ? node.flatMap((item) => Object.entries(item as object)) : Object.entries(node as object);
      for (const [key, child] of entries) {
        const at = find(key, from + 1);
        walk(child, [...labels, key], at < 0 ? from : at);
      }
    };
    walk(value, [], top);
  };
  blocks("resource", 2);
  blocks("variable", 1);
  blocks("output", 1);
  blocks("provider", 1);
  const locals = find("locals", 0);
  if (locals >= 0) {
    const block: BlockLines = { line: locals + 1, attributes: new Map() };
    const value = document.locals;
    for (const item of Array.isArray(value) ? value : [value]) {
      for (const key of Object.keys((item as object) ?? {})) {
        const at = find(key, locals + 1);
        if (at >= 0) block.attributes.set(key, at + 1);
      }
    }
    index.set("locals", block);
  }
  return index;
}

/** Read one `.tf` file. */
export async function readHclSource(file: string, text: string): Promise<SourceDocument> {
  // Loaded with the first `.tf` file: importing hcl2json decompresses and starts its Go
  // WebAssembly runtime (~150 ms of CPU profile), which a Terraform JSON configuration never needs.
  const { parse: parseHcl } = await import("@cdktf/hcl2json");
  let document: Record<string, unknown>;
  try {
    document = (await parseHcl(file, text)) as Record<string, unknown>;
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    const line = /:(\d+),\d+-\d+/.exec(message)?.[1] ?? /:(\d+),\d+/.exec(message)?.[1];
    throw new SourceError(file, `is not valid HCL: ${message.replace(/^.*?: /, "")}`, line ? Number(line) : undefined);
  }
  return { file, text, document, lines: indexHclLines(text) };
}

/** Read one Terraform JSON file. */
export function readJsonSource(file: string, text: string): SourceDocument {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    const line = position ? text.slice(0, Number(position)).split("\n").length : undefined;
    throw new SourceError(file, `is not valid JSON: ${(error as Error).message}`, line);
  }
  if (!document || typeof document !== "object" || Array.isArray(document)) {
    throw new SourceError(file, "must hold a JSON object (Terraform JSON syntax)");
  }
  return { file, text, document: document as Record<string, unknown>, lines: indexJsonLines(text, document as Record<string, unknown>) };
}
