// Checks Prefect makes with user-supplied JSON schemas: deployment parameters against the
// deployment's parameter schema, job variables against the work pool's variables schema.
// Prefect validates with jsonschema and reports the first failure as
// "Validation failed for field 'x'. Failure reason: ...". Schemas the validator cannot compile
// (block references, unknown keywords) are not enforced: the devserver never refuses what a
// real server might accept.
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";

// `verbose` keeps the failing value and schema on each error, which jsonschema's wording quotes.
const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: false, validateSchema: false, verbose: true });
const compiled = new Map<string, ValidateFunction | null>();
/** Schemas are few and repeat (one per deployment or pool): a small cache keeps compiles rare. */
const CACHE_LIMIT = 500;

function withoutRequired(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutRequired);
  if (!schema || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "required" && Array.isArray(value)) continue;
    out[key] = withoutRequired(value);
  }
  return out;
}

function validatorFor(schema: unknown): ValidateFunction | null {
  const key = JSON.stringify(schema);
  if (compiled.has(key)) return compiled.get(key) ?? null;
  // Ajv registers schemas by `$id` and picks a meta-schema by `$schema`: user schemas are
  // anonymous here, so two deployments sharing an `$id` or a draft-07 marker still compile.
  const { $id: _id, $schema: _schema, ...anonymous } = schema as Record<string, unknown>;
  let validate: ValidateFunction | null;
  try {
    validate = ajv.compile(anonymous);
  } catch {
    validate = null;
  }
  if (compiled.size >= CACHE_LIMIT) compiled.clear();
  compiled.set(key, validate);
  return validate;
}

/** A value as Python's `repr` writes it, which jsonschema's messages quote. */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    const escaped = value
      .replace(/\\/g, "\\\\")
      .replace(/\n/g, "\\n")
      .replace(/\r/g, "\\r")
      .replace(/\t/g, "\\t");
    return quote + (quote === "'" ? escaped.replace(/'/g, "\\'") : escaped) + quote;
  }
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(", ")}]`;
  if (typeof value === "object") {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([key, item]) => `${pythonRepr(key)}: ${pythonRepr(item)}`)
      .join(", ")}}`;
  }
  return String(value);
}

/** jsonschema's message for an error, as `ValidationError.message` words it (jsonschema/_keywords.py). */
function jsonschemaMessage(error: ErrorObject): string {
  const value = pythonRepr(error.data);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "type": {
      const types = Array.isArray(error.schema) ? (error.schema as string[]) : [String(error.schema)];
      return `${value} is not of type ${types.map(pythonRepr).join(", ")}`;
    }
    case "required":
      return `${pythonRepr(params.missingProperty)} is a required property`;
    case "enum":
      return `${value} is not one of ${pythonRepr(error.schema)}`;
    case "const":
      return `${pythonRepr(error.schema)} was expected`;
    case "minimum":
      return `${value} is less than the minimum of ${pythonRepr(error.schema)}`;
    case "maximum":
      return `${value} is greater than the maximum of ${pythonRepr(error.schema)}`;
    case "exclusiveMinimum":
      return `${value} is less than or equal to the minimum of ${pythonRepr(error.schema)}`;
    case "exclusiveMaximum":
      return `${value} is greater than or equal to the maximum of ${pythonRepr(error.schema)}`;
    case "minLength":
    case "minItems":
    case "minProperties":
      return error.schema === 1 ? `${value} should be non-empty` : `${value} is too short`;
    case "maxLength":
    case "maxItems":
    case "maxProperties":
      return error.schema === 0 ? `${value} is expected to be empty` : `${value} is too long`;
    case "pattern":
      return `${value} does not match ${pythonRepr(error.schema)}`;
    case "additionalProperties":
      return `Additional properties are not allowed (${pythonRepr(params.additionalProperty)} was unexpected)`;
    case "multipleOf":
      return `${value} is not a multiple of ${pythonRepr(error.schema)}`;
    case "uniqueItems":
      return `${value} has non-unique elements`;
    default:
      return error.message ?? "invalid value";
  }
}

/** jsonschema's `json_path` without its `$.`: properties joined by dots, array items as `[i]`. */
function jsonPath(values: unknown, instancePath: string): string {
  let path = "";
  let current = values;
  for (const raw of instancePath.split("/").slice(1)) {
    const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(current)) {
      path += `[${segment}]`;
      current = current[Number(segment)];
    } else {
      path += path ? `.${segment}` : segment;
      current = current && typeof current === "object" ? (current as Record<string, unknown>)[segment] : undefined;
    }
  }
  return path;
}

/**
 * The first way `values` break `schema`, worded like Prefect, or `undefined` when they conform
 * (or the schema cannot be enforced). `ignoreRequired` drops every `required` list, as Prefect
 * does when a partial set of values is acceptable.
 */
export function schemaViolation(values: unknown, schema: unknown, options: { ignoreRequired?: boolean } = {}): string | undefined {
  const failure = schemaFailure(values, schema, options);
  if (!failure) return undefined;
  // Worded as src/prefect/_internal/schemas/validators.py validate_values_conform_to_schema words it:
  // the field as repr(json_path), then jsonschema's message (scenarios.jsonl "dep params violate schema").
  return failure.path ? `Validation failed for field ${pythonRepr(failure.path)}. Failure reason: ${failure.message}` : `Validation failed. Failure reason: ${failure.message}`;
}

/**
 * The first way `values` break `schema` as jsonschema reports it: the failing value's path and
 * jsonschema's message, or `undefined` when they conform (or the schema cannot be enforced).
 */
export function schemaFailure(values: unknown, schema: unknown, options: { ignoreRequired?: boolean } = {}): { path: string; message: string } | undefined {
  if (!schema || typeof schema !== "object" || Array.isArray(schema)) return undefined;
  const validate = validatorFor(options.ignoreRequired ? withoutRequired(schema) : schema);
  if (!validate || validate(values)) return undefined;
  const error = validate.errors?.[0];
  if (!error) return undefined;
  return { path: jsonPath(values, error.instancePath), message: jsonschemaMessage(error) };
}
