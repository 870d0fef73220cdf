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
