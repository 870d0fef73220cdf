import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { useDevServer } from "../../test/support/devserver.js";
import { rawApi, type RawApi } from "../../test/support/http.js";

interface Schedule {
  id: string;
  deployment_id: string;
  schedule: Record<string, unknown>;
  active: boolean;
  max_scheduled_runs: number | null;
  parameters: Record<string, unknown>;
  slug: string | null;
  created: string;
  updated: string;
}

interface Deployment {
  id: string;
  name: string;
  flow_id: string;
  description: string | null;
  paused: boolean;
  tags: string[];
  parameters: Record<string, unknown>;
  parameter_openapi_schema: Record<string, unknown> | null;
  job_variables: Record<string, unknown>;
  labels: Record<string, unknown>;
  schedules: Schedule[];
  concurrency_limit: number | null;
  global_concurrency_limit: { id: string; name: string; limit: number; active: boolean; active_slots: number } | null;
  concurrency_options: { collision_strategy: string; grace_period_seconds?: number | null } | null;
  work_pool_name: string | null;
  work_queue_name: string | null;
  work_queue_id: string | null;
  status: string | null;
  created: string;
  updated: string;
}

const INTEGRITY = "Data integrity conflict. This usually means a unique or foreign key constraint was violated. See server logs for details.";

describe("deployment routes", () => {
  const ctx = useDevServer();
  const workspace = (): RawApi => rawApi(ctx.server.cloudUrl(randomUUID(), randomUUID()));
  const flowIn = async (api: RawApi, name = "flow"): Promise<string> => (await api.post<{ id: string }>("/flows/", { name })).body.id;
  const deploy = async (api: RawApi, body: Record<string, unknown>) => api.post<Deployment>("/deployments/", body);
  const limits = async (api: RawApi) => (await api.post<{ id: string; name: string; limit: number }[]>("/v2/concurrency_limits/filter", {})).body;

  it("creates a deployment with every field the server returns filled", async () => {
    const api = workspace();
    const flowId = await flowIn(api);
    const response = await deploy(api, { name: "nightly", flow_id: flowId });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      name: "nightly",
      flow_id: flowId,
      paused: false,
      schedules: [],
      concurrency_limit: null,
      global_concurrency_limit: null,
      concurrency_options: null,
      job_variables: {},
      parameters: {},
      tags: [],
      labels: { "prefect.flow.id": flowId },
      work_queue_name: null,
      work_queue_id: null,
      work_pool_name: null,
      pull_steps: [],
      parameter_openapi_schema: {},
      status: "NOT_READY",
      enforce_parameter_schema: true,
      created_by: null,
      updated_by: null,
      last_polled: null,
    });
  });

  it("upserts by flow and name: same id, sent fields updated, others kept, schedules replaced with new ids", async () => {
    const api = workspace();
    const flowId = await flowIn(api);
    const first = (await deploy(api, { name: "d", flow_id: flowId, description: "kept", tags: ["a"], schedules: [{ schedule: { cron: "0 0 * * *" } }] })).body;
    const second = await deploy(api, { name: "d", flow_id: flowId, tags: ["b"], schedules: [{ schedule: { cron: "0 0 * * *" } }] });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ id: first.id, created: first.created, description: "kept", tags: ["b"] });
    expect(second.body.schedules).toHaveLength(1);
    expect(second.body.schedules[0]?.id).not.toBe(first.schedules[0]?.id);
    const third = (await deploy(api, { name: "d", flow_id: flowId })).body;
    expect(third.schedules).toEqual([]);
    expect((await api.post<Deployment[]>("/deployments/filter", {})).body).toHaveLength(1);
  });

  // scenarios.jsonl "dep full", "dep upsert d4 (same body)", "dep schedules after upsert".
  it("upserts like the recorded server: parameters left out go back to {}, the other fields left out keep their values", async () => {
    const api = workspace();
    const flowId = await flowIn(api);
    await api.post("/work_pools/", { name: "pool", type: "process" });
    const schema = { type: "object", properties: { a: { type: "integer" }, b: { type: "array" } } };
    const pullSteps = [{ "prefect.deployments.steps.set_working_directory": { directory: "/opt" } }];
    const full = (
      await deploy(api, {
        name: "d4",
        flow_id: flowId,
        work_pool_name: "pool",
        work_queue_name: "q2",
        parameters: { a: 1, b: [1, 2] },
        job_variables: { env: { X: "1" } },
        tags: ["t1", "t2"],
        parameter_openapi_schema: schema,
        enforce_parameter_schema: true,
        concurrency_limit: 2,
        description: "full",
        version: "1",
        pull_steps: pullSteps,
        schedules: [{ schedule: { interval: 3600, anchor_date: "2026-01-01T00:00:00Z", timezone: "UTC" }, active: false, slug: "hourly" }],
      })
    ).body;
    const again = await deploy(api, { name: "d4", flow_id: flowId, work_pool_name: "pool", work_queue_name: "q2", schedules: [{ schedule: { interval: 60 }, active: true, slug: "minute" }] });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      id: full.id,
      parameters: {},
      tags: ["t1", "t2"],
      job_variables: { env: { X: "1" } },
      description: "full",
      version: "1",
      pull_steps: pullSteps,
      parameter_openapi_schema: schema,
      enforce_parameter_schema: true,
      concurrency_limit: null,
      global_concurrency_limit: { id: full.global_concurrency_limit?.id, name: `deployment:${full.id}`, limit: 2 },
      work_queue_name: "q2",
      work_pool_name: "pool",
    });
    // toMatchObject takes `parameters: {}` as "any object": the reset needs its own exact check.
    expect(again.body.parameters).toEqual({});
    expect(again.body.schedules).toMatchObject([{ slug: "minute", active: true, schedule: { interval: 60, timezone: "UTC" } }]);
    expect(again.body.schedules[0]?.id).not.toBe(full.schedules[0]?.id);
    expect((await api.get<Schedule[]>(`/deployments/${full.id}/schedules`)).body).toEqual(again.body.schedules);
  });

  // scenarios.jsonl "dep schema {}", "dep no schema", "dep patch schema {}", "dep schema null".
  it("turns a parameter schema of {} into an empty object schema on create, upsert and update; null on create stays null", async () => {
    const api = workspace();
    const flowId = await flowIn(api);
    const empty = { type: "object", properties: {} };
    const d1 = (await deploy(api, { name: "d1", flow_id: flowId, parameter_openapi_schema: {} })).body;
    expect(d1.parameter_openapi_schema).toEqual(empty);
    expect((await api.get<Deployment>(`/deployments/${d1.id}`)).body.parameter_openapi_schema).toEqual(empty);
    const d2 = (await deploy(api, { name: "d2", flow_id: flowId })).body;
    expect(d2.parameter_openapi_schema).toEqual({});
    expect((await api.patch(`/deployments/${d2.id}`, { parameter_openapi_schema: {} })).status).toBe(204);
    expect((await api.get<Deployment>(`/deployments/${d2.id}`)).body.parameter_openapi_schema).toEqual(empty);
    const d3 = (await deploy(api, { name: "d3", flow_id: flowId, parameter_openapi_schema: null })).body;
    expect(d3.parameter_openapi_schema).toBeNull();
    await deploy(api, { name: "d3", flow_id: flowId, parameter_openapi_schema: {} });
    expect((await api.get<Deployment>(`/deployments/${d3.id}`)).body.parameter_openapi_schema).toEqual(empty);
  });

  it("answers 404 for an unknown work pool and 409 for an unknown flow", async () => {
    const api = workspace();
    const flowId = await flowIn(api);
    expect(await deploy(api, { name: "d", flow_id: flowId, work_pool_name: "missing" })).toMatchObject({ status: 404, body: { detail: 'Work pool "missing" not found.' } });
    expect(await deploy(api, { name: "d", flow_id: randomUUID() })).toMatchObject({ status: 409, body: { detail: INTEGRITY } });
    expect((await api.post<Deployment[]>("/deployments/filter", {})).body).toEqual([]);
  });

  it("puts a deployment on the pool's default queue, or on a named queue it creates in that pool", async () => {
    const api = workspace();
    const flowId = await flowIn(api);
    const pool = (await api.post<{ default_queue_id: string }>("/work_pools/", { name: "pool", type: "process" })).body;
    expect((await deploy(api, { name: "default", flow_id: flowId, work_pool_name: "pool" })).body).toMatchObject({
      work_pool_name: "pool",
      work_queue_name: "default",
      work_queue_id: pool.default_queue_id,
    });
    const named = (await deploy(api, { name: "named", flow_id: flowId, work_pool_name: "pool", work_queue_name: "gpu" })).body;
    const queue = (await api.get<{ id: string; priority: number }>("/work_pools/pool/queues/gpu")).body;
    expect(named).toMatchObject({ work_pool_name: "pool", work_queue_name: "gpu", work_queue_id: queue.id });
    expect(queue.priority).toBe(2);
  });

  it("puts a deployment with a queue name but no pool in the default agent pool", async () => {
    const api = workspace();
    const flowId = await flowIn(api);
    expect((await deploy(api, { name: "legacy", flow_id: flowId, work_queue_name: "old-queue" })).body).toMatchObject({
      work_pool_name: "default-agent-pool",
      work_queue_name: "old-queue",
    });
    expect((await api.get("/work_pools/default-agent-pool/queues/old-queue")).status).toBe(200);
  });

  it("reads a deployment by id and by flow and deployment name, with Prefect's 404s", async () => {
    const api = workspace();
    const flowId = await flowIn(api, "my-flow");
    const deployment = (await deploy(api, { name: "my-deployment", flow_id: flowId })).body;
    expect((await api.get<Deployment>(`/deployments/${deployment.id}`)).body).toEqual(deployment);
    expect((await api.get<Deployment>("/deployments/name/my-flow/my-deployment")).body).toEqual(deployment);
    expect(await api.get(`/deployments/${randomUUID()}`)).toMatchObject({ status: 404, body: { detail: "Deployment not found" } });
    expect(await api.get("/deployments/name/my-flow/other")).toMatchObject({ status: 404, body: { detail: "Deployment not found" } });
    expect(await api.get("/deployments/name/other-flow/my-deployment")).toMatchObject({ status: 404 });
  });

  it("patches tags and parameters back to empty and refuses null parameters", async () => {
    const api = workspace();
    const flowId = await flowIn(api);
    const deployment = (await deploy(api, { name: "p", flow_id: flowId, tags: ["x"], parameters: { a: 1 }, description: "before" })).body;
    expect((await api.patch(`/deployments/${deployment.id}`, { tags: [], parameters: {}, description: null })).status).toBe(204);
    const after = (await api.get<Deployment>(`/deployments/${deployment.id}`)).body;
    expect(after).toMatchObject({ tags: [], parameters: {}, description: null });
    expect(after.updated > deployment.updated).toBe(true);
    expect(await api.patch(`/deployments/${deployment.id}`, { parameters: null })).toMatchObject({ status: 409, body: { detail: INTEGRITY } });
    expect(await api.patch(`/deployments/${randomUUID()}`, { tags: [] })).toMatchObject({ status: 404, body: { detail: "Deployment not found." } });
    expect((await api.patch(`/deployments/${deployment.id}`, { name: "renamed" })).status).toBe(422);
  });

  it("writes job variables only when they are not empty, as Prefect's update does", async () => {
    const api = workspace();
    const flowId = await flowIn(api);
    const deployment = (await deploy(api, { name: "jv", flow_id: flowId, job_variables: { image: "a" } })).body;
    await api.patch(`/deployments/${deployment.id}`, { job_variables: { image: "b" } });
    expect((await api.get<Deployment>(`/deployments/${deployment.id}`)).body.job_variables).toEqual({ image: "b" });
    await api.patch(`/deployments/${deployment.id}`, { job_variables: {} });
    expect((await api.get<Deployment>(`/deployments/${deployment.id}`)).body.job_variables).toEqual({ image: "b" });
    await api.patch(`/deployments/${deployment.id}`, { job_variables: null });
    expect((await api.get<Deployment>(`/deployments/${deployment.id}`)).body.job_variables).toEqual({ image: "b" });
  });

  it("checks job variables against the work pool's variables when creating", async () => {
    const api = workspace();
    const flowId = await flowIn(api);
    const template = { job_configuration: { image: "{{ image }}" }, variables: { type: "object", properties: { image: { type: "string" } }, required: ["image"] } };
    await api.post("/work_pools/", { name: "typed", type: "docker", base_job_template: template });
    expect(await deploy(api, { name: "bad", flow_id: flowId, work_pool_name: "typed", job_variables: { image: 5 } })).toMatchObject({
      status: 422,
      body: { detail: expect.stringContaining("Validation failed for field 'image'") },
    });
    expect((await deploy(api, { name: "good", flow_id: flowId, work_pool_name: "typed", job_variables: {} })).status).toBe(201);
  });

  // api/deployments.py update_deployment: DeploymentUpdate.check_valid_configuration raises jsonschema's own
  // ValidationError, answered as a 409 with its repr (and the create path's wording).
  it("checks job variables against the work pool's variables when updating, answering 409 with jsonschema's error", async () => {
    const api = workspace();
    const flowId = await flowIn(api);
    const template = { job_configuration: { image: "{{ image }}" }, variables: { type: "object", properties: { image: { type: "string" } } } };
    await api.post("/work_pools/", { name: "typed-update", type: "docker", base_job_template: template });
    const deployment = (await deploy(api, { name: "d", flow_id: flowId, work_pool_name: "typed-update" })).body;
    expect(await api.patch(`/deployments/${deployment.id}`, { work_pool_name: "typed-update", job_variables: { image: 5 } })).toMatchObject({
      status: 409,
      body: { detail: `Error creating deployment: <ValidationError: "5 is not of type 'string'">` },
    });
  });

  it("answers a create whose parameters break the schema with the recorded 422, worded as jsonschema words it", async () => {
    const api = workspace();
    const flowId = await flowIn(api);
    // scenarios.jsonl "dep params violate schema": the request body is echoed as sent (no defaults filled).
    const sent = { name: "d5", flow_id: flowId, parameters: { a: "x" }, parameter_openapi_schema: { type: "object", properties: { a: { type: "integer" } } }, enforce_parameter_schema: true };
    const refused = await deploy(api, sent);
    expect(refused.status).toBe(422);
    expect(refused.body).toEqual({
      exception_message: "Invalid request received.",
      exception_detail: [
        { type: "value_error", loc: ["body"], msg: "Value error, Validation failed for field 'a'. Failure reason: 'x' is not of type 'integer'", input: sent, ctx: { error: {} } },
      ],
      request_body: sent,
    });
  });

  it("enforces the parameter schema: 422 when creating, 409 when updating", async () => {
    const api = workspace();
    const flowId = await flowIn(api);
    const schema = { type: "object", properties: { n: { type: "integer" } }, required: ["n"] };
    expect(await deploy(api, { name: "s", flow_id: flowId, parameter_openapi_schema: schema, parameters: { n: "x" } })).toMatchObject({
      status: 422,
      body: { exception_detail: [{ loc: ["body"], msg: expect.stringContaining("Validation failed for field 'n'") }] },
    });
    const deployment = (await deploy(api, { name: "s", flow_id: flowId, parameter_openapi_schema: schema, parameters: {} })).body;
    expect(await api.patch(`/deployments/${deployment.id}`, { parameters: { n: "y" } })).toMatchObject({
      status: 409,
      body: { detail: expect.stringContaining("Error updating deployment: Validation failed for field 'n'") },
    });
    expect((await api.patch(`/deployments/${deployment.id}`, { parameters: { n: 3 } })).status).toBe(204);
    expect((await api.patch(`/deployments/${deployment.id}`, { parameters: { n: "z" }, enforce_parameter_schema: false })).status).toBe(204);
  });

  it("backs a concurrency limit with a global limit named deployment:<id>, updated in place and removed with null", async () => {
    const api = workspace();
    const flowId = await flowIn(api);
    const deployment = (await deploy(api, { name: "c", flow_id: flowId, concurrency_limit: 2, concurrency_options: { collision_strategy: "CANCEL_NEW" } })).body;
    expect(deployment).toMatchObject({
      concurrency_limit: null,
      global_concurrency_limit: { name: `deployment:${deployment.id}`, limit: 2, active: true, active_slots: 0 },
    });
    // The options model is stored whole: the grace period left out reads back null (client-suite.jsonl.gz #4128).
    expect(deployment.concurrency_options).toEqual({ collision_strategy: "CANCEL_NEW", grace_period_seconds: null });
    const limitId = deployment.global_concurrency_limit?.id;
    expect(await limits(api)).toMatchObject([{ id: limitId, name: `deployment:${deployment.id}`, limit: 2 }]);
    await api.patch(`/deployments/${deployment.id}`, { concurrency_limit: 5 });
    expect((await api.get<Deployment>(`/deployments/${deployment.id}`)).body.global_concurrency_limit).toMatchObject({ id: limitId, limit: 5 });
    await api.patch(`/deployments/${deployment.id}`, { concurrency_limit: null });
    expect((await api.get<Deployment>(`/deployments/${deployment.id}`)).body.global_concurrency_limit).toBeNull();
    expect(await limits(api)).toEqual([]);
  });

  it("links a shared global limit by id, and deletes that limit with the deployment (as the real server does)", async () => {
    const api = workspace();
    const flowId = await flowIn(api);
    const shared = (await api.post<{ id: string }>("/v2/concurrency_limits/", { name: "shared", limit: 3 })).body;
    const deployment = (await deploy(api, { name: "linked", flow_id: flowId, global_concurrency_limit_id: shared.id })).body;
    expect(deployment.global_concurrency_limit).toMatchObject({ id: shared.id, name: "shared", limit: 3 });
    expect(await deploy(api, { name: "both", flow_id: flowId, global_concurrency_limit_id: shared.id, concurrency_limit: 1 })).toMatchObject({
      status: 422,
      body: { exception_detail: [{ msg: expect.stringContaining("cannot have both a concurrency limit and a global concurrency limit") }] },
    });
    // api/deployments.py create_deployment and update_deployment look the limit up first: a 404, not a failed foreign key.
    expect(await deploy(api, { name: "dangling", flow_id: flowId, global_concurrency_limit_id: randomUUID() })).toMatchObject({ status: 404, body: { detail: "Concurrency limit not found" } });
    expect(await api.patch(`/deployments/${deployment.id}`, { global_concurrency_limit_id: randomUUID() })).toMatchObject({ status: 404, body: { detail: "Concurrency limit not found" } });
    const unlinked = (await deploy(api, { name: "unlinked", flow_id: flowId, global_concurrency_limit_id: shared.id })).body;
    expect((await api.patch(`/deployments/${unlinked.id}`, { global_concurrency_limit_id: null })).status).toBe(204);
    await api.delete(`/deployments/${unlinked.id}`);
    expect((await limits(api)).map((limit) => limit.name), "unlinking first keeps the shared limit").toEqual(["shared"]);
    await api.delete(`/deployments/${deployment.id}`);
    expect(await limits(api), "models/deployments._delete_related_concurrency_limit").toEqual([]);
  });

  it("deletes a deployment and the limit it made, then answers 404", async () => {
    const api = workspace();
    const flowId = await flowIn(api);
    const deployment = (await deploy(api, { name: "bye", flow_id: flowId, concurrency_limit: 1 })).body;
    expect((await api.delete(`/deployments/${deployment.id}`)).status).toBe(204);
    expect(await limits(api)).toEqual([]);
    expect(await api.delete(`/deployments/${deployment.id}`)).toMatchObject({ status: 404, body: { detail: "Deployment not found" } });
  });

  it("pauses and resumes a deployment", async () => {
    const api = workspace();
    const flowId = await flowIn(api);
    const deployment = (await deploy(api, { name: "toggle", flow_id: flowId })).body;
    expect(await api.post(`/deployments/${deployment.id}/pause_deployment`)).toMatchObject({ status: 200 });
    expect((await api.get<Deployment>(`/deployments/${deployment.id}`)).body.paused).toBe(true);
    await api.post(`/deployments/${deployment.id}/resume_deployment`);
    expect((await api.get<Deployment>(`/deployments/${deployment.id}`)).body.paused).toBe(false);
    expect(await api.post(`/deployments/${randomUUID()}/pause_deployment`)).toMatchObject({ status: 404, body: { detail: "Deployment not found" } });
  });

  it("shows a deleted queue's deployments without a queue, as the foreign key's SET NULL does", async () => {
    const api = workspace();
    const flowId = await flowIn(api);
    await api.post("/work_pools/", { name: "temp" });
    const deployment = (await deploy(api, { name: "orphan", flow_id: flowId, work_pool_name: "temp" })).body;
    await api.delete("/work_pools/temp");
    expect((await api.get<Deployment>(`/deployments/${deployment.id}`)).body).toMatchObject({ work_queue_id: null, work_pool_name: null });
  });

  it("filters deployments by their own fields and through flows, pools and queues", async () => {
    const api = workspace();
    const etl = await flowIn(api, "etl");
    const ml = await flowIn(api, "ml");
    await api.post("/work_pools/", { name: "cpu", type: "process" });
    await api.post("/work_pools/", { name: "gpu", type: "docker" });
    const a = (await deploy(api, { name: "a-daily", flow_id: etl, tags: ["prod", "daily"], work_pool_name: "cpu" })).body;
    await deploy(api, { name: "b-hourly", flow_id: etl, tags: ["dev"], work_pool_name: "gpu", work_queue_name: "fast", paused: true });
    await deploy(api, { name: "c-train", flow_id: ml, tags: ["prod"], concurrency_limit: 4 });
    const names = async (body: unknown) => (await api.post<Deployment[]>("/deployments/filter", body)).body.map((deployment) => deployment.name);

    expect(await names({})).toEqual(["a-daily", "b-hourly", "c-train"]);
    expect(await names({ sort: "NAME_DESC" })).toEqual(["c-train", "b-hourly", "a-daily"]);
    expect(await names({ deployments: { id: { any_: [a.id] } } })).toEqual(["a-daily"]);
    expect(await names({ deployments: { name: { like_: "HOUR" } } })).toEqual(["b-hourly"]);
    expect(await names({ deployments: { tags: { any_: ["dev", "daily"] } } })).toEqual(["a-daily", "b-hourly"]);
    expect(await names({ deployments: { tags: { all_: ["prod"] } } })).toEqual(["a-daily", "c-train"]);
    expect(await names({ deployments: { paused: { eq_: true } } })).toEqual(["b-hourly"]);
    expect(await names({ deployments: { work_queue_name: { any_: ["fast"] } } })).toEqual(["b-hourly"]);
    expect(await names({ deployments: { flow_or_deployment_name: { like_: "ml" } } })).toEqual(["c-train"]);
    expect(await names({ deployments: { concurrency_limit: { ge_: 3 } } })).toEqual(["c-train"]);
    expect(await names({ flows: { name: { any_: ["etl"] } } })).toEqual(["a-daily", "b-hourly"]);
    expect(await names({ work_pools: { name: { any_: ["gpu"] } } })).toEqual(["b-hourly"]);
    expect(await names({ work_pools: { type: { any_: ["process", "docker"] } } })).toEqual(["a-daily", "b-hourly"]);
    expect(await names({ work_pool_queues: { name: { any_: ["default"] } } })).toEqual(["a-daily"]);
    expect(await names({ offset: 1, limit: 1 })).toEqual(["b-hourly"]);
    expect(await api.post("/deployments/count", { flows: { name: { any_: ["etl"] } } })).toMatchObject({ status: 200, body: 2 });
    expect(await api.post("/deployments/paginate", { page: 2, limit: 2 })).toMatchObject({
      status: 200,
      body: { count: 3, pages: 2, page: 2, limit: 2, results: [{ name: "c-train" }] },
    });
    expect(await api.post("/deployments/filter", { limit: 201 })).toMatchObject({ status: 422, body: { exception_detail: [{ loc: ["body", "limit"] }] } });
    expect((await api.post("/deployments/paginate", { limit: 201 })).status).toBe(422);
  });

  it("serves deployments under the Cloud prefix, each workspace apart", async () => {
    const first = workspace();
    const second = workspace();
    await deploy(first, { name: "cloud", flow_id: await flowIn(first) });
    expect((await first.post<Deployment[]>("/deployments/filter", {})).body).toHaveLength(1);
    expect((await second.post<Deployment[]>("/deployments/filter", {})).body).toHaveLength(0);
  });
});

describe("deployment schedules", () => {
  const ctx = useDevServer();
  const workspace = (): RawApi => rawApi(ctx.server.cloudUrl(randomUUID(), randomUUID()));
  const newDeployment = async (api: RawApi, extra: Record<string, unknown> = {}): Promise<Deployment> => {
    const flowId = (await api.post<{ id: string }>("/flows/", { name: "f" })).body.id;
    return (await api.post<Deployment>("/deployments/", { name: `d-${randomUUID()}`, flow_id: flowId, ...extra })).body;
  };
  const scheduleOf = async (api: RawApi, schedule: Record<string, unknown>) => {
    const response = await api.post<Deployment>("/deployments/", {
      name: `s-${randomUUID()}`,
      flow_id: (await api.post<{ id: string }>("/flows/", { name: "f" })).body.id,
      schedules: [{ schedule }],
    });
    return response;
  };

  // scenarios.jsonl "schedule add interval number" (900 -> 900.0: a JSON number, which JS parses
  // as 900; bodies are compared as parsed JSON) and "schedule add interval iso" ("PT30M" stays text).
  it("answers an interval in the form it was sent, with an anchor date and the UTC zone", async () => {
    const api = workspace();
    const asNumber = await scheduleOf(api, { interval: 3600 });
    expect(asNumber.body.schedules[0]?.schedule).toMatchObject({ interval: 3600, timezone: "UTC", anchor_date: expect.any(String) });
    const asIso = await scheduleOf(api, { interval: "PT1H30M", anchor_date: "2024-01-01T00:00:00Z", timezone: "Europe/Paris" });
    expect(asIso.body.schedules[0]?.schedule).toEqual({ interval: "PT1H30M", anchor_date: "2024-01-01T00:00:00Z", timezone: "Europe/Paris" });
    const deployment = await newDeployment(api);
    const added = await api.post<Schedule[]>(`/deployments/${deployment.id}/schedules`, [{ schedule: { interval: "PT30M" }, active: false }]);
    expect(added.body[0]?.schedule).toMatchObject({ interval: "PT30M", timezone: "UTC" });
    await api.patch(`/deployments/${deployment.id}/schedules/${added.body[0]?.id}`, { schedule: { interval: "PT900S" } });
    expect((await api.get<Schedule[]>(`/deployments/${deployment.id}/schedules`)).body[0]?.schedule).toMatchObject({ interval: "PT900S" });
  });

  // src/prefect/types/_datetime.py _validate_positive_interval: a ValueError after the union member parsed it.
  it("refuses an interval that is not positive, in any form", async () => {
    const api = workspace();
    for (const interval of [0, -60, "PT0S", "-PT5M"]) {
      const refused = await scheduleOf(api, { interval });
      expect(refused.status).toBe(422);
      expect((refused.body as unknown as { exception_detail: unknown[] }).exception_detail[0]).toMatchObject({
        type: "value_error",
        loc: ["body", "schedules", 0, "schedule", "function-after[validate_timezone(), IntervalSchedule]", "interval"],
        msg: "Value error, interval must be positive",
      });
    }
  });

  it("validates cron strings like croniter and keeps day_or", async () => {
    const api = workspace();
    expect((await scheduleOf(api, { cron: "*/5 * * * *" })).body.schedules[0]?.schedule).toEqual({ cron: "*/5 * * * *", timezone: null, day_or: true });
    expect((await scheduleOf(api, { cron: "0 9 * * MON-FRI 30", timezone: "America/New_York", day_or: false })).status).toBeLessThan(300);
    expect((await scheduleOf(api, { cron: "@daily" })).status).toBeLessThan(300);
    expect(await scheduleOf(api, { cron: "61 * * * *" })).toMatchObject({
      status: 422,
      body: { exception_detail: [{}, {}, { type: "value_error", loc: ["body", "schedules", 0, "schedule", "function-after[validate_timezone(), CronSchedule]", "cron"], msg: 'Value error, Invalid cron string: "61 * * * *"' }, {}, {}] },
    });
    expect((await scheduleOf(api, { cron: "* * * *" })).status).toBe(422);
    expect(await scheduleOf(api, { cron: "R * * * *" })).toMatchObject({
      status: 422,
      body: { exception_detail: [{}, {}, { msg: expect.stringContaining("Random and Hashed expressions are unsupported") }, {}, {}] },
    });
    expect(await scheduleOf(api, { cron: "0 0 * * *", timezone: "Mars/Olympus" })).toMatchObject({
      status: 422,
      // The zone is checked by CronSchedule's after-validator (schedules.py validate_timezone -> default_timezone): the model's loc.
      body: { exception_detail: [{}, {}, { loc: ["body", "schedules", 0, "schedule", "function-after[validate_timezone(), CronSchedule]"], msg: expect.stringContaining('Invalid timezone: "Mars/Olympus"') }, {}, {}] },
    });
  });

  it("validates rrules and adds the DTSTART the server adds to a rule without one", async () => {
    const api = workspace();
    const plain = await scheduleOf(api, { rrule: "FREQ=WEEKLY;BYDAY=MO" });
    expect(plain.body.schedules[0]?.schedule).toEqual({ rrule: "DTSTART:20200101T000000\nFREQ=WEEKLY;BYDAY=MO", timezone: "UTC" });
    const anchored = "DTSTART:20240101T090000\nRRULE:FREQ=DAILY";
    expect((await scheduleOf(api, { rrule: anchored, timezone: "Europe/Berlin" })).body.schedules[0]?.schedule).toEqual({ rrule: anchored, timezone: "Europe/Berlin" });
    const minutely = (await scheduleOf(api, { rrule: "FREQ=MINUTELY;INTERVAL=15" })).body.schedules[0]?.schedule.rrule as string;
    expect(minutely).toMatch(/^DTSTART:\d{8}T\d{2}(00|15|30|45)00\nFREQ=MINUTELY;INTERVAL=15$/);
    expect(await scheduleOf(api, { rrule: "FREQ=SOMETIMES" })).toMatchObject({
      status: 422,
      body: { exception_detail: [{}, {}, {}, {}, { loc: ["body", "schedules", 0, "schedule", "RRuleSchedule", "rrule"], msg: expect.stringContaining("Invalid RRule string") }] },
    });
    expect((await scheduleOf(api, { rrule: "FREQ=DAILY;COUNT=x" })).status).toBe(422);
  });

  it("refuses a bad cron string with an error for each schedule type it could have been, as recorded", async () => {
    const api = workspace();
    const deployment = await newDeployment(api);
    // scenarios.jsonl "schedule bad cron": pydantic reports every member of the schedule union.
    const sent = [{ schedule: { cron: "0 25 * * *" }, active: true }];
    const refused = await api.post(`/deployments/${deployment.id}/schedules`, sent);
    expect(refused.status).toBe(422);
    const at = (member: string, field: string) => ["body", 0, "schedule", member, field];
    expect(refused.body).toEqual({
      exception_message: "Invalid request received.",
      exception_detail: [
        { type: "missing", loc: at("function-after[validate_timezone(), IntervalSchedule]", "interval"), msg: "Field required", input: { cron: "0 25 * * *" } },
        { type: "extra_forbidden", loc: at("function-after[validate_timezone(), IntervalSchedule]", "cron"), msg: "Extra inputs are not permitted", input: "0 25 * * *" },
        {
          type: "value_error",
          loc: at("function-after[validate_timezone(), CronSchedule]", "cron"),
          msg: 'Value error, Invalid cron string: "0 25 * * *"',
          input: "0 25 * * *",
          ctx: { error: {} },
        },
        { type: "missing", loc: at("RRuleSchedule", "rrule"), msg: "Field required", input: { cron: "0 25 * * *" } },
        { type: "extra_forbidden", loc: at("RRuleSchedule", "cron"), msg: "Extra inputs are not permitted", input: "0 25 * * *" },
      ],
      request_body: sent,
    });
  });

  // models/deployments.py: create_deployment (the upsert) makes schedules from their schedule, active, parameters
  // and slug only; create_deployment_schedules dumps the whole model (client-suite.jsonl.gz #4041-4042 for a PATCH).
  it("keeps a schedule's runs cap when schedules are added, not when a deployment is created with them", async () => {
    const api = workspace();
    const deployment = await newDeployment(api, { schedules: [{ schedule: { interval: 60 }, max_scheduled_runs: 5 }] });
    expect(deployment.schedules[0]?.max_scheduled_runs).toBeNull();
    const added = await api.post<Schedule[]>(`/deployments/${deployment.id}/schedules`, [{ schedule: { interval: 120 }, max_scheduled_runs: 5 }]);
    expect(added.body[0]?.max_scheduled_runs).toBe(5);
  });

  it("refuses more scheduled runs than the server allows", async () => {
    const api = workspace();
    const deployment = await newDeployment(api);
    expect(await api.post(`/deployments/${deployment.id}/schedules`, [{ schedule: { interval: 60 }, max_scheduled_runs: 51 }])).toMatchObject({
      status: 422,
      body: { exception_detail: [{ loc: ["body", 0, "max_scheduled_runs"], msg: "Value error, `max_scheduled_runs` must be less than or equal to 50." }] },
    });
  });

  it("creates schedules from a list and lists them newest first", async () => {
    const api = workspace();
    const deployment = await newDeployment(api);
    const created = await api.post<Schedule[]>(`/deployments/${deployment.id}/schedules`, [
      { schedule: { cron: "0 1 * * *" }, slug: "one", parameters: { x: 1 } },
      { schedule: { interval: 60 }, active: false, slug: "two", max_scheduled_runs: 5 },
    ]);
    expect(created.status).toBe(201);
    expect(created.body.map((schedule) => schedule.slug)).toEqual(["one", "two"]);
    expect(created.body[1]).toMatchObject({ deployment_id: deployment.id, active: false, max_scheduled_runs: 5, parameters: {} });
    const listed = (await api.get<Schedule[]>(`/deployments/${deployment.id}/schedules`)).body;
    expect(listed.map((schedule) => schedule.slug)).toEqual(["two", "one"]);
    expect((await api.get<Deployment>(`/deployments/${deployment.id}`)).body.schedules.map((schedule) => schedule.id)).toEqual(listed.map((schedule) => schedule.id));
    expect(await api.post(`/deployments/${deployment.id}/schedules`, [{ schedule: { interval: 60 }, slug: "one" }])).toMatchObject({ status: 409 });
    expect(await api.get(`/deployments/${randomUUID()}/schedules`)).toMatchObject({ status: 404, body: { detail: "Deployment not found." } });
  });

  it("patches a schedule in place, keeping its id, and deletes it", async () => {
    const api = workspace();
    const deployment = await newDeployment(api, { schedules: [{ schedule: { cron: "0 0 * * *" }, parameters: { a: 1 } }] });
    const original = deployment.schedules[0] as Schedule;
    const path = `/deployments/${deployment.id}/schedules/${original.id}`;
    expect((await api.patch(path, { schedule: { cron: "0 6 * * *" }, active: false })).status).toBe(204);
    const [patched] = (await api.get<Schedule[]>(`/deployments/${deployment.id}/schedules`)).body;
    expect(patched).toMatchObject({ id: original.id, active: false, schedule: { cron: "0 6 * * *" }, parameters: {} });
    expect(await api.patch(`/deployments/${deployment.id}/schedules/${randomUUID()}`, { active: true })).toMatchObject({ status: 404, body: { detail: "Schedule not found." } });
    expect((await api.patch(path, { schedule: { cron: "nope" } })).status).toBe(422);
    expect((await api.delete(path)).status).toBe(204);
    expect((await api.get<Schedule[]>(`/deployments/${deployment.id}/schedules`)).body).toEqual([]);
    expect(await api.delete(path)).toMatchObject({ status: 404, body: { detail: "Schedule not found." } });
  });

  it("replaces schedules with new ids when a deployment is patched with schedules without slugs", async () => {
    const api = workspace();
    const deployment = await newDeployment(api, { schedules: [{ schedule: { interval: 60 } }] });
    await api.patch(`/deployments/${deployment.id}`, { schedules: [{ schedule: { interval: 120 } }, { schedule: { cron: "0 0 * * *" }, active: false }] });
    const after = (await api.get<Deployment>(`/deployments/${deployment.id}`)).body.schedules;
    expect(after).toHaveLength(2);
    expect(after.map((schedule) => schedule.id)).not.toContain(deployment.schedules[0]?.id);
    await api.patch(`/deployments/${deployment.id}`, { schedules: [] });
    expect((await api.get<Deployment>(`/deployments/${deployment.id}`)).body.schedules).toEqual([]);
  });

  it("updates slugged schedules in place when a deployment is patched with slugs, renaming through replaces", async () => {
    const api = workspace();
    const deployment = await newDeployment(api, {
      schedules: [
        { schedule: { interval: 60 }, slug: "keep" },
        { schedule: { interval: 120 }, slug: "old-name" },
      ],
    });
    const ids = Object.fromEntries(deployment.schedules.map((schedule) => [schedule.slug, schedule.id]));
    const response = await api.patch(`/deployments/${deployment.id}`, {
      schedules: [
        { slug: "keep", schedule: { interval: 90 } },
        { slug: "new-name", replaces: "old-name", active: false },
        { slug: "added", schedule: { cron: "0 0 * * *" } },
      ],
    });
    expect(response.status).toBe(204);
    const after = Object.fromEntries((await api.get<Schedule[]>(`/deployments/${deployment.id}/schedules`)).body.map((schedule) => [schedule.slug, schedule]));
    expect(after.keep).toMatchObject({ id: ids.keep, schedule: { interval: 90 } });
    expect(after["new-name"]).toMatchObject({ id: ids["old-name"], active: false, schedule: { interval: 120 } });
    expect(after.added?.id).toBeDefined();
    expect(Object.keys(after).sort()).toEqual(["added", "keep", "new-name"]);
    expect(await api.patch(`/deployments/${deployment.id}`, { schedules: [{ slug: "unknown" }] })).toMatchObject({
      status: 422,
      body: { detail: "Unable to create new deployment schedules without a schedule configuration." },
    });
  });

  // src/prefect/server/api/deployments.py update_deployment: the slug rules of Prefect 3.8.
  it("follows the server's slug rules when a deployment whose schedules all have slugs is patched", async () => {
    const api = workspace();
    const deployment = await newDeployment(api, { schedules: [{ schedule: { interval: 60 }, slug: "a" }, { schedule: { interval: 120 }, slug: "b" }] });
    const slugs = async () => (await api.get<Schedule[]>(`/deployments/${deployment.id}/schedules`)).body.map((schedule) => schedule.slug).sort();
    // An empty list names no slug: nothing is patched, nothing is removed.
    expect((await api.patch(`/deployments/${deployment.id}`, { schedules: [] })).status).toBe(204);
    expect(await slugs()).toEqual(["a", "b"]);
    expect(await api.patch(`/deployments/${deployment.id}`, { schedules: [{ schedule: { interval: 30 } }] })).toMatchObject({
      status: 422,
      body: { detail: "Please provide a slug for each schedule in your request to ensure schedules are updated correctly." },
    });
    expect(await api.patch(`/deployments/${deployment.id}`, { schedules: [{ slug: "c", replaces: "a" }, { slug: "d", replaces: "a" }] })).toMatchObject({
      status: 422,
      body: { detail: "Multiple schedules have 'replaces' targeting the same slug: a" },
    });
    expect(await api.patch(`/deployments/${deployment.id}`, { schedules: [{ slug: "b", replaces: "a" }] })).toMatchObject({
      status: 422,
      body: { detail: "Cannot rename schedule from 'a' to 'b': a schedule with slug 'b' already exists." },
    });
    // A rename from a slug that does not exist creates the schedule, without the runs cap it was sent with.
    expect((await api.patch(`/deployments/${deployment.id}`, { schedules: [{ slug: "e", replaces: "gone", schedule: { interval: 300 }, max_scheduled_runs: 5 }] })).status).toBe(204);
    const created = (await api.get<Schedule[]>(`/deployments/${deployment.id}/schedules`)).body.find((schedule) => schedule.slug === "e");
    expect(created).toMatchObject({ schedule: { interval: 300 }, max_scheduled_runs: null, active: true });
    expect(await slugs()).toEqual(["a", "b", "e"]);
  });

  // src/prefect/server/models/deployments.py update_deployment: an explicit null pool clears the queue.
  it("takes a deployment off its work pool when patched with a null pool name", async () => {
    const api = workspace();
    await api.post("/work_pools/", { name: `p-${randomUUID()}`.slice(0, 20), type: "process" });
    const pools = (await api.post<{ name: string }[]>("/work_pools/filter", {})).body;
    const deployment = await newDeployment(api, { work_pool_name: pools[0]?.name });
    expect(deployment.work_queue_id).not.toBeNull();
    expect((await api.patch(`/deployments/${deployment.id}`, { work_pool_name: null })).status).toBe(204);
    expect((await api.get<Deployment>(`/deployments/${deployment.id}`)).body).toMatchObject({ work_queue_id: null, work_pool_name: null });
  });
});

// A Prefect 3.8 server on Python < 3.13 types an interval as a plain timedelta, which its models
// serialize as seconds (src/prefect/types/_datetime.py `Interval`; bases.py ser_json_timedelta="float").
describe("deployment schedules on a server answering durations in seconds", () => {
  const ctx = useDevServer({ durations: "seconds" });

  it("answers every interval as a number of seconds, whatever form it was sent in", async () => {
    const api = rawApi(ctx.server.cloudUrl(randomUUID(), randomUUID()));
    const flowId = (await api.post<{ id: string }>("/flows/", { name: "f" })).body.id;
    const created = await api.post<Deployment>("/deployments/", {
      name: "d",
      flow_id: flowId,
      schedules: [{ schedule: { interval: "PT1H30M", anchor_date: "2024-01-01T00:00:00Z" } }, { schedule: { interval: 900 } }],
    });
    expect(created.body.schedules.map((schedule) => schedule.schedule.interval).sort()).toEqual([5400, 900]);
    const added = await api.post<Schedule[]>(`/deployments/${created.body.id}/schedules`, [{ schedule: { interval: "P1D" } }]);
    expect(added.body[0]?.schedule.interval).toBe(86400);
  });
});
