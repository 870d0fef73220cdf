// Deployments and their schedules. `POST /deployments/` is Prefect's upsert keyed by
// (flow_id, name): fields left out keep their values, schedules are always replaced (new
// ids), and a concurrency limit is backed by a global concurrency limit named
// `deployment:<id>` in the shared v2 limits collection. Names of the work pool and queue,
// and the limit object, are read through the deployment's links each time, so deleting a
// queue or a limit elsewhere shows up as Prefect's `ON DELETE SET NULL` would.
import {
  concurrencyLimits,
  deployments,
  flows,
  workPools,
  workQueues,
  type ConcurrencyLimitEntity,
  type DeploymentEntity,
  type FlowEntity,
  type WorkPoolEntity,
  type WorkQueueEntity,
} from "../collections.js";
import { found, page, paginate, sortBy, stamp, timestamp } from "../filters.js";
import { HttpError, conflict, created, integrityConflict, noContent, ok } from "../http.js";
import type { RequestContext, Router } from "../router.js";
import type { Collection, Workspace } from "../store.js";
import { deploymentMatches, flowMatches, given, workPoolMatches, workQueueMatches, type DeploymentFacts } from "./deployment-filters.js";
import { limitResponse } from "./concurrency-limits.js";
import { dropScheduledRunsOf } from "./flow-run-cascade.js";
import { hasMatchingRuns } from "./flow-run-filters.js";
import { pythonRepr, schemaFailure, schemaViolation } from "./deployment-json-schema.js";
import {
  bodyProblem,
  rowTimestamp,
  scheduleChanges,
  scheduleDrafts,
  type DeploymentScheduleEntity,
  type ScheduleChanges,
  type ScheduleDraft,
  type ScheduleSpec,
} from "./schedule-validation.js";
import { DEFAULT_AGENT_WORK_POOL_NAME, legacyQueue, poolNotFound, queueForDeployment } from "./work-pools.js";

type Body = Record<string, unknown>;
type LimitView = NonNullable<DeploymentEntity["global_concurrency_limit"]>;

const NOT_FOUND = "Deployment not found";
// Prefect's routes disagree on the full stop; each route uses its own wording.
const NOT_FOUND_DOT = "Deployment not found.";
const SCHEDULE_NOT_FOUND = "Schedule not found.";
const BOTH_LIMITS = "A deployment cannot have both a concurrency limit and a global concurrency limit.";

/** Fields a DeploymentCreate or DeploymentUpdate writes as they are when present in the body. */
const PLAIN_FIELDS = [
  "version",
  "description",
  "path",
  "entrypoint",
  "tags",
  "parameter_openapi_schema",
  "pull_steps",
  "storage_document_id",
  "infrastructure_document_id",
  "concurrency_options",
] as const;

// ---------------------------------------------------------------------------- reading

/** The collections a deployment links to, looked up once per request rather than per deployment. */
export interface Links {
  flows: Collection<FlowEntity>;
  queues: Collection<WorkQueueEntity>;
  pools: Collection<WorkPoolEntity>;
  limits: Collection<ConcurrencyLimitEntity>;
}

/** The collections of a workspace a deployment links to. */
export function linksOf(ws: Workspace): Links {
  return { flows: flows(ws), queues: workQueues(ws), pools: workPools(ws), limits: concurrencyLimits(ws) };
}

function linkedQueue(links: Links, deployment: DeploymentEntity): WorkQueueEntity | undefined {
  return deployment.work_queue_id ? links.queues.get(deployment.work_queue_id) : undefined;
}

/** The work pool a deployment runs in, through its queue. */
export function deploymentPool(links: Links, deployment: DeploymentEntity): WorkPoolEntity | undefined {
  const queue = linkedQueue(links, deployment);
  return queue?.work_pool_id ? links.pools.get(queue.work_pool_id) : undefined;
}

function linkedLimit(links: Links, deployment: DeploymentEntity): ConcurrencyLimitEntity | undefined {
  const id = deployment.global_concurrency_limit?.id;
  return id ? links.limits.get(id) : undefined;
}

/** Newest first, as Prefect orders a deployment's schedules (`updated` descending). */
function newestFirst(schedules: DeploymentScheduleEntity[]): DeploymentScheduleEntity[] {
  return [...schedules].sort((a, b) => String(b.updated).localeCompare(String(a.updated)));
}

/** What the deployment filters need beyond the stored deployment. */
export function deploymentFacts(links: Links, deployment: DeploymentEntity): DeploymentFacts {
  const queue = linkedQueue(links, deployment);
  return {
    flowName: links.flows.get(deployment.flow_id)?.name,
    workQueueName: queue ? queue.name : (deployment.work_queue_name ?? null),
    concurrencyLimit: linkedLimit(links, deployment)?.limit ?? null,
  };
}

/**
 * A deployment as Prefect returns it: queue and pool names from the linked queue, the
 * embedded limit from the limits collection, and the deprecated `concurrency_limit` always
 * null (the server reads it from a column it renamed).
 */
export function deploymentResponse(links: Links, deployment: DeploymentEntity): DeploymentEntity {
  const queue = linkedQueue(links, deployment);
  const pool = queue?.work_pool_id ? links.pools.get(queue.work_pool_id) : undefined;
  const limit = linkedLimit(links, deployment);
  return {
    ...deployment,
    schedules: newestFirst(deployment.schedules ?? []),
    concurrency_limit: null,
    global_concurrency_limit: limit ? limitResponse(limit) : null,
    work_queue_id: queue ? queue.id : null,
    work_queue_name: queue ? queue.name : (deployment.work_queue_name ?? null),
    work_pool_name: pool ? pool.name : null,
  };
}

// ---------------------------------------------------------------------------- writing

function ownLimitName(deploymentId: string): string {
  return `deployment:${deploymentId}`;
}

/** Delete the limit backing a deployment's concurrency, if the deployment made it. */
function dropOwnLimit(ws: Workspace, deployment: DeploymentEntity): void {
  const limit = linkedLimit(linksOf(ws), deployment);
  // As the real server does (models/deployments._delete_related_concurrency_limit): whatever
  // limit the deployment links is deleted, a shared one linked with global_concurrency_limit_id
  // included. Clients that must keep a shared limit unlink it first.
  if (limit) concurrencyLimits(ws).delete(limit.id);
}

/**
 * Apply a `concurrency_limit` request: null removes the backing limit, a number updates the
 * linked limit or creates `deployment:<id>`. Returns the limit to embed.
 */
function applyConcurrencyLimit(ctx: RequestContext, deployment: DeploymentEntity, requested: number | null): LimitView | null {
  const ws = ctx.workspace;
  const current = linkedLimit(linksOf(ws), deployment);
  if (requested === null) {
    if (current) dropOwnLimit(ws, deployment);
    return null;
  }
  const collection = concurrencyLimits(ws);
  if (current) {
    if (current.limit === requested) return limitResponse(current);
    return limitResponse(collection.put({ ...current, limit: requested, updated: timestamp(ctx.now) }));
  }
  const name = ownLimitName(deployment.id);
  const leftover = collection.getByKey(name);
  const limit: ConcurrencyLimitEntity = leftover
    ? { ...leftover, limit: requested, updated: timestamp(ctx.now) }
    : { ...stamp(ctx), active: true, name, limit: requested, active_slots: 0, denied_slots: 0, slot_decay_per_second: 0, avg_slot_occupancy_seconds: 2 };
  return limitResponse(collection.put(limit));
}

/**
 * The limit a `global_concurrency_limit_id` links to. The routes look it up before writing, so an
 * unknown id is a 404 (src/prefect/server/api/deployments.py create_deployment, update_deployment).
 */
function linkLimit(ws: Workspace, id: unknown): LimitView | null {
  if (id === null || id === undefined) return null;
  const limit = concurrencyLimits(ws).get(id as string);
  if (!limit) throw new HttpError(404, { detail: "Concurrency limit not found" });
  return limitResponse(limit);
}

/** Delete a deployment with its schedules and the limit backing its concurrency. */
export function deleteDeployment(ws: Workspace, deployment: DeploymentEntity): void {
  dropScheduledRunsOf(ws, deployment.id);
  dropOwnLimit(ws, deployment);
  deployments(ws).delete(deployment.id);
}

/** Schedules to store for validated drafts: new ids, stamped in creation order. */
function newSchedules(ctx: RequestContext, deploymentId: string, drafts: ScheduleDraft[]): DeploymentScheduleEntity[] {
  return drafts.map((draft, index) => {
    const at = rowTimestamp(ctx.now, index);
    return {
      id: ctx.services.newId(),
      created: at,
      updated: at,
      deployment_id: deploymentId,
      schedule: draft.schedule,
      active: draft.active,
      max_scheduled_runs: draft.max_scheduled_runs,
      parameters: draft.parameters,
      slug: draft.slug,
    };
  });
}

/** Slugs are unique per deployment (a partial unique index on Prefect): a clash fails it. */
function checkSlugsUnique(schedules: DeploymentScheduleEntity[]): void {
  const slugs = schedules.map((schedule) => schedule.slug).filter((slug): slug is string => Boolean(slug));
  if (new Set(slugs).size !== slugs.length) throw integrityConflict();
}

function patchSchedule(ctx: RequestContext, schedule: DeploymentScheduleEntity, changes: ScheduleChanges): DeploymentScheduleEntity {
  return {
    ...schedule,
    ...(changes.schedule ? { schedule: changes.schedule } : {}),
    ...(changes.active !== undefined ? { active: changes.active } : {}),
    ...(changes.max_scheduled_runs !== undefined ? { max_scheduled_runs: changes.max_scheduled_runs } : {}),
    ...(changes.slug !== undefined ? { slug: changes.slug } : {}),
    parameters: changes.parameters,
    updated: timestamp(ctx.now),
  };
}

/**
 * A parameter schema as the server stores it: `{}` becomes an empty object schema, anything else
 * (null included) is kept (src/prefect/_internal/schema.py _normalize_parameter_schema, inside an
 * Optional so null never reaches it: scenarios.jsonl "dep schema {}", "dep patch schema {}", "dep schema null").
 */
function storedParameterSchema(value: unknown): unknown {
  const empty = value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0;
  return empty ? { type: "object", properties: {} } : value;
}

/**
 * Concurrency options as the server stores them: the ConcurrencyOptions model dumped whole, so a
 * grace period left out reads back null (schemas/core.py ConcurrencyOptions; client-suite.jsonl.gz #4128).
 */
function storedConcurrencyOptions(value: unknown): unknown {
  if (!value || typeof value !== "object") return value ?? null;
  const options = value as Body;
  return { collision_strategy: options.collision_strategy, grace_period_seconds: options.grace_period_seconds ?? null };
}

/** Model-level checks DeploymentCreate and DeploymentUpdate make before any route logic. */
function checkLimitsExclusive(body: Body, sent: unknown): void {
  if (body.concurrency_limit && body.global_concurrency_limit_id) bodyProblem(BOTH_LIMITS, sent);
}

/** Job variables must fit the pool's variables schema (required ones may be left out). */
function jobVariablesViolation(pool: WorkPoolEntity, jobVariables: unknown): string | undefined {
  if (!jobVariables || typeof jobVariables !== "object" || !Object.keys(jobVariables).length) return undefined;
  return schemaViolation(jobVariables, (pool.base_job_template as Body | undefined)?.variables, { ignoreRequired: true });
}

/**
 * Prefect only writes job variables that are not empty (`if job_variables:` on both the
 * upsert and the update path): an empty object or null leaves the stored ones as they are.
 */
function jobVariablesToWrite(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === "object" && Object.keys(value).length ? (value as Record<string, unknown>) : undefined;
}

function upsertDeployment(ctx: RequestContext): DeploymentEntity {
  const ws = ctx.workspace;
  const body = ctx.body as Body;
  const drafts = scheduleDrafts(
    // Schedules are read as sent, so their 422s quote them without the defaults the contract filled in.
    ((ctx.sent as Body).schedules as unknown[] | undefined) ?? [],
    ["body", "schedules"],
    ctx.now,
    ctx.services.durations,
    ctx.sent,
  );
  checkLimitsExclusive(body, ctx.sent);
  if (body.enforce_parameter_schema && body.parameters !== undefined) {
    const violation = schemaViolation(body.parameters, body.parameter_openapi_schema, { ignoreRequired: true });
    // The model's input and the echoed body are the body as sent (scenarios.jsonl "dep params violate schema").
    if (violation) bodyProblem(violation, ctx.sent);
  }

  const poolName = (body.work_pool_name as string | null | undefined) ?? null;
  const queueName = (body.work_queue_name as string | null | undefined) ?? null;
  if (poolName && poolName !== DEFAULT_AGENT_WORK_POOL_NAME) {
    const pool = workPools(ws).getByKey(poolName);
    if (!pool) throw poolNotFound(poolName);
    const violation = jobVariablesViolation(pool, body.job_variables);
    if (violation) throw new HttpError(422, { detail: `Error creating deployment: ${violation}` });
  }
  // The flow is a foreign key: a missing one fails the insert, before anything is kept.
  // The limit is looked up before anything is written, so its 404 comes before the flow's 409.
  const linked = "global_concurrency_limit_id" in body ? linkLimit(ws, body.global_concurrency_limit_id) : undefined;
  const flow = flows(ws).get(body.flow_id as string);
  if (!flow) throw integrityConflict();

  let queue: WorkQueueEntity | undefined;
  if (poolName) queue = queueForDeployment(ctx, poolName, queueName);
  else if (queueName) queue = legacyQueue(ctx, queueName);

  const collection = deployments(ws);
  const existing = collection.getByKey(`${flow.id}/${body.name as string}`);
  const deployment: DeploymentEntity = existing
    ? { ...existing, ...stamp(ctx, existing) }
    : {
        ...stamp(ctx),
        name: body.name as string,
        flow_id: flow.id,
        version: null,
        description: null,
        paused: false,
        schedules: [],
        concurrency_limit: null,
        global_concurrency_limit: null,
        concurrency_options: null,
        job_variables: {},
        parameters: {},
        tags: [],
        labels: {},
        work_queue_name: null,
        work_queue_id: null,
        last_polled: null,
        parameter_openapi_schema: {},
        path: null,
        pull_steps: [],
        entrypoint: null,
        storage_document_id: null,
        infrastructure_document_id: null,
        created_by: null,
        updated_by: null,
        work_pool_name: null,
        status: "NOT_READY",
        enforce_parameter_schema: true,
      };
  // The upsert writes only the fields the request set (exclude_unset); the rest keep their
  // stored values. A new deployment gets the defaults of the fields not sent.
  const setFields = (existing ? ctx.sent : body) as Body;
  for (const field of PLAIN_FIELDS) if (field in setFields) (deployment as Body)[field] = body[field];
  if ("parameter_openapi_schema" in setFields) deployment.parameter_openapi_schema = storedParameterSchema(body.parameter_openapi_schema) as Body | null;
  if ("concurrency_options" in setFields) deployment.concurrency_options = storedConcurrencyOptions(body.concurrency_options) as DeploymentEntity["concurrency_options"];
  // DeploymentCreate's before-validator always puts `parameters` in the values (its default `{}`
  // when left out), so an upsert always writes them (schemas/actions.py
  // _validate_parameters_conform_to_schema; scenarios.jsonl "dep upsert d4 (same body)").
  deployment.parameters = (body.parameters as Body | undefined) ?? {};
  if (typeof setFields.paused === "boolean") deployment.paused = setFields.paused;
  if (typeof setFields.enforce_parameter_schema === "boolean") deployment.enforce_parameter_schema = setFields.enforce_parameter_schema;
  if ("work_queue_name" in setFields) deployment.work_queue_name = queueName;
  const jobVariables = jobVariablesToWrite(body.job_variables);
  if (jobVariables) deployment.job_variables = jobVariables;
  if (queue) deployment.work_queue_id = queue.id;
  if (linked !== undefined) deployment.global_concurrency_limit = linked;
  // Labels are recomputed on every upsert: the flow's, the system label, then the request's.
  deployment.labels = { ...(flow.labels ?? {}), "prefect.flow.id": flow.id, ...((body.labels as Record<string, string> | null | undefined) ?? {}) };
  // An upsert always replaces the schedules, with new ids, even when it sends none; it makes them
  // from their schedule, active, parameters and slug only (models/deployments.py create_deployment).
  deployment.schedules = newSchedules(
    ctx,
    deployment.id,
    drafts.map((draft) => ({ ...draft, max_scheduled_runs: null })),
  );
  checkSlugsUnique(deployment.schedules);
  if ("concurrency_limit" in setFields) {
    deployment.global_concurrency_limit = applyConcurrencyLimit(ctx, deployment, (body.concurrency_limit as number | null | undefined) ?? null);
  }
  return collection.put(deployment);
}

/**
 * A schedule a PATCH creates: the server passes on the schedule, `active` (true when not sent),
 * the parameters and the slug, and nothing else (models/deployments.py update_deployment).
 */
function draftOf(change: ScheduleChanges, schedule: ScheduleSpec): ScheduleDraft {
  return { schedule, active: change.active ?? true, max_scheduled_runs: null, parameters: change.parameters, slug: change.slug ?? null, replaces: null };
}

const NO_SCHEDULE_CONFIGURATION = "Unable to create new deployment schedules without a schedule configuration.";

/**
 * Schedules sent to `PATCH /deployments/{id}`, by the rules of src/prefect/server/api/deployments.py
 * update_deployment. When every stored schedule has a slug, every schedule sent must have one
 * too: each updates the stored schedule its `replaces` (else its slug) names, or is created, and
 * the others are left alone (an empty list changes nothing). Otherwise the list replaces the
 * stored schedules, with new ids. Returns undefined when the schedules stay as they are.
 */
function updatedSchedules(ctx: RequestContext, deployment: DeploymentEntity, changes: ScheduleChanges[]): DeploymentScheduleEntity[] | undefined {
  const stored = deployment.schedules ?? [];
  const allSent = changes.every((change) => change.slug !== undefined);
  const allStored = stored.length > 0 && stored.every((schedule) => schedule.slug);
  if (allStored && !allSent) throw new HttpError(422, { detail: "Please provide a slug for each schedule in your request to ensure schedules are updated correctly." });
  if (!allStored) {
    const drafts = changes.flatMap((change) => (change.schedule ? [draftOf(change, change.schedule)] : []));
    return newSchedules(ctx, deployment.id, drafts);
  }
  const current = new Map(stored.map((schedule) => [schedule.slug as string, schedule]));
  const replaced = new Set<string>();
  for (const change of changes) {
    if (!change.replaces) continue;
    if (replaced.has(change.replaces)) throw new HttpError(422, { detail: `Multiple schedules have 'replaces' targeting the same slug: ${change.replaces}` });
    replaced.add(change.replaces);
  }
  for (const change of changes) {
    if (change.slug && change.replaces && current.has(change.slug) && !replaced.has(change.slug)) {
      throw new HttpError(422, { detail: `Cannot rename schedule from '${change.replaces}' to '${change.slug}': a schedule with slug '${change.slug}' already exists.` });
    }
  }
  const result = new Map(stored.map((schedule) => [schedule.id, schedule]));
  const toCreate: ScheduleDraft[] = [];
  for (const change of changes) {
    const target = current.get(change.replaces ?? change.slug ?? "");
    if (target) result.set(target.id, patchSchedule(ctx, target, change));
    else if (change.schedule) toCreate.push(draftOf(change, change.schedule));
    else throw new HttpError(422, { detail: NO_SCHEDULE_CONFIGURATION });
  }
  if (!changes.length) return undefined;
  return [...result.values(), ...newSchedules(ctx, deployment.id, toCreate)];
}

function updateDeployment(ctx: RequestContext, existing: DeploymentEntity): void {
  const ws = ctx.workspace;
  // exclude_unset: only what the request sent is written, defaults of DeploymentUpdate included.
  const body = ctx.sent as Body;
  const scheduleItems = Array.isArray(body.schedules)
    ? (body.schedules as Body[]).map((item, index) => scheduleChanges(item, ["body", "schedules", index], ctx.now, ctx.services.durations, ctx.sent))
    : undefined;
  checkLimitsExclusive(body, ctx.sent);
  // The slug rules answer before the pool and parameter checks (api/deployments.py update_deployment).
  const schedules = scheduleItems ? updatedSchedules(ctx, existing, scheduleItems) : undefined;
  const poolName = (body.work_pool_name as string | null | undefined) ?? null;
  const queueName = (body.work_queue_name as string | null | undefined) ?? null;
  if (poolName) {
    const pool = workPools(ws).getByKey(poolName);
    if (!pool) throw poolNotFound(poolName);
    // DeploymentUpdate.check_valid_configuration raises jsonschema's ValidationError, which the route
    // answers with its repr, in the create path's words (api/deployments.py update_deployment).
    const jobVariables = body.job_variables;
    const failure = jobVariables && typeof jobVariables === "object" && Object.keys(jobVariables).length ? schemaFailure(jobVariables, (pool.base_job_template as Body | undefined)?.variables, { ignoreRequired: true }) : undefined;
    if (failure) throw conflict(`Error creating deployment: <ValidationError: ${pythonRepr(failure.message)}>`);
  }
  const enforce = typeof body.enforce_parameter_schema === "boolean" ? body.enforce_parameter_schema : existing.enforce_parameter_schema;
  if (enforce) {
    const schema = existing.parameter_openapi_schema;
    if (!schema || typeof schema !== "object") {
      throw conflict(
        "Error updating deployment: Cannot update parameters because parameter schema enforcement is enabled and the deployment does not have a valid parameter schema.",
      );
    }
    const parameters = body.parameters !== undefined && body.parameters !== null ? body.parameters : existing.parameters;
    const violation = schemaViolation(parameters ?? {}, schema, { ignoreRequired: true });
    if (violation) throw conflict(`Error updating deployment: ${violation}`);
  }
  // `parameters` is a NOT NULL column: an explicit null fails the update.
  if (body.parameters === null) throw integrityConflict();
  const linked = "global_concurrency_limit_id" in body ? linkLimit(ws, body.global_concurrency_limit_id) : undefined;

  const deployment: DeploymentEntity = { ...existing, ...stamp(ctx, existing) };
  if (schedules) {
    deployment.schedules = schedules;
    checkSlugsUnique(deployment.schedules);
  }
  if (poolName) deployment.work_queue_id = queueForDeployment(ctx, poolName, queueName).id;
  // An explicit null pool takes the deployment off its queue (models/deployments.py update_deployment).
  else if ("work_pool_name" in body && body.work_pool_name === null) deployment.work_queue_id = null;
  else if (queueName) deployment.work_queue_id = legacyQueue(ctx, queueName).id;

  for (const field of PLAIN_FIELDS) if (field in body) (deployment as Body)[field] = body[field];
  if ("parameter_openapi_schema" in body) deployment.parameter_openapi_schema = storedParameterSchema(body.parameter_openapi_schema) as Body | null;
  if ("concurrency_options" in body) deployment.concurrency_options = storedConcurrencyOptions(body.concurrency_options) as DeploymentEntity["concurrency_options"];
  if (body.parameters !== undefined) deployment.parameters = body.parameters as Body;
  if (typeof body.paused === "boolean") deployment.paused = body.paused;
  if (typeof body.enforce_parameter_schema === "boolean") deployment.enforce_parameter_schema = body.enforce_parameter_schema;
  if ("work_queue_name" in body) deployment.work_queue_name = queueName;
  const jobVariables = jobVariablesToWrite(body.job_variables);
  if (jobVariables) deployment.job_variables = jobVariables;
  if (linked !== undefined) deployment.global_concurrency_limit = linked;
  if ("concurrency_limit" in body) {
    deployment.global_concurrency_limit = applyConcurrencyLimit(ctx, deployment, (body.concurrency_limit as number | null | undefined) ?? null);
  }
  deployments(ws).put(deployment);
}

// ---------------------------------------------------------------------------- listing

const DEPLOYMENT_SORTS = {
  NAME_ASC: (deployment: DeploymentEntity) => deployment.name,
  NAME_DESC: (deployment: DeploymentEntity) => deployment.name,
  CREATED_DESC: (deployment: DeploymentEntity) => deployment.created,
  UPDATED_DESC: (deployment: DeploymentEntity) => deployment.updated,
};

/** Deployments matching a deployments/filter-style body (flow, pool and queue filters go through the links). */
function matchingDeployments(ctx: RequestContext, links: Links): DeploymentEntity[] {
  const body = (ctx.body ?? {}) as Body;
  const withRuns = hasMatchingRuns(ctx.workspace, body, "deployment_id");
  const deploymentFilter = given(body.deployments) ? (body.deployments as Body) : undefined;
  const flowFilter = given(body.flows) ? (body.flows as Body) : undefined;
  const poolFilter = given(body.work_pools) ? (body.work_pools as Body) : undefined;
  const queueFilter = given(body.work_pool_queues) ? (body.work_pool_queues as Body) : undefined;
  const all = withRuns ? deployments(ctx.workspace).filter((deployment) => withRuns(deployment.id)) : deployments(ctx.workspace).all();
  if (!deploymentFilter && !flowFilter && !poolFilter && !queueFilter) return all;
  return all.filter((deployment) => {
    if (deploymentFilter && !deploymentMatches(deployment, () => deploymentFacts(links, deployment), deploymentFilter)) return false;
    if (flowFilter) {
      const flow = links.flows.get(deployment.flow_id);
      // The flow has at least this deployment, which answers `deployment.is_null_`.
      if (!flow || !flowMatches(flow, flowFilter, () => true)) return false;
    }
    if (poolFilter || queueFilter) {
      const queue = linkedQueue(links, deployment);
      if (!queue) return false;
      if (queueFilter && !workQueueMatches(queue, queueFilter)) return false;
      if (poolFilter) {
        const pool = queue.work_pool_id ? links.pools.get(queue.work_pool_id) : undefined;
        if (!pool || !workPoolMatches(pool, poolFilter)) return false;
      }
    }
    return true;
  });
}

/** Whether the upsert in this request will update an existing deployment (for its status code). */
function deploymentExists(ctx: RequestContext): boolean {
  const body = ctx.body as Body;
  return deployments(ctx.workspace).getByKey(`${String(body.flow_id)}/${String(body.name)}`) !== undefined;
}

function findDeployment(ctx: RequestContext, detail: string): DeploymentEntity {
  return found(deployments(ctx.workspace).get(ctx.params.id ?? ""), detail);
}

/** Register the deployment and deployment schedule routes (`/deployments/...`). */
export function registerDeploymentsRoutes(router: Router): void {
  // Prefect answers 201 when the upsert created the deployment and 200 when it updated one (the
  // contract document declares only 200: contract/validator.ts lists the deviation).
  router.post("/deployments/", (ctx) => {
    const existed = deploymentExists(ctx);
    const deployment = deploymentResponse(linksOf(ctx.workspace), upsertDeployment(ctx));
    return existed ? ok(deployment) : created(deployment);
  });

  router.get("/deployments/{id}", (ctx) => ok(deploymentResponse(linksOf(ctx.workspace), findDeployment(ctx, NOT_FOUND))));

  router.get("/deployments/name/{flow_name}/{deployment_name}", (ctx) => {
    const flow = flows(ctx.workspace).getByKey(ctx.params.flow_name ?? "");
    const deployment = flow ? deployments(ctx.workspace).getByKey(`${flow.id}/${ctx.params.deployment_name ?? ""}`) : undefined;
    return ok(deploymentResponse(linksOf(ctx.workspace), found(deployment, NOT_FOUND)));
  });

  router.patch("/deployments/{id}", (ctx) => {
    updateDeployment(ctx, findDeployment(ctx, NOT_FOUND_DOT));
    return noContent();
  });

  router.delete("/deployments/{id}", (ctx) => {
    deleteDeployment(ctx.workspace, findDeployment(ctx, NOT_FOUND));
    return noContent();
  });

  router.post("/deployments/filter", (ctx) => {
    const links = linksOf(ctx.workspace);
    const sorted = sortBy(matchingDeployments(ctx, links), (ctx.body as Body).sort, DEPLOYMENT_SORTS);
    return ok(page(sorted, ctx).map((deployment) => deploymentResponse(links, deployment)));
  });

  router.post("/deployments/count", (ctx) => ok(matchingDeployments(ctx, linksOf(ctx.workspace)).length));

  router.post("/deployments/paginate", (ctx) => {
    const links = linksOf(ctx.workspace);
    const sorted = sortBy(matchingDeployments(ctx, links), (ctx.body as Body).sort, DEPLOYMENT_SORTS);
    const result = paginate(sorted, ctx);
    return ok({ ...result, results: result.results.map((deployment) => deploymentResponse(links, deployment)) });
  });

  for (const [action, paused] of [
    ["pause_deployment", true],
    ["resume_deployment", false],
  ] as const) {
    router.post(`/deployments/{id}/${action}`, (ctx) => {
      const deployment = findDeployment(ctx, NOT_FOUND);
      deployments(ctx.workspace).put({ ...deployment, paused, ...stamp(ctx, deployment) });
      return ok(null);
    });
  }

  router.get("/deployments/{id}/schedules", (ctx) => ok(newestFirst(findDeployment(ctx, NOT_FOUND_DOT).schedules ?? [])));

  router.post("/deployments/{id}/schedules", (ctx) => {
    const deployment = findDeployment(ctx, NOT_FOUND_DOT);
    const drafts = scheduleDrafts(ctx.sent as unknown[], ["body"], ctx.now, ctx.services.durations, ctx.sent);
    const existing = deployment.schedules ?? [];
    const added = newSchedules(ctx, deployment.id, drafts);
    checkSlugsUnique([...existing, ...added]);
    deployments(ctx.workspace).put({ ...deployment, schedules: [...existing, ...added] });
    return created(added);
  });

  router.patch("/deployments/{id}/schedules/{schedule_id}", (ctx) => {
    const deployment = findDeployment(ctx, NOT_FOUND_DOT);
    const changes = scheduleChanges(ctx.sent as Body, ["body"], ctx.now, ctx.services.durations, ctx.sent);
    const schedules = deployment.schedules ?? [];
    const target = found(
      schedules.find((schedule) => schedule.id === ctx.params.schedule_id),
      SCHEDULE_NOT_FOUND,
    );
    const next = schedules.map((schedule) => (schedule.id === target.id ? patchSchedule(ctx, target, changes) : schedule));
    checkSlugsUnique(next);
    deployments(ctx.workspace).put({ ...deployment, schedules: next });
    return noContent();
  });

  router.delete("/deployments/{id}/schedules/{schedule_id}", (ctx) => {
    const deployment = findDeployment(ctx, NOT_FOUND_DOT);
    const schedules = deployment.schedules ?? [];
    found(
      schedules.find((schedule) => schedule.id === ctx.params.schedule_id),
      SCHEDULE_NOT_FOUND,
    );
    deployments(ctx.workspace).put({ ...deployment, schedules: schedules.filter((schedule) => schedule.id !== ctx.params.schedule_id) });
    return noContent();
  });
}
