import { describe, expect, it } from "vitest";
import { kindFor } from "../../provider/kinds/registry.js";
import { VARIABLE } from "../../test/support/plan-fixtures.js";
import { awaitsResults, hasMarkers, payloadOf, serialOf } from "./payload.js";

const BLOCK = kindFor("prefect_block")!;
const QUEUE = kindFor("prefect_work_queue")!;

describe("what a step sends", () => {
  it.each<[string, Parameters<typeof payloadOf>, Record<string, unknown>, boolean, boolean]>([
    ["plain values as they are", [VARIABLE, { name: "v", value: 1, tags: undefined }, new Set()], { name: "v", value: 1 }, false, false],
    ["a value from a sensitive variable as a secret", [VARIABLE, { name: "v", value: "s3cret" }, new Set(["value"])], { name: "v", value: { $secret: "value" } }, true, false],
    ["a sensitive attribute as a secret", [BLOCK, { name: "b", type_slug: "secret", data: '{"value":"s3cret"}' }, new Set()], { name: "b", type_slug: "secret", data: { $secret: "data" } }, true, false],
    ["a value known after another step as a reference", [VARIABLE, { name: "v", value: { $unknown: "prefect_flow.f.id" } }, new Set()], { name: "v", value: { $after: "prefect_flow.f.id" } }, true, true],
    ["a nested unknown as a reference to the whole attribute", [VARIABLE, { name: "v", value: { id: { $unknown: "prefect_flow.f.id" } } }, new Set()], { name: "v", value: { $after: "prefect_flow.f.id" } }, true, true],
  ])("%s", (_name, args, spec, markers, awaits) => {
    const payload = payloadOf(...args);
    expect(payload.spec).toEqual(spec);
    expect(hasMarkers(payload)).toBe(markers);
    expect(awaitsResults(payload)).toBe(awaits);
  });

  it("lists the attributes an update sends", () => {
    expect(payloadOf(VARIABLE, { name: "v", value: 2 }, new Set(), ["value"])).toEqual({ spec: { name: "v", value: 2 }, changed: ["value"] });
  });

  it("groups a pool's queues without naming the pool", () => {
    const a = serialOf(QUEUE, { name: "a", work_pool_name: "secret-pool", priority: 2 });
    const b = serialOf(QUEUE, { name: "b", work_pool_name: "secret-pool", priority: 1 });
    expect(a).toEqual({ group: b!.group, order: 2 });
    expect(JSON.stringify(a)).not.toContain("secret-pool");
    expect(serialOf(QUEUE, { name: "c", work_pool_name: "other", priority: 1 })!.group).not.toBe(a!.group);
    expect(serialOf(VARIABLE, { name: "v", value: 1 })).toBeUndefined();
  });
});
