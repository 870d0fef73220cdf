import { describe, expect, it } from "vitest";
import { declare, entry, instance, liveVariable, VARIABLE } from "../../test/support/plan-fixtures.js";
import type { Lifecycle } from "../config/model.js";
import type { StateEntry } from "../state/model.js";
import { declaredStep } from "./declared-step.js";
import type { Located } from "./locate.js";
import type { PlanMode } from "./model.js";

const ADDRESS = "prefect_variable.v";

interface Case {
  value?: unknown;
  live?: unknown;
  entry?: StateEntry;
  lifecycle?: Partial<Lifecycle>;
  mode?: PlanMode;
  readable?: boolean;
}

function make({ value = "declared", live, entry: recorded, lifecycle = {}, mode = "normal", readable = true }: Case) {
  const spec = declare(VARIABLE, { name: "v", value });
  const located: Located = { object: live, importing: false, diagnostics: [] };
  return declaredStep(instance(ADDRESS, {}, lifecycle), VARIABLE, { attributes: spec, spec, tainted: new Set(), label: 'variable "v"' }, located, recorded, mode, "salt", [], readable);
}

describe("the step of a declared object", () => {
  it.each<[string, Case, string, string | undefined]>([
    ["nothing live: create", {}, "create", undefined],
    ["live and equal: no-op", { live: liveVariable("id", "v", "declared"), entry: entry(ADDRESS, "id") }, "no-op", undefined],
    ["live and different: update", { live: liveVariable("id", "v", "old"), entry: entry(ADDRESS, "id") }, "update", undefined],
    ["only prevent_destroy changed: an update Prefect never sees", { live: liveVariable("id", "v", "declared"), entry: entry(ADDRESS, "id"), lifecycle: { preventDestroy: true } }, "update", "only lifecycle.prevent_destroy changed: the state records it, Prefect is not called"],
    ["owned but gone: create again", { entry: entry(ADDRESS, "id") }, "create", "deleted outside prefect-gitops"],
    ["owned, its kind unreadable: create, without calling it gone", { entry: entry(ADDRESS, "id"), readable: false }, "create", undefined],
    ["refresh-only never acts", { live: liveVariable("id", "v", "old"), entry: entry(ADDRESS, "id"), mode: "refresh-only" }, "no-op", undefined],
  ])("%s", (_name, input, action, reason) => {
    const { step } = make(input);
    expect(step.action).toBe(action);
    expect(step.reason).toBe(reason);
  });

  it("sends only what changed in an update, with each change's impact", () => {
    const { step } = make({ live: liveVariable("id", "v", "old"), entry: entry(ADDRESS, "id") });
    expect(step.send).toEqual({ spec: { name: "v", value: "declared", tags: [] }, changed: ["value"] });
    expect(step.changes).toEqual([{ path: ["value"], before: "old", after: "declared", impact: "update", sensitive: false }]);
  });

  it("reports drift since the last apply apart from the changes", () => {
    const made = make({ live: liveVariable("id", "v", "edited"), entry: entry(ADDRESS, "id", { values: { name: "v", value: "declared" } }) });
    expect(made.drift).toEqual([expect.objectContaining({ kind: "modified", changes: [expect.objectContaining({ path: ["value"], before: "declared", after: "edited" })] })]);
    expect(make({ entry: entry(ADDRESS, "id") }).drift).toEqual([expect.objectContaining({ kind: "deleted" })]);
  });

  it("records prevent_destroy with the step, and a create sends everything declared", () => {
    const { step } = make({ lifecycle: { preventDestroy: true } });
    expect(step).toMatchObject({ preventDestroy: true, send: { spec: { name: "v", value: "declared" } } });
    expect(step.send?.changed).toBeUndefined();
  });
});
