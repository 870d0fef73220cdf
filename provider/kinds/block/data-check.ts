// A block document's data against its block schema (the JSON schema Prefect keeps in a block
// schema's `fields`): required fields present, top-level values of the declared types. Only
// what is certain is refused: a schema construct not understood here accepts the value, and
// fields the schema does not name are left to Prefect. Messages never show a value: `data`
// is sensitive as a whole, and any field of it may hold a secret.
import { isObject, isUnknown, jsonEqual } from "../compare.js";
import type { SpecIssue } from "../kind.js";
import { isReference } from "./references.js";

type JsonSchema = Record<string, unknown>;

/** How deep `$ref` chains between definitions are followed (a cycle stops here). */
const MAX_DEPTH = 8;

function definitionsOf(fields: JsonSchema): Record<string, unknown> {
  return { ...(isObject(fields.definitions) ? fields.definitions : {}), ...(isObject(fields.$defs) ? fields.$defs : {}) };
}

function resolve(schema: JsonSchema, definitions: Record<string, unknown>): JsonSchema | undefined {
  const ref = schema.$ref;
  if (typeof ref !== "string") return schema;
  const name = /^#\/(?:definitions|\$defs)\/(.+)$/.exec(ref)?.[1];
  const target = name !== undefined ? definitions[name] : undefined;
  return isObject(target) ? target : undefined;
}

function typeMatches(type: string, value: unknown): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number";
    case "boolean":
      return typeof value === "boolean";
    case "object":
      return isObject(value);
    case "array":
      return Array.isArray(value);
    case "null":
      return value === null;
    default:
      return true;
  }
}

/** Whether `value` can be what `schema` describes; `true` for whatever is not understood. */
function accepts(schema: unknown, value: unknown, definitions: Record<string, unknown>, depth = 0): boolean {
  if (!isObject(schema) || depth > MAX_DEPTH) return true;
  const resolved = resolve(schema, definitions);
  if (!resolved) return true;
  if (resolved !== schema) return accepts(resolved, value, definitions, depth + 1);
  const branches = (key: string): unknown[] | undefined => (Array.isArray(schema[key]) ? (schema[key] as unknown[]) : undefined);
  const anyOf = branches("anyOf") ?? branches("oneOf");
  if (anyOf && !anyOf.some((branch) => accepts(branch, value, definitions, depth + 1))) return false;
  const allOf = branches("allOf");
  if (allOf && !allOf.every((branch) => accepts(branch, value, definitions, depth + 1))) return false;
  const options = branches("enum");
  if (options && !options.some((option) => jsonEqual(option, value))) return false;
  if ("const" in schema && !jsonEqual(schema.const, value)) return false;
  const type = schema.type;
  if (typeof type === "string") return typeMatches(type, value);
  if (Array.isArray(type)) return type.some((item) => typeof item !== "string" || typeMatches(item, value));
  return true;
}

const ARTICLE: Record<string, string> = {
  string: "a string",
  integer: "a whole number",
  number: "a number",
  boolean: "true or false",
  object: "an object",
  array: "a list",
  null: "null",
};

/** What a schema allows, in words (from the schema, never from the value). */
function describeExpected(schema: unknown, definitions: Record<string, unknown>, depth = 0): string | undefined {
  if (!isObject(schema) || depth > MAX_DEPTH) return undefined;
  const resolved = resolve(schema, definitions);
  if (!resolved) return undefined;
  if (resolved !== schema) return describeExpected(resolved, definitions, depth + 1);
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map((option) => JSON.stringify(option)).join(", ")}`;
  if (typeof schema.type === "string") return ARTICLE[schema.type] ?? schema.type;
  if (Array.isArray(schema.type)) return schema.type.map((item) => ARTICLE[String(item)] ?? String(item)).join(" or ");
  const union = (Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.allOf) ? schema.allOf : undefined) as unknown[] | undefined;
  if (union) {
    const parts = union.map((branch) => describeExpected(branch, definitions, depth + 1));
    if (parts.every((part): part is string => part !== undefined)) return [...new Set(parts)].join(" or ");
  }
  return undefined;
}

function describeReceived(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  if (typeof value === "number") return Number.isInteger(value) ? "a whole number" : "a number";
  if (typeof value === "boolean") return "true or false";
  return `a ${typeof value}`;
}

/**
 * The problems of a document against a block schema's `fields`, with paths under `attribute`
 * (`data.url`). References (`$ref`) are Prefect's to check, and undeclared optional fields may
 * be null, as Prefect's optional fields are.
 */
export function blockDataIssues(fields: Record<string, unknown>, data: Record<string, unknown>, attribute: string, typeName: string): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const properties = isObject(fields.properties) ? fields.properties : {};
  const required = Array.isArray(fields.required) ? fields.required.filter((name): name is string => typeof name === "string") : [];
  const definitions = definitionsOf(fields);
  for (const name of required) {
    if (!(name in data) || data[name] === undefined) {
      issues.push({ path: [attribute, name], message: `is required by the ${typeName} block schema (required fields: ${required.join(", ")})` });
    }
  }
  for (const [name, value] of Object.entries(data)) {
    const property = properties[name];
    if (property === undefined || isReference(value) || isUnknown(value)) continue;
    if (value === null && !required.includes(name)) continue;
    if (accepts(property, value, definitions)) continue;
    const expected = describeExpected(property, definitions);
    issues.push({
      path: [attribute, name],
      message: `must be ${expected ?? "what the block schema describes"} for the ${typeName} block schema, got ${describeReceived(value)} (the value is not shown: ${attribute} is sensitive)`,
    });
  }
  return issues;
}
