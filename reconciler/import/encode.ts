// Writing values as Terraform JSON. Every string there is a template, so literal text has its
// `${` and `%{` escaped; references and variables are written as `${...}` expressions; a JSON
// document that holds one (a block's data with a secret variable or a `$ref`) becomes
// `${jsonencode({...})}` with the document written as an HCL expression.
import type { z } from "zod";
import { factsOf, type AttributeFacts } from "../../provider/kinds/attributes.js";
import { valuesEqual } from "../../provider/kinds/compare.js";

/**
 * An expression in place of a value: a reference to another resource (`prefect_flow.etl.id`) or
 * a variable (`var.slack_url`). `literal` is the value it stands for, used to check a
 * declaration in memory before it is written.
 */
export class Expression {
  constructor(
    readonly text: string,
    readonly literal: unknown,
  ) {}
}

/** Literal text in a Terraform JSON string: `${` and `%{` would start an interpolation or a directive. */
export function escapeTemplate(text: string): string {
  return text.replace(/([$%])\{/g, (_match, sign: string) => `${sign}${sign}{`);
}

/** A string literal of the HCL expression language (inside `${...}`). */
export function hclString(text: string): string {
  let out = '"';
  for (const char of escapeTemplate(text)) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '"') out += '\\"';
    else if (char === "\\") out += "\\\\";
    else if (char === "\n") out += "\\n";
    else if (char === "\r") out += "\\r";
    else if (char === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += char;
  }
  return `${out}"`;
}

/** A JSON value (possibly holding expressions) as an HCL expression. */
export function hclExpression(value: unknown): string {
  if (value instanceof Expression) return value.text;
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return hclString(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`cannot write the number ${value} in Terraform JSON`);
    return JSON.stringify(value);
  }
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(hclExpression).join(", ")}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
  return `{${entries.map(([key, item]) => `${hclString(key)} = ${hclExpression(item)}`).join(", ")}}`;
}

export function containsExpression(value: unknown): boolean {
  if (value instanceof Expression) return true;
  if (Array.isArray(value)) return value.some(containsExpression);
  if (value && typeof value === "object") return Object.values(value).some(containsExpression);
  return false;
}

/** The value with every expression replaced by the literal it stands for. */
export function literalOf(value: unknown): unknown {
  if (value instanceof Expression) return value.literal;
  if (Array.isArray(value)) return value.map(literalOf);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, literalOf(item)]));
  return value;
}

const TEMPLATE_START = /[$%]\{/;

/** Whether an object somewhere in the value has a key that reads as a template. */
function hasTemplateKey(value: unknown): boolean {
  if (value instanceof Expression) return false;
  if (Array.isArray(value)) return value.some(hasTemplateKey);
  if (value && typeof value === "object") return Object.entries(value).some(([key, item]) => TEMPLATE_START.test(key) || hasTemplateKey(item));
  return false;
}

/**
 * Terraform JSON for a value outside any attribute facts: strings escaped, expressions
 * interpolated. Terraform reads object keys as templates where the engine takes them as they
 * are, so a value with a key holding `${` or `%{` is written as one HCL expression, which both
 * read alike.
 */
export function plainJson(value: unknown): unknown {
  if (hasTemplateKey(value)) return `\${${hclExpression(value)}}`;
  if (value instanceof Expression) return `\${${value.text}}`;
  if (typeof value === "string") return escapeTemplate(value);
  if (Array.isArray(value)) return value.map(plainJson);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, item]) => item !== undefined)
        .map(([key, item]) => [key, plainJson(item)]),
    );
  }
  return value;
}

/**
 * Whether a value says something a declaration must say: not absent, and not the attribute's
 * default (which parsing a declaration fills in by itself).
 */
export function worthWriting(facts: AttributeFacts, value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (facts.default !== undefined && !facts.defaultOnCreate && !containsExpression(value) && valuesEqual(facts, facts.default, value)) return false;
  return true;
}

/** An attribute's value in Terraform JSON, following its facts (JSON documents as strings, nested attributes as objects). */
export function encodeAttribute(facts: AttributeFacts, value: unknown): unknown {
  if (value instanceof Expression) return facts.format === "json" ? `\${jsonencode(${value.text})}` : `\${${value.text}}`;
  if (facts.format === "json") {
    return containsExpression(value) ? `\${jsonencode(${hclExpression(value)})}` : escapeTemplate(JSON.stringify(value));
  }
  if (facts.nested && value && typeof value === "object") {
    const nested = facts.nested;
    const encodeObject = (item: Record<string, unknown>): Record<string, unknown> => {
      const out: Record<string, unknown> = {};
      for (const [name, schema] of Object.entries(nested as Record<string, z.ZodType>)) {
        const child = factsOf(schema);
        if (worthWriting(child, item[name])) out[name] = encodeAttribute(child, item[name]);
      }
      return out;
    };
    return Array.isArray(value) ? value.map((item) => encodeObject(item as Record<string, unknown>)) : encodeObject(value as Record<string, unknown>);
  }
  return plainJson(value);
}
