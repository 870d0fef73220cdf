import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { useDevServer } from "../../test/support/devserver.js";
import { rawApi, type RawApi } from "../../test/support/http.js";

interface Flow {
  id: string;
  name: string;
  tags: string[];
  labels: Record<string, unknown>;
  created: string;
  updated: string;
}

describe("flow routes", () => {
  const ctx = useDevServer();
  /** A fresh, empty Cloud workspace: listings in it see only what the test made. */
  const workspace = (): RawApi => rawApi(ctx.server.cloudUrl(randomUUID(), randomUUID()));
  const createFlow = async (api: RawApi, name: string, tags: string[] = []): Promise<Flow> => (await api.post<Flow>("/flows/", { name, tags })).body;

  it("creates a flow and answers the existing flow, unchanged, when the name is posted again", async () => {
    const api = rawApi(ctx.server.url);
    const first = await api.post<Flow>("/flows/", { name: "etl", tags: ["a"] });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ name: "etl", tags: ["a"], labels: {} });
    const again = await api.post<Flow>("/flows/", { name: "etl", tags: ["b"] });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
  });

  it("takes a null top-level filter field as not sent, as FastAPI reads a multi-parameter body (prefect-cli.jsonl #256)", async () => {
    const api = workspace();
    await createFlow(api, "b-flow");
    await createFlow(api, "a-flow");
    const body = { flows: null, flow_runs: null, deployments: null, work_pools: null, work_queues: null, sort: null, limit: null, offset: 0 };
    const listed = await api.post<Flow[]>("/flows/filter", body);
    expect(listed.status).toBe(200);
    // `sort: null` is the default sort, by name.
    expect(listed.body.map((flow) => flow.name)).toEqual(["a-flow", "b-flow"]);
  });

  it("reads a flow by id and by name, and answers 404 in Prefect's words otherwise", async () => {
    const api = rawApi(ctx.server.url);
    const flow = await createFlow(api, "reader");
    expect((await api.get<Flow>(`/flows/${flow.id}`)).body).toEqual(flow);
    expect((await api.get<Flow>("/flows/name/reader")).body).toEqual(flow);
    expect(await api.get(`/flows/${randomUUID()}`)).toMatchObject({ status: 404, body: { detail: "Flow not found" } });
    expect(await api.get("/flows/name/nobody")).toMatchObject({ status: 404, body: { detail: "Flow not found" } });
    expect(await api.get("/flows/not-a-uuid")).toMatchObject({ status: 422, body: { exception_detail: [{ loc: ["path", "id"] }] } });
  });

  it("refuses flow names with characters Prefect bans", async () => {
    const response = await rawApi(ctx.server.url).post("/flows/", { name: "a/b" });
    expect(response).toMatchObject({ status: 422, body: { exception_message: "Invalid request received.", exception_detail: [{ loc: ["body", "name"] }] } });
  });

  it("updates tags with PATCH, including back to none, and refuses other fields", async () => {
    const api = rawApi(ctx.server.url);
    const flow = await createFlow(api, "patched", ["x"]);
    expect((await api.patch(`/flows/${flow.id}`, { tags: ["y", "z"] })).status).toBe(204);
    expect((await api.get<Flow>(`/flows/${flow.id}`)).body.tags).toEqual(["y", "z"]);
    expect((await api.patch(`/flows/${flow.id}`, { tags: [] })).status).toBe(204);
    expect((await api.get<Flow>(`/flows/${flow.id}`)).body.tags).toEqual([]);
    expect((await api.patch(`/flows/${flow.id}`, { name: "renamed" })).status).toBe(422);
    expect(await api.patch(`/flows/${randomUUID()}`, { tags: [] })).toMatchObject({ status: 404, body: { detail: "Flow not found" } });
  });

  it("deletes a flow with its deployments and the limits backing their concurrency", async () => {
    const api = workspace();
    const flow = await createFlow(api, "doomed");
    const deployment = (await api.post<{ id: string }>("/deployments/", { name: "d", flow_id: flow.id, concurrency_limit: 2 })).body;
    expect(await api.post<number>("/v2/concurrency_limits/filter", {})).toMatchObject({ body: [{ name: `deployment:${deployment.id}` }] });
    expect((await api.delete(`/flows/${flow.id}`)).status).toBe(204);
    expect((await api.get(`/flows/${flow.id}`)).status).toBe(404);
    expect(await api.get(`/deployments/${deployment.id}`)).toMatchObject({ status: 404 });
    expect((await api.post("/v2/concurrency_limits/filter", {})).body).toEqual([]);
    expect(await api.delete(`/flows/${flow.id}`)).toMatchObject({ status: 404, body: { detail: "Flow not found" } });
  });

  it("filters flows by id, name, tags and whether they have deployments, sorted by name", async () => {
    const api = workspace();
    const alpha = await createFlow(api, "alpha", ["etl", "daily"]);
    const beta = await createFlow(api, "beta", ["etl"]);
    const gamma = await createFlow(api, "gamma-ray");
    await api.post("/deployments/", { name: "nightly", flow_id: beta.id, tags: ["prod"] });
    const names = async (body: unknown) => (await api.post<Flow[]>("/flows/filter", body)).body.map((flow) => flow.name);

    expect(await names({})).toEqual(["alpha", "beta", "gamma-ray"]);
    expect(await names({ sort: "NAME_DESC" })).toEqual(["gamma-ray", "beta", "alpha"]);
    expect(await names({ flows: { id: { any_: [alpha.id, gamma.id] } } })).toEqual(["alpha", "gamma-ray"]);
    expect(await names({ flows: { id: { not_any_: [alpha.id] } } })).toEqual(["beta", "gamma-ray"]);
    expect(await names({ flows: { name: { any_: ["beta"] } } })).toEqual(["beta"]);
    expect(await names({ flows: { name: { like_: "RAY" } } })).toEqual(["gamma-ray"]);
    expect(await names({ flows: { tags: { all_: ["etl", "daily"] } } })).toEqual(["alpha"]);
    expect(await names({ flows: { tags: { is_null_: true } } })).toEqual(["gamma-ray"]);
    expect(await names({ flows: { deployment: { is_null_: false } } })).toEqual(["beta"]);
    expect(await names({ flows: { deployment: { is_null_: true } } })).toEqual(["alpha", "gamma-ray"]);
    expect(await names({ deployments: { tags: { all_: ["prod"] } } })).toEqual(["beta"]);
    expect(await names({ flows: { operator: "or_", name: { any_: ["alpha"] }, tags: { is_null_: true } } })).toEqual(["alpha", "gamma-ray"]);
    expect(await names({ flow_runs: { id: { any_: [randomUUID()] } } })).toEqual([]);
  });

  it("pages flow listings with offset and limit, and refuses a limit above the server's maximum", async () => {
    const api = workspace();
    for (const name of ["f1", "f2", "f3", "f4", "f5"]) await createFlow(api, name);
    expect((await api.post<Flow[]>("/flows/filter", { offset: 1, limit: 2 })).body.map((flow) => flow.name)).toEqual(["f2", "f3"]);
    expect(await api.post("/flows/count", { flows: { name: { like_: "f" } } })).toMatchObject({ status: 200, body: 5 });
    expect(await api.post("/flows/paginate", { page: 2, limit: 2 })).toMatchObject({
      status: 200,
      body: { count: 5, limit: 2, pages: 3, page: 2, results: [{ name: "f3" }, { name: "f4" }] },
    });
    expect(await api.post("/flows/filter", { limit: 201 })).toMatchObject({ status: 422, body: { exception_detail: [{ loc: ["body", "limit"] }] } });
    expect((await api.post("/flows/filter", { limit: 200 })).status).toBe(200);
  });

  it("keeps each Cloud workspace's flows apart", async () => {
    const first = workspace();
    const second = workspace();
    await createFlow(first, "only-here");
    expect((await first.get("/flows/name/only-here")).status).toBe(200);
    expect((await second.get("/flows/name/only-here")).status).toBe(404);
  });
});
