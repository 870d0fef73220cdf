// Checking a declaration whose values are not all known yet (references to objects still to be
// created: unknown markers in the engine, unresolved tokens in a CDKTF app): unknown values
// are replaced by stand-ins of the right type, so every rule that can be checked is checked.
import type { ZodType } from "zod";
import { factsOf, type AttributeFacts } from "./attributes.js";
import { parseSpec, type KindSchema, type Spec, type SpecIssue } from "./kind.js";

const UUID_PLACEHOLDER = "00000000-0000-4000-8000-000000000000";

/** A value of the attribute's type, standing in for one not known yet. */
export function placeholder(facts: AttributeFacts): unknown {
  if (typeof facts.tfType === "object" && !Array.isArray(facts.tfType)) {
    if (facts.tfType.nested !== "single") return [];
    const out: Record<string, unknown> = {};
    for (const [name, schema] of Object.entries(facts.nested ?? {})) {
      const child = factsOf(schema);
      if (child.required) out[name] = placeholder(child);
    }
    return out;
  }
  if (Array.isArray(facts.tfType)) return facts.tfType[0] === "map" ? {} : [];
  switch (facts.tfType) {
    case "number":
      return 1;
    case "bool":
      return false;
    case "dynamic":
      return "unknown";
    default:
      return facts.format === "uuid" ? UUID_PLACEHOLDER : facts.format === "json" ? "{}" : "unknown";
  }
}

/** The value with every pending part replaced by a stand-in (nested attributes followed). */
export function substitutePending(value: unknown, facts: AttributeFacts, isPending: (value: unknown) => boolean): unknown {
  if (isPending(value)) return placeholder(facts);
  if (facts.nested && value && typeof value === "object") {
    const fill = (item: Record<string, unknown>) => {
      if (isPending(item)) return placeholder({ ...facts, tfType: { nested: "single" } });
      const out: Record<string, unknown> = { ...item };
      for (const [name, schema] of Object.entries(facts.nested ?? {})) if (name in out) out[name] = substitutePending(out[name], factsOf(schema), isPending);
      return out;
    };
    return Array.isArray(value) ? value.map((item) => fill(item as Record<string, unknown>)) : fill(value as Record<string, unknown>);
  }
  if (Array.isArray(value)) return value.map((item) => (isPending(item) ? placeholder({ ...facts, tfType: "string" }) : item));
  return value;
}

/** Whether a value has a pending part anywhere inside. */
export function containsPending(value: unknown, isPending: (value: unknown) => boolean): boolean {
  if (isPending(value)) return true;
  if (Array.isArray(value)) return value.some((item) => containsPending(item, isPending));
  if (value && typeof value === "object") return Object.values(value).some((item) => containsPending(item, isPending));
  return false;
}

export interface CheckedDeclaration {
  /** The parsed spec (stand-ins where values are pending), when valid. */
  spec?: Spec;
  issues: SpecIssue[];
  /** Top-level attributes that had pending values. */
  pending: Set<string>;
}

/** Validate a declaration with pending values standing in for their types. */
export function checkDeclaration(kind: KindSchema, raw: Record<string, unknown>, isPending: (value: unknown) => boolean): CheckedDeclaration {
  const attributes = kind.attributes as Record<string, ZodType>;
  const substituted: Record<string, unknown> = {};
  const pending = new Set<string>();
  for (const [name, value] of Object.entries(raw)) {
    const schema = attributes[name];
    if (schema && containsPending(value, isPending)) {
      pending.add(name);
      substituted[name] = substitutePending(value, factsOf(schema), isPending);
    } else substituted[name] = value;
  }
  const parsed = parseSpec(kind, substituted);
  return parsed.ok ? { spec: parsed.spec, issues: [], pending } : { issues: parsed.issues, pending };
}
