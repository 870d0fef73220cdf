// Writing a live object as a declaration (import --all): what every kind shares. The importer
// supplies the writer (references to the resources it writes, sensitive variables); the kinds
// say where they refer to other objects (attributes' `references` facts) and what else is
// theirs to write (Kind.writeDeclaration).
import type { z } from "zod";
import { factsOf, type AttributeFacts } from "./attributes.js";
import { isObject } from "./compare.js";
import type { KindSchema } from "./kind.js";
import { referenceTarget } from "./references.js";

/** How a declaration refers to other objects and to secrets. Each answer stands in for the value it is given. */
export interface DeclarationWriter {
  /** A reference to `attribute` of the object `type:id`, or `literal` when it cannot be referred to. */
  ref(type: string, id: string, attribute: "id" | "name", literal: unknown): unknown;
  /** A reference to `attribute` of the object whose natural key is `identity`, or `literal`. */
  refByIdentity(type: string, identity: string, attribute: "id" | "name", literal: unknown): unknown;
  /** A secret: a sensitive variable standing for it, or the value itself while checking. */
  secret(path: (string | number)[], value: unknown): unknown;
}

/** A writer that refers to nothing: every value stays as it is (checking a declaration before names are known). */
export const LITERAL_WRITER: DeclarationWriter = { ref: (_t, _i, _a, value) => value, refByIdentity: (_t, _i, _a, value) => value, secret: (_p, value) => value };

/** `value` with every id an attribute refers to another object by (at any nesting level) written as a reference. */
function referring(facts: AttributeFacts, value: unknown, writer: DeclarationWriter): unknown {
  const target = referenceTarget(facts);
  if (target?.attribute === "id" && typeof value === "string") return writer.ref(target.type, value, "id", value);
  const nested = facts.nested;
  if (!nested) return value;
  const each = (item: unknown): unknown => {
    if (!isObject(item)) return item;
    const out = { ...item };
    for (const [name, schema] of Object.entries(nested)) if (name in out) out[name] = referring(factsOf(schema), out[name], writer);
    return out;
  };
  return Array.isArray(value) ? value.map(each) : each(value);
}

/**
 * Write the ids `declared` holds as references, wherever an attribute's `references` fact names a
 * kind's id (a deployment's `flow_id`, an automation action's `deployment_id`). References by
 * name need the target's natural key, which only the kind knows how to make (writeDeclaration).
 */
export function writeReferences(kind: KindSchema, declared: Record<string, unknown>, writer: DeclarationWriter): void {
  for (const [name, schema] of Object.entries(kind.attributes as Record<string, z.ZodType>)) {
    if (name in declared) declared[name] = referring(factsOf(schema), declared[name], writer);
  }
}
