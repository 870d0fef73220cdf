// Checks Prefect makes with user-supplied JSON schemas: deployment parameters against the
// deployment's parameter schema, job variables against the work pool's variables schema.
// Prefect validates with jsonschema and reports the first failure as
// "Validation failed for field 'x'. Failure reason: ...". Schemas the validator cannot compile
// (block references, unknown keywords) are not enforced: the devserver never refuses what a
// real server might accept.
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";

const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: false, validateSchema: false });
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

/**
 * The first way `values` break `schema`, worded like Prefect, or `undefined` when they conform
 * (or the schema cannot be enforced). `ignoreRequired` drops every `required` list, as Prefect
 * does when a partial set of values is acceptable.
 */
export function schemaViolation(values: unknown, schema: unknown, options: { ignoreRequired?: boolean } = {}): string | undefined {
  if (!schema || typeof schema !== "object" || Array.isArray(schema)) return undefined;
  const validate = validatorFor(options.ignoreRequired ? withoutRequired(schema) : schema);
  if (!validate || validate(values)) return undefined;
  const error = validate.errors?.[0];
  if (!error) return undefined;
  const path = error.instancePath
    .split("/")
    .slice(1)
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"))
    .join(".");
  const reason = error.message ?? "invalid value";
  return path ? `Validation failed for field '${path}'. Failure reason: ${reason}` : `Validation failed. Failure reason: ${reason}`;
}
