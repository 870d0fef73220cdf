import { describe, expect, it } from "vitest";
import { kindFor } from "../../provider/kinds/registry.js";
import { declare, entry, instance, pending, stateOf, VARIABLE } from "../../test/support/plan-fixtures.js";
import { duplicateDeclarations, emptiesWorkspace, nothingDeclared, orphanedIntents, type PlannedDeclaration } from "./guards.js";
import type { Action, PlanMode, Step } from "./model.js";

const step = (address: string, action: Action): Step => ({ address, type: "prefect_variable", label: address, action, changes: [], replacePaths: [], dependencies: [] });

describe("plan guards", () => {
  it.each<[string, PlanMode, number, Action[], boolean]>([
    ["refuses a plan that deletes everything owned", "normal", 2, ["delete", "forget"], true],
    ["lets destroy delete everything", "destroy", 2, ["delete", "delete"], false],
    ["lets a plan delete some of what is owned", "normal", 2, ["delete"], false],
    ["lets a plan replace everything by something else", "normal", 1, ["delete", "create"], false],
    ["has nothing to refuse with nothing owned", "normal", 0, [], false],
  ])("%s", (_name, mode, owned, actions, refused) => {
    const diagnostic = emptiesWorkspace(mode, owned, actions.map((action, index) => step(`prefect_variable.v${index}`, action)));
    expect(diagnostic?.severity).toBe(refused ? "error" : undefined);
  });

  it.each<[string, PlanMode, number, number, boolean, boolean]>([
    ["warns when nothing is declared and nothing owned", "normal", 0, 0, true, true],
    ["says nothing when something is declared", "normal", 1, 0, true, false],
    ["says nothing when something is owned", "normal", 0, 1, true, false],
    ["says nothing next to other problems", "normal", 0, 0, false, false],
    ["says nothing for destroy", "destroy", 0, 0, true, false],
  ])("%s", (_name, mode, declared, owned, clean, warned) => {
    expect(nothingDeclared(mode, declared, owned, clean)?.severity).toBe(warned ? "warning" : undefined);
  });

  it("reports two declarations of one object", () => {
    const declaration = (address: string): PlannedDeclaration => ({ instance: instance(address), kind: VARIABLE, spec: declare(VARIABLE, { name: "same", value: 1 }), tainted: new Set() });
    const planned = new Map([["prefect_variable.a", declaration("prefect_variable.a")], ["prefect_variable.b", declaration("prefect_variable.b")]]);
    expect(duplicateDeclarations(planned)).toEqual([expect.objectContaining({ severity: "error", address: "prefect_variable.b", detail: expect.stringContaining("prefect_variable.a and prefect_variable.b") })]);
  });

  it("never names a duplicate by a value derived from a sensitive variable", () => {
    const declaration = (address: string): PlannedDeclaration => ({ instance: instance(address), kind: VARIABLE, spec: declare(VARIABLE, { name: "s3cr3t", value: 1 }), tainted: new Set(["name"]) });
    const [diagnostic] = duplicateDeclarations(new Map([["prefect_variable.a", declaration("prefect_variable.a")], ["prefect_variable.b", declaration("prefect_variable.b")]]));
    expect(JSON.stringify(diagnostic)).not.toContain("s3cr3t");
  });

  it.each<[string, string[], string[], number]>([
    ["warns of an interrupted create no longer declared", [], [], 1],
    ["says nothing while it is still declared (apply resumes it)", ["prefect_variable.p"], [], 0],
    ["says nothing once the state owns the address", [], ["prefect_variable.p"], 0],
  ])("%s", (_name, declared, owned, warnings) => {
    const state = stateOf(owned.map((address) => entry(address, "id")), [pending("prefect_variable.p", "2026-01-01T00:00:00Z", { name: "p" })]);
    expect(orphanedIntents(state, new Set(declared), kindFor)).toHaveLength(warnings);
  });
});
