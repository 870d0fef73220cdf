// References between block documents. A top-level data value `{"$ref": {"block_document_id":
// "<id>"}}` makes Prefect store a reference to another document instead of the value, and
// every read answers with that document resolved inline (its data in place of the `$ref`),
// naming it in `block_document_references`. A declaration keeps the `$ref` as written, so the
// live document is turned back into the `$ref` form before the two are compared.
import { UUID } from "../attributes.js";
import { isObject, isUnknown, jsonEqual } from "../compare.js";

/** The key Prefect recognises as a reference to another block document. */
export const REFERENCE_KEY = "$ref";

/** A reference to another block document, as declared. */
export interface BlockDocumentRef {
  $ref: { block_document_id: string };
}

/** One entry of a read document's `block_document_references`: the field's referenced document. */
export interface ResolvedReference {
  block_document?: { id?: unknown } | null;
}

/** Whether Prefect takes this top-level data value for a reference (an object with a `$ref` key). */
export function isReference(value: unknown): boolean {
  return isObject(value) && REFERENCE_KEY in value;
}

/**
 * What is wrong with a top-level value Prefect takes for a reference, or undefined. Only
 * `{"$ref": {"block_document_id": "<uuid>"}}` round-trips: Prefect drops any other key, and
 * refuses a `$ref` without a document id.
 */
export function referenceProblem(value: Record<string, unknown>): string | undefined {
  const shape = `a reference to another block document is {"$ref": {"block_document_id": "<id>"}} (e.g. jsonencode({ "$ref" = { block_document_id = prefect_block.other.id } }))`;
  const extra = Object.keys(value).filter((key) => key !== REFERENCE_KEY);
  if (extra.length) return `holds "$ref" beside ${extra.map((key) => JSON.stringify(key)).join(", ")}, which Prefect would drop: ${shape}`;
  const target = value[REFERENCE_KEY];
  if (!isObject(target) || !("block_document_id" in target)) return `has a "$ref" without a block_document_id: ${shape}`;
  const others = Object.keys(target).filter((key) => key !== "block_document_id");
  if (others.length) return `has a "$ref" with ${others.map((key) => JSON.stringify(key)).join(", ")} beside block_document_id: ${shape}`;
  const id = target.block_document_id;
  if (isUnknown(id)) return undefined;
  if (typeof id !== "string" || !UUID.test(id)) return `has a "$ref" whose block_document_id is not a block document id (a UUID): ${shape}`;
  return undefined;
}

/** The document id a reference value names (lower case, as Prefect answers ids). */
function referencedId(value: unknown): string | undefined {
  if (!isReference(value)) return undefined;
  const target = (value as Record<string, unknown>)[REFERENCE_KEY];
  const id = isObject(target) ? target.block_document_id : undefined;
  return typeof id === "string" ? id.toLowerCase() : undefined;
}

/**
 * A read document's data in the declared shape: each field Prefect resolved from a reference
 * becomes the `$ref` again (the referenced document's own data, secrets included, stays out).
 */
export function dataWithReferences(data: Record<string, unknown>, references: Record<string, ResolvedReference | Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...data };
  for (const [field, reference] of Object.entries(references)) {
    const document = (reference as ResolvedReference).block_document;
    const id = isObject(document) ? document.id : undefined;
    if (typeof id === "string") out[field] = { [REFERENCE_KEY]: { block_document_id: id } } satisfies BlockDocumentRef;
  }
  return out;
}

/** Whether two documents are the same, references compared by the document they name (ids in any case). */
export function sameDocument(declared: unknown, live: unknown): boolean {
  if (!isObject(declared) || !isObject(live)) return jsonEqual(declared, live);
  const keys = new Set([...Object.keys(declared), ...Object.keys(live)]);
  for (const key of keys) {
    const left = declared[key];
    const right = live[key];
    const leftId = referencedId(left);
    const rightId = referencedId(right);
    if (leftId !== undefined || rightId !== undefined) {
      if (leftId !== rightId) return false;
      continue;
    }
    if (!jsonEqual(left, right)) return false;
  }
  return true;
}
