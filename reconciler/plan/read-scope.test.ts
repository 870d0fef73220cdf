import { describe, expect, it } from "vitest";
import type { ResolvedConfig } from "../config/resolve.js";
import type { StateDocument, StateEntry } from "../state/model.js";
import { readScopes } from "./read-scope.js";

const instance = (address: string, attributes: Record<string, unknown>) => ({ address, type: address.split(".")[0]!, block: { attributes } });
/** Instances of a configuration declaring `var.team = "t"`. */
const config = (...instances: ReturnType<typeof instance>[]) => ({ instances, variables: new Map([["team", { value: "t", sensitive: false }]]), model: { resources: [], locals: new Map() } }) as unknown as ResolvedConfig;
const entry = (address: string, id: string, values: Record<string, unknown> = {}) => ({ address, type: address.split(".")[0]!, id, values }) as unknown as StateEntry;
const state = (entries: StateEntry[], pending: StateDocument["pending"] = {}) => ({ resources: Object.fromEntries(entries.map((e) => [e.address, e])), pending }) as unknown as StateDocument;

describe("read scopes", () => {
  it("reads owned objects by id and declared ones not owned by name; owned names are kept apart", () => {
    const scopes = readScopes(config(instance("prefect_variable.a", { name: "a" }), instance("prefect_variable.b", { name: "b" })), state([entry("prefect_variable.a", "ID-A"), entry("prefect_variable.gone", "id-gone")]), ["prefect_variable"]);
    expect(scopes.get("prefect_variable")).toEqual({ ids: ["ID-A", "id-gone"], names: ["b"], ownedNames: ["a"], parentIds: [] });
  });

  it("reads a kind whole when a declaration not owned has a name known only after apply", () => {
    const scopes = readScopes(config(instance("prefect_flow.a", { name: "${prefect_work_pool.p.id}-etl" }), instance("prefect_variable.v", { name: "${prefect_work_pool.p.id}" })), state([entry("prefect_variable.v", "id-v")]), ["prefect_flow", "prefect_variable"]);
    expect(scopes.get("prefect_flow")).toBeUndefined();
    expect(scopes.get("prefect_variable")).toMatchObject({ ids: ["id-v"], names: [] });
  });

  it("reads by name a declaration whose name is made of variables", () => {
    const scopes = readScopes(config(instance("prefect_flow.a", { name: "${var.team}-etl" })), state([]), ["prefect_flow"]);
    expect(scopes.get("prefect_flow")).toMatchObject({ names: ["t-etl"] });
  });

  it("reads schedules with their deployments: the owned schedules' and the owned declared deployments' ids", () => {
    const scopes = readScopes(
      config(instance("prefect_deployment.d", { name: "nightly" }), instance("prefect_deployment_schedule.s", { deployment_id: "${prefect_deployment.d.id}" }), instance("prefect_deployment_schedule.t", { deployment_id: "0b6f6f43-8d8b-4f7b-a6d2-5c0e9a1b2c02" })),
      state([entry("prefect_deployment.d", "dep-1"), entry("prefect_deployment_schedule.old", "s-old", { deployment_id: "dep-0" })]),
      ["prefect_deployment", "prefect_deployment_schedule"],
    );
    expect(scopes.get("prefect_deployment_schedule")).toMatchObject({ ids: ["s-old"], parentIds: ["dep-0", "dep-1", "0b6f6f43-8d8b-4f7b-a6d2-5c0e9a1b2c02"] });
  });

  it("reads schedules whole when their deployment is read whole or cannot be told", () => {
    const whole = readScopes(config(instance("prefect_deployment.d", { name: "${var.n}" }), instance("prefect_deployment_schedule.s", { deployment_id: "${prefect_deployment.d.id}" })), state([]), ["prefect_deployment", "prefect_deployment_schedule"]);
    expect(whole.get("prefect_deployment_schedule")).toBeUndefined();
    const computed = readScopes(config(instance("prefect_deployment_schedule.s", { deployment_id: "${local.id}" })), state([]), ["prefect_deployment_schedule"]);
    expect(computed.get("prefect_deployment_schedule")).toBeUndefined();
  });

  it("reads a kind whole when an interrupted create of an undeclared address is to be found by content", () => {
    const pending = { "prefect_automation.x": { address: "prefect_automation.x", type: "prefect_automation", specHash: "h", startedAt: "2026-01-01T00:00:00Z" } };
    expect(readScopes(config(), state([], pending), ["prefect_automation"]).get("prefect_automation")).toBeUndefined();
  });
});
