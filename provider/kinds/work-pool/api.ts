// prefect_work_pool through the API: /work_pools/. Prefect addresses pools by name (reads,
// updates, deletes); the id, which the engine keeps, is resolved through the filter route.
import type { components } from "../../../contract/wire.gen.js";
import { filterAll, filterByIdsAndNames } from "../../client/paginate.js";
import { isObject } from "../compare.js";
import type { Kind, KindContext } from "../kind.js";
import { cloudScopeOf, createSafely, deleteIgnoringMissing, orUndefined, readBack } from "../runtime.js";
import { changedFields, writesAnything, type WireFields } from "../update-body.js";
import { workPoolSchema, type WorkPoolSpec } from "./schema.js";

type WorkPoolResponse = components["schemas"]["WorkPoolResponse"];
type WorkPoolCreate = components["schemas"]["WorkPoolCreate"];
type WorkPoolUpdate = components["schemas"]["WorkPoolUpdate"];

/** A work pool as read, with the Prefect Cloud account and workspace the client read it from. */
export type WorkPool = WorkPoolResponse & { account_id?: string; workspace_id?: string };

/**
 * The memo key of the run's list of every work pool. The queue kind reads the same list when it
 * has to go pool by pool, so one run lists pools once.
 */
export const WORK_POOL_LIST_MEMO = "list:prefect_work_pool";

const liveOf = (ctx: KindContext, raw: WorkPoolResponse): WorkPool => ({ ...raw, ...cloudScopeOf(ctx.client) });

const path = (name: string): string => `/work_pools/${encodeURIComponent(name)}`;

/** Every work pool, listed once per run (pages of 200, sorted by the unique name). */
export function listWorkPools(ctx: KindContext): Promise<WorkPool[]> {
  return ctx.memo(WORK_POOL_LIST_MEMO, async () => (await filterAll<WorkPoolResponse>(ctx.client, "/work_pools/filter")).map((raw) => liveOf(ctx, raw)));
}

/** A write to pools: the run's pool list is read again afterwards, whatever the outcome. */
async function changingPools<T>(ctx: KindContext, write: Promise<T>): Promise<T> {
  try {
    return await write;
  } finally {
    ctx.forget(WORK_POOL_LIST_MEMO);
  }
}

async function read(ctx: KindContext, id: string): Promise<WorkPool | undefined> {
  const [raw] = await ctx.client.query<WorkPoolResponse[]>("/work_pools/filter", { work_pools: { id: { any_: [id] } }, limit: 1 });
  return raw && liveOf(ctx, raw);
}

async function readByName(ctx: KindContext, name: string): Promise<WorkPool | undefined> {
  const raw = await orUndefined(ctx.client.get<WorkPoolResponse>(path(name)));
  return raw && liveOf(ctx, raw);
}

/**
 * How a pool's changed attributes are written (update-body.ts; Prefect writes only the fields
 * sent: models/workers.py update_work_pool). An optional field no longer declared is cleared with
 * null (scenarios.jsonl "pool patch clear limit", "pool after patch"; client-suite #4321); an
 * undeclared template never counts as changed, so the pool's own stands.
 */
export const WORK_POOL_UPDATES: WireFields<WorkPoolSpec, WorkPoolUpdate> = {
  description: (spec) => ({ description: spec.description ?? null }),
  paused: (spec) => ({ is_paused: spec.paused }),
  concurrency_limit: (spec) => ({ concurrency_limit: spec.concurrency_limit ?? null }),
  base_job_template: (spec) => (spec.base_job_template !== undefined ? { base_job_template: spec.base_job_template } : {}),
};

/**
 * prefect_work_pool: schema, and CRUD through `/work_pools/`. Deleting a pool deletes its queues
 * (Prefect cascades), its `default` queue included.
 */
export const workPoolKind: Kind<WorkPoolSpec, WorkPool> = {
  ...workPoolSchema,

  list: listWorkPools,

  // WorkPoolFilter has id.any_ and name.any_ (server-openapi.json WorkPoolFilterId, WorkPoolFilterName).
  readScoped: async (ctx, scope) => (await filterByIdsAndNames<WorkPoolResponse>(ctx.client, "/work_pools/filter", "work_pools", scope)).map((raw) => liveOf(ctx, raw)),

  read,

  find: (ctx, spec) => readByName(ctx, spec.name),

  create: (ctx, spec) => {
    const body: WorkPoolCreate = {
      name: spec.name,
      type: spec.type,
      is_paused: spec.paused,
      ...(spec.description !== undefined ? { description: spec.description } : {}),
      ...(spec.concurrency_limit !== undefined ? { concurrency_limit: spec.concurrency_limit } : {}),
      // Undeclared, no template is sent: the pool starts with the server's (empty) one (scenarios.jsonl "pool process").
      ...(spec.base_job_template !== undefined ? { base_job_template: spec.base_job_template } : {}),
    };
    // A name taken answers 409 (client-suite #4326): createSafely takes the pool found under it.
    return changingPools(
      ctx,
      createSafely({
        attempt: async () => liveOf(ctx, await ctx.client.post<WorkPoolResponse>("/work_pools/", body)),
        lookup: () => readByName(ctx, spec.name),
      }),
    );
  },

  update: async (ctx, id, spec, prior, changed) => {
    // The PATCH answers 204 without a body: read back.
    const body = changedFields(spec, changed, WORK_POOL_UPDATES);
    if (writesAnything(body)) await changingPools(ctx, ctx.client.patch(path(prior.name), body));
    return readBack(`work pool ${id}`, read(ctx, id));
  },

  delete: async (ctx, id) => {
    // Resolved by id even when the prior object is known: deleting by a stale name could
    // remove another pool that took the name since.
    const live = await read(ctx, id);
    if (!live) return;
    await changingPools(ctx, deleteIgnoringMissing(ctx.client.delete(path(live.name))));
  },

  idOf: (live) => live.id,
  identityOf: (live) => live.name,

  // `status` is not compared: null for a prefect-agent pool (client-suite #1), NOT_READY, PAUSED...
  // for others (scenarios.jsonl "pool process", "pool after patch"), and workers move it.
  toSpec: (live) => ({
    id: live.id,
    created: live.created ?? undefined,
    updated: live.updated ?? undefined,
    account_id: live.account_id,
    workspace_id: live.workspace_id,
    name: live.name,
    description: live.description ?? undefined,
    type: live.type,
    paused: live.is_paused ?? false,
    concurrency_limit: live.concurrency_limit ?? undefined,
    default_queue_id: live.default_queue_id ?? undefined,
    base_job_template: live.base_job_template ?? {},
  }),

  // Undeclared, the pool's template stands: an empty one says nothing.
  writeDeclaration: (declared) => {
    const template = declared.base_job_template;
    if (isObject(template) && Object.keys(template).length === 0) delete declared.base_job_template;
  },
};
