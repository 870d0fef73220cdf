// Prefect parses UUIDs, so an id in upper case names the same object as in lower case, in
// paths, in bodies and in filters; the devserver does the same.
import { describe, expect, it } from "vitest";
import { rawApi } from "../test/support/http.js";
import { useDevServer } from "../test/support/devserver.js";

describe("ids in any letter case", () => {
  const ctx = useDevServer();

  it("find the same object in paths, foreign keys and filters", async () => {
    const api = rawApi(ctx.server.url);
    const flow = await api.post<{ id: string }>("/flows/", { name: "uuid-case" });
    const upper = flow.body.id.toUpperCase();
    expect((await api.get<{ id: string }>(`/flows/${upper}`)).body.id).toBe(flow.body.id);
    const deployment = await api.post<{ id: string; flow_id: string }>("/deployments/", { name: "d", flow_id: upper });
    expect(deployment.status).toBe(201);
    expect(deployment.body.flow_id).toBe(flow.body.id);
    const filtered = await api.post<{ id: string }[]>("/flows/filter", { flows: { id: { any_: [upper] } } });
    expect(filtered.body.map((found) => found.id)).toEqual([flow.body.id]);
  });
});

describe("ids in any letter case in update bodies", () => {
  const ctx = useDevServer();

  it("link the same object through PATCH, which writes only what was sent", async () => {
    const api = rawApi(ctx.server.url);
    const flow = await api.post<{ id: string }>("/flows/", { name: "uuid-case-patch" });
    const deployment = await api.post<{ id: string }>("/deployments/", { name: "d", flow_id: flow.body.id });
    const limit = await api.post<{ id: string }>("/v2/concurrency_limits/", { name: "uuid-case-limit", limit: 2 });
    const patched = await api.patch(`/deployments/${deployment.body.id}`, { global_concurrency_limit_id: limit.body.id.toUpperCase() });
    expect(patched.status).toBe(204);
    const read = await api.get<{ global_concurrency_limit: { id: string } | null }>(`/deployments/${deployment.body.id}`);
    expect(read.body.global_concurrency_limit?.id).toBe(limit.body.id);
  });
});
