import { describe, expect, it } from "vitest";
import type { Kind } from "../../kinds/kind.js";
import { kindFor } from "../../kinds/registry.js";
import type { TfValue } from "../plugin/contract.js";
import { upgradeState } from "./upgrade.js";

const variable = kindFor("prefect_variable") as Kind;

describe("upgradeState", () => {
  it.each<[string, Record<string, unknown>, Record<string, TfValue>]>([
    ["a dynamic value out of Terraform's wrapper", { id: "x", name: "v", value: { value: { a: [1] }, type: ["object", { a: ["tuple", ["number"]] }] }, tags: ["t"] }, { id: "x", name: "v", value: { a: [1] }, tags: ["t"] }],
    ["missing attributes as null", { id: "x", name: "v", value: { value: 1, type: "number" } }, { tags: null, created: null, account_id: null }],
    ["attributes no longer in the schema left out", { id: "x", name: "v", value: { value: "s", type: "string" }, gone: 1 }, { value: "s" }],
  ])("reads %s", (_label, stored, expected) => {
    const { state, diagnostics } = upgradeState(variable, variable.version, stored);
    expect(diagnostics).toEqual([]);
    expect(state).toMatchObject(expected);
    expect(state).not.toHaveProperty("gone");
  });

  it("refuses a state from a newer schema", () => {
    const { state, diagnostics } = upgradeState(variable, variable.version + 1, {});
    expect(state).toBeNull();
    expect(diagnostics[0]?.summary).toMatch(/newer than this provider/);
  });
});
