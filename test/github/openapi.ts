// GitHub's own API description (@octokit/openapi, api.github.com) as executable checks: the
// simulator's answers and the reconciler's requests are validated against the operation they
// belong to, and webhook payloads against @octokit/openapi-webhooks.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const require = createRequire(import.meta.url);

interface Operation {
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { $ref?: string; content?: Record<string, { schema?: unknown; examples?: Record<string, { $ref?: string; value?: unknown }> }> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; responses: Record<string, Operation["responses"] extends Record<string, infer R> | undefined ? R : never>; examples: Record<string, { value: unknown }> };
  webhooks?: Record<string, { post: Operation }>;
}

const REST_ID = "github-rest.json";
const WEBHOOKS_ID = "github-webhooks.json";

/**
 * OpenAPI 3.0's `nullable` on a schema without `type` (GitHub writes it beside `allOf`/`$ref`)
 * means "or null"; ajv only understands it beside `type`, so say it as an anyOf.
 */
function explicitNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(explicitNulls);
  if (!value || typeof value !== "object") return value;
  const node = Object.fromEntries(Object.entries(value).map(([key, child]) => [key, explicitNulls(child)]));
  if (node.nullable === true && node.type === undefined) {
    const { nullable: _nullable, ...rest } = node;
    return { anyOf: [rest, { type: "null" }] };
  }
  return node;
}

/** `#/components/...` -> `DOC#/components/...`, for a schema compiled outside its document. */
function pointRefsAt(value: unknown, docId: string): unknown {
  if (Array.isArray(value)) return value.map((item) => pointRefsAt(item, docId));
  if (!value || typeof value !== "object") return value;
  const node = Object.fromEntries(Object.entries(value).map(([key, child]) => [key, pointRefsAt(child, docId)]));
  if (typeof node.$ref === "string" && node.$ref.startsWith("#/")) node.$ref = docId + node.$ref;
  return node;
}

class GitHubContract {
  private readonly ajv: Ajv;
  private readonly cache = new Map<string, ValidateFunction>();
  readonly rest: Document;
  readonly webhooks: Document;

  constructor() {
    this.rest = JSON.parse(readFileSync(require.resolve("@octokit/openapi/generated/api.github.com.json"), "utf8")) as Document;
    this.webhooks = JSON.parse(readFileSync(require.resolve("@octokit/openapi-webhooks/generated/api.github.com.json"), "utf8")) as Document;
    // GitHub's documents are OpenAPI 3.0/3.1 with extensions (x-github...) and `nullable`.
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, discriminator: false });
    addFormats(this.ajv);
    // Only the named schemas go to ajv (the rest of the documents is prose, parameters and
    // examples); an operation's own schema is compiled with its references pointed at them.
    this.ajv.addSchema({ components: { schemas: explicitNulls(this.rest.components.schemas) } }, REST_ID);
    this.ajv.addSchema({ components: { schemas: explicitNulls(this.webhooks.components.schemas) } }, WEBHOOKS_ID);
  }

  private validator(key: string, docId: string, schema: unknown): ValidateFunction {
    let validate = this.cache.get(key);
    if (!validate) {
      validate = this.ajv.compile(explicitNulls(pointRefsAt(schema, docId)) as object);
      this.cache.set(key, validate);
    }
    return validate;
  }

  private check(key: string, docId: string, schema: unknown, value: unknown): string[] {
    const validate = this.validator(key, docId, schema);
    if (validate(value)) return [];
    return (validate.errors ?? []).slice(0, 8).map((problem) => `${problem.instancePath || "(root)"} ${problem.message ?? ""}`);
  }

  /** Problems of a response body for `method template` answered with `status` (an undocumented status is a problem). */
  response(method: string, template: string, status: number, body: unknown): string[] {
    const operation = this.rest.paths[template]?.[method.toLowerCase()];
    if (!operation) return [`${method} ${template} is not a GitHub REST operation`];
    const response = operation.responses?.[String(status)];
    if (!response) return [`${method} ${template} does not document a ${status} answer`];
    const resolved = response.$ref ? this.rest.components.responses[response.$ref.split("/").pop()!] : response;
    const json = resolved?.content?.["application/json"];
    if (!json?.schema) return body === undefined || body === "" ? [] : [`${method} ${template} ${status} has no body in GitHub's description`];
    return this.check(`response ${method} ${template} ${status}`, REST_ID, json.schema, body);
  }

  /** Problems of a request body sent to `method template`. */
  request(method: string, template: string, body: unknown): string[] {
    const operation = this.rest.paths[template]?.[method.toLowerCase()];
    const schema = operation?.requestBody?.content?.["application/json"]?.schema;
    if (!schema) return [];
    return this.check(`request ${method} ${template}`, REST_ID, schema, body);
  }

  /** Problems of a webhook payload, e.g. `pull-request-opened`. */
  webhook(name: string, payload: unknown): string[] {
    const schema = this.webhooks.webhooks?.[name]?.post.requestBody?.content?.["application/json"]?.schema;
    if (!schema) return [`${name} is not a GitHub webhook`];
    return this.check(`webhook ${name}`, WEBHOOKS_ID, schema, payload);
  }

  /** A copy of one of GitHub's documented examples (`components/examples/NAME`). */
  example<T = Record<string, unknown>>(name: string): T {
    const example = this.rest.components.examples[name];
    if (!example) throw new Error(`GitHub's description has no example ${name}`);
    return structuredClone(example.value) as T;
  }
}

let loaded: GitHubContract | undefined;

/** The contract, loaded once per test process (the documents are large). */
export function githubContract(): GitHubContract {
  loaded ??= new GitHubContract();
  return loaded;
}
