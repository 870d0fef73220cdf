// Comparing a declaration with a live object, attribute by attribute, with each attribute's
// own rules: JSON documents compare as documents, sets as sets, custom rules where a kind
// says so; computed attributes and optional+computed ones left undeclared are the server's.
import type { z } from "zod";
import { factsOf, sensitiveAnywhere, type AttributeFacts } from "./attributes.js";
import type { KindSchema, Spec } from "./kind.js";

/** A value not known until apply (an id of an object still to be created). */
export interface UnknownValue {
  readonly $unknown: string;
}

export function isUnknown(value: unknown): value is UnknownValue {
  return typeof value === "object" && value !== null && "$unknown" in value && Object.keys(value).length === 1;
}

export interface AttributeChange {
  /** Attribute path, e.g. ["trigger", "event", "posture"]. */
  path: (string | number)[];
  before: unknown;
  after: unknown;
  /** This change forces the object to be replaced. */
  forceNew: boolean;
  sensitive: boolean;
}

/** Whether a value is a JSON object (not null, not a list). */
export const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/** Deep equality of JSON values (object key order does not matter). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === "number" && typeof b === "number") return a === b || (Number.isNaN(a) && Number.isNaN(b));
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  for (const key of keys) if (!jsonEqual(left[key], right[key])) return false;
  return true;
}

function setEqual(a: unknown, b: unknown): boolean {
  const left = new Set(Array.isArray(a) ? a.map((item) => JSON.stringify(item)) : []);
  const right = new Set(Array.isArray(b) ? b.map((item) => JSON.stringify(item)) : []);
  if (left.size !== right.size) return false;
  for (const item of left) if (!right.has(item)) return false;
  return true;
}

/** Not set: undefined, or Terraform's null. */
function isEmpty(value: unknown): boolean {
  return value === undefined || value === null;
}

/** Whether a declared value and a live value are the same under the attribute's rules. */
export function valuesEqual(facts: AttributeFacts, declared: unknown, live: unknown): boolean {
  if (isUnknown(declared)) return false;
  if (isEmpty(declared) && isEmpty(live)) return true;
  if (facts.nested) return nestedEqual(facts, declared, live);
  if (typeof facts.compare === "function") return facts.compare(declared, live);
  // "exact" and "json" alike: JSON attributes are held parsed, so both are deep equality.
  return facts.compare === "set" ? setEqual(declared, live) : jsonEqual(declared, live);
}

function nestedEqual(facts: AttributeFacts, declared: unknown, live: unknown): boolean {
  const children = facts.nested ?? {};
  const compareObject = (d: Record<string, unknown> | null | undefined, l: Record<string, unknown> | null | undefined): boolean => {
    if (isEmpty(d) || isEmpty(l)) return isEmpty(d) && isEmpty(l);
    for (const [name, schema] of Object.entries(children)) {
      if (!attributeMatters(factsOf(schema), d?.[name])) continue;
      if (!valuesEqual(factsOf(schema), d?.[name], l?.[name])) return false;
    }
    return true;
  };
  if (facts.tfType && typeof facts.tfType === "object" && !Array.isArray(facts.tfType) && facts.tfType.nested === "single") {
    return compareObject(declared as Record<string, unknown>, live as Record<string, unknown>);
  }
  const left = (declared ?? []) as Record<string, unknown>[];
  const right = (live ?? []) as Record<string, unknown>[];
  return left.length === right.length && left.every((item, i) => compareObject(item, right[i]));
}

/**
 * Whether a declared value has a say: computed-only attributes never do; optional+computed
 * attributes only when declared (otherwise the server's value stands).
 */
export function attributeMatters(facts: AttributeFacts, declared: unknown): boolean {
  if (facts.computed && !facts.optional) return false;
  if (facts.computed && declared === undefined) return false;
  if (facts.writeOnly) return false;
  return true;
}

/**
 * The attribute-level differences between a declaration and the live object's spec.
 * `actual` undefined means the object does not exist (every declared attribute is a change).
 */
export function diffSpec(kind: KindSchema, declared: Spec, actual: Spec | undefined): AttributeChange[] {
  const changes: AttributeChange[] = [];
  for (const [name, schema] of Object.entries(kind.attributes as Record<string, z.ZodType>)) {
    const facts = factsOf(schema);
    const want = declared[name];
    if (!attributeMatters(facts, want)) continue;
    const have = actual?.[name];
    if (actual && valuesEqual(facts, want, have)) continue;
    if (!actual && isEmpty(want)) continue;
    changes.push({ path: [name], before: actual ? have : undefined, after: want, forceNew: facts.forceNew && actual !== undefined, sensitive: sensitiveAnywhere(facts) });
  }
  return changes;
}

/** The top-level attributes `diffSpec` finds a change in, each once: what `Kind.update` takes as `changed`. */
export function changedAttributes(kind: KindSchema, declared: Spec, actual: Spec | undefined): string[] {
  return [...new Set(diffSpec(kind, declared, actual).map((change) => String(change.path[0])))];
}

/**
 * The live spec with each state-only attribute (facts.stateOnly: Prefect does not keep it) set
 * to the value the state recorded as last applied, so `diffSpec` sees a change of it. With no
 * record (an object not applied by us yet) the attribute stays undefined, which a kind's
 * compare rule may take as "unknown, assume unchanged"; an attribute absent from the record
 * becomes null: it was applied without one.
 */
export function withRecordedValues(kind: KindSchema, live: Spec, recorded: Record<string, unknown> | undefined): Spec {
  if (!recorded) return live;
  const out: Spec = { ...live };
  for (const [name, schema] of Object.entries(kind.attributes as Record<string, z.ZodType>)) {
    if (factsOf(schema).stateOnly) out[name] = recorded[name] ?? null;
  }
  return out;
}

/** JSON with object keys sorted at every level and undefined members left out: one text per value (state hashes, Terraform's JSON attributes). */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return "null";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
}
