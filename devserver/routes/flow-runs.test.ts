// A "run this deployment" smoke test against the devserver: `prefect deployment run` makes a
// SCHEDULED flow run that `prefect flow-run ls`, `inspect` and `delete` then find. Every answer is
// checked against the Prefect API contract (FlowRunResponse) by the test harness.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { useDevServer } from "../../test/support/devserver.js";
import { rawApi, type RawApi } from "../../test/support/http.js";

interface FlowRun {
  id: string;
  name: string;
  flow_id: string;
  deployment_id: string | null;
  parameters: Record<string, unknown>;
  tags: string[];
  labels: Record<string, unknown>;
  state_type: string;
  state_name: string;
  state_id: string;
  state: { id: string; type: string; name: string; state_details: { flow_run_id: string; scheduled_time: string | null } };
  expected_start_time: string | null;
  next_scheduled_start_time: string | null;
  work_queue_name: string | null;
  work_queue_id: string | null;
  work_pool_name: string | null;
  work_pool_id: string | null;
  idempotency_key: string | null;
}

/** What `prefect flow-run ls` sends (prefect/cli/flow_run.py ls -> client read_flow_runs). */
const FLOW_RUN_LS = { flows: null, flow_runs: null, task_runs: null, deployments: null, work_pools: null, work_pool_queues: null, sort: "EXPECTED_START_TIME_DESC", limit: 15, offset: 0 };

describe("flow runs from a deployment", () => {
  const ctx = useDevServer();
  const workspace = (): RawApi => rawApi(ctx.server.cloudUrl(randomUUID(), randomUUID()));

  /** A process pool, a flow and a deployment in it with parameters and tags, as `prefect deploy` makes them. */
  async function deployment(api: RawApi, name = "nightly"): Promise<{ id: string; flowId: string; poolId: string }> {
    // The process template Prefect's CLI would send, from the devserver's worker view.
    const view = await api.get<{ prefect: { process: { default_base_job_configuration: unknown } } }>("/collections/views/aggregate-worker-metadata");
    const template = view.body.prefect.process.default_base_job_configuration;
    const pool = await api.post<{ id: string }>("/work_pools/", { name: "runs-pool", type: "process", base_job_template: template });
    const flow = await api.post<{ id: string }>("/flows/", { name: "etl" });
    const created = await api.post<{ id: string }>("/deployments/", {
      name,
      flow_id: flow.body.id,
      work_pool_name: "runs-pool",
      parameters: { source: "s3://raw", limit: 500 },
      tags: ["etl", "nightly"],
      labels: { team: "data" },
      version: "v1",
    });
    expect(created.status).toBe(201);
    return { id: created.body.id, flowId: flow.body.id, poolId: pool.body.id };
  }

  it("makes a SCHEDULED run with a generated name, the deployment's parameters overridden by the request's, and its queue and pool", async () => {
    const api = workspace();
    const dep = await deployment(api);
    const response = await api.post<FlowRun>(`/deployments/${dep.id}/create_flow_run`, { parameters: { limit: 10 }, tags: ["smoke", "etl"] });
    expect(response.status).toBe(201);
    const run = response.body;
    expect(run.name).toMatch(/^[a-z]+-[a-z]+$/);
    expect(run).toMatchObject({
      flow_id: dep.flowId,
      deployment_id: dep.id,
      deployment_version: "v1",
      parameters: { source: "s3://raw", limit: 10 },
      tags: ["etl", "nightly", "smoke"],
      labels: { team: "data", "prefect.flow.id": dep.flowId, "prefect.deployment.id": dep.id },
      state_type: "SCHEDULED",
      state_name: "Scheduled",
      state: { type: "SCHEDULED", name: "Scheduled", state_details: { flow_run_id: run.id } },
      work_queue_name: "default",
      work_pool_name: "runs-pool",
      work_pool_id: dep.poolId,
      run_count: 0,
      start_time: null,
      auto_scheduled: false,
    });
    expect(run.state_id).toBe(run.state.id);
    expect(run.state.state_details.scheduled_time).toBeTruthy();
    expect(run.expected_start_time).toBe(run.state.state_details.scheduled_time);
    expect(run.next_scheduled_start_time).toBe(run.state.state_details.scheduled_time);
  });

  it("takes the request Prefect's `deployment run` sends: a Scheduled state at a time, a null name", async () => {
    const api = workspace();
    const dep = await deployment(api);
    const at = "2031-01-02T03:04:05.000000Z";
    const body = {
      parameters: {},
      context: {},
      state: { type: "SCHEDULED", name: "Scheduled", message: null, data: null, state_details: { scheduled_time: at } },
      tags: [],
      name: null,
      job_variables: {},
      labels: {},
    };
    const run = await api.post<FlowRun>(`/deployments/${dep.id}/create_flow_run`, body);
    expect(run.status).toBe(201);
    expect(run.body.name).toMatch(/^[a-z]+-[a-z]+$/);
    expect(run.body.expected_start_time).toBe(at);
    expect(run.body.state.state_details.scheduled_time).toBe(at);
  });

  it("is listed by `flow-run ls`, by deployment and flow filters, read by id and deleted", async () => {
    const api = workspace();
    const dep = await deployment(api);
    const other = await deployment(api, "other");
    const run = (await api.post<FlowRun>(`/deployments/${dep.id}/create_flow_run`, {})).body;
    const otherRun = (await api.post<FlowRun>(`/deployments/${other.id}/create_flow_run`, {})).body;

    const listed = await api.post<FlowRun[]>("/flow_runs/filter", FLOW_RUN_LS);
    expect(listed.status).toBe(200);
    expect(listed.body.map((item) => item.id).sort()).toEqual([run.id, otherRun.id].sort());

    const byDeployment = await api.post<FlowRun[]>("/flow_runs/filter", { ...FLOW_RUN_LS, deployments: { id: { any_: [dep.id] } } });
    expect(byDeployment.body.map((item) => item.id)).toEqual([run.id]);
    const byRunFilter = await api.post<FlowRun[]>("/flow_runs/filter", { flow_runs: { deployment_id: { any_: [other.id] }, state: { type: { any_: ["SCHEDULED"] } } } });
    expect(byRunFilter.body.map((item) => item.id)).toEqual([otherRun.id]);
    const byFlow = await api.post<FlowRun[]>("/flow_runs/filter", { ...FLOW_RUN_LS, flows: { name: { any_: ["etl"] } } });
    expect(byFlow.body).toHaveLength(2);
    const noneRunning = await api.post<FlowRun[]>("/flow_runs/filter", { flow_runs: { state: { type: { any_: ["RUNNING"] } } } });
    expect(noneRunning.body).toEqual([]);
    expect((await api.post<number>("/flow_runs/count", { deployments: { id: { any_: [dep.id] } } })).body).toBe(1);

    const read = await api.get<FlowRun>(`/flow_runs/${run.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: run.id, name: run.name, deployment_id: dep.id });

    expect((await api.delete(`/flow_runs/${run.id}`)).status).toBe(204);
    expect(await api.get(`/flow_runs/${run.id}`)).toMatchObject({ status: 404, body: { detail: "Flow run not found" } });
    expect(await api.delete(`/flow_runs/${run.id}`)).toMatchObject({ status: 404, body: { detail: "Flow run not found" } });
  });

  it("lets flows and deployments be filtered by their runs, as Prefect's EXISTS subquery does", async () => {
    const api = workspace();
    const dep = await deployment(api);
    const idle = await deployment(api, "idle");
    const run = (await api.post<FlowRun>(`/deployments/${dep.id}/create_flow_run`, { tags: ["smoke"] })).body;
    const byRunTag = { flow_runs: { tags: { all_: ["smoke"] } } };
    const deps = await api.post<{ id: string }[]>("/deployments/filter", byRunTag);
    expect(deps.body.map((item) => item.id)).toEqual([dep.id]);
    expect(idle.flowId).toBe(dep.flowId);
    const flowsWithRun = await api.post<{ id: string }[]>("/flows/filter", { flow_runs: { id: { any_: [run.id] } } });
    expect(flowsWithRun.body.map((item) => item.id)).toEqual([dep.flowId]);
    expect((await api.post<unknown[]>("/flows/filter", { flow_runs: { state: { type: { any_: ["RUNNING"] } } } })).body).toEqual([]);
    expect((await api.post<unknown[]>("/deployments/filter", { task_runs: { id: { any_: [run.id] } } })).body).toEqual([]);
    expect((await api.post<number>("/deployments/count", byRunTag)).body).toBe(1);
  });

  it("combines a run's tag criteria with their operator, as FlowRunFilterTags (a PrefectOperatorFilterBaseModel) does", async () => {
    const api = workspace();
    const dep = await deployment(api);
    // A run takes its deployment's tags ("etl", "nightly") plus its own.
    const smoke = (await api.post<FlowRun>(`/deployments/${dep.id}/create_flow_run`, { tags: ["smoke"] })).body;
    const plain = (await api.post<FlowRun>(`/deployments/${dep.id}/create_flow_run`, {})).body;
    const ids = async (tags: Record<string, unknown>): Promise<string[]> =>
      (await api.post<FlowRun[]>("/flow_runs/filter", { flow_runs: { tags } })).body.map((item) => item.id).sort();
    expect(await ids({ all_: ["smoke"], any_: ["nightly"] })).toEqual([smoke.id]);
    expect(await ids({ operator: "or_", all_: ["smoke"], any_: ["nightly"] })).toEqual([smoke.id, plain.id].sort());
    expect(await ids({ operator: "or_", all_: ["smoke"], is_null_: true })).toEqual([smoke.id]);
  });

  it("answers the first run again (200) for a repeated idempotency key", async () => {
    const api = workspace();
    const dep = await deployment(api);
    const first = await api.post<FlowRun>(`/deployments/${dep.id}/create_flow_run`, { idempotency_key: "once" });
    const again = await api.post<FlowRun>(`/deployments/${dep.id}/create_flow_run`, { idempotency_key: "once", parameters: { limit: 1 } });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect((await api.post<FlowRun[]>("/flow_runs/filter", {})).body).toHaveLength(1);
  });

  it("puts the run on a queue named in the request, made in the deployment's pool when missing", async () => {
    const api = workspace();
    const dep = await deployment(api);
    const run = await api.post<FlowRun>(`/deployments/${dep.id}/create_flow_run`, { work_queue_name: "urgent" });
    expect(run.body).toMatchObject({ work_queue_name: "urgent", work_pool_name: "runs-pool" });
    const queue = await api.get<{ id: string }>("/work_pools/runs-pool/queues/urgent");
    expect(queue.status).toBe(200);
    expect(run.body.work_queue_id).toBe(queue.body.id);
  });

  it("refuses parameters that break an enforced parameter schema with Prefect's 409, unless the request turns enforcement off", async () => {
    const api = workspace();
    const flow = await api.post<{ id: string }>("/flows/", { name: "report" });
    // The schema `prefect deploy` made for flows.py's `report(day: str, ...)` (prefect-cli-commands.json).
    const schema = { type: "object", title: "Parameters", properties: { day: { title: "day", type: "string", position: 0 } }, required: ["day"] };
    const dep = (await api.post<{ id: string }>("/deployments/", { name: "weekly", flow_id: flow.body.id, parameter_openapi_schema: schema, enforce_parameter_schema: true })).body;
    const wrongType = await api.post(`/deployments/${dep.id}/create_flow_run`, { parameters: { day: 1 } });
    expect(wrongType).toMatchObject({ status: 409, body: { detail: "Error creating flow run: Validation failed for field 'day'. Failure reason: 1 is not of type 'string'" } });
    const missing = await api.post(`/deployments/${dep.id}/create_flow_run`, {});
    expect(missing).toMatchObject({ status: 409, body: { detail: "Error creating flow run: Validation failed. Failure reason: 'day' is a required property" } });
    expect((await api.post(`/deployments/${dep.id}/create_flow_run`, { parameters: { day: "monday" } })).status).toBe(201);
    expect((await api.post(`/deployments/${dep.id}/create_flow_run`, { parameters: { day: 1 }, enforce_parameter_schema: false })).status).toBe(201);
  });

  it("refuses job variables that break the pool's variables schema with Prefect's 422, and takes a null for a variable with a default", async () => {
    const api = workspace();
    const dep = await deployment(api);
    const wrong = await api.post(`/deployments/${dep.id}/create_flow_run`, { job_variables: { stream_output: "loud" } });
    expect(wrong).toMatchObject({ status: 422, body: { detail: "Error creating flow run: Validation failed for field 'stream_output'. Failure reason: 'loud' is not of type 'boolean'" } });
    expect((await api.post(`/deployments/${dep.id}/create_flow_run`, { job_variables: { stream_output: null, env: { A: "1" } } })).status).toBe(201);
  });

  it("answers 404 for a deployment that does not exist", async () => {
    const api = workspace();
    expect(await api.post(`/deployments/${randomUUID()}/create_flow_run`, {})).toMatchObject({ status: 404, body: { detail: "Deployment not found" } });
  });

  it("refuses a body outside DeploymentFlowRunCreate and an id that is not a UUID with Prefect's 422", async () => {
    const api = workspace();
    const dep = await deployment(api);
    const bad = await api.post<{ exception_detail: { loc: unknown[] }[] }>(`/deployments/${dep.id}/create_flow_run`, { parameters: "all" });
    expect(bad.status).toBe(422);
    expect(bad.body.exception_detail[0]?.loc).toEqual(["body", "parameters"]);
    expect((await api.post("/deployments/not-an-id/create_flow_run", {})).status).toBe(422);
    expect((await api.post<FlowRun[]>("/flow_runs/filter", {})).body).toEqual([]);
  });

  it("drops a deployment's scheduled runs with it, and a flow's runs with the flow", async () => {
    const api = workspace();
    const dep = await deployment(api);
    const run = (await api.post<FlowRun>(`/deployments/${dep.id}/create_flow_run`, {})).body;
    expect((await api.delete(`/deployments/${dep.id}`)).status).toBe(204);
    expect((await api.get(`/flow_runs/${run.id}`)).status).toBe(404);

    const again = await deployment(api, "again");
    const kept = (await api.post<FlowRun>(`/deployments/${again.id}/create_flow_run`, { state: { type: "COMPLETED" } })).body;
    expect(kept.state_name).toBe("Completed");
    expect((await api.delete(`/deployments/${again.id}`)).status).toBe(204);
    expect((await api.get(`/flow_runs/${kept.id}`)).status).toBe(200);
    expect((await api.delete(`/flows/${again.flowId}`)).status).toBe(204);
    expect((await api.get(`/flow_runs/${kept.id}`)).status).toBe(404);
  });
});
