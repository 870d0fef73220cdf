// prefect_work_queue through the API. Queues are created, updated and looked up through their
// pool (/work_pools/{pool}/queues/...), read and deleted by id (/work_queues/{id}), and listed
// for every pool at once (/work_queues/filter).
import type { components } from "../../../contract/wire.gen.js";
import { filterByIdsAndNames, PAGE_SIZE } from "../../client/paginate.js";
import { isUnknown } from "../compare.js";
import type { Kind, KindContext, ReadScope } from "../kind.js";
import { cloudScopeOf, createSafely, deleteIgnoringMissing, orUndefined, readBack, updateInPlace } from "../runtime.js";
import { changedFields, writesAnything, type WireFields } from "../update-body.js";
import { listWorkPools } from "../work-pool/api.js";
import { DEFAULT_QUEUE_NAME, workQueueSchema, type WorkQueueSpec } from "./schema.js";

type WorkQueueResponse = components["schemas"]["WorkQueueResponse"];
type WorkQueueCreate = components["schemas"]["WorkQueueCreate"];
type WorkQueueUpdate = components["schemas"]["WorkQueueUpdate"];

/** A work queue as read, with the Prefect Cloud account and workspace the client read it from. */
export type WorkQueue = WorkQueueResponse & { account_id?: string; workspace_id?: string };

const liveOf = (ctx: KindContext, raw: WorkQueueResponse): WorkQueue => ({ ...raw, ...cloudScopeOf(ctx.client) });

const queuesPath = (pool: string): string => `/work_pools/${encodeURIComponent(pool)}/queues`;
const queuePath = (pool: string, name: string): string => `${queuesPath(pool)}/${encodeURIComponent(name)}`;

async function read(ctx: KindContext, id: string): Promise<WorkQueue | undefined> {
  const raw = await orUndefined(ctx.client.get<WorkQueueResponse>(`/work_queues/${id}`));
  return raw && liveOf(ctx, raw);
}

async function find(ctx: KindContext, spec: Pick<WorkQueueSpec, "work_pool_name" | "name">): Promise<WorkQueue | undefined> {
  const raw = await orUndefined(ctx.client.get<WorkQueueResponse>(queuePath(spec.work_pool_name, spec.name)));
  return raw && liveOf(ctx, raw);
}

/**
 * Every queue of every pool. Prefect's global `/work_queues/filter` answers the queues of all
 * pools (its query has no pool condition), in pages sorted by name alone: a sort with ties
 * (every pool has a `default` queue) that a database may order differently from one page to the
 * next, so a group of same-named queues cut by a page boundary may come back with some queues
 * twice and others missing. Such a cut shows (the name that ends a page starts the next), and
 * those names are read again whole. Requests: ceil(queues / 200), plus one per cut name; a name
 * shared by 200 queues or more (only with that many pools) is read pool by pool.
 */
async function listQueues(ctx: KindContext): Promise<WorkQueue[]> {
  const byId = new Map<string, WorkQueueResponse>();
  const cut = new Set<string>();
  let lastName: string | undefined;
  for (let offset = 0; ; offset += PAGE_SIZE) {
    const page = await ctx.client.query<WorkQueueResponse[]>("/work_queues/filter", { offset, limit: PAGE_SIZE });
    if (lastName !== undefined && page[0]?.name === lastName) cut.add(lastName);
    for (const queue of page) byId.set(queue.id, queue);
    if (page.length < PAGE_SIZE) break;
    lastName = page[page.length - 1]?.name;
  }
  for (const name of cut) {
    const group = await ctx.client.query<WorkQueueResponse[]>("/work_queues/filter", { work_queues: { name: { any_: [name] } }, limit: PAGE_SIZE });
    // A group that fits one page came back whole; a bigger one has the same problem again.
    for (const queue of group.length < PAGE_SIZE ? group : await namedInEveryPool(ctx, name)) byId.set(queue.id, queue);
  }
  return [...byId.values()].map((raw) => liveOf(ctx, raw));
}

/**
 * The owned queues by id (WorkQueueFilter has id.any_: server-openapi.json WorkQueueFilterId),
 * in concurrent pages of 200 ids, and every queue with a declared name not owned (name.any_), in
 * one page: a page that comes back full may have been cut inside a group of same-named queues
 * (see listQueues), so then every queue is listed instead.
 */
async function readQueuesScoped(ctx: KindContext, scope: ReadScope): Promise<WorkQueue[]> {
  const names = [...new Set(scope.names)];
  const [byId, named] = await Promise.all([
    filterByIdsAndNames<WorkQueueResponse>(ctx.client, "/work_queues/filter", "work_queues", { ids: scope.ids, names: [] }),
    names.length ? ctx.client.query<WorkQueueResponse[]>("/work_queues/filter", { work_queues: { name: { any_: names } }, limit: PAGE_SIZE }) : Promise.resolve([]),
  ]);
  if (named.length >= PAGE_SIZE) return listQueues(ctx);
  return [...new Map([...byId, ...named].map((raw) => [raw.id, raw])).values()].map((raw) => liveOf(ctx, raw));
}

/** The queue called `name` in each pool (names are unique within a pool). */
async function namedInEveryPool(ctx: KindContext, name: string): Promise<WorkQueueResponse[]> {
  const pools = await listWorkPools(ctx);
  if (name === DEFAULT_QUEUE_NAME) {
    // Every pool names its default queue by id: pages of 200 ids instead of a request per pool.
    const ids = pools.map((pool) => pool.default_queue_id).filter((id): id is string => typeof id === "string");
    const pages: WorkQueueResponse[][] = [];
    for (let start = 0; start < ids.length; start += PAGE_SIZE) {
      pages.push(await ctx.client.query<WorkQueueResponse[]>("/work_queues/filter", { work_queues: { id: { any_: ids.slice(start, start + PAGE_SIZE) } }, limit: PAGE_SIZE }));
    }
    return pages.flat();
  }
  const answers = await Promise.all(
    pools.map((pool) => orUndefined(ctx.client.query<WorkQueueResponse[]>(`${queuesPath(pool.name)}/filter`, { work_queues: { name: { any_: [name] } }, limit: 1 }))),
  );
  return answers.flatMap((answer) => answer ?? []);
}

/**
 * How a queue's changed attributes are written (update-body.ts; Prefect writes only the fields
 * sent: models/workers.py update_work_queue). A limit no longer declared is cleared with null;
 * an undeclared priority is never sent, so the one Prefect gave the queue stands.
 */
export const WORK_QUEUE_UPDATES: WireFields<WorkQueueSpec, WorkQueueUpdate> = {
  description: (spec) => ({ description: spec.description }),
  is_paused: (spec) => ({ is_paused: spec.is_paused }),
  concurrency_limit: (spec) => ({ concurrency_limit: spec.concurrency_limit ?? null }),
  priority: (spec) => (spec.priority !== undefined ? { priority: spec.priority } : {}),
};

/**
 * prefect_work_queue: schema, and CRUD through the work pool and work queue routes.
 *
 * A pool's `default` queue exists as soon as the pool does and Prefect deletes it only with its
 * pool, so a declared `default` queue is adopted: `create` updates the existing queue to the
 * declaration instead of posting a new one (which would answer 409), and `delete` leaves it in
 * place without a request (Prefect refuses to delete it; it goes when its pool goes).
 *
 * Priorities are unique within a pool: a queue that takes a priority another queue holds pushes
 * that queue (and any queue right behind it) down by one (scenarios.jsonl "queue same priority",
 * "queues after priority clash"; client-suite #38-#40). Queues of one pool whose declared
 * priorities are written in ascending order all end up as declared; written in another order,
 * a later write can push a queue written before it away from its declared priority.
 */
export const workQueueKind: Kind<WorkQueueSpec, WorkQueue> = {
  ...workQueueSchema,

  // Written one at a time per pool, lowest declared priority first, so every queue ends where declared.
  serialization: (spec) => ({ group: JSON.stringify(spec.work_pool_name), order: typeof spec.priority === "number" ? spec.priority : Number.MAX_SAFE_INTEGER }),

  list: listQueues,

  readScoped: readQueuesScoped,

  read,

  find,

  create: async (ctx, spec) => {
    if (spec.name === DEFAULT_QUEUE_NAME) {
      const existing = await find(ctx, spec);
      if (existing) return updateInPlace(ctx, workQueueKind, existing, spec);
    }
    const body: WorkQueueCreate = {
      name: spec.name,
      description: spec.description,
      is_paused: spec.is_paused,
      ...(spec.concurrency_limit !== undefined ? { concurrency_limit: spec.concurrency_limit } : {}),
      // Undeclared, Prefect gives the queue the first free priority of its pool (client-suite #12:
      // 1 when the pool's queues hold 2).
      ...(spec.priority !== undefined ? { priority: spec.priority } : {}),
    };
    // Created through the pool, which fills work_pool_name in the answer (scenarios.jsonl "queue create").
    return createSafely({
      attempt: async () => liveOf(ctx, await ctx.client.post<WorkQueueResponse>(queuesPath(spec.work_pool_name), body)),
      lookup: () => find(ctx, spec),
    });
  },

  update: async (ctx, id, spec, prior, changed) => {
    // A declared priority is sent with every update, changed or not: it is where the declaration
    // wants the queue, even if a sibling's write moved it since the plan read it.
    const body = changedFields(spec, [...changed, "priority"], WORK_QUEUE_UPDATES);
    // The pool's route, not /work_queues/{id}: only it keeps the pool's priorities unique (the
    // global route writes the number as it is).
    if (writesAnything(body)) await ctx.client.patch(queuePath(prior.work_pool_name ?? spec.work_pool_name, prior.name), body);
    return readBack(`work queue ${id}`, read(ctx, id));
  },

  delete: async (ctx, id, prior) => {
    const live = prior ?? (await read(ctx, id));
    if (!live || live.name === DEFAULT_QUEUE_NAME) return;
    await deleteIgnoringMissing(ctx.client.delete(`/work_queues/${id}`));
  },

  idOf: (live) => live.id,
  identityOf: (live) => (live.work_pool_name ? `${live.work_pool_name}/${live.name}` : undefined),

  toSpec: (live) => ({
    id: live.id,
    created: live.created ?? undefined,
    updated: live.updated ?? undefined,
    account_id: live.account_id,
    workspace_id: live.workspace_id,
    work_pool_name: live.work_pool_name ?? "",
    name: live.name,
    // Prefect stores no description as null or "" alike (scenarios.jsonl "queue create" answers "");
    // the official default is "". A pool's default queue starts with "The work pool's default
    // queue." and priority 1 (scenarios.jsonl "default queue"), which a declaration then sets.
    description: live.description ?? "",
    is_paused: live.is_paused ?? false,
    concurrency_limit: live.concurrency_limit ?? undefined,
    priority: live.priority ?? undefined,
  }),

  replacementReasons: (declared, live) =>
    !isUnknown(declared.work_pool_name) && declared.work_pool_name !== live.work_pool_name
      ? [{ path: ["work_pool_name"], reason: `Prefect cannot move a queue to another work pool: the queue is deleted from "${live.work_pool_name}" and created in "${String(declared.work_pool_name)}"` }]
      : [],

  importName: (spec) => `${spec.work_pool_name}_${spec.name}`,
  writeDeclaration: (declared, spec, _live, writer) => {
    declared.work_pool_name = writer.refByIdentity("prefect_work_pool", spec.work_pool_name, "name", spec.work_pool_name);
  },
};
