import { describe, expect, it } from "vitest";
import { kindFor, kindTypes } from "../../provider/kinds/registry.js";
import { configFrom } from "../../test/support/plan-fixtures.js";
import { indexInstances } from "./instances.js";
import type { PlanMode } from "./model.js";

const index = async (resource: Record<string, unknown>, cloud = false, mode: PlanMode = "normal") => indexInstances((await configFrom({ resource })).instances, { kindFor, knownTypes: kindTypes(), cloud, mode });

describe("indexing instances and their graph", () => {
  it("builds the graph from references and depends_on", async () => {
    const indexed = await index({
      prefect_work_pool: { p: { name: "p" } },
      prefect_work_queue: { q: { name: "q", work_pool_name: "${prefect_work_pool.p.name}" } },
      prefect_variable: { v: { name: "v", value: 1, depends_on: ["prefect_work_queue.q"] } },
    });
    expect(indexed.diagnostics).toEqual([]);
    expect(Object.fromEntries([...indexed.graph].map(([address, dependencies]) => [address, [...dependencies]]))).toEqual({ "prefect_work_pool.p": [], "prefect_work_queue.q": ["prefect_work_pool.p"], "prefect_variable.v": ["prefect_work_queue.q"] });
  });

  it.each<[string, Record<string, unknown>, boolean, PlanMode, string[]]>([
    ["refuses an unknown type, suggesting the closest", { prefect_work_pol: { p: { name: "p" } } }, false, "normal", ["RESOURCE_TYPE_UNSUPPORTED"]],
    ["refuses a Cloud-only kind off Cloud", { prefect_webhook: { w: { name: "w", template: "{}" } } }, false, "normal", ["CLOUD_ONLY"]],
    ["accepts a Cloud-only kind on Cloud", { prefect_webhook: { w: { name: "w", template: "{}" } } }, true, "normal", []],
    ["lets destroy remove a Cloud-only kind off Cloud", { prefect_webhook: { w: { name: "w", template: "{}" } } }, false, "destroy", []],
    ["reports a cycle", { prefect_variable: { a: { name: "${prefect_variable.b.name}", value: 1 }, b: { name: "${prefect_variable.a.name}", value: 1 } } }, false, "normal", ["CONFIG_CYCLE"]],
  ])("%s", async (_name, resource, cloud, mode, codes) => {
    const indexed = await index(resource, cloud, mode);
    expect(indexed.diagnostics.map((d) => d.code)).toEqual(codes);
  });

  it("names the cycle and where it starts", async () => {
    const indexed = await index({ prefect_variable: { a: { name: "${prefect_variable.b.name}", value: 1 }, b: { name: "${prefect_variable.a.name}", value: 1 } } });
    expect(indexed.cycle).toEqual(["prefect_variable.a", "prefect_variable.b", "prefect_variable.a"]);
    expect(indexed.diagnostics[0]!.detail).toContain("prefect_variable.a -> prefect_variable.b -> prefect_variable.a");
  });

  it("suggests the type meant", async () => {
    const indexed = await index({ prefect_work_pol: { p: { name: "p" } } });
    expect(indexed.diagnostics[0]!.detail).toContain("prefect_work_pool");
    expect(indexed.instances.size).toBe(0);
  });
});
