// The Provider service's handlers called directly (no gRPC): values decoded by the schema, the
// ResourceProvider's answers encoded back, and every failure a diagnostic.
import { describe, expect, test } from "vitest";
import { KIND_SCHEMAS } from "../../kinds/schemas.js";
import { providerSchemaJson, PROVIDER_SOURCE } from "../schema-export.js";
import { UNKNOWN, type ResourceProvider, type TfObject } from "./contract.js";
import { decodeDynamicValue, encodeDynamicValue } from "./codec/dynamic-value.js";
import { blockType } from "./codec/schema-type.js";
import { providerHandlers } from "./provider-service.js";
import { createTestProvider } from "./testing/test-provider.js";

const schemas = providerSchemaJson(KIND_SCHEMAS).provider_schemas[PROVIDER_SOURCE]!;
const variableType = blockType(schemas.resource_schemas.prefect_variable!.block);
const providerType = blockType(schemas.provider.block);

function handlersWith(overrides: Partial<ResourceProvider>, log: string[] = []) {
  return providerHandlers({ ...createTestProvider(), ...overrides }, (line) => log.push(line));
}

describe("the Provider service", () => {
  test("decodes every attribute of the schema (null when unset, unknown kept) before calling the resource side", async () => {
    let seen: TfObject | undefined;
    const handlers = handlersWith({ validateResourceConfig: (_t, config) => ((seen = config), []) });
    await handlers.ValidateResourceConfig!({ type_name: "prefect_variable", config: encodeDynamicValue({ name: "v", value: UNKNOWN }, variableType) });
    expect(seen).toMatchObject({ name: "v", value: UNKNOWN, id: null });
    expect(Object.keys(seen!).sort()).toEqual(Object.keys(schemas.resource_schemas.prefect_variable!.block.attributes).sort());
  });

  test("turns an exception of the resource side into an error diagnostic, and logs no value", async () => {
    const log: string[] = [];
    const handlers = handlersWith({ configure: async () => Promise.reject(new Error("Prefect answered 401: check PREFECT_API_KEY")) }, log);
    const response = await handlers.ConfigureProvider!({ config: encodeDynamicValue({ api_key: "pnu_secret" }, providerType) });
    expect(response.diagnostics).toEqual([{ severity: "ERROR", summary: "The prefect provider failed in ConfigureProvider", detail: "Prefect answered 401: check PREFECT_API_KEY" }]);
    expect(log.join("\n")).not.toContain("pnu_secret");
  });

  test("names the attribute of a diagnostic the resource side raised on it", async () => {
    const handlers = handlersWith({ configure: async () => [{ severity: "error", summary: "bad endpoint", attribute: ["endpoint"] }] });
    const response = await handlers.ConfigureProvider!({ config: encodeDynamicValue({}, providerType) });
    expect(response.diagnostics).toEqual([{ severity: "ERROR", summary: "bad endpoint", detail: "", attribute: { steps: [{ attribute_name: "endpoint" }] } }]);
  });

  test("a state the resource side returns outside the schema is a diagnostic, not a crash", async () => {
    const handlers = handlersWith({ readResource: async () => ({ state: { nope: "x" }, diagnostics: [] }) });
    const response = await handlers.ReadResource!({ type_name: "prefect_variable", current_state: encodeDynamicValue({ name: "v" }, variableType) });
    expect(response.diagnostics).toEqual([expect.objectContaining({ severity: "ERROR", summary: "Invalid value in ReadResource" })]);
  });

  test("ReadResource answers null for an object deleted out of band", async () => {
    const handlers = handlersWith({ readResource: async () => ({ state: null, diagnostics: [] }) });
    const response = await handlers.ReadResource!({ type_name: "prefect_variable", current_state: encodeDynamicValue({ name: "v" }, variableType) });
    expect(decodeDynamicValue(response.new_state as never, variableType)).toBeNull();
  });

  test("UpgradeResourceState hands the stored JSON and its version to the resource side and encodes today's state", async () => {
    let given: unknown;
    const handlers = handlersWith({ upgradeResource: async (_t, version, stored) => ((given = [version, stored]), { state: { name: String(stored.name), value: "1" }, diagnostics: [] }) });
    const response = await handlers.UpgradeResourceState!({ type_name: "prefect_variable", version: 0, raw_state: { json: Buffer.from('{"name":"v","old":1}') } });
    expect(given).toEqual([0, { name: "v", old: 1 }]);
    expect(decodeDynamicValue(response.upgraded_state as never, variableType)).toMatchObject({ name: "v", value: "1", id: null });
  });

  test("ImportResourceState returns each state the id stands for", async () => {
    const handlers = handlersWith({ importResource: async () => ({ states: [{ id: "abc" }], diagnostics: [] }) });
    const response = await handlers.ImportResourceState!({ type_name: "prefect_variable", id: "name/v" });
    const imported = response.imported_resources as { type_name: string; state: never }[];
    expect(imported.map((r) => [r.type_name, (decodeDynamicValue(r.state, variableType) as TfObject).id])).toEqual([["prefect_variable", "abc"]]);
  });

  test("MoveResourceState moves a state between providers for the same type, and refuses other moves", async () => {
    const handlers = handlersWith({ upgradeResource: async (_t, _v, stored) => ({ state: { name: String(stored.name) }, diagnostics: [] }) });
    const same = await handlers.MoveResourceState!({ source_type_name: "prefect_variable", target_type_name: "prefect_variable", source_schema_version: 0, source_state: { json: Buffer.from('{"name":"v"}') } });
    expect(decodeDynamicValue(same.target_state as never, variableType)).toMatchObject({ name: "v" });
    const other = await handlers.MoveResourceState!({ source_type_name: "prefect_flow", target_type_name: "prefect_variable", source_state: { json: Buffer.from("{}") } });
    expect((other.diagnostics as { summary: string }[])[0]!.summary).toBe("Moving a prefect_flow to prefect_variable is not supported");
  });

  test("StopProvider asks the resource side to stop", async () => {
    let stopped = false;
    const handlers = handlersWith({ stop: async () => void (stopped = true) });
    await expect(handlers.StopProvider!({})).resolves.toEqual({ Error: "" });
    expect(stopped).toBe(true);
  });
});
