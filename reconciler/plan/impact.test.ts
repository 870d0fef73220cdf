import { describe, expect, it } from "vitest";
import { declare, WORK_POOL } from "../../test/support/plan-fixtures.js";
import { attributeImpacts, rollUp, worstImpact } from "./impact.js";
import type { Action, Impact, PlanMode } from "./model.js";

describe("impacts and the action", () => {
  it.each<[Impact[], Impact | undefined]>([
    [[], undefined],
    [["state"], "state"],
    [["update", "state"], "update"],
    [["state", "replace", "update"], "replace"],
  ])("the worst of %j is %j", (impacts, worst) => {
    expect(worstImpact(impacts)).toBe(worst);
  });

  it.each<[string, boolean, Impact[], PlanMode, Action]>([
    ["no live object: create", false, [], "normal", "create"],
    ["no live object, whatever the impacts: create", false, ["replace"], "normal", "create"],
    ["nothing changed: no-op", true, [], "normal", "no-op"],
    ["a state-only change: an update that sends nothing", true, ["state"], "normal", "update"],
    ["an in-place change: update", true, ["update", "state"], "normal", "update"],
    ["a force-new change: replace", true, ["update", "replace"], "normal", "replace"],
    ["refresh-only changes nothing", true, ["replace"], "refresh-only", "no-op"],
    ["refresh-only creates nothing", false, [], "refresh-only", "no-op"],
  ])("%s", (_name, exists, impacts, mode, action) => {
    expect(rollUp(exists, impacts, mode)).toBe(action);
  });

  const live = WORK_POOL.toSpec({ id: "p", name: "etl", type: "process", paused: false, concurrency_limit: null, base_job_template: {}, created: "2026-01-01T00:00:00Z" });
  it.each<[string, Record<string, unknown>, string[] | "all", [string, Impact][]]>([
    ["an in-place attribute updates", { name: "etl", type: "process", paused: true }, [], [["paused", "update"]]],
    ["a force-new attribute replaces", { name: "etl", type: "kubernetes" }, [], [["type", "replace"]]],
    ["ignore_changes leaves an attribute out", { name: "etl", type: "process", paused: true }, ["paused"], []],
    ["ignore_changes = all leaves everything out", { name: "etl", type: "kubernetes", paused: true }, "all", []],
  ])("%s", (_name, attributes, ignore, expected) => {
    const { changes } = attributeImpacts(WORK_POOL, declare(WORK_POOL, attributes), live, ignore, "normal");
    expect(changes.map((change) => [change.path.join("."), change.impact])).toEqual(expected);
  });

  it("without a live object every declared attribute is a change to create", () => {
    const { changes } = attributeImpacts(WORK_POOL, declare(WORK_POOL, { name: "etl", type: "process" }), undefined, [], "normal");
    expect(changes.map((change) => change.path[0])).toEqual(expect.arrayContaining(["name", "type"]));
    expect(changes.every((change) => change.impact === "update")).toBe(true);
  });
});
