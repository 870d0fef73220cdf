import { describe, expect, it } from "vitest";
import { useDevServer } from "../../../test/support/devserver.js";
import type { ResourceProvider, TfObject } from "../plugin/contract.js";
import { createResourceProvider } from "./provider.js";
import { tfConfig } from "./terraform-driver.testing.js";

/** Terraform refreshes with -parallelism (default 10): at most that many ReadResource calls at once. */
async function refreshAll(provider: ResourceProvider, type: string, states: TfObject[], parallelism = 10): Promise<(TfObject | null)[]> {
  const results: (TfObject | null)[] = new Array(states.length).fill(null);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < states.length) {
      const i = next++;
      const read = await provider.readResource(type, states[i]!);
      expect(read.diagnostics).toEqual([]);
      results[i] = read.state;
    }
  };
  await Promise.all(Array.from({ length: parallelism }, worker));
  return results;
}

describe("reads batched by kind", () => {
  const dev = useDevServer();

  it("refreshes 200 variables, 10 at a time as Terraform does, in at most 20 requests (the official provider sends 200)", async () => {
    const provider = createResourceProvider({ env: { PREFECT_API_URL: dev.server.url }, log: () => {} });
    await provider.configure(tfConfig("prefect_variable", {}));
    const states: TfObject[] = [];
    for (let start = 0; start < 200; start += 20) {
      const batch = await Promise.all(
        Array.from({ length: 20 }, async (_, j) => {
          const config = tfConfig("prefect_variable", { name: `v${start + j}`, value: start + j });
          const plan = await provider.planResource("prefect_variable", { prior: null, proposed: config, config });
          return (await provider.applyResource("prefect_variable", { prior: null, planned: plan.planned, config })).state!;
        }),
      );
      states.push(...batch);
    }
    const before = dev.server.totalRequests();
    const refreshed = await refreshAll(provider, "prefect_variable", states);
    const requests = dev.server.totalRequests() - before;
    expect(refreshed.map((state) => state?.value)).toEqual(states.map((state) => state.value));
    expect(requests).toBeLessThanOrEqual(20);
    await provider.stop();
  }, 60_000);

  it("reads on from one listing once the batches cost what listing the kind costs: 300 blocks, as Terraform refreshes them, in at most 10 requests", async () => {
    const provider = createResourceProvider({ env: { PREFECT_API_URL: dev.server.url }, log: () => {} });
    await provider.configure(tfConfig("prefect_variable", {}));
    const states: TfObject[] = [];
    for (let start = 0; start < 300; start += 30) {
      const batch = await Promise.all(
        Array.from({ length: 30 }, async (_, j) => {
          const config = tfConfig("prefect_block", { name: `b${start + j}`, type_slug: "secret", data: { value: `s${start + j}` } });
          const plan = await provider.planResource("prefect_block", { prior: null, proposed: config, config });
          return (await provider.applyResource("prefect_block", { prior: null, planned: plan.planned, config })).state!;
        }),
      );
      states.push(...batch);
    }
    await provider.stop();
    // A new process, as each Terraform command starts the provider anew.
    const refresher = createResourceProvider({ env: { PREFECT_API_URL: dev.server.url }, log: () => {} });
    await refresher.configure(tfConfig("prefect_variable", {}));
    const before = dev.server.totalRequests();
    const refreshed = await refreshAll(refresher, "prefect_block", states);
    const requests = dev.server.totalRequests() - before;
    expect(refreshed.map((state) => state?.data)).toEqual(states.map((state) => state.data));
    expect(requests).toBeLessThanOrEqual(10);
    await refresher.stop();
  }, 120_000);

  it("reads afresh when configured again, as a reattached provider is by each Terraform command: a change made meanwhile is seen, not a listing of the command before", async () => {
    const provider = createResourceProvider({ env: { PREFECT_API_URL: dev.server.url }, log: () => {} });
    await provider.configure(tfConfig("prefect_variable", {}));
    const states = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const config = tfConfig("prefect_variable", { name: `again${i}`, value: i });
        const plan = await provider.planResource("prefect_variable", { prior: null, proposed: config, config });
        return (await provider.applyResource("prefect_variable", { prior: null, planned: plan.planned, config })).state!;
      }),
    );
    // The first command's refresh goes on from a listing of every variable (6 batches of 10).
    expect((await refreshAll(provider, "prefect_variable", states)).map((state) => state?.value)).toEqual(states.map((state) => state.value));
    const changed = await fetch(`${dev.server.url}/variables/${String(states[59]!.id)}`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ value: "changed elsewhere" }) });
    expect(changed.status).toBe(204);
    await provider.configure(tfConfig("prefect_variable", {}));
    const refreshed = await refreshAll(provider, "prefect_variable", states);
    expect(refreshed[59]?.value).toBe("changed elsewhere");
    await provider.stop();
  }, 60_000);

  it("answers a read of an object that is gone with no state, next to reads that find theirs", async () => {
    const provider = createResourceProvider({ env: { PREFECT_API_URL: dev.server.url }, log: () => {} });
    await provider.configure(tfConfig("prefect_variable", {}));
    const config = tfConfig("prefect_variable", { name: "kept", value: 1 });
    const plan = await provider.planResource("prefect_variable", { prior: null, proposed: config, config });
    const kept = (await provider.applyResource("prefect_variable", { prior: null, planned: plan.planned, config })).state!;
    const gone = { ...kept, id: "6f1d3c2e-0000-4000-8000-000000000000", name: "gone" };
    const [a, b] = await Promise.all([provider.readResource("prefect_variable", kept), provider.readResource("prefect_variable", gone)]);
    expect(a.state?.id).toBe(kept.id);
    expect(b.state).toBeNull();
    await provider.stop();
  });
});
