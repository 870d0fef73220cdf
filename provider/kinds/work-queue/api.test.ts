import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordingsPresent } from "../../../test/conformance/recordings.js";
import { declare, expectNoChanges, runLifecycle } from "../../../test/support/kind-lifecycle.js";
import { EXTERNAL_API_URL, useApiTarget } from "../../../test/support/target.js";
import type { PrefectClient } from "../../client/client.js";
import { PAGE_SIZE } from "../../client/paginate.js";
import { diffSpec } from "../compare.js";
import { parseSpec, type KindContext } from "../kind.js";
import { createKindContext } from "../runtime.js";
import { workPoolKind, type WorkPool } from "../work-pool/api.js";
import { workQueueKind as kind, type WorkQueue } from "./api.js";
import { recordedAnswer } from "../../../test/support/recordings.js";

const TYPE = "prefect_work_queue";

/** Requests a client sent that create something (POST other than read-only filters). */
const creates = (client: PrefectClient): string[] =>
  Object.keys(client.stats().byRoute).filter((route) => route.startsWith("POST ") && !route.endsWith("/filter"));

/** A pool for one test, deleted (with its queues) afterwards. */
async function withPool<T>(ctx: KindContext, name: string, run: (pool: WorkPool) => Promise<T>): Promise<T> {
  const pool = await workPoolKind.create(ctx, declare(workPoolKind, { name }));
  try {
    return await run(pool);
  } finally {
    await workPoolKind.delete(ctx, pool.id);
  }
}

/** The priorities of a pool's queues by name, as Prefect holds them now. */
async function priorities(ctx: KindContext, pool: string): Promise<Record<string, number | undefined>> {
  const queues = await ctx.client.query<WorkQueue[]>(`/work_pools/${encodeURIComponent(pool)}/queues/filter`, {});
  return Object.fromEntries(queues.map((queue) => [queue.name, queue.priority]));
}

describe(TYPE, () => {
  const target = useApiTarget();
  let pool: WorkPool;

  beforeAll(async () => {
    pool = await workPoolKind.create(target.context(), declare(workPoolKind, { name: target.name("queue-pool") }));
  });
  afterAll(async () => {
    if (pool) await workPoolKind.delete(target.context(), pool.id);
  });

  it("passes the lifecycle: create, read, no changes, update, delete", async () => {
    const name = target.name("queue-lifecycle");
    await runLifecycle(kind, {
      ctx: target.context(),
      create: { work_pool_name: pool.name, name, description: "first", concurrency_limit: 2 },
      update: { work_pool_name: pool.name, name, description: "second", is_paused: true, priority: 1 },
    });
  });

  it("is identified by <work_pool_name>/<name>, and found through its pool", async () => {
    const ctx = target.context();
    const spec = declare(kind, { work_pool_name: pool.name, name: target.name("queue-found") });
    expect(kind.identity(spec)).toBe(`${pool.name}/${spec.name}`);
    const created = await kind.create(ctx, spec);
    try {
      expect(kind.identityOf(created)).toBe(kind.identity(spec));
      expect((await kind.find(ctx, spec))?.id).toBe(created.id);
      expect(await kind.find(ctx, { ...spec, work_pool_name: `${pool.name}-missing` })).toBeUndefined();
    } finally {
      await kind.delete(ctx, created.id);
    }
  });

  it("adopts a pool's default queue: create updates it to the declaration without posting a queue", async () => {
    const counting = target.clientWith({});
    const ctx = createKindContext(counting);
    await withPool(target.context(), target.name("adopt-pool"), async (owner) => {
      const spec = declare(kind, { work_pool_name: owner.name, name: "default", description: "the main line", concurrency_limit: 3 });
      expect(kind.adoptImplicitly?.(spec)).toBe(true);
      expect(kind.adoptImplicitly?.(declare(kind, { work_pool_name: owner.name, name: "gpu" }))).toBe(false);
      const adopted = await kind.create(ctx, spec);
      expect(creates(counting)).toEqual([]);
      expect(adopted.id).toBe(owner.default_queue_id);
      expectNoChanges(kind, spec, (await kind.read(ctx, adopted.id))!);
      // Once it matches, adopting again writes nothing.
      counting.resetStats();
      expect((await kind.create(ctx, spec)).id).toBe(adopted.id);
      expect(Object.keys(counting.stats().byRoute)).toEqual([`GET /work_pools/${owner.name}/queues/default`]);
    });
  });

  it("leaves a default queue in place on delete without a request; it goes with its pool", async () => {
    const ctx = target.context();
    const counting = target.clientWith({});
    const ownerName = target.name("default-delete-pool");
    const owner = await workPoolKind.create(ctx, declare(workPoolKind, { name: ownerName }));
    const queue = (await kind.find(ctx, declare(kind, { work_pool_name: ownerName, name: "default" })))!;
    await kind.delete(createKindContext(counting), queue.id, queue);
    expect(counting.stats().requests).toBe(0);
    expect((await kind.read(ctx, queue.id))?.id).toBe(queue.id);
    await workPoolKind.delete(ctx, owner.id);
    expect(await kind.read(ctx, queue.id)).toBeUndefined();
  });

  it("reads an undeclared priority as the server's: no changes, whatever priority the queue was given", async () => {
    const ctx = target.context();
    const spec = declare(kind, { work_pool_name: pool.name, name: target.name("queue-any-priority") });
    expect(spec.priority).toBeUndefined();
    const created = await kind.create(ctx, spec);
    try {
      expect(created.priority).toBeGreaterThanOrEqual(1);
      expectNoChanges(kind, spec, (await kind.read(ctx, created.id))!);
      // Moved by someone else (the UI, another queue taking its place): still the server's to say.
      await ctx.client.patch(`/work_pools/${encodeURIComponent(pool.name)}/queues/${encodeURIComponent(spec.name)}`, { priority: 7 });
      const moved = (await kind.read(ctx, created.id))!;
      expect(moved.priority).toBe(7);
      expectNoChanges(kind, spec, moved);
      expect(diffSpec(kind, declare(kind, { work_pool_name: pool.name, name: spec.name, priority: 3 }), kind.toSpec(moved))).toMatchObject([{ path: ["priority"], before: 7, after: 3 }]);
    } finally {
      await kind.delete(ctx, created.id);
    }
  });

  it("reads two queues of one pool as no changes when their declared priorities are written in ascending order", async () => {
    const ctx = target.context();
    await withPool(ctx, target.name("priority-pool"), async (owner) => {
      const first = declare(kind, { work_pool_name: owner.name, name: "first", priority: 1 });
      const second = declare(kind, { work_pool_name: owner.name, name: "second", priority: 2 });
      const a = await kind.create(ctx, first);
      const b = await kind.create(ctx, second);
      // Prefect pushed the default queue (priority 1 until then) behind both.
      expect(await priorities(ctx, owner.name)).toEqual({ first: 1, second: 2, default: 3 });
      expectNoChanges(kind, first, (await kind.read(ctx, a.id))!);
      expectNoChanges(kind, second, (await kind.read(ctx, b.id))!);
    });
  });

  it("a queue that takes a priority another queue holds pushes that queue down, which then differs from its declaration", async () => {
    const ctx = target.context();
    await withPool(ctx, target.name("priority-push-pool"), async (owner) => {
      const second = declare(kind, { work_pool_name: owner.name, name: "second", priority: 2 });
      const b = await kind.create(ctx, second);
      await kind.create(ctx, declare(kind, { work_pool_name: owner.name, name: "first", priority: 1 }));
      expect(await priorities(ctx, owner.name)).toEqual({ first: 1, default: 2, second: 3 });
      const pushed = (await kind.read(ctx, b.id))!;
      expect(diffSpec(kind, second, kind.toSpec(pushed))).toMatchObject([{ path: ["priority"], before: 3, after: 2 }]);
      // Updating it back (through the pool, which keeps priorities unique) settles the pool.
      const settled = await kind.update(ctx, b.id, second, pushed, ["priority"]);
      expectNoChanges(kind, second, settled);
      expect(await priorities(ctx, owner.name)).toEqual({ first: 1, second: 2, default: 3 });
    });
  });

  it("lists the queues of every pool with the global filter: pages of 200, plus one request per name a page boundary cuts", async () => {
    const ctx = target.context();
    const pools = await Promise.all([0, 1, 2].map((i) => workPoolKind.create(ctx, declare(workPoolKind, { name: target.name(`list-pool-${i}`) }))));
    try {
      // The same 80 names in each pool: same-named queues sort together and a page boundary cuts a group.
      const names = Array.from({ length: 80 }, (_, i) => target.name(`q-${String(i).padStart(2, "0")}`));
      const created = (
        await Promise.all(pools.flatMap((owner) => names.map((name) => kind.create(ctx, declare(kind, { work_pool_name: owner.name, name })))))
      ).concat(await Promise.all(pools.map(async (owner) => (await kind.find(ctx, declare(kind, { work_pool_name: owner.name, name: "default" })))!)));
      const counting = target.clientWith({});
      const listed = await kind.list(createKindContext(counting));
      const ids = listed.map((live) => live.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(expect.arrayContaining(created.map((live) => live.id)));
      expect(listed.find((live) => live.id === created[0]!.id)).toMatchObject({ work_pool_name: pools[0]!.name });
      const sorted = listed.map((live) => live.name).sort();
      const cut = new Set<string>();
      for (let boundary = PAGE_SIZE; boundary < sorted.length; boundary += PAGE_SIZE) if (sorted[boundary - 1] === sorted[boundary]) cut.add(sorted[boundary]!);
      if (target.server) expect(cut.size).toBeGreaterThan(0);
      expect(counting.stats()).toMatchObject({ requests: Math.floor(sorted.length / PAGE_SIZE) + 1 + cut.size, byRoute: { "POST /work_queues/filter": Math.floor(sorted.length / PAGE_SIZE) + 1 + cut.size } });
    } finally {
      await Promise.all(pools.map((owner) => workPoolKind.delete(ctx, owner.id)));
    }
  });

  it.skipIf(EXTERNAL_API_URL !== undefined)("lists every queue even when 200 or more share a name (the default queues of 200 pools and more)", async () => {
    const ctx = target.context();
    const pools = await Promise.all(Array.from({ length: PAGE_SIZE + 5 }, (_, i) => workPoolKind.create(ctx, declare(workPoolKind, { name: target.name(`many-pool-${i}`) }))));
    try {
      const listed = await kind.list(target.context());
      const ids = listed.map((live) => live.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(expect.arrayContaining(pools.map((owner) => owner.default_queue_id)));
    } finally {
      await Promise.all(pools.map((owner) => workPoolKind.delete(ctx, owner.id)));
    }
  });

  it("normalizes a description Prefect holds as null to the official default, the empty string", () => {
    const live = { id: "5f1c0f58-4c4e-4d7c-b1a8-3f0f3cba1f2e", created: null, updated: null, name: "q", work_pool_name: "p", description: null, is_paused: false, priority: 2 } as WorkQueue;
    expect(kind.toSpec(live).description).toBe("");
    expect(diffSpec(kind, declare(kind, { work_pool_name: "p", name: "q" }), kind.toSpec(live))).toEqual([]);
  });

  it("replaces a queue whose work pool changes, since Prefect cannot move a queue to another pool", () => {
    const live = kind.toSpec({ id: "5f1c0f58-4c4e-4d7c-b1a8-3f0f3cba1f2e", created: null, updated: null, name: "q", work_pool_name: "old", description: "", is_paused: false, priority: 1 } as WorkQueue);
    expect(kind.replacementReasons?.(declare(kind, { work_pool_name: "new", name: "q" }), live)).toMatchObject([{ path: ["work_pool_name"], reason: expect.stringMatching(/cannot move a queue to another work pool/) }]);
    expect(kind.replacementReasons?.(declare(kind, { work_pool_name: "old", name: "q" }), live)).toEqual([]);
  });

  it("deletes by id, and treats a queue that is already gone as deleted", async () => {
    const ctx = target.context();
    const created = await kind.create(ctx, declare(kind, { work_pool_name: pool.name, name: target.name("queue-gone") }));
    await kind.delete(ctx, created.id);
    expect(await kind.read(ctx, created.id)).toBeUndefined();
    await kind.delete(ctx, created.id);
    await kind.delete(ctx, created.id, created);
  });

  it.each([
    [{ work_pool_name: "p", name: "a/b" }, "name", /"a\/b" is not a valid work queue name: Prefect refuses the characters \/ % & > < \(found \/\); e.g. "a-b"/],
    [{ work_pool_name: "p", name: "." }, "name", /is not a usable work queue name/],
    [{ work_pool_name: "p&q", name: "a" }, "work_pool_name", /is not a valid work pool name/],
    [{ name: "a" }, "work_pool_name", /is required/],
    [{ work_pool_name: "p", name: "a", priority: 0 }, "priority", /is 0; a priority must be a whole number, 1 or more/],
    [{ work_pool_name: "p", name: "a", priority: 2.5 }, "priority", /is 2.5/],
    [{ work_pool_name: "p", name: "a", concurrency_limit: -2 }, "concurrency_limit", /is -2; a concurrency limit must be a whole number, 0 or more/],
    [{ work_pool_name: "p", name: "a", is_pasued: true }, "is_pasued", /not an attribute of this resource \(did you mean "is_paused"\?\)/],
  ])("refuses %j at declaration time naming %s", (raw, attribute, message) => {
    const result = parseSpec(kind, raw);
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    expect(issues.map((issue) => issue.path.join("."))).toContain(attribute);
    expect(issues.map((issue) => issue.message).join("\n")).toMatch(message);
  });

});

/**
 * A server whose global queue filter breaks name ties in a different order on every request, as
 * a database may between two LIMIT/OFFSET queries sorted by name alone.
 */
function unstableServer(queues: { id: string; name: string; work_pool_name: string }[]) {
  let request = 0;
  const pools = [...new Set(queues.map((queue) => queue.work_pool_name))].map((name) => ({
    id: name,
    name,
    type: "process",
    is_paused: false,
    base_job_template: {},
    default_queue_id: queues.find((queue) => queue.work_pool_name === name && queue.name === "default")?.id ?? null,
  }));
  const client = {
    settings: {},
    async query(path: string, body: { offset?: number; limit?: number; work_queues?: { name?: { any_?: string[] }; id?: { any_?: string[] } } }) {
      const wanted = body.work_queues?.name?.any_;
      const ids = body.work_queues?.id?.any_;
      const page = <T>(items: T[]) => items.slice(body.offset ?? 0, (body.offset ?? 0) + (body.limit ?? PAGE_SIZE));
      if (path === "/work_pools/filter") return page(pools);
      const inPool = /^\/work_pools\/([^/]+)\/queues\/filter$/.exec(path);
      const matching = queues.filter(
        (queue) => (!wanted || wanted.includes(queue.name)) && (!ids || ids.includes(queue.id)) && (!inPool || queue.work_pool_name === decodeURIComponent(inPool[1]!)),
      );
      const descending = request++ % 2 === 1;
      return page([...matching].sort((a, b) => a.name.localeCompare(b.name) || (descending ? b.id.localeCompare(a.id) : a.id.localeCompare(b.id))));
    },
  };
  return createKindContext(client as unknown as PrefectClient);
}

describe(`${TYPE} list against a server whose name sort has unstable ties`, () => {
  const queue = (pool: number, name: string) => ({ id: `${String(pool).padStart(4, "0")}-${name}`, name, work_pool_name: `pool-${pool}` });

  it("reads a same-named group cut by a page boundary again, so no queue is missed or listed twice", async () => {
    // Three pools with the same 80 queue names: the boundary at 200 cuts the group at 198..200.
    const all = [0, 1, 2].flatMap((pool) => Array.from({ length: 80 }, (_, i) => queue(pool, `q-${String(i).padStart(2, "0")}`)));
    const listed = await kind.list(unstableServer(all));
    expect(listed.map((live) => live.id).sort()).toEqual(all.map((live) => live.id).sort());
  });

  it("reads 200 or more pools' default queues by their ids, in pages", async () => {
    const all = Array.from({ length: PAGE_SIZE + 5 }, (_, pool) => queue(pool, "default")).concat(Array.from({ length: 50 }, (_, i) => queue(i, "zz-late")));
    const listed = await kind.list(unstableServer(all));
    expect(listed.map((live) => live.id).sort()).toEqual(all.map((live) => live.id).sort());
  });

  it("reads a group of 200 or more same-named queues other than default pool by pool", async () => {
    const all = Array.from({ length: PAGE_SIZE + 5 }, (_, pool) => queue(pool, "critical")).concat(Array.from({ length: 50 }, (_, i) => queue(i, "zz-late")));
    const listed = await kind.list(unstableServer(all));
    expect(listed.map((live) => live.id).sort()).toEqual(all.map((live) => live.id).sort());
  });
});

describe.skipIf(!recordingsPresent())(`${TYPE} against a real 3.8 server's answers (scenarios.jsonl)`, () => {
  it("reads a queue made with a name, a priority and a limit as that declaration (description \"\")", () => {
    expectNoChanges(kind, declare(kind, { work_pool_name: "pub-pool", name: "q2", priority: 2, concurrency_limit: 3 }), recordedAnswer<WorkQueue>("queue create"));
  });

  it("sees the queue another one pushed from its priority as changed, and the pool's default queue at 1 as its own", () => {
    const queues = recordedAnswer<WorkQueue[]>("queues after priority clash");
    const q2 = queues.find((queue) => queue.name === "q2")!;
    expect(diffSpec(kind, declare(kind, { work_pool_name: "pub-pool", name: "q2", priority: 2, concurrency_limit: 3 }), kind.toSpec(q2)).map((change) => change.path)).toEqual([["priority"]]);
    const adopted = declare(kind, { work_pool_name: "pub-pool", name: "default", description: "The work pool's default queue.", priority: 1 });
    expectNoChanges(kind, adopted, recordedAnswer<WorkQueue>("default queue"));
  });
});
