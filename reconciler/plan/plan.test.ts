import { describe, expect, it } from "vitest";
import { kindFor, kindTypes } from "../../provider/kinds/registry.js";
import { configFrom, entry, liveVariable, stateOf } from "../../test/support/plan-fixtures.js";
import type { StateDocument } from "../state/model.js";
import type { Plan } from "./model.js";
import { buildPlan, type LiveInventory } from "./plan.js";

const TOKEN = "tok-9f8e7d-secret";

const terraform = {
  variable: { token: { type: "string", sensitive: true } },
  resource: {
    prefect_flow: { f: { name: "etl" } },
    prefect_deployment: { d: { name: "nightly", flow_id: "${prefect_flow.f.id}" } },
    prefect_variable: { token: { name: "token", value: "${var.token}" }, plain: { name: "plain", value: "shown" } },
  },
};

function plan(config: Awaited<ReturnType<typeof configFrom>>, state: StateDocument = stateOf(), live: LiveInventory = { kinds: new Map() }) {
  return buildPlan({ config, kindFor, knownTypes: kindTypes(), state, live, mode: "normal", adopt: false, cloud: false, target: "http://127.0.0.1:1/api", now: new Date("2026-01-02T00:00:00Z") });
}

const stepOf = (result: Plan, address: string) => result.changes.find((step) => step.address === address)!;

describe("buildPlan: the plan as data apply runs", () => {
  it("says what each step sends: values, secrets as markers, and results of earlier steps as references", async () => {
    const { plan: made } = plan(await configFrom(terraform, { token: TOKEN }));
    expect(made.diagnostics).toEqual([]);
    expect(made.changes.map((step) => `${step.address}:${step.action}`)).toEqual(["prefect_flow.f:create", "prefect_variable.plain:create", "prefect_variable.token:create", "prefect_deployment.d:create"]);
    expect(stepOf(made, "prefect_variable.plain").send).toEqual({ spec: expect.objectContaining({ name: "plain", value: "shown" }) });
    expect(stepOf(made, "prefect_variable.token")).toMatchObject({ send: { spec: { name: "token", value: { $secret: "value" } } }, tainted: ["value"] });
    expect(stepOf(made, "prefect_deployment.d")).toMatchObject({ dependencies: ["prefect_flow.f"], send: { spec: { name: "nightly", flow_id: { $after: "prefect_flow.f.id" } } } });
  });

  it("survives a JSON round trip unchanged, and holds no secret", async () => {
    const { plan: made } = plan(await configFrom(terraform, { token: TOKEN }));
    const text = JSON.stringify(made);
    expect(text).not.toContain(TOKEN);
    expect(JSON.parse(text)).toEqual(made);
  });

  it("sends only the changed attributes of an update, and plans nothing for what matches", async () => {
    const state = stateOf([entry("prefect_variable.plain", "id-p", { identity: "plain" }), entry("prefect_variable.token", "id-t", { identity: "token" })]);
    const live: LiveInventory = { kinds: new Map([["prefect_variable", { byId: new Map([["id-p", liveVariable("id-p", "plain", "old")], ["id-t", liveVariable("id-t", "token", TOKEN)]]) }]]) };
    const config = await configFrom({ ...terraform, resource: { prefect_variable: terraform.resource.prefect_variable } }, { token: TOKEN });
    const { plan: made } = plan(config, state, live);
    expect(stepOf(made, "prefect_variable.plain")).toMatchObject({ action: "update", id: "id-p", send: { changed: ["value"] }, changes: [{ path: ["value"], before: "old", after: "shown", impact: "update" }] });
    expect(stepOf(made, "prefect_variable.token").action).toBe("no-op");
  });

  it("is made of the same steps for the same inputs (a saved plan can be checked against a new one)", async () => {
    const config = await configFrom(terraform, { token: TOKEN });
    expect(plan(config).plan).toEqual(plan(config).plan);
  });

  it("fingerprints the live objects it read: another value live gives another fingerprint", async () => {
    const config = await configFrom({ resource: { prefect_variable: { plain: { name: "plain", value: "shown" } } } });
    const state = stateOf([entry("prefect_variable.plain", "id-p")]);
    const liveWith = (value: string): LiveInventory => ({ kinds: new Map([["prefect_variable", { byId: new Map([["id-p", liveVariable("id-p", "plain", value)]]) }]]) });
    expect(plan(config, state, liveWith("a")).plan.liveFingerprint).not.toBe(plan(config, state, liveWith("b")).plan.liveFingerprint);
    expect(plan(config, state, liveWith("a")).plan.liveFingerprint).toBe(plan(config, state, liveWith("a")).plan.liveFingerprint);
  });
});
