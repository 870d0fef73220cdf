import { describe, expect, it } from "vitest";
import { liveVariable, VARIABLE } from "../../test/support/plan-fixtures.js";
import type { Located } from "./locate.js";
import { recoveryStep } from "./recover.js";

const located = (object?: unknown): Located => ({ object, importing: object !== undefined, diagnostics: [] });

describe("destroy after an interrupted create", () => {
  it.each<[string, Located, Record<string, unknown>, string | undefined, string[]]>([
    ["deletes what the create made", located(liveVariable("id-1", "v")), { name: "v", value: 1 }, "delete", []],
    ["clears the intent when it made nothing", located(), { name: "v", value: 1 }, "forget", []],
    ["warns when it cannot tell, its declaration waiting on other objects", located(), { name: "v", value: { $unknown: "prefect_flow.f.id" } }, undefined, ["CREATE_INTERRUPTED"]],
  ])("%s", (_name, found, spec, action, codes) => {
    const recovered = recoveryStep("prefect_variable.v", VARIABLE, spec, 'variable "v"', new Set(), found, []);
    expect(recovered.step?.action).toBe(action);
    expect(recovered.diagnostics.map((d) => d.code)).toEqual(codes);
  });

  it("names the object it deletes by id", () => {
    expect(recoveryStep("prefect_variable.v", VARIABLE, { name: "v", value: 1 }, "v", new Set(), located(liveVariable("id-1", "v")), []).step).toMatchObject({ id: "id-1", reason: "made by an interrupted create" });
  });
});
