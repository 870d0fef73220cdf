// From live objects to Terraform JSON configuration (`import --all`): one resource per object,
// with the attributes a declaration must state for the next plan to show no changes, references
// instead of ids wherever the target is declared too (so the configuration moves to another
// workspace), and secrets (block secret fields, pull step access tokens) as sensitive variables
// whose values are kept apart. Pure: the live objects are read beforehand.
import type { z } from "zod";
import { factsOf } from "../../provider/kinds/attributes.js";
import { isReference, REFERENCE_KEY } from "../../provider/kinds/block/references.js";
import { diffSpec } from "../../provider/kinds/compare.js";
import { parseSpec, type Kind, type Spec } from "../../provider/kinds/kind.js";
import { instanceAddress } from "../config/resolve.js";
import { kindOrder } from "../plan/plan.js";
import { isStateBackendObject } from "../state/workspace-backend.js";
import { encodeAttribute, Expression, literalOf, worthWriting } from "./encode.js";
import { identifierFrom, NameAllocator } from "./names.js";

export interface GenerateInput {
  /** Every kind, in apply order. */
  kinds: readonly Kind[];
  /** The live objects of each kind that was read, by Terraform type. */
  live: Map<string, unknown[]>;
  /**
   * Objects not to import, by `type:id`: those the state owns and those the configuration
   * already declares. The value is the address to refer to them by, when the configuration
   * declares that address; undefined when they can only be named by id.
   */
  taken: Map<string, string | undefined>;
  /** Resource names the configuration or the state already uses, by Terraform type. */
  reservedNames: Map<string, Set<string>>;
  /** Variable names the configuration already declares. */
  reservedVariables: Set<string>;
}

export interface ImportedResource {
  address: string;
  type: string;
  name: string;
  kind: Kind;
  id: string;
  live: unknown;
  /** The live object in the declared shape (what the state records as applied). */
  spec: Spec;
  /** The resource block's attributes, in Terraform JSON. */
  attributes: Record<string, unknown>;
  /** Addresses this resource refers to. */
  dependencies: string[];
  /** Attributes written with a sensitive variable in them (the plan masks them; the state hashes them). */
  sensitive: Set<string>;
  /** Attributes whose declaration would still differ from the live object (a mapping the kind cannot express). */
  differences: string[];
}

export interface SkippedObject {
  type: string;
  id: string;
  label: string;
  reason: string;
}

export interface GeneratedConfiguration {
  resources: ImportedResource[];
  /** Sensitive input variables, by name, with their descriptions. */
  variables: Map<string, string>;
  /** The values of those variables (secrets in clear: written apart, never into the configuration). */
  secrets: Record<string, unknown>;
  skipped: SkippedObject[];
}

/**
 * Attributes never written: the workspace is the provider's wherever the configuration is
 * applied, and an id (optional on schedules, to name one) would tie the declaration to this one.
 */
const NEVER_WRITTEN = new Set(["id", "account_id", "workspace_id"]);

/** What an automation action's id fields name. */
const ACTION_TARGETS: Record<string, string> = {
  deployment_id: "prefect_deployment",
  work_pool_id: "prefect_work_pool",
  work_queue_id: "prefect_work_queue",
  block_document_id: "prefect_block",
  automation_id: "prefect_automation",
};

const ACTION_LISTS = ["actions", "actions_on_trigger", "actions_on_resolve"];

/** A word for each type, for names made of nothing usable. */
const NOUNS: Record<string, string> = {
  prefect_work_pool: "pool",
  prefect_work_queue: "queue",
  prefect_flow: "flow",
  prefect_deployment: "deployment",
  prefect_deployment_schedule: "schedule",
  prefect_block: "block",
  prefect_variable: "variable",
  prefect_global_concurrency_limit: "limit",
  prefect_automation: "automation",
  prefect_webhook: "webhook",
};

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);
const str = (value: unknown): string => (typeof value === "string" ? value : "");

/** How one object's declaration refers to other objects and to secrets. */
interface Writer {
  /** A reference to `attribute` of the object `type:id`, or `literal` when it cannot be referred to. */
  ref(type: string, id: string, attribute: "id" | "name", literal: unknown): unknown;
  /** A reference to `attribute` of the object whose natural key is `identity`, or `literal`. */
  refByIdentity(type: string, identity: string, attribute: "id" | "name", literal: unknown): unknown;
  /** A secret: a sensitive variable standing for it, or the value itself while checking. */
  secret(path: (string | number)[], value: unknown): unknown;
}

/** Whether a value holds a variable (a secret) anywhere inside. */
function containsVariable(value: unknown): boolean {
  if (value instanceof Expression) return value.text.startsWith("var.");
  if (Array.isArray(value)) return value.some(containsVariable);
  if (isObject(value)) return Object.values(value).some(containsVariable);
  return false;
}

/** The secret leaves of a block document, by the schema's `secret_fields` (`url`, `headers.*`, `credentials.token`). */
function secretPaths(data: Record<string, unknown>, fields: readonly string[]): string[][] {
  const found = new Map<string, string[]>();
  const walk = (value: unknown, rest: string[], at: string[]): void => {
    if (rest.length === 0) {
      if (value !== null && value !== undefined && !isReference(value)) found.set(JSON.stringify(at), at);
      return;
    }
    if (!isObject(value) || isReference(value)) return;
    const [head, ...tail] = rest as [string, ...string[]];
    for (const key of head === "*" ? Object.keys(value) : head in value ? [head] : []) walk(value[key], tail, [...at, key]);
  };
  for (const field of fields) walk(data, field.split("."), []);
  return [...found.values()];
}

/** The secret fields a live block's schema declares; undefined when the read did not say (then the whole document is kept secret). */
function secretFieldsOf(live: unknown): string[] | undefined {
  const fields = (live as { block_schema?: { fields?: { secret_fields?: unknown } } | null }).block_schema?.fields;
  if (!isObject(fields)) return undefined;
  const secret = fields.secret_fields;
  return Array.isArray(secret) ? secret.filter((field): field is string => typeof field === "string") : [];
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let current: Record<string, unknown> = target;
  for (const key of path.slice(0, -1)) {
    const next = current[key];
    if (!isObject(next)) return;
    const copy = { ...next };
    current[key] = copy;
    current = copy;
  }
  const last = path[path.length - 1];
  if (last !== undefined) current[last] = value;
}

/** Kind-specific parts of a declaration: references, secrets, attributes the kind writes in one of two ways. */
function adjust(type: string, declared: Record<string, unknown>, spec: Spec, live: unknown, writer: Writer): void {
  switch (type) {
    case "prefect_work_pool":
      // Undeclared, the pool's template stands: an empty one says nothing.
      if (isObject(declared.base_job_template) && Object.keys(declared.base_job_template).length === 0) delete declared.base_job_template;
      break;
    case "prefect_work_queue":
      declared.work_pool_name = writer.refByIdentity("prefect_work_pool", str(spec.work_pool_name), "name", spec.work_pool_name);
      break;
    case "prefect_deployment": {
      declared.flow_id = writer.ref("prefect_flow", str(spec.flow_id), "id", spec.flow_id);
      const pool = spec.work_pool_name;
      if (typeof pool === "string") {
        declared.work_pool_name = writer.refByIdentity("prefect_work_pool", pool, "name", pool);
        if (typeof spec.work_queue_name === "string") declared.work_queue_name = writer.refByIdentity("prefect_work_queue", `${pool}/${spec.work_queue_name}`, "name", spec.work_queue_name);
      }
      if (typeof spec.storage_document_id === "string") declared.storage_document_id = writer.ref("prefect_block", spec.storage_document_id, "id", spec.storage_document_id);
      // The deployment's own limit is its concurrency_limit; only a shared one is linked by id.
      if (spec.concurrency_limit !== undefined) delete declared.global_concurrency_limit_id;
      else if (typeof spec.global_concurrency_limit_id === "string") {
        declared.global_concurrency_limit_id = writer.ref("prefect_global_concurrency_limit", spec.global_concurrency_limit_id, "id", spec.global_concurrency_limit_id);
      }
      if (Array.isArray(declared.pull_steps)) {
        declared.pull_steps = declared.pull_steps.map((step: Record<string, unknown>, index) =>
          typeof step.access_token === "string" ? { ...step, access_token: writer.secret(["pull_steps", index, "access_token"], step.access_token) } : step,
        );
      }
      break;
    }
    case "prefect_deployment_schedule":
      declared.deployment_id = writer.ref("prefect_deployment", str(spec.deployment_id), "id", spec.deployment_id);
      break;
    case "prefect_block": {
      if (!isObject(spec.data)) break;
      const fields = secretFieldsOf(live);
      if (fields === undefined) {
        // No schema to tell secret fields from others: the whole document is one secret.
        if (Object.keys(spec.data).length) declared.data = writer.secret(["data"], spec.data);
        break;
      }
      const data: Record<string, unknown> = { ...spec.data };
      for (const [key, value] of Object.entries(data)) {
        if (!isReference(value)) continue;
        const id = str((value as Record<string, Record<string, unknown>>)[REFERENCE_KEY]?.block_document_id);
        data[key] = { [REFERENCE_KEY]: { block_document_id: writer.ref("prefect_block", id, "id", id) } };
      }
      for (const path of secretPaths(spec.data, fields)) {
        let value: unknown = spec.data;
        for (const key of path) value = (value as Record<string, unknown>)[key];
        setPath(data, path, writer.secret(["data", ...path], value));
      }
      declared.data = data;
      break;
    }
    case "prefect_automation":
      for (const list of ACTION_LISTS) {
        const actions = declared[list];
        if (!Array.isArray(actions)) continue;
        declared[list] = actions.map((action: Record<string, unknown>) => {
          const out = { ...action };
          for (const [field, target] of Object.entries(ACTION_TARGETS)) {
            if (typeof out[field] === "string") out[field] = writer.ref(target, out[field] as string, "id", out[field]);
          }
          return out;
        });
      }
      break;
  }
}

/** The attributes a declaration of this live object states, before encoding. */
function declarationOf(kind: Kind, spec: Spec, live: unknown, writer: Writer): Record<string, unknown> {
  const declared: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(kind.attributes as Record<string, z.ZodType>)) {
    const facts = factsOf(schema);
    if (facts.computed && !facts.optional) continue;
    if (facts.writeOnly || facts.stateOnly || facts.defaultOnCreate || NEVER_WRITTEN.has(name)) continue;
    if (spec[name] !== undefined && spec[name] !== null) declared[name] = spec[name];
  }
  adjust(kind.type, declared, spec, live, writer);
  for (const [name, value] of Object.entries(declared)) {
    const schema = (kind.attributes as Record<string, z.ZodType>)[name];
    if (!schema || !worthWriting(factsOf(schema), value)) delete declared[name];
  }
  return declared;
}

/** The Prefect name a resource name is made from. */
function nameSource(kind: Kind, spec: Spec, flowNames: Map<string, string>, deploymentNames: Map<string, string>): string {
  switch (kind.type) {
    case "prefect_work_queue":
      return `${str(spec.work_pool_name)}_${str(spec.name)}`;
    case "prefect_deployment":
      return `${flowNames.get(str(spec.flow_id).toLowerCase()) ?? ""}_${str(spec.name)}`;
    case "prefect_deployment_schedule": {
      const when = spec.cron !== undefined ? "cron" : spec.interval !== undefined ? "interval" : "rrule";
      return `${deploymentNames.get(str(spec.deployment_id).toLowerCase()) ?? "deployment"}_${str(spec.slug) || when}`;
    }
    case "prefect_block":
      return `${str(spec.type_slug)}_${str(spec.name)}`;
    default:
      return str(spec.name);
  }
}

/** A short reason a declaration is refused, without values of sensitive attributes. */
function refusal(kind: Kind, issues: { path: (string | number)[]; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map((issue) => {
      const top = String(issue.path[0] ?? "");
      const schema = (kind.attributes as Record<string, z.ZodType>)[top];
      const sensitive = schema ? factsOf(schema).sensitive : false;
      return `${issue.path.join(".") || "declaration"} ${sensitive ? "is not valid (the value is sensitive and not shown)" : issue.message}`;
    })
    .join("; ");
}

/**
 * The objects that prefect-gitops states kept in the workspace (workspace backend) own, by
 * `type:id`, each with the state and address owning it: another stack's objects are its own.
 * The run's own state owns nothing that is still to import, so it never matches here.
 */
function ownersInWorkspaceStates(blocks: unknown[]): Map<string, string> {
  const owners = new Map<string, string>();
  for (const block of blocks) {
    const { name, data, block_type } = block as { name?: unknown; data?: { state?: { resources?: unknown } }; block_type?: { slug?: unknown } | null };
    if (!isStateBackendObject("prefect_block", { type_slug: block_type?.slug }) || !isObject(data?.state?.resources)) continue;
    for (const entry of Object.values(data.state.resources)) {
      const { type, id, address } = (entry ?? {}) as { type?: unknown; id?: unknown; address?: unknown };
      if (typeof type === "string" && typeof id === "string") owners.set(`${type}:${id}`, `${str(address)} in the workspace state ${str(name)}`);
    }
  }
  return owners;
}

interface Candidate {
  kind: Kind;
  live: unknown;
  id: string;
  spec: Spec;
  sortKey: string;
}

/** Whether `to` reaches `from` in `graph` (adding from -> to would close a cycle). */
function reaches(graph: Map<string, Set<string>>, to: string, from: string): boolean {
  const seen = new Set<string>();
  const stack = [to];
  while (stack.length) {
    const at = stack.pop()!;
    if (at === from) return true;
    if (seen.has(at)) continue;
    seen.add(at);
    for (const next of graph.get(at) ?? []) stack.push(next);
  }
  return false;
}

/**
 * The configuration for every live object not taken yet. Objects whose declaration the kind
 * would refuse (a name Prefect reserves, a setting the official schema cannot express) are
 * skipped with the reason, and references to them stay ids.
 */
export function generateConfiguration(input: GenerateInput): GeneratedConfiguration {
  const skipped: SkippedObject[] = [];
  const candidates: Candidate[] = [];
  const literal: Writer = { ref: (_t, _i, _a, value) => value, refByIdentity: (_t, _i, _a, value) => value, secret: (_p, value) => value };

  const flowNames = new Map<string, string>();
  for (const flow of input.live.get("prefect_flow") ?? []) flowNames.set(str((flow as { id?: unknown }).id).toLowerCase(), str((flow as { name?: unknown }).name));
  const deploymentNames = new Map<string, string>();
  for (const deployment of input.live.get("prefect_deployment") ?? []) {
    const { id, name, flow_id } = deployment as { id?: unknown; name?: unknown; flow_id?: unknown };
    deploymentNames.set(str(id).toLowerCase(), `${flowNames.get(str(flow_id).toLowerCase()) ?? ""}_${str(name)}`);
  }

  const otherOwners = ownersInWorkspaceStates(input.live.get("prefect_block") ?? []);
  // Which objects to import, each checked the way a declaration of it will be.
  for (const kind of input.kinds) {
    const objects = input.live.get(kind.type);
    if (!objects) continue;
    for (const live of objects) {
      const id = kind.idOf(live);
      if (input.taken.has(`${kind.type}:${id}`)) continue;
      const spec = kind.toSpec(live);
      const label = kind.label(spec);
      if (kind.systemManaged?.(live)) {
        skipped.push({ type: kind.type, id, label, reason: "Prefect manages it with its deployment (set the deployment's concurrency_limit instead)" });
        continue;
      }
      if (isStateBackendObject(kind.type, spec)) {
        skipped.push({ type: kind.type, id, label, reason: "prefect-gitops keeps a workspace state or its lock in it" });
        continue;
      }
      const owner = otherOwners.get(`${kind.type}:${id}`);
      if (owner) {
        skipped.push({ type: kind.type, id, label, reason: `another prefect-gitops state owns it (${owner})` });
        continue;
      }
      const parsed = parseSpec(kind, literalOf(declarationOf(kind, spec, live, literal)) as Record<string, unknown>);
      if (!parsed.ok) {
        skipped.push({ type: kind.type, id, label, reason: `it cannot be declared: ${refusal(kind, parsed.issues)}` });
        continue;
      }
      // Stable names: by the name they are made from, an exact one first (`etl` before `ETL!`), then oldest first.
      const source = nameSource(kind, spec, flowNames, deploymentNames);
      const identifier = identifierFrom(source, NOUNS[kind.type] ?? "object");
      const sortKey = [identifier, source === identifier ? "0" : "1", source, str(spec.created), id].join("\u0000");
      candidates.push({ kind, live, id, spec, sortKey });
    }
  }
  const rank = kindOrder((type) => type);
  candidates.sort((a, b) => rank(a.kind.type, b.kind.type) || (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));

  // Names first, so that references may point at objects written later.
  const allocators = new Map<string, NameAllocator>();
  const addressOf = new Map<string, string>();
  const names = new Map<Candidate, string>();
  for (const candidate of candidates) {
    const type = candidate.kind.type;
    let allocator = allocators.get(type);
    if (!allocator) allocators.set(type, (allocator = new NameAllocator(input.reservedNames.get(type) ?? [])));
    const noun = NOUNS[type] ?? "object";
    const name = allocator.allocate(identifierFrom(nameSource(candidate.kind, candidate.spec, flowNames, deploymentNames), noun));
    names.set(candidate, name);
    addressOf.set(`${type}:${candidate.id}`, instanceAddress(type, name));
  }
  for (const [key, address] of input.taken) if (address) addressOf.set(key, address);
  const byIdentity = new Map<string, string>();
  for (const kind of input.kinds) {
    for (const live of input.live.get(kind.type) ?? []) {
      const address = addressOf.get(`${kind.type}:${kind.idOf(live)}`);
      const identity = kind.identityOf(live);
      if (address && identity !== undefined) byIdentity.set(`${kind.type}:${identity}`, address);
    }
  }

  const variableNames = new NameAllocator(input.reservedVariables);
  const variables = new Map<string, string>();
  const secrets: Record<string, unknown> = {};
  const graph = new Map<string, Set<string>>();
  const resources: ImportedResource[] = [];
  for (const candidate of candidates) {
    const { kind, live, id, spec } = candidate;
    const name = names.get(candidate)!;
    const address = instanceAddress(kind.type, name);
    const dependencies = new Set<string>();
    graph.set(address, dependencies);
    const reference = (target: string | undefined, attribute: string, value: unknown): unknown => {
      // A reference that would close a cycle (an automation pausing itself) stays an id.
      if (!target || target === address || reaches(graph, target, address)) return value;
      dependencies.add(target);
      return new Expression(`${target}.${attribute}`, value);
    };
    const writer: Writer = {
      ref: (type, targetId, attribute, value) => reference(addressOf.get(`${type}:${targetId.toLowerCase()}`) ?? addressOf.get(`${type}:${targetId}`), attribute, value),
      refByIdentity: (type, identity, attribute, value) => reference(byIdentity.get(`${type}:${identity}`), attribute, value),
      secret: (path, value) => {
        const variable = variableNames.allocate(identifierFrom(`${name}_${path.join("_")}`, "secret"));
        variables.set(variable, `Secret ${path.join(".")} of ${kind.label(spec)}, imported by prefect-gitops import --all.`);
        secrets[variable] = value;
        return new Expression(`var.${variable}`, value);
      },
    };
    const declared = declarationOf(kind, spec, live, writer);
    const attributes: Record<string, unknown> = {};
    const sensitive = new Set<string>();
    for (const [attribute, value] of Object.entries(declared)) {
      const facts = factsOf((kind.attributes as Record<string, z.ZodType>)[attribute]!);
      attributes[attribute] = encodeAttribute(facts, value);
      if (containsVariable(value)) sensitive.add(attribute);
    }
    const parsed = parseSpec(kind, literalOf(declared) as Record<string, unknown>);
    const differences = parsed.ok ? [...new Set(diffSpec(kind, parsed.spec, spec).map((change) => String(change.path[0])))] : ["(declaration)"];
    resources.push({ address, type: kind.type, name, kind, id, live, spec, attributes, dependencies: [...dependencies], sensitive, differences });
  }
  return { resources, variables, secrets, skipped };
}

/**
 * The Terraform JSON document: sensitive variables, then resources by type. With
 * `requiredProviders`, a `terraform` block naming the official provider, so that Terraform
 * itself can use the file too.
 */
export function terraformDocument(generated: GeneratedConfiguration, options: { comment: string; requiredProviders: boolean }): Record<string, unknown> {
  const document: Record<string, unknown> = { "//": options.comment };
  if (options.requiredProviders) document.terraform = { required_providers: { prefect: { source: "prefecthq/prefect" } } };
  if (generated.variables.size) {
    document.variable = Object.fromEntries([...generated.variables].map(([name, description]) => [name, { description, sensitive: true }]));
  }
  const resource: Record<string, Record<string, unknown>> = {};
  for (const item of generated.resources) (resource[item.type] ??= {})[item.name] = item.attributes;
  document.resource = resource;
  return document;
}
