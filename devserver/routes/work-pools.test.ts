import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { useDevServer } from "../../test/support/devserver.js";
import { rawApi, type RawApi } from "../../test/support/http.js";

interface Pool {
  id: string;
  name: string;
  type: string;
  status: string | null;
  is_paused: boolean;
  base_job_template: Record<string, unknown>;
  default_queue_id: string | null;
  concurrency_limit: number | null;
  active_slots: number | null;
}

interface Queue {
  id: string;
  name: string;
  priority: number;
  work_pool_id: string;
  work_pool_name: string;
  description: string | null;
  status: string | null;
  is_paused: boolean;
}

const TEMPLATE = {
  job_configuration: { image: "{{ image }}", command: "{{ command }}" },
  variables: { type: "object", properties: { image: { type: "string" }, command: { type: "string" } } },
};

describe("work pool routes", () => {
  const ctx = useDevServer();
  const workspace = (): RawApi => rawApi(ctx.server.cloudUrl(randomUUID(), randomUUID()));

  it("creates a pool with an empty template, the prefect-agent type and a default queue of priority 1", async () => {
    const api = workspace();
    const response = await api.post<Pool>("/work_pools/", { name: "agents" });
    expect(response.status).toBe(201);
    // An agent pool has no status (client-suite.jsonl.gz #1).
    expect(response.body).toMatchObject({ name: "agents", type: "prefect-agent", base_job_template: {}, is_paused: false, status: null, active_slots: null });
    const queue = await api.get<Queue>("/work_pools/agents/queues/default");
    expect(queue.body).toMatchObject({ id: response.body.default_queue_id, priority: 1, work_pool_name: "agents", work_pool_id: response.body.id, description: "The work pool's default queue." });
  });

  it("answers 409 for a duplicate pool and 404 for an unknown one", async () => {
    const api = workspace();
    await api.post("/work_pools/", { name: "dup", type: "process" });
    expect(await api.post("/work_pools/", { name: "dup" })).toMatchObject({ status: 409, body: { detail: "A work pool with this name already exists." } });
    expect(await api.get("/work_pools/nope")).toMatchObject({ status: 404, body: { detail: 'Work pool "nope" not found.' } });
    expect(await api.patch("/work_pools/nope", { description: "x" })).toMatchObject({ status: 404, body: { detail: 'Work pool "nope" not found.' } });
    expect(await api.delete("/work_pools/nope")).toMatchObject({ status: 404 });
  });

  it("reserves pool names starting with prefect, except for pausing and limits", async () => {
    const api = workspace();
    expect(await api.post("/work_pools/", { name: "Prefect-managed" })).toMatchObject({
      status: 403,
      body: { detail: "Work pools starting with 'Prefect' are reserved for internal use." },
    });
    expect((await api.patch("/work_pools/prefect-x", { description: "d" })).status).toBe(403);
    expect(await api.delete("/work_pools/prefect-x")).toMatchObject({ status: 403 });
    expect(await api.patch("/work_pools/prefect-x", { is_paused: true })).toMatchObject({ status: 404, body: { detail: 'Work pool "prefect-x" not found.' } });
  });

  it("checks base job templates the way Prefect does", async () => {
    const api = workspace();
    expect(await api.post("/work_pools/", { name: "half", base_job_template: { variables: {} } })).toMatchObject({
      status: 422,
      body: { exception_detail: [{ loc: ["body", "base_job_template"], msg: expect.stringContaining("must contain both a `job_configuration` key and a `variables` key") }] },
    });
    const undeclared = { job_configuration: { image: "{{ image }}", env: "{{ env }}" }, variables: { properties: { image: {} } } };
    // A validator's ValueError with its `ctx`, and the body echoed as sent (scenarios.jsonl "pool bad template").
    expect(await api.post("/work_pools/", { name: "undeclared", base_job_template: undeclared })).toMatchObject({
      status: 422,
      body: {
        exception_message: "Invalid request received.",
        exception_detail: [{ type: "value_error", loc: ["body", "base_job_template"], msg: expect.stringContaining("undeclared variable(s): env"), input: undeclared, ctx: { error: {} } }],
        request_body: { name: "undeclared", base_job_template: undeclared },
      },
    });
    expect((await api.post<{ request_body: object }>("/work_pools/", { name: "undeclared", base_job_template: undeclared })).body.request_body).toStrictEqual({
      name: "undeclared",
      base_job_template: undeclared,
    });
    expect(await api.post<Pool>("/work_pools/", { name: "docker", type: "docker", base_job_template: TEMPLATE })).toMatchObject({
      status: 201,
      body: { base_job_template: TEMPLATE },
    });
    expect((await api.patch("/work_pools/docker", { base_job_template: { variables: {} } })).status).toBe(422);
  });

  it("updates a pool: pausing a worker pool sets its status, a limit counts slots", async () => {
    const api = workspace();
    await api.post("/work_pools/", { name: "k8s", type: "kubernetes" });
    expect((await api.patch("/work_pools/k8s", { is_paused: true, concurrency_limit: 4, description: "cluster" })).status).toBe(204);
    expect((await api.get<Pool>("/work_pools/k8s")).body).toMatchObject({ is_paused: true, status: "PAUSED", concurrency_limit: 4, active_slots: 0, description: "cluster" });
    await api.patch("/work_pools/k8s", { is_paused: false, concurrency_limit: null });
    expect((await api.get<Pool>("/work_pools/k8s")).body).toMatchObject({ is_paused: false, status: "NOT_READY", concurrency_limit: null, active_slots: null });
    expect((await api.patch("/work_pools/k8s", { name: "renamed" })).status).toBe(422);
  });

  it("keeps an agent pool's status null, paused or not (models/workers.py update_work_pool)", async () => {
    const api = workspace();
    await api.post("/work_pools/", { name: "agent-pool", type: "prefect-agent", is_paused: true });
    expect((await api.get<Pool>("/work_pools/agent-pool")).body).toMatchObject({ is_paused: true, status: null });
    await api.patch("/work_pools/agent-pool", { is_paused: false });
    expect((await api.get<Pool>("/work_pools/agent-pool")).body).toMatchObject({ is_paused: false, status: null });
  });

  it("deletes a pool with its queues", async () => {
    const api = workspace();
    const pool = (await api.post<Pool>("/work_pools/", { name: "gone" })).body;
    const extra = (await api.post<Queue>("/work_pools/gone/queues", { name: "extra" })).body;
    expect((await api.delete("/work_pools/gone")).status).toBe(204);
    expect((await api.get("/work_pools/gone")).status).toBe(404);
    expect((await api.get(`/work_queues/${pool.default_queue_id}`)).status).toBe(404);
    expect((await api.get(`/work_queues/${extra.id}`)).status).toBe(404);
  });

  it("filters, counts and pages pools by name, type and id, in name order", async () => {
    const api = workspace();
    const b = (await api.post<Pool>("/work_pools/", { name: "b-pool", type: "docker" })).body;
    await api.post("/work_pools/", { name: "a-pool", type: "process" });
    await api.post("/work_pools/", { name: "c-pool", type: "docker" });
    const names = async (body: unknown) => (await api.post<Pool[]>("/work_pools/filter", body)).body.map((pool) => pool.name);
    expect(await names({})).toEqual(["a-pool", "b-pool", "c-pool"]);
    expect(await names({ work_pools: { type: { any_: ["docker"] } } })).toEqual(["b-pool", "c-pool"]);
    expect(await names({ work_pools: { name: { any_: ["a-pool", "c-pool"] } } })).toEqual(["a-pool", "c-pool"]);
    expect(await names({ work_pools: { id: { any_: [b.id] } } })).toEqual(["b-pool"]);
    expect(await names({ offset: 1, limit: 1 })).toEqual(["b-pool"]);
    expect(await api.post("/work_pools/count", { work_pools: { type: { any_: ["docker"] } } })).toMatchObject({ status: 200, body: 2 });
    expect((await api.post("/work_pools/filter", { limit: 201 })).status).toBe(422);
  });
});

describe("work queue routes", () => {
  const ctx = useDevServer();
  const workspace = (): RawApi => rawApi(ctx.server.cloudUrl(randomUUID(), randomUUID()));
  const priorities = async (api: RawApi, pool: string) =>
    Object.fromEntries((await api.post<Queue[]>(`/work_pools/${pool}/queues/filter`, {})).body.map((queue) => [queue.name, queue.priority]));

  it("creates queues in a pool with the next free priority, and 409 for a duplicate name", async () => {
    const api = workspace();
    await api.post("/work_pools/", { name: "pool" });
    const created = await api.post<Queue>("/work_pools/pool/queues", { name: "high", description: "fast lane", concurrency_limit: 3 });
    expect(created).toMatchObject({ status: 201, body: { name: "high", priority: 2, work_pool_name: "pool", status: "NOT_READY", active_slots: 0 } });
    expect(await api.post("/work_pools/pool/queues", { name: "high" })).toMatchObject({
      status: 409,
      body: { detail: "A work queue with this name already exists in work pool {work_pool_name!r}." },
    });
    expect(await api.post("/work_pools/missing/queues", { name: "q" })).toMatchObject({ status: 404, body: { detail: 'Work pool "missing" not found.' } });
  });

  it("lists no workers for a known pool and 404s for an unknown one (prefect-cli.jsonl #242)", async () => {
    const api = workspace();
    await api.post("/work_pools/", { name: "inspected", type: "process" });
    const body = { workers: { status: { any_: ["ONLINE"] } }, offset: null, limit: null };
    expect(await api.post("/work_pools/inspected/workers/filter", body)).toMatchObject({ status: 200, body: [] });
    expect(await api.post("/work_pools/absent/workers/filter", body)).toMatchObject({ status: 404, body: { detail: 'Work pool "absent" not found.' } });
  });

  it("stores a queue created with a null description as an empty one (prefect-cli.jsonl #230)", async () => {
    const api = workspace();
    await api.post("/work_pools/", { name: "cli-pool", type: "process" });
    expect(await api.post<Queue>("/work_pools/cli-pool/queues", { name: "cli-q", description: null })).toMatchObject({ status: 201, body: { description: "" } });
    expect((await api.get<Queue>("/work_pools/cli-pool/queues/cli-q")).body.description).toBe("");
  });

  it("keeps priorities unique: a queue taking a used priority pushes the others down", async () => {
    const api = workspace();
    await api.post("/work_pools/", { name: "prio" });
    await api.post("/work_pools/prio/queues", { name: "b" });
    await api.post("/work_pools/prio/queues", { name: "c" });
    expect(await priorities(api, "prio")).toEqual({ default: 1, b: 2, c: 3 });
    await api.post("/work_pools/prio/queues", { name: "first", priority: 1 });
    expect(await priorities(api, "prio")).toEqual({ first: 1, default: 2, b: 3, c: 4 });
    expect((await api.patch("/work_pools/prio/queues/c", { priority: 2 })).status).toBe(204);
    expect(await priorities(api, "prio")).toEqual({ first: 1, c: 2, default: 3, b: 4 });
    expect((await api.post<Queue[]>("/work_pools/prio/queues/filter", {})).body.map((queue) => queue.name)).toEqual(["first", "c", "default", "b"]);
    await api.post("/work_pools/prio/queues", { name: "far", priority: 10 });
    await api.delete("/work_pools/prio/queues/b");
    await api.post("/work_pools/prio/queues", { name: "gap" });
    expect(await priorities(api, "prio")).toEqual({ first: 1, c: 2, default: 3, gap: 4, far: 10 });
  });

  it("reads, renames, pauses and deletes a pool's queue, and answers 404 in Prefect's words", async () => {
    const api = workspace();
    await api.post("/work_pools/", { name: "wp" });
    await api.post("/work_pools/wp/queues", { name: "q1" });
    expect(await api.get("/work_pools/wp/queues/nope")).toMatchObject({ status: 404, body: { detail: "Work pool queue 'wp/nope' not found." } });
    expect((await api.patch("/work_pools/wp/queues/q1", { is_paused: true, description: "slow" })).status).toBe(204);
    expect((await api.get<Queue>("/work_pools/wp/queues/q1")).body).toMatchObject({ is_paused: true, status: "PAUSED", description: "slow" });
    await api.patch("/work_pools/wp/queues/q1", { is_paused: false, name: "q2" });
    expect((await api.get<Queue>("/work_pools/wp/queues/q2")).body).toMatchObject({ is_paused: false, status: "NOT_READY" });
    expect(await api.patch("/work_pools/wp/queues/q2", { name: "default" })).toMatchObject({ status: 409 });
    expect((await api.delete("/work_pools/wp/queues/q2")).status).toBe(204);
    expect((await api.get("/work_pools/wp/queues/q2")).status).toBe(404);
    expect((await api.patch("/work_pools/nope/queues/q2", {})).status).toBe(404);
  });

  it("refuses to delete a pool's default queue as Prefect does, with a 500", async () => {
    const api = workspace();
    await api.post("/work_pools/", { name: "keeper" });
    expect(await api.delete("/work_pools/keeper/queues/default")).toEqual(expect.objectContaining({ status: 500, body: { exception_message: "Internal Server Error" } }));
    expect((await api.get("/work_pools/keeper/queues/default")).status).toBe(200);
  });

  it("filters a pool's queues by name and prefix", async () => {
    const api = workspace();
    await api.post("/work_pools/", { name: "fq" });
    await api.post("/work_pools/fq/queues", { name: "gpu-large" });
    await api.post("/work_pools/fq/queues", { name: "gpu-small" });
    await api.post("/work_pools/fq/queues", { name: "cpu" });
    const names = async (body: unknown) => (await api.post<Queue[]>("/work_pools/fq/queues/filter", body)).body.map((queue) => queue.name);
    expect(await names({ work_queues: { name: { startswith_: ["GPU"] } } })).toEqual(["gpu-large", "gpu-small"]);
    expect(await names({ work_queues: { name: { any_: ["cpu"] } } })).toEqual(["cpu"]);
    expect(await names({ limit: 2 })).toEqual(["default", "gpu-large"]);
    expect((await api.post("/work_pools/fq/queues/filter", { limit: 201 })).status).toBe(422);
    expect((await api.post("/work_pools/none/queues/filter", {})).status).toBe(404);
  });

  it("acts on queues of every pool through the global routes, by id", async () => {
    const api = workspace();
    await api.post("/work_pools/", { name: "p1" });
    await api.post("/work_pools/", { name: "p2" });
    const queue = (await api.post<Queue>("/work_pools/p2/queues", { name: "shared" })).body;
    expect((await api.get<Queue>(`/work_queues/${queue.id}`)).body).toMatchObject({ name: "shared", work_pool_name: "p2" });
    expect((await api.post<Queue[]>("/work_queues/filter", {})).body.map((item) => `${item.work_pool_name}/${item.name}`)).toEqual(["p1/default", "p2/default", "p2/shared"]);
    expect((await api.patch(`/work_queues/${queue.id}`, { concurrency_limit: 5 })).status).toBe(204);
    expect((await api.get<Queue>("/work_pools/p2/queues/shared")).body).toMatchObject({ concurrency_limit: 5 });
    expect(await api.patch(`/work_queues/${randomUUID()}`, {})).toMatchObject({ status: 404, body: { detail: "Work Queue <built-in function id> not found" } });
    expect(await api.get(`/work_queues/${randomUUID()}`)).toMatchObject({ status: 404, body: { detail: "work queue not found" } });
    const pool = (await api.get<Pool>("/work_pools/p1")).body;
    expect((await api.delete(`/work_queues/${pool.default_queue_id}`)).status).toBe(409);
    expect((await api.delete(`/work_queues/${queue.id}`)).status).toBe(204);
    expect((await api.delete(`/work_queues/${queue.id}`)).status).toBe(404);
  });

  it("finds queues by name only in the default agent pool", async () => {
    const api = workspace();
    await api.post("/work_pools/", { name: "other" });
    await api.post("/work_pools/other/queues", { name: "named" });
    expect(await api.get("/work_queues/name/named")).toMatchObject({ status: 200, body: { work_pool_name: "other" } });
    expect(await api.post("/work_queues/", { name: "legacy" })).toMatchObject({ status: 201, body: { work_pool_name: "default-agent-pool" } });
    expect(await api.get("/work_queues/name/legacy")).toMatchObject({ status: 200, body: { name: "legacy" } });
    expect(await api.get("/work_queues/name/named")).toMatchObject({ status: 404, body: { detail: "work queue not found" } });
    expect((await api.post("/work_queues/", { name: "legacy" })).status).toBe(409);
  });
});

describe("work queue priorities through the global route", () => {
  const ctx = useDevServer();

  it("are written as sent, without renumbering the pool's other queues (as models/work_queues.update_work_queue does)", async () => {
    const api = rawApi(ctx.server.url);
    await api.post("/work_pools/", { name: "global-route-pool" });
    const second = await api.post<{ id: string; priority: number }>("/work_pools/global-route-pool/queues", { name: "second" });
    expect(second.body.priority).toBe(2);
    expect((await api.patch(`/work_queues/${second.body.id}`, { priority: 1 })).status).toBe(204);
    const queues = await api.post<{ name: string; priority: number }[]>("/work_pools/global-route-pool/queues/filter", {});
    expect(Object.fromEntries(queues.body.map((queue) => [queue.name, queue.priority]))).toEqual({ default: 1, second: 1 });
  });
});
