// A run-deployment action that sets job variables is checked like a flow run created from
// its deployment: the deployment must exist (404 otherwise), and the work pool's defaults
// overlaid with the action's job variables must satisfy the pool's `variables` schema,
// required fields included. Messages follow Prefect's ("Validation failed for field 'x'.
// Failure reason: ...", with python-jsonschema's wording for the common keywords).
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import { deployments, workPools } from "../collections.js";
import { notFound } from "../http.js";
import type { Workspace } from "../store.js";

type Json = Record<string, unknown>;

const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
const compiled = new Map<string, ValidateFunction>();

function compile(schema: Json): ValidateFunction | undefined {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    try {
      validate = ajv.compile(schema);
    } catch {
      return undefined; // a schema the server could not use either: nothing to check against
    }
    if (compiled.size > 500) compiled.clear();
    compiled.set(key, validate);
  }
  return validate;
}

/** Python's repr() of a JSON value, as python-jsonschema quotes instances in its messages. */
function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "string") return value.includes("'") && !value.includes('"') ? `"${value}"` : `'${value.replace(/'/g, "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`;
  if (typeof value === "object") return `{${Object.entries(value).map(([key, item]) => `${pyRepr(key)}: ${pyRepr(item)}`).join(", ")}}`;
  return String(value);
}

function segments(pointer: string): string[] {
  return pointer ? pointer.split("/").slice(1).map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~")) : [];
}

function message(error: ErrorObject, instance: unknown): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return `${pyRepr(params.missingProperty)} is a required property`;
    case "type":
      return `${pyRepr(instance)} is not of type ${String(params.type).split(",").map(pyRepr).join(", ")}`;
    case "enum":
      return `${pyRepr(instance)} is not one of ${pyRepr(params.allowedValues)}`;
    case "const":
      return `${pyRepr(params.allowedValue)} was expected`;
    case "minimum":
      return `${pyRepr(instance)} is less than the minimum of ${pyRepr(params.limit)}`;
    case "maximum":
      return `${pyRepr(instance)} is greater than the maximum of ${pyRepr(params.limit)}`;
    case "pattern":
      return `${pyRepr(instance)} does not match ${pyRepr(params.pattern)}`;
    case "additionalProperties":
      return `Additional properties are not allowed (${pyRepr(params.additionalProperty)} was unexpected)`;
    case "anyOf":
    case "oneOf":
      return `${pyRepr(instance)} is not valid under any of the given schemas`;
    default:
      return `${pyRepr(instance)} ${error.message ?? "is not valid"}`;
  }
}

/** Prefect loosens pool schemas written by pydantic v1: optional typed fields also accept null. */
function preprocess(schema: Json): Json {
  const copy = structuredClone(schema);
  const visit = (node: Json, allowNoneWithDefault: boolean): void => {
    const properties = node.properties as Record<string, Json> | undefined;
    if (!properties) return;
    const required = new Set((node.required as string[] | undefined) ?? []);
    for (const [key, property] of Object.entries(properties)) {
      if (!required.has(key) && "type" in property && property.type !== "null" && (!("default" in property) || allowNoneWithDefault)) {
        property.anyOf = [{ type: property.type }, { type: "null" }];
        delete property.type;
      }
      if (Array.isArray(property.items) && !property.prefixItems) {
        property.prefixItems = property.items;
        delete property.items;
      }
      visit(property, false);
    }
  };
  visit(copy, true);
  return copy;
}

function withoutRequired(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutRequired);
  if (!schema || typeof schema !== "object") return schema;
  return Object.fromEntries(Object.entries(schema).filter(([key]) => key !== "required").map(([key, value]) => [key, withoutRequired(value)]));
}

/**
 * The error python-jsonschema's best_match would pick among the top-level errors (those not
 * inside an `anyOf`/`oneOf` branch): the shallowest, `anyOf`/`oneOf` ones last.
 */
function bestError(errors: ErrorObject[]): ErrorObject | undefined {
  const branch = /\/(anyOf|oneOf)\/\d+\//;
  const topLevel = errors.filter((error) => !branch.test(error.schemaPath));
  const weak = (error: ErrorObject) => (error.keyword === "anyOf" || error.keyword === "oneOf" ? 1 : 0);
  return (topLevel.length ? topLevel : errors).sort((a, b) => segments(a.instancePath).length - segments(b.instancePath).length || weak(a) - weak(b))[0];
}

function failure(variables: Json, jobVariables: Json): string | undefined {
  const properties = (variables.properties ?? {}) as Record<string, Json>;
  const defaults: Json = {};
  let invalidDefaults = false;
  const loose = compile(withoutRequired(variables) as Json);
  if (!loose) return undefined;
  for (const [name, property] of Object.entries(properties)) {
    if (!("default" in property)) continue;
    // Defaults that break the schema are ignored rather than blamed on the caller.
    if (loose({ [name]: property.default })) defaults[name] = property.default;
    else invalidDefaults = true;
  }
  const schema = preprocess(variables);
  const validate = compile((invalidDefaults ? withoutRequired(schema) : schema) as Json);
  const merged = { ...defaults, ...jobVariables };
  if (!validate || validate(merged)) return undefined;
  const error = bestError(validate.errors ?? []);
  if (!error) return undefined;
  const path = segments(error.instancePath);
  const instance = path.reduce<unknown>((value, key) => (value as Json | undefined)?.[key], merged);
  const where = path.length === 0 ? "Validation failed." : `Validation failed for field '${path.join(".")}'.`;
  return `${where} Failure reason: ${message(error, instance)}`;
}

const isEmpty = (value: unknown): boolean => !value || (typeof value === "object" && Object.keys(value).length === 0);

/**
 * Check the job variables of the run-deployment actions among `actions`. Throws the server's
 * 404 when a targeted deployment does not exist; returns the messages of failed checks.
 * `whenEmpty`: whether `{}` job variables are checked too (updates check them, creates do not).
 */
export function jobVariableProblems(workspace: Workspace, actions: Json[], whenEmpty: boolean): string[] {
  const problems: string[] = [];
  for (const action of actions) {
    if (action.type !== "run-deployment" || !action.deployment_id) continue;
    const jobVariables = action.job_variables as Json | null;
    if (!jobVariables || (!whenEmpty && Object.keys(jobVariables).length === 0)) continue;
    const deployment = deployments(workspace).get(String(action.deployment_id));
    if (!deployment) throw notFound("Deployment not found.");
    const pool = deployment.work_pool_name ? workPools(workspace).getByKey(deployment.work_pool_name) : undefined;
    const variables = (pool?.base_job_template as Json | undefined)?.variables as Json | undefined;
    if (!variables || (isEmpty(deployment.job_variables) && isEmpty(jobVariables))) continue;
    const problem = failure(variables, jobVariables);
    if (problem) problems.push(problem);
  }
  return problems;
}
