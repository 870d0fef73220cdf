// Moving values between Terraform's shape (TfValue: every attribute present, null when unset,
// JSON documents as strings, UNKNOWN for values known after apply) and the kinds' declared shape
// (Spec: attributes absent when unset, JSON documents parsed), one attribute's facts at a time.
import type { z } from "zod";
import { factsOf, type AttributeFacts } from "../../kinds/attributes.js";
import { canonicalJson, valuesEqual } from "../../kinds/compare.js";
import type { KindSchema, Spec } from "../../kinds/kind.js";
import { UNKNOWN, type TfObject, type TfValue } from "../plugin/contract.js";

export const isUnknownTf = (value: unknown): boolean => value === UNKNOWN;

/** Whether a value holds UNKNOWN anywhere inside. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/** Whether an attribute is a nested object (tfType `{ nested }`), not a primitive or collection type. */
export const isNested = (facts: AttributeFacts): boolean => typeof facts.tfType === "object" && !Array.isArray(facts.tfType);
const isSingle = (facts: AttributeFacts): boolean => isNested(facts) && (facts.tfType as { nested: string }).nested === "single";

/** The attributes of a kind with their facts. */
export function attributesOf(kind: KindSchema): [string, AttributeFacts, z.ZodType][] {
  return Object.entries(kind.attributes as Record<string, z.ZodType>).map(([name, schema]) => [name, factsOf(schema), schema]);
}

/**
 * A Terraform value as a declaration holds it: null attributes of nested objects left out (so
 * defaults apply), everything else as it is (JSON strings are parsed by the attribute's schema;
 * the insides of JSON and dynamic values are the user's data, nulls included).
 */
export function declaredOf(facts: AttributeFacts, value: TfValue): unknown {
  if (value === null) return undefined;
  if (value === UNKNOWN || !isNested(facts) || typeof value !== "object") return value;
  const children = facts.nested ?? {};
  const object = (item: TfValue): unknown => {
    if (item === null || item === UNKNOWN || typeof item !== "object" || Array.isArray(item)) return item === null ? undefined : item;
    const out: Record<string, unknown> = {};
    for (const [name, child] of Object.entries(item)) {
      const schema = children[name];
      const converted = schema ? declaredOf(factsOf(schema), child) : child;
      if (converted !== undefined) out[name] = converted;
    }
    return out;
  };
  return Array.isArray(value) ? value.map(object) : object(value);
}

/** A resource's Terraform object as a raw declaration (unset attributes left out). */
export function declarationOf(kind: KindSchema, object: TfObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, facts] of attributesOf(kind)) {
    const value = declaredOf(facts, object[name] ?? null);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** A declared-shape value (a live object's spec, a default) as Terraform holds it. */
export function tfOf(facts: AttributeFacts, value: unknown): TfValue {
  if (value === undefined || value === null) return null;
  if (isNested(facts)) {
    const children = facts.nested ?? {};
    const object = (item: unknown): TfValue => {
      if (item === null || typeof item !== "object") return null;
      const record = item as Record<string, unknown>;
      return Object.fromEntries(Object.entries(children).map(([name, schema]) => [name, tfOf(factsOf(schema), record[name])]));
    };
    return isSingle(facts) ? object(value) : (value as unknown[]).map(object);
  }
  // Keys sorted, no spaces: what Terraform's jsonencode writes, so an imported document and a
  // declared one are the same text.
  if (facts.format === "json") return canonicalJson(value);
  return value as TfValue;
}

/** The attribute's value parsed as a declaration would hold it (JSON parsed, sets sorted, defaults filled); `undefined` when it does not parse. */
export function parsedOf(facts: AttributeFacts, schema: z.ZodType, value: TfValue): unknown {
  if (containsUnknown(value)) return undefined;
  const parsed = schema.safeParse(declaredOf(facts, value));
  return parsed.success ? parsed.data : undefined;
}

/**
 * Whether a Terraform value stands for the live value under the attribute's rules (JSON as
 * documents, sets as sets, the kind's own comparisons): then the Terraform value is kept as it
 * is, so formatting and server-side normalization never show as a change.
 */
export function standsFor(facts: AttributeFacts, schema: z.ZodType, value: TfValue, live: unknown): boolean {
  if (containsUnknown(value)) return false;
  if (value === null) return valuesEqual(facts, parsedOf(facts, schema, null), live);
  const parsed = schema.safeParse(declaredOf(facts, value));
  return parsed.success && valuesEqual(facts, parsed.data, live);
}

/**
 * A nested value kept from `reference` where each part stands for the live part, the live part
 * elsewhere: a nested object whose declared children match keeps them as declared while its
 * computed children take the server's values.
 */
function merged(facts: AttributeFacts, schema: z.ZodType, reference: TfValue, live: unknown): TfValue {
  // A computed value is the server's: null stands for nothing there.
  if (reference === null && facts.computed) return tfOf(facts, live);
  if (!isNested(facts) || reference === null || live === undefined || live === null) {
    return standsFor(facts, schema, reference, live) ? reference : tfOf(facts, live);
  }
  const children = facts.nested ?? {};
  const object = (ref: TfValue, item: unknown): TfValue => {
    if (ref === null || ref === UNKNOWN || typeof ref !== "object" || Array.isArray(ref) || item === null || typeof item !== "object") return tfOf({ ...facts, tfType: { nested: "single" } }, item);
    const record = item as Record<string, unknown>;
    return Object.fromEntries(Object.entries(children).map(([name, child]) => [name, merged(factsOf(child), child, ref[name] ?? null, record[name])]));
  };
  if (isSingle(facts)) return object(reference, live);
  const refs = Array.isArray(reference) ? reference : [];
  const items = live as unknown[];
  return items.map((item, i) => object(refs[i] ?? null, item));
}

/** Nothing worth showing: null, an empty string, list or object (a pool's template of `{}`). */
const isBlank = (value: unknown): boolean =>
  value === undefined || value === null || value === "" || (typeof value === "object" && Object.keys(value as object).length === 0);

/**
 * The Terraform state of a live object: each attribute as `reference` (the prior state, or the
 * planned state after apply) has it where that stands for the live value, the live value
 * otherwise. Without a reference (after an import) every value is the live one, except a blank
 * value of an attribute a declaration may leave out (so importing a pool with the template `{}`
 * plans clean against a configuration without one). State-only attributes (Prefect does not keep them) come from the reference;
 * write-only ones are never stored.
 */
export function stateOf(kind: KindSchema, live: Spec, reference: TfObject | null): TfObject {
  const out: TfObject = {};
  for (const [name, facts, schema] of attributesOf(kind)) {
    const ref = reference?.[name] ?? null;
    if (facts.writeOnly) out[name] = null;
    else if (facts.stateOnly) out[name] = ref === UNKNOWN ? null : ref;
    else if (reference === null) out[name] = !facts.computed && isBlank(live[name]) && standsFor(facts, schema, null, live[name]) ? null : tfOf(facts, live[name]);
    else out[name] = merged(facts, schema, ref, live[name]);
  }
  return out;
}

/** The attributes an import id sets; a state holding nothing else is an import's, to be filled from the live object. */
const IMPORT_KEYS = new Set(["id", "name", "work_pool_name", "deployment_id"]);

export function isImportStub(state: TfObject): boolean {
  return Object.entries(state).every(([name, value]) => value === null || IMPORT_KEYS.has(name));
}

/** A Terraform object of the kind with every attribute null but those given. */
export function emptyState(kind: KindSchema, values: Record<string, TfValue> = {}): TfObject {
  return Object.fromEntries(attributesOf(kind).map(([name]) => [name, values[name] ?? null]));
}

/** Deep equality of Terraform values; lists of the `set` attributes compare as sets. */
export function tfEqual(a: TfValue, b: TfValue, asSet = false): boolean {
  if (a === b) return true;
  if (a === UNKNOWN || b === UNKNOWN || a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    if (asSet) return a.every((item) => b.some((other) => tfEqual(item, other))) && b.every((item) => a.some((other) => tfEqual(item, other)));
    return a.every((item, i) => tfEqual(item, b[i] ?? null));
  }
  const left = a as TfObject;
  const right = b as TfObject;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  for (const key of keys) if (!tfEqual(left[key] ?? null, right[key] ?? null)) return false;
  return true;
}

/** Whether an attribute's Terraform type is a set (compared without order). */
export const isSetType = (facts: AttributeFacts): boolean => Array.isArray(facts.tfType) && facts.tfType[0] === "set";
