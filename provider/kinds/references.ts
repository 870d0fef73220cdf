// The references between kinds, read from the attributes' `references` facts (`prefect_flow.id`),
// nested attributes included: what import writes as references and what orders the kinds.
import type { z } from "zod";
import { factsOf, type AttributeFacts } from "./attributes.js";
import type { KindSchema } from "./kind.js";

/** What an attribute refers to: a kind and the attribute of it whose value it holds. */
export interface ReferenceTarget {
  type: string;
  attribute: string;
}

/** The target of an attribute's `references` fact, if it has one. */
export function referenceTarget(facts: AttributeFacts): ReferenceTarget | undefined {
  if (!facts.references) return undefined;
  const dot = facts.references.lastIndexOf(".");
  return { type: facts.references.slice(0, dot), attribute: facts.references.slice(dot + 1) };
}

function targetsIn(attributes: Record<string, z.ZodType>): ReferenceTarget[] {
  return Object.values(attributes).flatMap((schema) => {
    const facts = factsOf(schema);
    const own = referenceTarget(facts);
    return [...(own ? [own] : []), ...targetsIn(facts.nested ?? {})];
  });
}

/** The other kinds a kind's attributes refer to, each once, in attribute order. */
export function referencedTypes(kind: KindSchema): string[] {
  return [...new Set(targetsIn(kind.attributes as Record<string, z.ZodType>).map((target) => target.type))].filter((type) => type !== kind.type);
}
