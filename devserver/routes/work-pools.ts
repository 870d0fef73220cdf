// Work pools and their queues. Every pool is created with a `default` queue (priority 1) that
// cannot be deleted; queue priorities stay unique within a pool, shifting other queues down
// as Prefect's bulk priority update does. Pools whose names start with "prefect" are
// reserved. The global `/work_queues` routes see every queue of every pool; their by-name
// lookup only sees the legacy `default-agent-pool`.
import { workPools, workQueues, type WorkPoolEntity, type WorkQueueEntity } from "../collections.js";
import { found, page, sortByName, stamp, timestamp } from "../filters.js";
import { HttpError, conflict, created, internalServerError, integrityConflict, noContent, notFound, ok, valueError } from "../http.js";
import type { RequestContext, Router } from "../router.js";
import type { Collection, Workspace } from "../store.js";
import { given, workPoolMatches, workQueueMatches } from "./deployment-filters.js";

type Body = Record<string, unknown>;

/** The pool the server creates for queues named without a pool (agents, legacy deployments). */
export const DEFAULT_AGENT_WORK_POOL_NAME = "default-agent-pool";
const DEFAULT_QUEUE_DESCRIPTION = "The work pool's default queue.";
/** A queue whose last poll is at most this old counts as ready when it is resumed. */
const RECENT_POLL_MS = 60_000;

/** `Work pool "x" not found.`, Prefect's 404 for every pool looked up by name. */
export function poolNotFound(name: string): HttpError {
  return notFound(`Work pool "${name}" not found.`);
}

function isReserved(name: string): boolean {
  return name.toLowerCase().startsWith("prefect");
}

// Queues by pool, kept beside the queue collection so a pool's queues are found without
// scanning every queue. Built from the collection on first use (after a restart or a reset the
// collection is a new object) and kept current by putQueue/removeQueue, the only writers.
const queuesByPool = new WeakMap<Collection<WorkQueueEntity>, Map<string, Set<string>>>();

function poolIndex(ws: Workspace): Map<string, Set<string>> {
  const collection = workQueues(ws);
  let index = queuesByPool.get(collection);
  if (!index) {
    index = new Map();
    for (const queue of collection.all()) addToIndex(index, queue);
    queuesByPool.set(collection, index);
  }
  return index;
}

function addToIndex(index: Map<string, Set<string>>, queue: WorkQueueEntity): void {
  const poolId = queue.work_pool_id ?? "";
  let ids = index.get(poolId);
  if (!ids) {
    ids = new Set();
    index.set(poolId, ids);
  }
  ids.add(queue.id);
}

function putQueue(ws: Workspace, queue: WorkQueueEntity): WorkQueueEntity {
  const index = poolIndex(ws);
  workQueues(ws).put(queue);
  addToIndex(index, queue);
  return queue;
}

function removeQueue(ws: Workspace, queue: WorkQueueEntity): void {
  poolIndex(ws)
    .get(queue.work_pool_id ?? "")
    ?.delete(queue.id);
  workQueues(ws).delete(queue.id);
}

/** The queues of a pool, highest priority (lowest number) first. */
export function queuesOfPool(ws: Workspace, poolId: string): WorkQueueEntity[] {
  const collection = workQueues(ws);
  const out: WorkQueueEntity[] = [];
  for (const id of poolIndex(ws).get(poolId) ?? []) {
    const queue = collection.get(id);
    if (queue) out.push(queue);
  }
  return out.sort((a, b) => (a.priority ?? 1) - (b.priority ?? 1) || String(a.created).localeCompare(String(b.created)) || a.id.localeCompare(b.id));
}

/** The pool named `name`, or a 404 in Prefect's words. */
export function findPool(ws: Workspace, name: string): WorkPoolEntity {
  const pool = workPools(ws).getByKey(name);
  if (!pool) throw poolNotFound(name);
  return pool;
}

/** A pool as returned: `active_slots` is only counted when the pool has a concurrency limit. */
export function poolResponse(pool: WorkPoolEntity): WorkPoolEntity {
  return { ...pool, active_slots: pool.concurrency_limit === null || pool.concurrency_limit === undefined ? null : 0 };
}

/** A queue as returned: `active_slots` is only counted when the queue has a concurrency limit. */
export function queueResponse(queue: WorkQueueEntity): WorkQueueEntity {
  return { ...queue, active_slots: queue.concurrency_limit === null || queue.concurrency_limit === undefined ? null : 0 };
}

/** The placeholders (`{{ name }}`) a job configuration uses, other than Prefect's own references. */
function templatePlaceholders(template: unknown): Set<string> {
  const names = new Set<string>();
  for (const match of JSON.stringify(template ?? null).matchAll(/\{\{\s*([\w.\-[\]$]+)\s*\}\}/g)) {
    const name = match[1] ?? "";
    if (!name.startsWith("prefect.") && !name.startsWith("$")) names.add(name);
  }
  return names;
}

/**
 * Prefect's base job template rule: `{}`, or both `job_configuration` and `variables`, every
 * placeholder of the job configuration being declared as a variable.
 */
function checkBaseJobTemplate(template: unknown, requestBody: unknown): void {
  if (!template || typeof template !== "object" || Object.keys(template).length === 0) return;
  const record = template as Record<string, unknown>;
  const jobConfiguration = record.job_configuration as Record<string, unknown> | undefined;
  const variables = record.variables as { properties?: Record<string, unknown> } | undefined;
  // A pydantic validator's ValueError, `ctx` included (scenarios.jsonl "pool bad template").
  const fail = (message: string): never => {
    throw valueError(["body", "base_job_template"], message, template, requestBody);
  };
  if (!jobConfiguration || !Object.keys(jobConfiguration).length || !variables || !Object.keys(variables).length) {
    fail("The `base_job_template` must contain both a `job_configuration` key and a `variables` key.");
  }
  const declared = new Set(Object.keys(variables?.properties ?? {}));
  const missing = [...templatePlaceholders(Object.values(jobConfiguration ?? {}))].filter((name) => !declared.has(name));
  if (missing.length) {
    fail(
      "The variables specified in the job configuration template must be present as properties in the variables schema. " +
        `Your job configuration uses the following undeclared variable(s): ${missing.join(" ,")}.`,
    );
  }
}

/** Work pool names may not be blank (quotes and spaces alone count as blank). */
function checkPoolName(name: string, requestBody: unknown): void {
  // A pydantic validator's ValueError, like the template's (schemas/actions.py WorkPoolCreate, validate_name_characters).
  if (!name.replace(/['" ]/g, "")) throw valueError(["body", "name"], "name cannot be an empty string", name, requestBody);
}

/**
 * Rewrite priorities in a pool so they stay unique, as Prefect's bulk update does: the
 * queues in `wanted` take their new priority, queues in the way move down by one, and no
 * other queue changes.
 */
function settlePriorities(ctx: RequestContext, poolId: string, wanted: Map<string, number>): void {
  const all = queuesOfPool(ctx.workspace, poolId);
  const slots = all.filter((queue) => !wanted.has(queue.id)).map((queue) => ({ queue, priority: queue.priority ?? 1 }));
  const moved = all.filter((queue) => wanted.has(queue.id)).sort((a, b) => (wanted.get(a.id) ?? 0) - (wanted.get(b.id) ?? 0));
  const finalPriority = new Map<string, number>();
  for (const queue of moved) {
    const priority = wanted.get(queue.id) ?? 1;
    const at = slots.findIndex((slot) => slot.priority >= priority);
    if (at >= 0) slots.splice(at, 0, { queue, priority });
    else finalPriority.set(queue.id, priority);
  }
  let last = 0;
  for (const slot of slots) {
    if (slot.priority <= last) slot.priority = ++last;
    else last = slot.priority;
    finalPriority.set(slot.queue.id, slot.priority);
  }
  for (const queue of all) {
    const priority = finalPriority.get(queue.id) ?? queue.priority;
    if (priority !== queue.priority) putQueue(ctx.workspace, { ...queue, priority, updated: timestamp(ctx.now) });
  }
}

/** The first priority not taken in a pool (gaps are filled before the end). */
function firstFreePriority(ws: Workspace, poolId: string): number {
  const taken = queuesOfPool(ws, poolId)
    .map((queue) => queue.priority ?? 1)
    .sort((a, b) => a - b);
  for (let index = 0; index < taken.length; index++) if (taken[index] !== index + 1) return index + 1;
  return (taken[taken.length - 1] ?? 0) + 1;
}

/** What a WorkQueueCreate carries. */
export interface QueueInput {
  name: string;
  description?: string | null;
  is_paused?: boolean;
  concurrency_limit?: number | null;
  priority?: number | null;
  filter?: WorkQueueEntity["filter"];
}

/** Create a queue in a pool (the caller checks the name is free). */
export function createQueue(ctx: RequestContext, pool: WorkPoolEntity, input: QueueInput): WorkQueueEntity {
  const requested = input.priority ?? null;
  const queue = putQueue(ctx.workspace, {
    ...stamp(ctx),
    name: input.name,
    // The column is NOT NULL with a default of "": a null description is stored as ""
    // (orm_models.py WorkQueue.description; prefect-cli.jsonl #230 sent null, got "").
    description: input.description ?? "",
    is_paused: input.is_paused ?? false,
    concurrency_limit: input.concurrency_limit ?? null,
    priority: requested ?? firstFreePriority(ctx.workspace, pool.id),
    work_pool_id: pool.id,
    filter: input.filter ?? null,
    last_polled: null,
    work_pool_name: pool.name,
    status: "NOT_READY",
  });
  if (requested) settlePriorities(ctx, pool.id, new Map([[queue.id, requested]]));
  return workQueues(ctx.workspace).get(queue.id) ?? queue;
}

/** Create a pool with its default queue. */
export function createPool(ctx: RequestContext, input: Body): WorkPoolEntity {
  const type = (input.type as string | undefined) ?? "prefect-agent";
  const isPaused = (input.is_paused as boolean | undefined) ?? false;
  const pool: WorkPoolEntity = {
    ...stamp(ctx),
    name: input.name as string,
    description: (input.description as string | null | undefined) ?? null,
    type,
    base_job_template: (input.base_job_template as Record<string, unknown> | undefined) ?? {},
    is_paused: isPaused,
    concurrency_limit: (input.concurrency_limit as number | null | undefined) ?? null,
    // Agent pools have no status at all; worker pools start NOT_READY until a worker polls
    // (models/workers.py create_work_pool; client-suite.jsonl.gz #1, a prefect-agent pool: null).
    status: type === "prefect-agent" ? null : isPaused ? "PAUSED" : "NOT_READY",
    default_queue_id: null,
    storage_configuration: {
      bundle_upload_step: null,
      bundle_execution_step: null,
      default_result_storage_block_id: null,
      ...((input.storage_configuration as Record<string, unknown> | undefined) ?? {}),
    },
  };
  workPools(ctx.workspace).put(pool);
  const queue = createQueue(ctx, pool, { name: "default", description: DEFAULT_QUEUE_DESCRIPTION });
  return workPools(ctx.workspace).put({ ...pool, default_queue_id: queue.id });
}

/**
 * The queue a deployment runs on, given a pool and an optional queue name: the pool's default
 * queue when no name is given, the named queue otherwise (created in the pool if missing).
 */
export function queueForDeployment(ctx: RequestContext, poolName: string, queueName: string | null | undefined): WorkQueueEntity {
  const pool = findPool(ctx.workspace, poolName);
  if (!queueName) return found(workQueues(ctx.workspace).get(pool.default_queue_id ?? ""), `Work pool "${poolName}" not found.`);
  return workQueues(ctx.workspace).getByKey(`${pool.id}/${queueName}`) ?? createQueue(ctx, pool, { name: queueName });
}

/** The legacy agent pool, created on demand like Prefect's `ensure_work_queue_exists` does. */
function defaultAgentPool(ctx: RequestContext): WorkPoolEntity {
  return workPools(ctx.workspace).getByKey(DEFAULT_AGENT_WORK_POOL_NAME) ?? createPool(ctx, { name: DEFAULT_AGENT_WORK_POOL_NAME, type: "prefect-agent" });
}

/** A queue named without a pool: found or created in the default agent pool. */
export function legacyQueue(ctx: RequestContext, name: string): WorkQueueEntity {
  const pool = defaultAgentPool(ctx);
  return workQueues(ctx.workspace).getByKey(`${pool.id}/${name}`) ?? createQueue(ctx, pool, { name, priority: 1 });
}

/**
 * Apply a WorkQueueUpdate. Through the pool's route a new priority renumbers the other queues
 * (models/workers.update_work_queue); the global `/work_queues/{id}` route writes the number as
 * it is (models/work_queues.update_work_queue), duplicates included.
 */
function updateQueue(ctx: RequestContext, queue: WorkQueueEntity, body: Body, renumber: boolean): void {
  const next: WorkQueueEntity = { ...queue, ...stamp(ctx, queue) };
  if (typeof body.name === "string" && body.name !== queue.name) {
    if (workQueues(ctx.workspace).getByKey(`${queue.work_pool_id ?? ""}/${body.name}`)) throw integrityConflict();
    next.name = body.name;
  }
  if (body.description !== undefined) next.description = body.description as string | null;
  if (body.concurrency_limit !== undefined) next.concurrency_limit = body.concurrency_limit as number | null;
  if (body.last_polled !== undefined) next.last_polled = body.last_polled as string | null;
  if (body.filter !== undefined) next.filter = body.filter as WorkQueueEntity["filter"];
  if (typeof body.is_paused === "boolean") {
    next.is_paused = body.is_paused;
    if (body.is_paused && queue.status !== "PAUSED") next.status = "PAUSED";
    if (!body.is_paused && queue.status === "PAUSED") {
      const polled = next.last_polled ? Date.parse(next.last_polled) : Number.NaN;
      next.status = ctx.now.getTime() - polled <= RECENT_POLL_MS ? "READY" : "NOT_READY";
    }
  }
  if (typeof body.priority === "number" && !renumber) next.priority = body.priority;
  putQueue(ctx.workspace, next);
  if (typeof body.priority === "number" && renumber) settlePriorities(ctx, queue.work_pool_id ?? "", new Map([[queue.id, body.priority]]));
}

/** The queue of a pool by name, or Prefect's 404 for it. */
function poolQueue(ws: Workspace, poolName: string, queueName: string): WorkQueueEntity {
  const pool = workPools(ws).getByKey(poolName);
  const queue = pool ? workQueues(ws).getByKey(`${pool.id}/${queueName}`) : undefined;
  if (!queue) throw notFound(`Work pool queue '${poolName}/${queueName}' not found.`);
  return queue;
}

function matchingPools(ctx: RequestContext): WorkPoolEntity[] {
  const filter = (ctx.body as Body | undefined)?.work_pools as Body | null | undefined;
  return sortByName(workPools(ctx.workspace).filter((pool) => workPoolMatches(pool, filter)));
}

/** Register the work pool and work queue routes (`/work_pools/...`, `/work_queues/...`). */
export function registerWorkPoolsRoutes(router: Router): void {
  router.post("/work_pools/", (ctx) => {
    const body = ctx.body as Body;
    const name = body.name as string;
    if (isReserved(name)) throw new HttpError(403, { detail: "Work pools starting with 'Prefect' are reserved for internal use." });
    // A 422 echoes the body as sent, not with defaults filled (scenarios.jsonl "pool bad template").
    checkPoolName(name, ctx.sent);
    checkBaseJobTemplate(body.base_job_template, ctx.sent);
    if (workPools(ctx.workspace).getByKey(name)) throw conflict("A work pool with this name already exists.");
    return created(poolResponse(createPool(ctx, body)));
  });

  router.get("/work_pools/{name}", (ctx) => ok(poolResponse(findPool(ctx.workspace, ctx.params.name ?? ""))));

  router.patch("/work_pools/{name}", (ctx) => {
    const name = ctx.params.name ?? "";
    // exclude_unset: only what the request sent is written.
    const body = ctx.sent as Body;
    if (isReserved(name) && Object.keys(body).some((key) => key !== "is_paused" && key !== "concurrency_limit")) {
      throw new HttpError(403, {
        detail: "Work pools starting with 'Prefect' are reserved for internal use and can only be updated to set concurrency limits or pause.",
      });
    }
    if (body.base_job_template !== undefined && body.base_job_template !== null) checkBaseJobTemplate(body.base_job_template, body);
    const pool = findPool(ctx.workspace, name);
    const next: WorkPoolEntity = { ...pool, ...stamp(ctx, pool) };
    if (body.description !== undefined) next.description = body.description as string | null;
    if (body.concurrency_limit !== undefined) next.concurrency_limit = body.concurrency_limit as number | null;
    if (body.base_job_template !== undefined && body.base_job_template !== null) next.base_job_template = body.base_job_template as Record<string, unknown>;
    if (body.storage_configuration !== undefined && body.storage_configuration !== null) {
      next.storage_configuration = { bundle_upload_step: null, bundle_execution_step: null, default_result_storage_block_id: null, ...(body.storage_configuration as Body) };
    }
    if (typeof body.is_paused === "boolean") {
      next.is_paused = body.is_paused;
      // No workers ever poll the devserver, so a resumed worker pool is NOT_READY.
      if (pool.type !== "prefect-agent") next.status = body.is_paused ? "PAUSED" : "NOT_READY";
    }
    workPools(ctx.workspace).put(next);
    return noContent();
  });

  // No worker ever heartbeats to the devserver: a known pool lists none, an unknown one is a 404
  // (api/workers.py read_workers; prefect-cli.jsonl #242, `prefect work-pool inspect`).
  router.post("/work_pools/{work_pool_name}/workers/filter", (ctx) => {
    findPool(ctx.workspace, ctx.params.work_pool_name ?? "");
    return ok(page([], ctx));
  });

  router.delete("/work_pools/{name}", (ctx) => {
    const name = ctx.params.name ?? "";
    if (isReserved(name)) {
      throw new HttpError(403, { detail: "Work pools starting with 'Prefect' are reserved for internal use and can not be deleted." });
    }
    const pool = findPool(ctx.workspace, name);
    for (const queue of queuesOfPool(ctx.workspace, pool.id)) removeQueue(ctx.workspace, queue);
    workPools(ctx.workspace).delete(pool.id);
    return noContent();
  });

  router.post("/work_pools/filter", (ctx) => ok(page(matchingPools(ctx), ctx).map(poolResponse)));

  router.post("/work_pools/count", (ctx) => ok(matchingPools(ctx).length));

  router.post("/work_pools/{work_pool_name}/queues", (ctx) => {
    const body = ctx.body as Body;
    const pool = findPool(ctx.workspace, ctx.params.work_pool_name ?? "");
    if (workQueues(ctx.workspace).getByKey(`${pool.id}/${body.name as string}`)) {
      // Prefect's message is not an f-string: the braces reach the client as they are.
      throw conflict("A work queue with this name already exists in work pool {work_pool_name!r}.");
    }
    return created(queueResponse(createQueue(ctx, pool, body as unknown as QueueInput)));
  });

  router.get("/work_pools/{work_pool_name}/queues/{name}", (ctx) =>
    ok(queueResponse(poolQueue(ctx.workspace, ctx.params.work_pool_name ?? "", ctx.params.name ?? ""))),
  );

  router.patch("/work_pools/{work_pool_name}/queues/{name}", (ctx) => {
    const poolName = ctx.params.work_pool_name ?? "";
    findPool(ctx.workspace, poolName);
    updateQueue(ctx, poolQueue(ctx.workspace, poolName, ctx.params.name ?? ""), ctx.sent as Body, true);
    return noContent();
  });

  router.delete("/work_pools/{work_pool_name}/queues/{name}", (ctx) => {
    const poolName = ctx.params.work_pool_name ?? "";
    const pool = findPool(ctx.workspace, poolName);
    const queue = poolQueue(ctx.workspace, poolName, ctx.params.name ?? "");
    if (pool.default_queue_id === queue.id) {
      // Prefect raises a ValueError its API does not catch: the client gets a bare 500
      // (api/server.py custom_internal_exception_handler), nothing saying why.
      throw internalServerError();
    }
    removeQueue(ctx.workspace, queue);
    settlePriorities(ctx, pool.id, new Map());
    return noContent();
  });

  router.post("/work_pools/{work_pool_name}/queues/filter", (ctx) => {
    const pool = findPool(ctx.workspace, ctx.params.work_pool_name ?? "");
    const filter = (ctx.body as Body | undefined)?.work_queues as Body | null | undefined;
    const queues = queuesOfPool(ctx.workspace, pool.id).filter((queue) => workQueueMatches(queue, filter));
    return ok(page(queues, ctx).map(queueResponse));
  });

  // The global queue routes act on queues of every pool, by id.
  router.post("/work_queues/", (ctx) => {
    const body = ctx.body as Body;
    let pool = workPools(ctx.workspace).getByKey(DEFAULT_AGENT_WORK_POOL_NAME);
    if (!pool) {
      pool = createPool(ctx, { name: DEFAULT_AGENT_WORK_POOL_NAME, type: "prefect-agent" });
      // The new agent pool already made its `default` queue: Prefect hands that one back.
      if (body.name === "default") return created(queueResponse(found(workQueues(ctx.workspace).get(pool.default_queue_id ?? ""), "work queue not found")));
    }
    if (workQueues(ctx.workspace).getByKey(`${pool.id}/${body.name as string}`)) throw conflict("A work queue with this name already exists.");
    return created(queueResponse(createQueue(ctx, pool, body as unknown as QueueInput)));
  });

  router.post("/work_queues/filter", (ctx) => {
    const filter = (ctx.body as Body | undefined)?.work_queues as Body | null | undefined;
    const queues = sortByName(workQueues(ctx.workspace).filter((queue) => !given(filter) || workQueueMatches(queue, filter)));
    return ok(page(queues, ctx).map(queueResponse));
  });

  router.get("/work_queues/name/{name}", (ctx) => {
    const name = ctx.params.name ?? "";
    const agentPool = workPools(ctx.workspace).getByKey(DEFAULT_AGENT_WORK_POOL_NAME);
    // Without the agent pool, Prefect falls back to any queue of that name.
    const queue = agentPool ? workQueues(ctx.workspace).getByKey(`${agentPool.id}/${name}`) : workQueues(ctx.workspace).filter((candidate) => candidate.name === name)[0];
    return ok(queueResponse(found(queue, "work queue not found")));
  });

  router.get("/work_queues/{id}", (ctx) => ok(queueResponse(found(workQueues(ctx.workspace).get(ctx.params.id ?? ""), "work queue not found"))));

  router.patch("/work_queues/{id}", (ctx) => {
    const queue = workQueues(ctx.workspace).get(ctx.params.id ?? "");
    // Prefect formats Python's builtin `id` into this message, not the queue id.
    if (!queue) throw notFound("Work Queue <built-in function id> not found");
    updateQueue(ctx, queue, ctx.sent as Body, false);
    return noContent();
  });

  router.delete("/work_queues/{id}", (ctx) => {
    const queue = found(workQueues(ctx.workspace).get(ctx.params.id ?? ""), "work queue not found");
    const pool = workPools(ctx.workspace).get(queue.work_pool_id ?? "");
    // This route deletes without the pool-queue route's check: the default queue's foreign key
    // refuses, and Prefect reports the integrity error.
    if (pool?.default_queue_id === queue.id) throw integrityConflict();
    removeQueue(ctx.workspace, queue);
    return noContent();
  });
}
