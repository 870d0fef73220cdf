import { describe, expect, it } from "vitest";
import { configFrom, VARIABLE } from "../../test/support/plan-fixtures.js";
import type { InstanceValues } from "../config/resolve.js";
import { declareInstance } from "./declare.js";

const ACCOUNT = "11111111-1111-4111-8111-111111111111";
const WORKSPACE = "22222222-2222-4222-8222-222222222222";
const OTHER = "33333333-3333-4333-8333-333333333333";
const SECRET = "hunter2-not-a-uuid";
const nothingKnown: InstanceValues = { declared: () => ({ found: false }), known: () => undefined };

async function declareVariable(attributes: Record<string, unknown>, options: { failed?: boolean; cloud?: boolean } = {}) {
  const config = await configFrom(
    { variable: { token: { type: "string", sensitive: true } }, resource: { prefect_flow: { f: { name: "f" } }, prefect_variable: { v: attributes } } },
    { token: SECRET },
  );
  const instance = config.instances.find((item) => item.address === "prefect_variable.v")!;
  return declareInstance(config, instance, VARIABLE, nothingKnown, options.cloud ? { accountId: ACCOUNT, workspaceId: WORKSPACE } : undefined, options.failed);
}

describe("evaluating and validating a declaration", () => {
  it("validates and labels a declaration", async () => {
    const declaration = await declareVariable({ name: "v", value: 1 });
    expect(declaration).toMatchObject({ ok: true, declared: { spec: { name: "v", value: 1 }, label: 'variable "v"' } });
  });

  it("keeps a value known only after another object is created as an unknown marker", async () => {
    const declaration = await declareVariable({ name: "v", value: "${prefect_flow.f.id}" });
    expect(declaration).toMatchObject({ ok: true, declared: { spec: { value: { $unknown: "prefect_flow.f.id" } } } });
  });

  it("says which attributes come from a sensitive variable", async () => {
    const declaration = await declareVariable({ name: "v", value: "${var.token}" });
    expect(declaration.ok && [...declaration.declared.tainted]).toEqual(["value"]);
  });

  it.each<[string, Record<string, unknown>, boolean, string[], string | undefined]>([
    ["an unknown attribute is refused with its value", { name: "v", value: 1, nme: "x" }, false, ["ATTRIBUTE_INVALID"], '"x"'],
    ["a workspace id other than the provider's is refused", { name: "v", value: 1, workspace_id: OTHER }, true, ["ATTRIBUTE_INVALID"], `"${OTHER}"`],
    ["a workspace id off Cloud is refused", { name: "v", value: 1, workspace_id: WORKSPACE }, false, ["ATTRIBUTE_INVALID"], `"${WORKSPACE}"`],
  ])("%s", async (_name, attributes, cloud, codes, expression) => {
    const declaration = await declareVariable(attributes, { cloud });
    expect(declaration.ok).toBe(false);
    expect(declaration.diagnostics.map((d) => d.code)).toEqual(codes);
    expect(declaration.diagnostics[0]!.expression).toBe(expression);
  });

  it("drops the provider's own account and workspace ids from the spec", async () => {
    const declaration = await declareVariable({ name: "v", value: 1, account_id: ACCOUNT, workspace_id: WORKSPACE }, { cloud: true });
    expect(declaration.ok && Object.keys(declaration.declared.spec)).not.toContain("workspace_id");
  });

  it("never shows a sensitive value in a validation error", async () => {
    const declaration = await declareVariable({ name: "v", value: 1, tags: "${var.token}" });
    expect(declaration.ok).toBe(false);
    expect(JSON.stringify(declaration.diagnostics)).not.toContain(SECRET);
  });

  it("evaluates but does not validate an instance whose dependencies failed", async () => {
    const declaration = await declareVariable({ name: "v", value: 1, nme: "x" }, { failed: true });
    expect(declaration).toEqual({ ok: false, diagnostics: [] });
  });
});
