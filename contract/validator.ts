// The Prefect API contract as executable checks: request bodies and responses are validated
// against the OpenAPI document a real Prefect 3.8 server serves (plus the Cloud additions).
// The devserver uses it to answer 422 like Prefect does; the tests use it to check every
// devserver response and every request the client sends.
import { readFileSync } from "node:fs";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** `oss`: the open-source server. `cloud`: the same plus Prefect Cloud's routes and metric triggers. */
export type Dialect = "oss" | "cloud";

/** One validation problem, in the shape Prefect (pydantic) reports it in a 422 `exception_detail`. */
export interface ContractIssue {
  type: string;
  loc: (string | number)[];
  msg: string;
  input: unknown;
}

export type ContractResult = { ok: true } | { ok: false; issues: ContractIssue[] };

export interface OperationMatch {
  /** The path template as the document names it, e.g. `/work_pools/{name}`. */
  template: string;
  method: string;
  params: Record<string, string>;
  operationId: string;
  requestSchema: unknown;
  responses: Record<string, unknown>;
}

interface OpenApiDoc {
  paths: Record<string, Record<string, OperationObject>>;
  components: { schemas: Record<string, unknown> };
  "x-trigger-unions"?: Record<string, string>;
}
interface OperationObject {
  operationId?: string;
  parameters?: { name: string; in: string; schema?: { format?: string } }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

const DOC_ID = "prefect.json";
const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The OpenAPI document of the Cloud dialect (OSS routes + Cloud additions), for code generation. */
export function cloudContractDocument(): Record<string, unknown> {
  const oss = readJson("prefect-openapi.json");
  return { openapi: "3.1.0", info: { title: "Prefect API (OSS + Cloud additions)", version: "0.1.0" }, ...cloudDocument(oss, readJson("cloud-additions.json")) };
}
const REF_PREFIX = "#/components/schemas/";

function readJson(name: string): OpenApiDoc {
  return JSON.parse(readFileSync(new URL(`./${name}`, import.meta.url), "utf8")) as OpenApiDoc;
}

/** Deep-map every node of a JSON value. */
function mapJson(value: unknown, fn: (node: Record<string, unknown>) => Record<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((item) => mapJson(item, fn));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) out[key] = mapJson(child, fn);
    return fn(out);
  }
  return value;
}

/** Point every `#/components/schemas/X` reference at the document added to ajv under DOC_ID. */
function absolutizeRefs(value: unknown): unknown {
  return mapJson(value, (node) =>
    typeof node.$ref === "string" && node.$ref.startsWith(REF_PREFIX) ? { ...node, $ref: DOC_ID + node.$ref } : node,
  );
}

/**
 * pydantic accepts seconds as numbers wherever the schema says an ISO 8601 duration string, and
 * a server on Python 3.13+ answers a duration in the form it was sent (recordings README
 * "Durations"; scenarios.jsonl "schedule add interval number"): both forms are valid, in
 * requests and responses, strict or lax.
 */
function laxDurations(value: unknown): unknown {
  return mapJson(value, (node) =>
    node.type === "string" && node.format === "duration"
      ? { anyOf: [{ type: "string", format: "duration" }, { type: "number" }], default: node.default }
      : node,
  );
}

/** The OSS document overlaid with the Cloud additions: new routes, new schemas, metric triggers in every trigger union. */
function cloudDocument(oss: OpenApiDoc, additions: OpenApiDoc): OpenApiDoc {
  const unions = additions["x-trigger-unions"] ?? {};
  const patched = mapJson(oss.components.schemas, (node) => {
    if (!Array.isArray(node.anyOf)) return node;
    const refs = (node.anyOf as { $ref?: string }[]).map((branch) => branch.$ref);
    const extra = Object.entries(unions)
      .filter(([base]) => refs.includes(REF_PREFIX + base))
      .map(([, added]) => ({ $ref: REF_PREFIX + added }));
    return extra.length ? { ...node, anyOf: [...(node.anyOf as unknown[]), ...extra] } : node;
  }) as Record<string, unknown>;
  return {
    paths: { ...oss.paths, ...additions.paths },
    components: { schemas: { ...patched, ...additions.components.schemas } },
  };
}

const PYDANTIC_TYPES: Record<string, [string, string]> = {
  string: ["string_type", "Input should be a valid string"],
  integer: ["int_type", "Input should be a valid integer"],
  number: ["float_type", "Input should be a valid number"],
  boolean: ["bool_type", "Input should be a valid boolean"],
  object: ["dict_type", "Input should be a valid dictionary"],
  array: ["list_type", "Input should be a valid list"],
  null: ["none_required", "Input should be None"],
};

function pointerToLoc(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .split("/")
    .slice(1)
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

function valueAt(root: unknown, loc: (string | number)[]): unknown {
  let current = root;
  for (const key of loc) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** Translate ajv errors into pydantic-style issues, keeping the most specific ones. */
function toIssues(errors: ErrorObject[], root: unknown, locPrefix: (string | number)[]): ContractIssue[] {
  const issues = new Map<string, ContractIssue>();
  // anyOf branches produce one error per branch; the deepest locations say the most.
  const depth = (error: ErrorObject) => error.instancePath.split("/").length;
  const deepest = Math.max(...errors.map(depth));
  const relevant = errors.filter((error) => error.keyword !== "anyOf" || errors.length === 1);
  for (const error of relevant) {
    if (error.keyword === "type" && depth(error) < deepest && relevant.some((e) => e.instancePath.startsWith(error.instancePath + "/"))) {
      continue;
    }
    const loc = [...locPrefix, ...pointerToLoc(error.instancePath)];
    const input = valueAt(root, pointerToLoc(error.instancePath));
    let issue: ContractIssue;
    switch (error.keyword) {
      case "required": {
        const missing = (error.params as { missingProperty: string }).missingProperty;
        issue = { type: "missing", loc: [...loc, missing], msg: "Field required", input };
        break;
      }
      case "additionalProperties": {
        const extra = (error.params as { additionalProperty: string }).additionalProperty;
        issue = {
          type: "extra_forbidden",
          loc: [...loc, extra],
          msg: "Extra inputs are not permitted",
          input: (input as Record<string, unknown> | undefined)?.[extra],
        };
        break;
      }
      case "type": {
        const expected = String((error.params as { type: string | string[] }).type).split(",")[0] ?? "value";
        const [type, msg] = PYDANTIC_TYPES[expected] ?? ["type_error", `Input should be of type ${expected}`];
        issue = { type, loc, msg, input };
        break;
      }
      case "enum":
      case "const": {
        const allowed = error.keyword === "enum" ? (error.params as { allowedValues: unknown[] }).allowedValues : [(error.params as { allowedValue: unknown }).allowedValue];
        issue = {
          type: error.keyword === "enum" ? "enum" : "literal_error",
          loc,
          msg: `Input should be ${allowed.map((value) => JSON.stringify(value)).join(" or ")}`,
          input,
        };
        break;
      }
      case "pattern":
        issue = { type: "string_pattern_mismatch", loc, msg: `String should match pattern '${(error.params as { pattern: string }).pattern}'`, input };
        break;
      case "format":
        issue = { type: `${(error.params as { format: string }).format}_parsing`, loc, msg: `Input should be a valid ${(error.params as { format: string }).format}`, input };
        break;
      case "minimum":
      case "exclusiveMinimum":
      case "maximum":
      case "exclusiveMaximum": {
        const limit = (error.params as { limit: number }).limit;
        const words: Record<string, [string, string]> = {
          minimum: ["greater_than_equal", "greater than or equal to"],
          exclusiveMinimum: ["greater_than", "greater than"],
          maximum: ["less_than_equal", "less than or equal to"],
          exclusiveMaximum: ["less_than", "less than"],
        };
        const [type, phrase] = words[error.keyword] ?? ["value_error", "within range"];
        issue = { type, loc, msg: `Input should be ${phrase} ${limit}`, input };
        break;
      }
      case "maxLength":
      case "minLength": {
        const limit = (error.params as { limit: number }).limit;
        issue = error.keyword === "maxLength"
          ? { type: "string_too_long", loc, msg: `String should have at most ${limit} characters`, input }
          : { type: "string_too_short", loc, msg: `String should have at least ${limit} characters`, input };
        break;
      }
      default:
        issue = { type: "value_error", loc, msg: error.message ?? "Invalid value", input };
    }
    issues.set(`${issue.type}:${JSON.stringify(issue.loc)}`, issue);
  }
  return [...issues.values()];
}

interface Variant {
  ajv: Ajv2020;
  cache: Map<string, ValidateFunction>;
  /** The component schemas as compiled (refs absolute), walked to fill defaults. */
  schemas: Record<string, unknown>;
  /** Validators for anyOf branches, keyed by the branch's schema node. */
  branches: WeakMap<object, ValidateFunction>;
}

type SchemaNode = Record<string, unknown>;

/**
 * The contract for one dialect. `lax` fills defaults in place, as a request parser does; the
 * strict form is what the tests check requests and responses against. Both take durations as
 * numbers of seconds or ISO 8601 text.
 */
export class Contract {
  private readonly variants = new Map<string, Variant>();
  private readonly routes: { method: string; template: string; regex: RegExp; names: string[]; op: OperationObject }[];

  private constructor(
    readonly dialect: Dialect,
    private readonly doc: OpenApiDoc,
  ) {
    this.routes = [];
    for (const [template, methods] of Object.entries(doc.paths)) {
      const names: string[] = [];
      const pattern = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{([^}]+)\}/g, (_m, name: string) => {
        names.push(name);
        return "([^/]+)";
      });
      for (const [method, op] of Object.entries(methods)) {
        this.routes.push({ method: method.toUpperCase(), template, regex: new RegExp(`^${pattern}$`), names, op });
      }
    }
    // Literal segments win over parameters (`/flows/filter` before `/flows/{id}`).
    this.routes.sort((a, b) => a.names.length - b.names.length);
  }

  private static readonly loaded = new Map<Dialect, Contract>();

  /** The contract for a dialect, loaded once per process. */
  static load(dialect: Dialect = "oss"): Contract {
    let contract = Contract.loaded.get(dialect);
    if (!contract) {
      const oss = readJson("prefect-openapi.json");
      const doc = dialect === "cloud" ? cloudDocument(oss, readJson("cloud-additions.json")) : oss;
      contract = new Contract(dialect, doc);
      Contract.loaded.set(dialect, contract);
    }
    return contract;
  }

  private variant(lax: boolean): Variant {
    const key = lax ? "lax" : "strict";
    let variant = this.variants.get(key);
    if (!variant) {
      // Defaults are never filled by ajv: it fills them inside anyOf branches that then fail,
      // which corrupts the value. fillDefaults() walks the matching branch instead.
      const ajv = new Ajv2020({ strict: false, allErrors: true, useDefaults: false, validateFormats: true });
      addFormats(ajv);
      const schemas = absolutizeRefs(laxDurations(this.doc.components.schemas)) as Record<string, unknown>;
      ajv.addSchema({ $id: DOC_ID, components: { schemas } });
      variant = { ajv, cache: new Map(), schemas, branches: new WeakMap() };
      this.variants.set(key, variant);
    }
    return variant;
  }

  private compile(key: string, schema: unknown, lax: boolean): ValidateFunction {
    const variant = this.variant(lax);
    let validate = variant.cache.get(key);
    if (!validate) {
      const fragment = absolutizeRefs(laxDurations(schema)) as object;
      validate = variant.ajv.compile(fragment);
      variant.cache.set(key, validate);
    }
    return validate;
  }

  private resolve(variant: Variant, node: SchemaNode): SchemaNode {
    let current = node;
    for (let hops = 0; typeof current.$ref === "string" && hops < 32; hops++) {
      const name = current.$ref.slice((DOC_ID + REF_PREFIX).length);
      current = (variant.schemas[name] ?? {}) as SchemaNode;
    }
    return current;
  }

  /** Whether a schema takes UUID strings (directly, or as one branch of an anyOf). */
  private isUuid(variant: Variant, node: SchemaNode): boolean {
    const schema = this.resolve(variant, node);
    if (schema.format === "uuid") return true;
    const alternatives = (schema.anyOf ?? schema.oneOf) as SchemaNode[] | undefined;
    return alternatives?.some((branch) => this.resolve(variant, branch).format === "uuid") ?? false;
  }

  /** pydantic parses UUIDs: whatever the case sent, the server holds and answers them in lower case. */
  private normalized(variant: Variant, node: SchemaNode, value: unknown): unknown {
    if (typeof value === "string" && UUID_TEXT.test(value) && this.isUuid(variant, node)) return value.toLowerCase();
    // Runs for every property of every request body: only arrays need the schema's branches.
    if (!Array.isArray(value)) return value;
    const schema = this.resolve(variant, node);
    const branches = [schema, ...(((schema.anyOf ?? schema.oneOf) as SchemaNode[] | undefined) ?? []).map((branch) => this.resolve(variant, branch))];
    const items = branches.find((branch) => branch.items && typeof branch.items === "object")?.items as SchemaNode | undefined;
    if (items && this.isUuid(variant, items)) {
      return value.map((item) => (typeof item === "string" && UUID_TEXT.test(item) ? item.toLowerCase() : item));
    }
    return value;
  }

  /**
   * Parse a value that already validated as pydantic does, following the branch that matches:
   * UUIDs normalized and, unless `defaults` is false, defaults filled in place.
   */
  private fill(variant: Variant, node: SchemaNode, value: unknown, defaults = true): void {
    const schema = this.resolve(variant, node);
    const alternatives = (schema.anyOf ?? schema.oneOf) as SchemaNode[] | undefined;
    if (alternatives) {
      for (const branch of alternatives) {
        let validate = variant.branches.get(branch);
        if (!validate) {
          validate = variant.ajv.compile(branch);
          variant.branches.set(branch, validate);
        }
        if (validate(value)) {
          this.fill(variant, branch, value, defaults);
          break;
        }
      }
    }
    for (const part of (schema.allOf as SchemaNode[] | undefined) ?? []) this.fill(variant, part, value, defaults);
    if (Array.isArray(value)) {
      const items = schema.items as SchemaNode | undefined;
      if (items && typeof items === "object") for (const item of value) this.fill(variant, items, item, defaults);
      return;
    }
    if (value === null || typeof value !== "object") return;
    const record = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, SchemaNode>;
    for (const [key, property] of Object.entries(properties)) {
      if (defaults && record[key] === undefined && "default" in property && property.default !== undefined) {
        record[key] = structuredClone(property.default);
      } else if (defaults && record[key] === undefined && "default" in this.resolve(variant, property)) {
        const fallback = this.resolve(variant, property).default;
        if (fallback !== undefined) record[key] = structuredClone(fallback);
      }
      if (record[key] !== undefined) {
        record[key] = this.normalized(variant, property, record[key]);
        this.fill(variant, property, record[key], defaults);
      }
    }
    const extra = schema.additionalProperties;
    if (extra && typeof extra === "object") {
      for (const key of Object.keys(record)) if (!(key in properties)) this.fill(variant, extra as SchemaNode, record[key], defaults);
    }
  }

  hasSchema(name: string): boolean {
    return name in this.doc.components.schemas;
  }

  /**
   * Validate a value against a named component schema. With `lax`, a valid value gets its
   * defaults filled in place (the value is mutated), as the server's request parsing does.
   */
  validateSchema(name: string, value: unknown, options: { lax?: boolean; loc?: (string | number)[] } = {}): ContractResult {
    if (!this.hasSchema(name)) throw new Error(`The contract has no schema named ${name}.`);
    const lax = options.lax ?? false;
    const validate = this.compile(`schema:${name}`, { $ref: REF_PREFIX + name }, lax);
    if (validate(value)) {
      if (lax) this.fill(this.variant(true), { $ref: DOC_ID + REF_PREFIX + name }, value);
      return { ok: true };
    }
    return { ok: false, issues: toIssues(validate.errors ?? [], value, options.loc ?? []) };
  }

  /** Find the operation serving a concrete API path (without the `/api` or Cloud prefix). */
  match(method: string, path: string): OperationMatch | undefined {
    const upper = method.toUpperCase();
    for (const route of this.routes) {
      if (route.method !== upper) continue;
      const found = route.regex.exec(path);
      if (!found) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, index) => {
        params[name] = decodeURIComponent(found[index + 1] ?? "");
      });
      return {
        template: route.template,
        method: upper,
        params,
        operationId: route.op.operationId ?? `${upper} ${route.template}`,
        requestSchema: route.op.requestBody?.content?.["application/json"]?.schema,
        responses: Object.fromEntries(
          Object.entries(route.op.responses ?? {}).map(([status, response]) => [status, response.content?.["application/json"]?.schema]),
        ),
      };
    }
    return undefined;
  }

  /** The declared `format` of a path parameter (`uuid` for ids), if any. */
  parameterFormat(method: string, template: string, name: string): string | undefined {
    const op = this.doc.paths[template]?.[method.toLowerCase()];
    return op?.parameters?.find((parameter) => parameter.in === "path" && parameter.name === name)?.schema?.format;
  }

  /**
   * FastAPI reads each top-level field of a multi-parameter body (a `Body_*` schema) on its own
   * and takes a null as not sent: the field's default, or "Field required" when it has none
   * (fastapi/dependencies/utils.py `_validate_value_with_model_field`; prefect-cli.jsonl #225
   * sent `"limit": null` to `/work_pools/filter` and got 200).
   */
  private embeddedNulls(schema: unknown, body: unknown): { absent: string[]; missing: ContractIssue[] } {
    const none = { absent: [], missing: [] };
    const ref = (schema as { $ref?: unknown } | null)?.$ref;
    if (typeof ref !== "string" || !ref.startsWith(`${REF_PREFIX}Body_`)) return none;
    if (!body || typeof body !== "object" || Array.isArray(body)) return none;
    const target = this.doc.components.schemas[ref.slice(REF_PREFIX.length)] as { properties?: Record<string, unknown>; required?: string[] } | undefined;
    const properties = target?.properties ?? {};
    const required = new Set(target?.required ?? []);
    const result: { absent: string[]; missing: ContractIssue[] } = { absent: [], missing: [] };
    for (const [key, value] of Object.entries(body)) {
      if (value !== null || !(key in properties)) continue;
      if (required.has(key)) result.missing.push({ type: "missing", loc: ["body", key], msg: "Field required", input: null });
      else result.absent.push(key);
    }
    return result;
  }

  /**
   * Validate a request body against the operation's declared body schema. With `lax`, the
   * body is parsed as the server parses it: numbers accepted for durations and, once valid,
   * UUIDs normalized and defaults filled in place; `sent`, a copy of the body as sent, gets the
   * same parsing without defaults.
   */
  validateRequest(method: string, template: string, body: unknown, options: { lax?: boolean; sent?: unknown } = {}): ContractResult {
    const op = this.doc.paths[template]?.[method.toLowerCase()];
    if (!op) throw new Error(`The contract has no operation ${method.toUpperCase()} ${template}.`);
    const schema = op.requestBody?.content?.["application/json"]?.schema;
    if (schema === undefined) return { ok: true };
    const lax = options.lax ?? false;
    const embedded = this.embeddedNulls(schema, body);
    if (embedded.missing.length) return { ok: false, issues: embedded.missing };
    if (embedded.absent.length) {
      // Parsed in place (lax) or checked on a copy (strict), the nulls read as absent.
      const record = body as Record<string, unknown>;
      if (!lax) body = { ...record };
      for (const key of embedded.absent) {
        delete (body as Record<string, unknown>)[key];
        if (lax && options.sent && typeof options.sent === "object") delete (options.sent as Record<string, unknown>)[key];
      }
    }
    const validate = this.compile(`request:${method}:${template}`, schema, lax);
    if (validate(body)) {
      if (lax) {
        const node = absolutizeRefs(laxDurations(schema)) as SchemaNode;
        // The body as sent (what updates write) is parsed too, without defaults.
        if (options.sent !== undefined) this.fill(this.variant(true), node, options.sent, false);
        this.fill(this.variant(true), node, body);
      }
      return { ok: true };
    }
    return { ok: false, issues: toIssues(validate.errors ?? [], body, ["body"]) };
  }

  /**
   * Validate a response: the status must be one the operation declares, and a JSON body must
   * match its schema. Error statuses Prefect answers for every route (401, 403, 404, 409, 423,
   * 429, 5xx) are accepted with a `detail` body, and a 500 or 503 with Prefect's
   * `{"exception_message": ...}`.
   */
  validateResponse(method: string, template: string, status: number, body: unknown): ContractResult {
    const op = this.doc.paths[template]?.[method.toLowerCase()];
    if (!op) throw new Error(`The contract has no operation ${method.toUpperCase()} ${template}.`);
    const declared = op.responses ?? {};
    const deviation = SERVER_DEVIATIONS[`${method.toUpperCase()} ${template}`];
    if (deviation) return deviation(status, body);
    if (status === 422) return validationErrorShape(body);
    const alias = STATUS_ALIASES[`${method.toUpperCase()} ${template}`]?.[status];
    const response = declared[String(alias ?? status)];
    if (!response) {
      if (status >= 400 && status !== 422) {
        const detailOk = body !== null && typeof body === "object" && "detail" in body;
        // An unhandled exception on any route answers 500 (or 503 when retryable) with
        // `{"exception_message": ...}` (api/server.py custom_internal_exception_handler;
        // scenarios.jsonl "auto proactive within iso").
        const internal = (status === 500 || status === 503) && isInternalErrorBody(body);
        return detailOk || internal
          ? { ok: true }
          : { ok: false, issues: [{ type: "missing", loc: ["response", "detail"], msg: `An error response (${status}) needs a detail`, input: body }] };
      }
      return {
        ok: false,
        issues: [{ type: "status", loc: ["response", "status"], msg: `Status ${status} is not declared for ${method.toUpperCase()} ${template} (declared: ${Object.keys(declared).join(", ")})`, input: status }],
      };
    }
    const schema = response.content?.["application/json"]?.schema;
    if (schema === undefined) return { ok: true };
    const validate = this.compile(`response:${method}:${template}:${status}`, schema, false);
    if (validate(body)) return { ok: true };
    return { ok: false, issues: toIssues(validate.errors ?? [], body, ["response"]) };
  }
}

function isInternalErrorBody(body: unknown): boolean {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return false;
  const keys = Object.keys(body);
  return keys.length === 1 && keys[0] === "exception_message" && typeof (body as { exception_message: unknown }).exception_message === "string";
}

/**
 * Routes where the real server answers differently from its own document, and what it really
 * answers. Template validation answers 204 when the template is valid and 422
 * `{"error": {"line", "message", "source"}}` when not (prefect/server/api/templates.py),
 * while the document declares 200 and HTTPValidationError.
 */
const templateValidation = (status: number, body: unknown): ContractResult => {
  if (status === 204) return { ok: true };
  const error = (body as { error?: { line?: unknown; message?: unknown } } | undefined)?.error;
  if (status === 422 && error && typeof error.message === "string") return { ok: true };
  if (status === 422) return validationErrorShape(body);
  return { ok: false, issues: [{ type: "status", loc: ["response", "status"], msg: `template validation answers 204 or 422, not ${status}`, input: status }] };
};
const SERVER_DEVIATIONS: Record<string, (status: number, body: unknown) => ContractResult> = {
  "POST /templates/validate": templateValidation,
  "POST /automations/templates/validate": templateValidation,
};

/**
 * Statuses the real server answers that its document does not declare, validated with the
 * schema of the declared one: creates answer 201 for a new flow or deployment and 200 for an
 * existing one (api/flows.py, api/deployments.py), and so does a run made from a deployment, 200
 * for an idempotent repeat (api/deployments.py create_flow_run_from_deployment); registering an
 * existing block schema answers 200 (api/block_schemas.py).
 */
const STATUS_ALIASES: Record<string, Record<number, number>> = {
  "POST /flows/": { 201: 200 },
  "POST /deployments/": { 201: 200 },
  "POST /deployments/{id}/create_flow_run": { 201: 200 },
  "POST /block_schemas/": { 200: 201 },
};

/**
 * A real Prefect server answers 422 with `{exception_message, exception_detail, request_body}`
 * for a body that fails its schema and `{detail: "..."}` for semantic refusals, not with the
 * `HTTPValidationError` its document declares; those two shapes are the contract here.
 */
function validationErrorShape(body: unknown): ContractResult {
  const record = (body ?? {}) as Record<string, unknown>;
  if (typeof record.detail === "string") return { ok: true };
  if (typeof record.exception_message === "string" && Array.isArray(record.exception_detail)) {
    const bad = record.exception_detail.filter(
      (item) => !item || typeof item !== "object" || !Array.isArray((item as ContractIssue).loc) || typeof (item as ContractIssue).msg !== "string" || typeof (item as ContractIssue).type !== "string",
    );
    if (!bad.length) return { ok: true };
  }
  return {
    ok: false,
    issues: [{ type: "value_error", loc: ["response"], msg: "A 422 answer is {exception_message, exception_detail: [{type, loc, msg, input}], request_body} or {detail}", input: body }],
  };
}

/** One line per issue, for error messages and test failures. */
export function formatIssues(issues: ContractIssue[]): string {
  return issues.map((issue) => `${issue.loc.join(".")}: ${issue.msg} (${issue.type})`).join("; ");
}
