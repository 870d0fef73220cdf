// What every L2 construct shares: validating its props at synth with the same rules the engine
// applies (the kind's schema), where values that are CDK tokens (references to other
// constructs, variables) count as "known later"; JSON attributes that may hold tokens.
import type { ZodType } from "zod";
import { Fn, Token, type Construct } from "../cdk.js";
import { factsOf } from "../kinds/attributes.js";
import type { KindSchema, SpecIssue } from "../kinds/kind.js";
import { checkDeclaration, placeholder } from "../kinds/validate.js";

/** Whether a value is (or encodes) a CDK token not resolved until synth. */
export function isToken(value: unknown): boolean {
  if (typeof value === "string" || typeof value === "number") return Token.isUnresolved(value);
  if (Array.isArray(value)) return value.length > 0 && Token.isUnresolved(value);
  return false;
}

/** Whether a value holds a token anywhere inside. */
export function containsToken(value: unknown): boolean {
  if (isToken(value)) return true;
  if (Array.isArray(value)) return value.some(containsToken);
  if (value && typeof value === "object") return Object.values(value).some(containsToken);
  return false;
}

/**
 * Register a validation that runs at synth: `check` returns every problem (all of them, not
 * the first), and CDKTF reports them together with the construct's path.
 */
export function validateAtSynth(construct: Construct, check: () => string[]): void {
  construct.node.addValidation({ validate: check });
}

/**
 * The issues the engine would report for these Terraform attributes (snake_case names, the
 * official provider's), with tokens standing in for values known later; a sensitive
 * attribute's issue never shows its value.
 */
export function kindIssues(kind: KindSchema, attributes: Record<string, unknown>): SpecIssue[] {
  const defined = Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== undefined));
  const sensitive = new Set(Object.keys(defined).filter((name) => isSensitive(kind, name)));
  return checkDeclaration(kind, defined, isToken).issues.map((issue) =>
    sensitive.has(String(issue.path[0])) ? { path: issue.path, message: "is not valid (the value is sensitive and not shown)" } : issue,
  );
}

/** The value the kind's rules take in place of an attribute's value known only later (a UUID for an id, ...). */
export function standIn(kind: KindSchema, attribute: string): unknown {
  const schema = (kind.attributes as Record<string, ZodType>)[attribute];
  if (!schema) throw new Error(`${kind.type} has no attribute ${attribute}`);
  return placeholder(factsOf(schema));
}

/** A sensitive attribute's value never appears in a message. */
function isSensitive(kind: KindSchema, name: string): boolean {
  const schema = (kind.attributes as Record<string, ZodType>)[name];
  return schema ? factsOf(schema).sensitive : false;
}

/**
 * A JSON-valued attribute (parameters, job variables, base job template...): a plain JSON
 * string, or `jsonencode(...)` when the value refers to other constructs; undefined (a prop
 * left out) stays undefined.
 */
export function jsonAttribute(value: NonNullable<unknown> | null): string;
export function jsonAttribute(value: unknown): string | undefined;
export function jsonAttribute(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return containsToken(value) ? Fn.jsonencode(value) : JSON.stringify(value);
}
