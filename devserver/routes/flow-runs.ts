// Flow runs, as far as a "run this deployment" smoke test needs them: a deployment's
// `create_flow_run` makes a SCHEDULED run, which is then read, listed, counted and deleted like on
// Prefect. Runs never run: the devserver has no workers, no orchestration beyond the first state
// and no scheduler, so a run stays in the state it was created in.
import { deployments, flowRuns, flows, workPools, workQueues, type DeploymentEntity, type FlowRunEntity, type WorkQueueEntity } from "../collections.js";
import { found, page, paginate, sortBy, stamp, timestamp } from "../filters.js";
import { Contract } from "../../contract/validator.js";
import { HttpError, UUID_PATTERN, created, invalidUuidParam, noContent, ok, unprocessable } from "../http.js";
import type { RequestContext, Router } from "../router.js";
import type { Workspace } from "../store.js";
import { deploymentMatches, flowMatches, given, workPoolMatches, workQueueMatches } from "./deployment-filters.js";
import { flowRunMatches } from "./flow-run-filters.js";
import { schemaViolation } from "./deployment-json-schema.js";
import { deploymentFacts, linksOf } from "./deployments.js";
import { runName } from "./run-names.js";
import { createQueue } from "./work-pools.js";

type Body = Record<string, unknown>;
type State = NonNullable<FlowRunEntity["state"]>;

// prefect/server/api/deployments.py create_flow_run_from_deployment and api/flow_runs.py read/delete.
const DEPLOYMENT_NOT_FOUND = "Deployment not found";
const FLOW_RUN_NOT_FOUND = "Flow run not found";

/** StateDetails with the defaults of its schema (prefect/server/schemas/states.py StateDetails). */
const STATE_DETAILS_DEFAULTS = {
  flow_run_id: null,
  task_run_id: null,
  child_flow_run_id: null,
  scheduled_time: null,
  cache_key: null,
  cache_expiration: null,
  deferred: false,
  untrackable_result: false,
  pause_timeout: null,
  pause_reschedule: false,
  pause_key: null,
  run_input_keyset: null,
  refresh_cache: null,
  retriable: null,
  transition_id: null,
  task_parameters_id: null,
  traceparent: null,
  deployment_concurrency_lease_id: null,
};

/** FlowRunPolicy with the defaults of its schema (prefect/server/schemas/core.py FlowRunPolicy). */
const POLICY_DEFAULTS = { max_retries: 0, retry_delay_seconds: 0.0, retries: null, retry_delay: null, pause_keys: [], resuming: false, retry_type: null };

/** States that end a run (prefect/server/schemas/states.py TERMINAL_STATES). */
const TERMINAL = new Set(["COMPLETED", "FAILED", "CANCELLED", "CRASHED"]);

/**
 * The run's first state, from the StateCreate sent or `Scheduled()` (create_flow_run_from_deployment):
 * a name from the type when none is given (states.py State.default_name_from_type), a SCHEDULED
 * state scheduled now when it says no time (State.default_scheduled_start_time), and the run's id
 * in its details (orchestration/global_policy.py UpdateStateDetails).
 */
function firstState(ctx: RequestContext, runId: string, sent: Body | null | undefined): State {
  const type = (sent?.type as State["type"] | undefined) ?? "SCHEDULED";
  const details = { ...STATE_DETAILS_DEFAULTS, ...((sent?.state_details as Body | null | undefined) ?? {}), flow_run_id: runId };
  if (type === "SCHEDULED" && !details.scheduled_time) details.scheduled_time = timestamp(ctx.now) as never;
  const name = (sent?.name as string | null | undefined) ?? type.split("_").map((word) => word.charAt(0) + word.slice(1).toLowerCase()).join(" ");
  return {
    id: ctx.services.newId(),
    type,
    name,
    timestamp: (sent?.timestamp as string | undefined) ?? timestamp(ctx.now),
    message: (sent?.message as string | null | undefined) ?? null,
    data: sent?.data ?? null,
    state_details: details,
  };
}

/**
 * The queue a run goes to: the deployment's, or the one named in the request, found or created
 * in the deployment's pool (create_flow_run_from_deployment, `create_queue_if_not_found=True`).
 */
function runQueue(ctx: RequestContext, deployment: DeploymentEntity, requested: string | null | undefined): WorkQueueEntity | undefined {
  const queue = deployment.work_queue_id ? workQueues(ctx.workspace).get(deployment.work_queue_id) : undefined;
  if (!requested) return queue;
  const pool = queue?.work_pool_id ? workPools(ctx.workspace).get(queue.work_pool_id) : undefined;
  if (!pool) {
    throw new HttpError(400, {
      detail: `Cannot create flow run in work queue ${requested} because deployment ${deployment.id} is not associated with a work pool. Please remove work_pool_name and try again.`,
    });
  }
  return workQueues(ctx.workspace).getByKey(`${pool.id}/${requested}`) ?? createQueue(ctx, pool, { name: requested });
}

/**
 * A deployment that enforces its parameter schema (or a request that asks for it) refuses a run
 * whose parameters break it, required ones included (create_flow_run_from_deployment: 409
 * "Error creating flow run: ..." with schema_tools/validation.py validate's wording), and refuses
 * any run when it has no schema to enforce.
 */
function checkParameters(deployment: DeploymentEntity, parameters: Body, requested: boolean | null | undefined): void {
  if (!(requested ?? deployment.enforce_parameter_schema)) return;
  const schema = deployment.parameter_openapi_schema;
  if (!schema || typeof schema !== "object" || Array.isArray(schema)) {
    throw new HttpError(409, {
      detail: "Error updating deployment: Cannot update parameters because parameter schema enforcement is enabled and the deployment does not have a valid parameter schema.",
    });
  }
  const violation = schemaViolation(parameters, schema);
  if (violation) throw new HttpError(409, { detail: `Error creating flow run: ${violation}` });
}

/**
 * The run's job variables, over the deployment's, over the defaults of the pool's variables
 * schema, must fit that schema (api/validation.py validate_job_variables_for_deployment_flow_run:
 * 422 "Error creating flow run: ..."). A null value of a field that has a default is accepted
 * (`allow_none_with_default`). Required variables are not checked here: Prefect checks them
 * only when every default is valid, which needs its block-reference resolution; the devserver
 * would rather accept a run a real server refuses than refuse one it accepts.
 */
function checkJobVariables(ctx: RequestContext, queue: WorkQueueEntity | undefined, deployment: DeploymentEntity, requested: Body | null | undefined): void {
  const pool = queue?.work_pool_id ? workPools(ctx.workspace).get(queue.work_pool_id) : undefined;
  const schema = (pool?.base_job_template as Body | undefined)?.variables as { properties?: Record<string, { default?: unknown }> } | undefined;
  if (!schema || typeof schema !== "object") return;
  const properties = schema.properties ?? {};
  const defaults = Object.fromEntries(Object.entries(properties).filter(([, property]) => property && typeof property === "object" && "default" in property).map(([name, property]) => [name, property.default]));
  const merged: Body = { ...defaults, ...((deployment.job_variables as Body | null | undefined) ?? {}), ...(requested ?? {}) };
  for (const [name, value] of Object.entries(merged)) if (value === null && properties[name] && "default" in (properties[name] as object)) delete merged[name];
  const violation = schemaViolation(merged, schema, { ignoreRequired: true });
  if (violation) throw new HttpError(422, { detail: `Error creating flow run: ${violation}` });
}

/** Create a run from a deployment; answers the existing run (200) for a known idempotency key. */
function createFromDeployment(ctx: RequestContext, body: Body): { run: FlowRunEntity; isNew: boolean } {
  const deployment = found(deployments(ctx.workspace).get(ctx.params.id ?? ""), DEPLOYMENT_NOT_FOUND);
  const key = body.idempotency_key as string | null | undefined;
  // models/flow_runs.py create_flow_run: (flow_id, idempotency_key) is unique; a repeat answers the first run.
  const existing = key ? flowRuns(ctx.workspace).filter((run) => run.flow_id === deployment.flow_id && run.idempotency_key === key)[0] : undefined;
  if (existing) return { run: existing, isNew: false };
  // The deployment's parameters, overridden by the request's (not hydrated: `__prefect_kind` values are kept as sent).
  const parameters = { ...(deployment.parameters ?? {}), ...((body.parameters as Body | undefined) ?? {}) };
  checkParameters(deployment, parameters, body.enforce_parameter_schema as boolean | null | undefined);
  checkJobVariables(ctx, deployment.work_queue_id ? workQueues(ctx.workspace).get(deployment.work_queue_id) : undefined, deployment, body.job_variables as Body | null | undefined);
  const queue = runQueue(ctx, deployment, body.work_queue_name as string | null | undefined);
  const id = ctx.services.newId();
  const state = firstState(ctx, id, body.state as Body | null | undefined);
  const scheduled = state.type === "SCHEDULED" ? (state.state_details?.scheduled_time ?? null) : null;
  const tags = [...(deployment.tags ?? [])];
  for (const tag of (body.tags as string[] | undefined) ?? []) if (!tags.includes(tag)) tags.push(tag);
  const run: FlowRunEntity = {
    ...stamp(ctx),
    id,
    // actions.py DeploymentFlowRunCreate.set_name: a missing or null name is a generated slug.
    name: (body.name as string | null | undefined) ?? runName(),
    flow_id: deployment.flow_id,
    state_id: state.id,
    deployment_id: deployment.id,
    deployment_version: deployment.version ?? null,
    work_queue_id: queue?.id ?? null,
    work_queue_name: queue?.name ?? deployment.work_queue_name ?? null,
    flow_version: null,
    parameters,
    idempotency_key: key ?? null,
    context: (body.context as Body | undefined) ?? {},
    empirical_policy: { ...POLICY_DEFAULTS, ...((body.empirical_policy as Body | undefined) ?? {}) },
    tags,
    // models/deployments.py with_system_labels_for_deployment_flow_run: deployment labels, system labels, then the request's.
    labels: { ...(deployment.labels ?? {}), "prefect.flow.id": deployment.flow_id, "prefect.deployment.id": deployment.id, ...((body.labels as Body | null | undefined) ?? {}) } as FlowRunEntity["labels"],
    parent_task_run_id: (body.parent_task_run_id as string | null | undefined) ?? null,
    state_type: state.type,
    state_name: state.name ?? null,
    run_count: 0,
    // global_policy.py SetExpectedStartTime and SetNextScheduledStartTime.
    expected_start_time: scheduled ?? state.timestamp ?? null,
    next_scheduled_start_time: scheduled,
    start_time: null,
    end_time: null,
    total_run_time: 0.0,
    estimated_run_time: 0.0,
    estimated_start_time_delta: 0.0,
    auto_scheduled: false,
    infrastructure_document_id: (body.infrastructure_document_id as string | null | undefined) ?? deployment.infrastructure_document_id ?? null,
    infrastructure_pid: null,
    created_by: null,
    work_pool_id: null,
    work_pool_name: null,
    state,
    job_variables: (body.job_variables as Body | null | undefined) ?? {},
  };
  return { run: flowRuns(ctx.workspace).put(run), isNew: true };
}

/**
 * A run as Prefect answers it: its pool through its queue (schemas/responses.py
 * FlowRunResponse.model_validate; a deleted queue leaves none, `ON DELETE SET NULL`), and its
 * lateness as of now for a run not started nor finished (orm_models.py estimated_start_time_delta).
 */
function runResponse(ws: Workspace, run: FlowRunEntity, now: Date): FlowRunEntity {
  const queue = run.work_queue_id ? workQueues(ws).get(run.work_queue_id) : undefined;
  const pool = queue?.work_pool_id ? workPools(ws).get(queue.work_pool_id) : undefined;
  const expected = run.expected_start_time ? Date.parse(run.expected_start_time) : undefined;
  const late = !run.start_time && expected !== undefined && expected < now.getTime() && !TERMINAL.has(String(run.state_type));
  return {
    ...run,
    work_queue_id: queue ? queue.id : null,
    work_pool_id: pool ? pool.id : null,
    work_pool_name: pool ? pool.name : null,
    estimated_start_time_delta: late ? (now.getTime() - (expected as number)) / 1000 : 0.0,
  };
}

/**
 * Runs matching a flow_runs/filter-style body: the run filter itself, and the flow, deployment,
 * pool and queue filters through the run's flow, deployment and queue (a run with none of those
 * does not match a filter on it). Task runs are not kept: a task run filter matches nothing.
 */
function matchingRuns(ctx: RequestContext): FlowRunEntity[] {
  const body = (ctx.body ?? {}) as Body;
  const ws = ctx.workspace;
  if (given(body.task_runs)) return [];
  const links = linksOf(ws);
  const runFilter = given(body.flow_runs) ? body.flow_runs : undefined;
  const flowFilter = given(body.flows) ? body.flows : undefined;
  const deploymentFilter = given(body.deployments) ? body.deployments : undefined;
  const poolFilter = given(body.work_pools) ? body.work_pools : undefined;
  const queueFilter = given(body.work_pool_queues) ? body.work_pool_queues : undefined;
  // The flows that have deployments, gathered once per request and only when a flow filter asks.
  let withDeployments: Set<string> | undefined;
  const hasDeployments = (flowId: string): boolean => (withDeployments ??= new Set(deployments(ws).all().map((deployment) => deployment.flow_id))).has(flowId);
  return flowRuns(ws).filter((run) => {
    if (runFilter && !flowRunMatches(run, runFilter)) return false;
    if (flowFilter) {
      const flow = flows(ws).get(run.flow_id);
      if (!flow || !flowMatches(flow, flowFilter, hasDeployments)) return false;
    }
    if (deploymentFilter) {
      const deployment = run.deployment_id ? deployments(ws).get(run.deployment_id) : undefined;
      if (!deployment || !deploymentMatches(deployment, () => deploymentFacts(links, deployment), deploymentFilter)) return false;
    }
    if (poolFilter || queueFilter) {
      const queue = run.work_queue_id ? workQueues(ws).get(run.work_queue_id) : undefined;
      if (!queue || (queueFilter && !workQueueMatches(queue, queueFilter))) return false;
      const pool = queue.work_pool_id ? workPools(ws).get(queue.work_pool_id) : undefined;
      if (poolFilter && (!pool || !workPoolMatches(pool, poolFilter))) return false;
    }
    return true;
  });
}

/** Prefect's FlowRunSort (schemas/sorting.py); the default is ID_DESC. */
const FLOW_RUN_SORTS = {
  ID_DESC: (run: FlowRunEntity) => run.id,
  START_TIME_ASC: (run: FlowRunEntity) => run.start_time,
  START_TIME_DESC: (run: FlowRunEntity) => run.start_time,
  EXPECTED_START_TIME_ASC: (run: FlowRunEntity) => run.expected_start_time,
  EXPECTED_START_TIME_DESC: (run: FlowRunEntity) => run.expected_start_time,
  NAME_ASC: (run: FlowRunEntity) => run.name,
  NAME_DESC: (run: FlowRunEntity) => run.name,
  NEXT_SCHEDULED_START_TIME_ASC: (run: FlowRunEntity) => run.next_scheduled_start_time,
  END_TIME_DESC: (run: FlowRunEntity) => run.end_time,
};

const sortedRuns = (ctx: RequestContext): FlowRunEntity[] => sortBy(matchingRuns(ctx), (ctx.body as Body | undefined)?.sort ?? "ID_DESC", FLOW_RUN_SORTS);

/** Register `POST /deployments/{id}/create_flow_run` and the flow run routes (`/flow_runs/...`). */
export function registerFlowRunsRoutes(router: Router): void {
  // create_flow_run_from_deployment answers 201 for a new run and 200 for an idempotent repeat.
  // The body is parsed here, not by the server: a null `name` is replaced before validation
  // (actions.py DeploymentFlowRunCreate.set_name, a `mode="before"` validator), which the
  // document's `name: string` cannot say; Prefect's client sends `"name": null` for
  // `prefect deployment run` (client/orchestration/_deployments/client.py create_flow_run_from_deployment).
  router.post(
    "/deployments/{id}/create_flow_run",
    (ctx) => {
      const id = ctx.params.id ?? "";
      const sent = ctx.body === undefined ? {} : ctx.body;
      if (!UUID_PATTERN.test(id)) throw invalidUuidParam("id", id, sent);
      ctx.params.id = id.toLowerCase();
      const body = sent && typeof sent === "object" && !Array.isArray(sent) && (sent as Body).name === null ? { ...(sent as Body), name: runName() } : sent;
      const parsed = Contract.load(ctx.dialect).validateRequest("POST", ctx.template, body, { lax: true });
      if (!parsed.ok) throw unprocessable(parsed.issues, sent);
      const { run, isNew } = createFromDeployment(ctx, body as Body);
      const response = runResponse(ctx.workspace, run, ctx.now);
      return isNew ? created(response) : ok(response);
    },
    { rawBody: true },
  );

  router.get("/flow_runs/{id}", (ctx) => ok(runResponse(ctx.workspace, found(flowRuns(ctx.workspace).get(ctx.params.id ?? ""), FLOW_RUN_NOT_FOUND), ctx.now)));

  router.delete("/flow_runs/{id}", (ctx) => {
    if (!flowRuns(ctx.workspace).delete(ctx.params.id ?? "")) throw new HttpError(404, { detail: FLOW_RUN_NOT_FOUND });
    return noContent();
  });

  router.post("/flow_runs/filter", (ctx) => ok(page(sortedRuns(ctx), ctx).map((run) => runResponse(ctx.workspace, run, ctx.now))));

  router.post("/flow_runs/count", (ctx) => ok(matchingRuns(ctx).length));

  router.post("/flow_runs/paginate", (ctx) => {
    const result = paginate(sortedRuns(ctx), ctx);
    return ok({ ...result, results: result.results.map((run) => runResponse(ctx.workspace, run, ctx.now)) });
  });
}
