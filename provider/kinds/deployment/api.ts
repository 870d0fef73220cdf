// prefect_deployment through the API: /deployments/. `POST /deployments/` is Prefect's upsert
// keyed by (flow_id, name): it answers 200 with the same id, puts `parameters` left out back to
// {} and replaces every schedule of the deployment with the body's (scenarios.jsonl "dep upsert
// d4 (same body)", "dep schedules after upsert"), those of prefect_deployment_schedule resources
// too. So it is only sent for a deployment a lookup did not find; every change to an existing
// one is a PATCH, which never carries `schedules`.
import type { components } from "../../../contract/wire.gen.js";
import { filterByIdsAndNames, paginateAll } from "../../client/paginate.js";
import { sortedUnique } from "../attributes.js";
import { isUnknown } from "../compare.js";
import type { Kind, KindContext, ReadScope } from "../kind.js";
import { deploymentScheduleSchema } from "../deployment-schedule/schema.js";
import { cloudScopeOf, createSafely, deleteIgnoringMissing, orUndefined, readBack, updateInPlace } from "../runtime.js";
import { changedFields, type WireFields } from "../update-body.js";
import { deploymentImportName, writeDeploymentDeclaration } from "./declaration.js";
import { pullStepFromWire, pullStepToWire } from "./pull-steps.js";
import { deploymentSchema, type DeploymentSpec } from "./schema.js";

type DeploymentResponse = components["schemas"]["DeploymentResponse"];
type DeploymentCreate = components["schemas"]["DeploymentCreate"];
type DeploymentUpdate = components["schemas"]["DeploymentUpdate"];
type DeploymentFilterBody = components["schemas"]["Body_read_deployments_deployments_filter_post"];
type DeploymentPage = components["schemas"]["Body_paginate_deployments_deployments_paginate_post"];

/** A deployment as read, with the Prefect Cloud account and workspace the client read it from. */
export type Deployment = DeploymentResponse & { account_id?: string; workspace_id?: string };

/** The memo key of the run's deployment list, which prefect_deployment_schedule reads too. */
export const DEPLOYMENTS_MEMO = "list:prefect_deployment";

/** Why a deployment is replaced when its declaration empties job_variables. */
export const EMPTY_JOB_VARIABLES_REASON = "Prefect cannot empty job_variables in place: the deployment is replaced";

/** UUIDs as Prefect writes them: a declaration may spell them in upper case. */
const uuid = <T extends string | undefined>(value: T): T => value?.toLowerCase() as T;

function liveOf(ctx: KindContext, raw: DeploymentResponse): Deployment {
  return { ...raw, ...cloudScopeOf(ctx.client) };
}

/**
 * Every deployment with its schedules, read once per run in pages of 200 (the server's
 * maximum): prefect_deployment_schedule derives its list from it without a request of its own.
 */
export function listDeployments(ctx: KindContext): Promise<Deployment[]> {
  return ctx.memo(DEPLOYMENTS_MEMO, async () => {
    // Creation times are all but unique where names repeat across flows, so pages neither
    // overlap nor skip; a deployment created while paging may still shift one into the next.
    const body: Partial<DeploymentPage> = { sort: "CREATED_DESC" };
    const pages = await paginateAll<DeploymentResponse>(ctx.client, "/deployments/paginate", body);
    const byId = new Map<string, Deployment>();
    for (const raw of pages) byId.set(raw.id, liveOf(ctx, raw));
    return [...byId.values()];
  });
}

/** The memo key of the run's scoped read of deployments, which prefect_deployment_schedule reads too. */
const SCOPED_DEPLOYMENTS_MEMO = "scoped:prefect_deployment";

/**
 * The deployments a run reads when it reads only what the stack owns or declares: the owned ones
 * and the parents of owned schedules by id, the declared ones by name (DeploymentFilter has
 * id.any_ and name.any_: server-openapi.json DeploymentFilterId, DeploymentFilterName; a page
 * costs a real server the same per deployment with an id filter: prefect-recordings README,
 * "Speed"). Read once per run, for both kinds.
 */
export function readDeploymentsScoped(ctx: KindContext, scopes: ReadonlyMap<string, ReadScope>): Promise<Deployment[]> {
  return ctx.memo(SCOPED_DEPLOYMENTS_MEMO, async () => {
    const own = scopes.get(deploymentSchema.type) ?? { ids: [], names: [] };
    const ids = [...own.ids, ...(scopes.get(deploymentScheduleSchema.type)?.parentIds ?? [])];
    const raw = await filterByIdsAndNames<DeploymentResponse>(ctx.client, "/deployments/filter", "deployments", { ids, names: own.names }, { sort: "CREATED_DESC" });
    return raw.map((deployment) => liveOf(ctx, deployment));
  });
}

async function read(ctx: KindContext, id: string): Promise<Deployment | undefined> {
  const raw = await orUndefined(ctx.client.get<DeploymentResponse>(`/deployments/${id}`));
  return raw && liveOf(ctx, raw);
}

/** The deployment named `spec.name` of the flow `spec.flow_id` (the name route wants the flow's name, which a spec does not have). */
async function find(ctx: KindContext, spec: DeploymentSpec): Promise<Deployment | undefined> {
  const body: Partial<DeploymentFilterBody> = {
    flows: { operator: "and_", id: { any_: [uuid(spec.flow_id)] } },
    deployments: { operator: "and_", name: { any_: [spec.name] } },
    limit: 1,
  };
  const [raw] = await ctx.client.query<DeploymentResponse[]>("/deployments/filter", body);
  return raw && raw.name === spec.name ? liveOf(ctx, raw) : undefined;
}

const isEmptyObject = (value: unknown): boolean => !value || (typeof value === "object" && Object.keys(value).length === 0);

/**
 * The limit Prefect made for the deployment's own concurrency_limit, as opposed to a shared one
 * linked by id: a global limit named `deployment:<id>` holding the number, while the answer's
 * own `concurrency_limit` stays null (scenarios.jsonl "dep full").
 */
function ownLimit(live: Deployment): NonNullable<Deployment["global_concurrency_limit"]> | undefined {
  const limit = live.global_concurrency_limit;
  return limit && limit.name === `deployment:${live.id}` ? limit : undefined;
}

function createBody(spec: DeploymentSpec): DeploymentCreate {
  const optional = <K extends keyof DeploymentSpec>(name: K) => (spec[name] !== undefined ? { [name]: spec[name] } : {});
  return {
    name: spec.name,
    flow_id: uuid(spec.flow_id),
    paused: spec.paused,
    enforce_parameter_schema: spec.enforce_parameter_schema,
    parameters: spec.parameters,
    parameter_openapi_schema: spec.parameter_openapi_schema,
    tags: spec.tags,
    pull_steps: spec.pull_steps.map(pullStepToWire),
    // Prefect only writes job variables that are not empty (scenarios.jsonl "dep patch empty job_variables").
    ...(isEmptyObject(spec.job_variables) ? {} : { job_variables: spec.job_variables }),
    ...optional("description"),
    ...optional("version"),
    ...optional("path"),
    ...optional("entrypoint"),
    ...optional("work_pool_name"),
    ...optional("work_queue_name"),
    ...(spec.storage_document_id !== undefined ? { storage_document_id: uuid(spec.storage_document_id) } : {}),
    ...optional("concurrency_limit"),
    ...(spec.global_concurrency_limit_id !== undefined ? { global_concurrency_limit_id: uuid(spec.global_concurrency_limit_id) } : {}),
    ...(spec.concurrency_options ? { concurrency_options: { collision_strategy: spec.concurrency_options.collision_strategy as "ENQUEUE" | "CANCEL_NEW" } } : {}),
  };
}

type UpdateBody = Partial<DeploymentUpdate>;

/**
 * How a deployment's changed attributes are written, each on its own (update-body.ts; Prefect
 * writes only the fields sent: models/deployments.py update_deployment). The attributes that
 * act together (the parameter schema with the parameters, the pool with the queue, the limits)
 * are written by updateBodies.
 */
const DEPLOYMENT_UPDATES: WireFields<DeploymentSpec, DeploymentUpdate, Deployment> = {
  description: (spec) => ({ description: spec.description }),
  version: (spec) => ({ version: spec.version }),
  path: (spec) => ({ path: spec.path }),
  entrypoint: (spec) => ({ entrypoint: spec.entrypoint }),
  paused: (spec) => ({ paused: spec.paused }),
  enforce_parameter_schema: (spec) => ({ enforce_parameter_schema: spec.enforce_parameter_schema }),
  parameters: (spec) => ({ parameters: spec.parameters }),
  tags: (spec) => ({ tags: spec.tags }),
  job_variables: (spec, live) => {
    // A PATCH of {} leaves them as they were (scenarios.jsonl "dep patch empty job_variables", "dep read d4 after patches").
    if (isEmptyObject(spec.job_variables)) throw new Error(`deployment ${live.id}: ${EMPTY_JOB_VARIABLES_REASON}; plan again to replace it`);
    // Prefect replaces the stored job variables with these (no merge).
    return { job_variables: spec.job_variables };
  },
  storage_document_id: (spec) => (spec.storage_document_id !== undefined ? { storage_document_id: uuid(spec.storage_document_id) } : {}),
  pull_steps: (spec) => ({ pull_steps: spec.pull_steps.map(pullStepToWire) }),
};

/**
 * The PATCH bodies that bring `live` to `spec`, in order. Most changes are one PATCH with the
 * changed attributes; concurrency and parameter schema changes need an earlier one where
 * Prefect would otherwise act on the state before the change (see each case).
 */
export function updateBodies(spec: DeploymentSpec, live: Deployment, changed: readonly string[]): UpdateBody[] {
  const has = (name: string) => changed.includes(name);
  const first: UpdateBody = {};
  const main: UpdateBody = changedFields(spec, changed, DEPLOYMENT_UPDATES, live);

  if (has("parameter_openapi_schema")) {
    // Prefect checks new parameters against the schema stored before the request.
    if (has("parameters") && spec.enforce_parameter_schema) first.parameter_openapi_schema = spec.parameter_openapi_schema;
    else main.parameter_openapi_schema = spec.parameter_openapi_schema;
  }
  if (has("work_pool_name") || has("work_queue_name")) {
    // A queue name alone would be looked up outside the pool; a new pool without a declared
    // queue takes its default queue.
    const pool = spec.work_pool_name ?? live.work_pool_name ?? undefined;
    const queue = spec.work_queue_name ?? (has("work_pool_name") ? undefined : (live.work_queue_name ?? undefined));
    if (pool) main.work_pool_name = pool;
    if (queue) main.work_queue_name = queue;
  }
  if (has("concurrency_options")) {
    const grace = live.concurrency_options?.grace_period_seconds;
    main.concurrency_options = spec.concurrency_options
      ? { collision_strategy: spec.concurrency_options.collision_strategy as "ENQUEUE" | "CANCEL_NEW", ...(typeof grace === "number" ? { grace_period_seconds: grace } : {}) }
      : null;
  }

  // Prefect applies concurrency_limit to whatever limit the deployment links to: a null deletes
  // it (scenarios.jsonl "dep patch concurrency null", "dep read d4 after patches") and a number
  // resizes it, a shared one included. So a shared limit is unlinked before the
  // deployment gets one of its own, and its own is deleted before a shared one is linked.
  const linked = live.global_concurrency_limit;
  const own = ownLimit(live);
  if (spec.concurrency_limit !== undefined) {
    if (linked && !own) {
      first.global_concurrency_limit_id = null;
      main.concurrency_limit = spec.concurrency_limit;
    } else if (has("concurrency_limit")) {
      main.concurrency_limit = spec.concurrency_limit;
    }
  } else {
    const linking = spec.global_concurrency_limit_id !== undefined && has("global_concurrency_limit_id");
    if (own && has("concurrency_limit")) (linking ? first : main).concurrency_limit = null;
    if (linking) main.global_concurrency_limit_id = uuid(spec.global_concurrency_limit_id);
  }
  return [first, main].filter((body) => Object.keys(body).length > 0);
}

/** PATCHes answer 204 without a body (scenarios.jsonl "dep patch clear tags+params"): the deployment is read back. */
async function update(ctx: KindContext, id: string, spec: DeploymentSpec, prior: Deployment, changed: string[]): Promise<Deployment> {
  for (const body of updateBodies(spec, prior, changed)) await ctx.client.patch(`/deployments/${id}`, body);
  ctx.forget(DEPLOYMENTS_MEMO);
  return readBack(`deployment ${id}`, read(ctx, id));
}

function toSpec(live: Deployment): DeploymentSpec {
  const own = ownLimit(live);
  return {
    id: live.id,
    created: live.created ?? undefined,
    updated: live.updated ?? undefined,
    account_id: live.account_id,
    workspace_id: live.workspace_id,
    name: live.name,
    flow_id: live.flow_id,
    description: live.description ?? undefined,
    version: live.version ?? undefined,
    path: live.path ?? undefined,
    entrypoint: live.entrypoint ?? undefined,
    paused: live.paused,
    enforce_parameter_schema: live.enforce_parameter_schema,
    parameters: live.parameters ?? {},
    // A deployment made without a schema reads {} (scenarios.jsonl "dep no schema"), one made with
    // null reads null ("dep schema null"), and {} sent on create or update reads as the normalized
    // empty schema ("dep schema {}", "dep patch schema {}"): all compare equal to the official
    // default {} (sameParameterSchema).
    parameter_openapi_schema: (live.parameter_openapi_schema as Record<string, unknown> | null | undefined) ?? {},
    job_variables: live.job_variables ?? {},
    tags: sortedUnique(live.tags),
    work_pool_name: live.work_pool_name ?? undefined,
    work_queue_name: live.work_queue_name ?? undefined,
    storage_document_id: live.storage_document_id ?? undefined,
    // The deprecated `concurrency_limit` of the answer is always null: the limit is the linked
    // one's, and only the deployment's own limit is its concurrency_limit.
    concurrency_limit: own?.limit,
    global_concurrency_limit_id: live.global_concurrency_limit?.id,
    concurrency_options: live.concurrency_options ? { collision_strategy: live.concurrency_options.collision_strategy } : undefined,
    pull_steps: (live.pull_steps ?? []).map(pullStepFromWire),
  };
}

/** prefect_deployment: schema, and CRUD through `/deployments/`. */
export const deploymentKind: Kind<DeploymentSpec, Deployment> = {
  ...deploymentSchema,

  list: listDeployments,

  readScoped: (ctx, _scope, scopes) => readDeploymentsScoped(ctx, scopes),

  read,

  find,

  create: async (ctx, spec) => {
    // An existing deployment is never posted again (the upsert would replace its schedules):
    // it is brought to the declaration in place.
    const existing = await find(ctx, spec);
    if (existing) return updateInPlace(ctx, deploymentKind, existing, spec);
    const body = createBody(spec);
    const created = await createSafely({
      attempt: async () => liveOf(ctx, await ctx.client.post<DeploymentResponse>("/deployments/", body)),
      lookup: () => find(ctx, spec),
    });
    ctx.forget(DEPLOYMENTS_MEMO);
    return created;
  },

  update,

  delete: async (ctx, id, prior) => {
    // Prefect deletes whatever concurrency limit a deleted deployment links, a shared one too
    // (models/deployments._delete_related_concurrency_limit): unlink a limit that is not the
    // deployment's own first, so deleting a deployment never deletes an object it does not own.
    const live = prior ?? (await deploymentKind.read(ctx, id));
    if (live?.global_concurrency_limit && !ownLimit(live)) {
      await orUndefined(ctx.client.patch(`/deployments/${id}`, { global_concurrency_limit_id: null }));
    }
    await deleteIgnoringMissing(ctx.client.delete(`/deployments/${id}`));
    ctx.forget(DEPLOYMENTS_MEMO);
  },

  idOf: (live) => live.id,
  identityOf: (live) => `${live.flow_id.toLowerCase()}/${live.name}`,

  toSpec,

  replacementReasons: (declared, live) =>
    !isUnknown(declared.job_variables) && isEmptyObject(declared.job_variables) && !isEmptyObject(live.job_variables)
      ? [{ path: ["job_variables"], reason: EMPTY_JOB_VARIABLES_REASON }]
      : [],

  importName: deploymentImportName,
  writeDeclaration: (declared, spec, _live, writer) => writeDeploymentDeclaration(declared, spec, writer),
};
