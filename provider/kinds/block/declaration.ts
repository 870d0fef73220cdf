// A live block document written as a declaration (import --all): its secret fields become
// sensitive variables, its `$ref`s references to the documents they name.
import { isObject } from "../compare.js";
import type { DeclarationWriter } from "../declaration.js";
import { isReference, REFERENCE_KEY } from "./references.js";
import type { BlockSpec } from "./schema.js";

/** The secret leaves of a block document, by the schema's `secret_fields` (`url`, `headers.*`, `credentials.token`). */
function secretPaths(data: Record<string, unknown>, fields: readonly string[]): string[][] {
  const found = new Map<string, string[]>();
  const walk = (value: unknown, rest: string[], at: string[]): void => {
    if (rest.length === 0) {
      if (value !== null && value !== undefined && !isReference(value)) found.set(JSON.stringify(at), at);
      return;
    }
    if (!isObject(value) || isReference(value)) return;
    const [head, ...tail] = rest as [string, ...string[]];
    for (const key of head === "*" ? Object.keys(value) : head in value ? [head] : []) walk(value[key], tail, [...at, key]);
  };
  for (const field of fields) walk(data, field.split("."), []);
  return [...found.values()];
}

/** The secret fields a live block's schema declares; undefined when the read did not say (then the whole document is kept secret). */
function secretFieldsOf(live: unknown): string[] | undefined {
  const fields = (live as { block_schema?: { fields?: { secret_fields?: unknown } } | null }).block_schema?.fields;
  if (!isObject(fields)) return undefined;
  const secret = fields.secret_fields;
  return Array.isArray(secret) ? secret.filter((field): field is string => typeof field === "string") : [];
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let current: Record<string, unknown> = target;
  for (const key of path.slice(0, -1)) {
    const next = current[key];
    if (!isObject(next)) return;
    const copy = { ...next };
    current[key] = copy;
    current = copy;
  }
  const last = path[path.length - 1];
  if (last !== undefined) current[last] = value;
}

/** The block's `data`: each secret field a variable, each `$ref` a reference (the whole document one secret when the schema is unknown). */
export function writeBlockDeclaration(declared: Record<string, unknown>, spec: BlockSpec, live: unknown, writer: DeclarationWriter): void {
  if (!isObject(spec.data)) return;
  const fields = secretFieldsOf(live);
  if (fields === undefined) {
    // No schema to tell secret fields from others: the whole document is one secret.
    if (Object.keys(spec.data).length) declared.data = writer.secret(["data"], spec.data);
    return;
  }
  const data: Record<string, unknown> = { ...spec.data };
  for (const [key, value] of Object.entries(data)) {
    if (!isReference(value)) continue;
    const target = (value as Record<string, Record<string, unknown>>)[REFERENCE_KEY]?.block_document_id;
    const id = typeof target === "string" ? target : "";
    data[key] = { [REFERENCE_KEY]: { block_document_id: writer.ref("prefect_block", id, "id", id) } };
  }
  for (const path of secretPaths(spec.data, fields)) {
    let value: unknown = spec.data;
    for (const key of path) value = (value as Record<string, unknown>)[key];
    setPath(data, path, writer.secret(["data", ...path], value));
  }
  declared.data = data;
}
