import { describe, expect, it } from "vitest";
import { kindFor } from "../../provider/kinds/registry.js";
import { entry, liveVariable, stateOf } from "../../test/support/plan-fixtures.js";
import type { StateEntry } from "../state/model.js";
import { LiveIndex } from "./live-index.js";
import type { PlanMode } from "./model.js";
import { pruneSteps } from "./prune.js";

function prune(entries: StateEntry[], declared: string[], live: ReturnType<typeof liveVariable>[], mode: PlanMode, readError?: string) {
  const state = stateOf(entries);
  const index = new LiveIndex({ kinds: new Map([["prefect_variable", { byId: new Map(live.map((item) => [item.id, item])), error: readError }]]) }, state);
  return pruneSteps(state, new Set(declared), index, kindFor, mode);
}

const owned = entry("prefect_variable.a", "id-a", { identity: "a" });

describe("prune by inventory", () => {
  it.each<[string, StateEntry[], string[], ReturnType<typeof liveVariable>[], PlanMode, string[]]>([
    ["keeps what is still declared", [owned], ["prefect_variable.a"], [liveVariable("id-a", "a")], "normal", []],
    ["deletes what is no longer declared", [owned], [], [liveVariable("id-a", "a")], "normal", ["prefect_variable.a:delete:not in the configuration"]],
    ["forgets what is already gone", [owned], [], [], "normal", ["prefect_variable.a:forget:already deleted outside prefect-gitops; only the state entry is removed"]],
    ["destroy deletes declared objects too", [owned], ["prefect_variable.a"], [liveVariable("id-a", "a")], "destroy", ["prefect_variable.a:delete:destroy"]],
    ["refresh-only forgets what is gone", [owned], [], [], "refresh-only", ["prefect_variable.a:forget:deleted outside prefect-gitops; only the state entry is removed"]],
    ["refresh-only deletes nothing", [owned], [], [liveVariable("id-a", "a")], "refresh-only", []],
  ])("%s", (_name, entries, declared, live, mode, expected) => {
    expect(prune(entries, declared, live, mode).steps.map((step) => `${step.address}:${step.action}:${step.reason}`)).toEqual(expected);
  });

  it("never prunes a live object the state does not own", () => {
    expect(prune([], [], [liveVariable("id-x", "x")], "destroy").steps).toEqual([]);
  });

  it("deletes (does not forget) an owned object when its kind could not be read", () => {
    expect(prune([owned], [], [], "normal", "503").steps.map((step) => step.action)).toEqual(["delete"]);
  });

  it("reports a forgotten object as drift in refresh-only", () => {
    expect(prune([owned], [], [], "refresh-only").drift).toEqual([expect.objectContaining({ address: "prefect_variable.a", kind: "deleted" })]);
  });

  it("refuses to delete a protected object, and an entry of an unsupported type", () => {
    const pruned = prune([entry("prefect_variable.a", "id-a", { preventDestroy: true }), entry("prefect_thing.t", "id-t")], [], [liveVariable("id-a", "a")], "normal");
    expect(pruned.diagnostics.map((d) => d.summary)).toEqual(["prefect_variable.a has lifecycle.prevent_destroy, but the plan deletes it", "The state holds prefect_thing.t of unsupported type prefect_thing"]);
  });

  it("fingerprints the live objects it read, and shows their values", () => {
    const pruned = prune([owned], [], [liveVariable("id-a", "a", "value")], "normal");
    expect(pruned.fingerprint.map(([address, id]) => [address, id])).toEqual([["prefect_variable.a", "id-a"]]);
    expect(pruned.steps[0]!.before).toMatchObject({ name: "a", value: "value" });
  });
});
