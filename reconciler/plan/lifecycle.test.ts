import { describe, expect, it } from "vitest";
import { entry, instance } from "../../test/support/plan-fixtures.js";
import { protectionChange, refuseDeletion, refuseReplacement } from "./lifecycle.js";
import type { Action, PlanMode } from "./model.js";

const ADDRESS = "prefect_variable.v";

describe("lifecycle rules", () => {
  it.each<[string, PlanMode, boolean | undefined, boolean, boolean, [boolean, boolean] | undefined]>([
    ["turning prevent_destroy on is recorded in the state", "normal", undefined, true, true, [false, true]],
    ["turning it off is recorded too", "normal", true, true, false, [true, false]],
    ["no change, nothing to record", "normal", true, true, true, undefined],
    ["a create records it with the object", "normal", undefined, false, true, undefined],
    ["refresh-only records nothing", "refresh-only", undefined, true, true, undefined],
  ])("%s", (_name, mode, recorded, exists, declared, expected) => {
    const change = protectionChange(mode, entry(ADDRESS, "id", { preventDestroy: recorded }), exists, declared);
    expect(change ? [change.before, change.after] : undefined).toEqual(expected);
    if (change) expect(change).toMatchObject({ path: ["lifecycle", "prevent_destroy"], impact: "state", sensitive: false });
  });

  it("records nothing for an address the state does not hold", () => {
    expect(protectionChange("normal", undefined, true, true)).toBeUndefined();
  });

  it.each<[string, Action, boolean, boolean]>([
    ["refuses to replace a protected object", "replace", true, true],
    ["lets a protected object be updated", "update", true, false],
    ["lets an unprotected object be replaced", "replace", false, false],
  ])("%s", (_name, action, protect, refused) => {
    const diagnostic = refuseReplacement(instance(ADDRESS, {}, { preventDestroy: protect }), action, [["name"]]);
    expect(Boolean(diagnostic)).toBe(refused);
    if (diagnostic) expect(diagnostic).toMatchObject({ severity: "error", address: ADDRESS, detail: expect.stringContaining("Changing name forces a replacement") });
  });

  it.each<[string, PlanMode, boolean | undefined, string | undefined]>([
    ["refuses to prune a protected object, saying how to lift it", "normal", true, "prevent_destroy = false"],
    ["refuses to destroy a protected object", "destroy", true, "then destroy"],
    ["lets an unprotected object go", "normal", undefined, undefined],
  ])("%s", (_name, mode, recorded, hint) => {
    const diagnostic = refuseDeletion(entry(ADDRESS, "id", { preventDestroy: recorded }), mode);
    expect(diagnostic?.detail).toEqual(hint ? expect.stringContaining(hint) : undefined);
  });
});
