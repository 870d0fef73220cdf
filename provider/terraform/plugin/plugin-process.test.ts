// The plugin executable launched as Terraform launches it: go-plugin's handshake, automatic
// mutual TLS, the Provider service, health and Shutdown. Runs without Terraform, on the test
// provider (testing/test-provider.ts) so it tests the protocol layer alone.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { KIND_SCHEMAS } from "../../kinds/schemas.js";
import { makePluginCertificate } from "./certificate.js";
import { blockType } from "./codec/schema-type.js";
import { encodeDynamicValue } from "./codec/dynamic-value.js";
import { providerSchemaJson, PROVIDER_SOURCE } from "../schema-export.js";
import { call, connect, launchPlugin, type LaunchedPlugin, type PluginClients } from "./testing/plugin-client.js";

// Protocol messages as proto-loader gives them: the tests read them field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Message = Record<string, any>;

const ENTRY = fileURLToPath(new URL("./testing/test-plugin-main.ts", import.meta.url));
const COMMAND = [process.execPath, "--import", "tsx", ENTRY];
const schemas = providerSchemaJson(KIND_SCHEMAS).provider_schemas[PROVIDER_SOURCE]!;

describe("the plugin executable, launched as Terraform launches it", () => {
  let plugin: LaunchedPlugin;
  let clients: PluginClients;

  beforeAll(async () => {
    plugin = await launchPlugin(COMMAND, process.env);
    clients = connect(plugin);
  });
  afterAll(() => {
    clients?.close();
    plugin?.child.kill();
  });

  test("prints one handshake line: core 1, protocol 6, tcp on 127.0.0.1 in the port range, grpc, its certificate in unpadded base64", () => {
    const [core, app, network, address, protocol, cert] = plugin.handshake.split("|");
    expect([core, app, network, protocol]).toEqual(["1", "6", "tcp", "grpc"]);
    const port = Number(address!.split(":")[1]);
    expect(address!.startsWith("127.0.0.1:") && port >= 10000 && port <= 25000).toBe(true);
    expect(cert).toMatch(/^[A-Za-z0-9+/]+$/);
    expect(plugin.serverCertPem).toContain("BEGIN CERTIFICATE");
  });

  test("serves GetProviderSchema: every resource of the schema export, with nesting modes, flags and types", async () => {
    const response = await call<Message>(clients.provider, "GetProviderSchema", {});
    expect(Object.keys(response.resource_schemas).sort()).toEqual(Object.keys(schemas.resource_schemas).sort());
    const apiKey = response.provider.block.attributes.find((a: { name: string }) => a.name === "api_key");
    expect(apiKey).toMatchObject({ optional: true, sensitive: true, required: false });
    const deployment = response.resource_schemas.prefect_deployment;
    expect(deployment.version).toBe(schemas.resource_schemas.prefect_deployment!.version);
    const pullSteps = deployment.block.attributes.find((a: { name: string }) => a.name === "pull_steps");
    expect(pullSteps.nested_type.nesting).toBe("LIST");
    expect(pullSteps.type.length).toBe(0);
    const name = deployment.block.attributes.find((a: { name: string }) => a.name === "name");
    expect(JSON.parse(Buffer.from(name.type).toString())).toBe("string");
    expect(response.server_capabilities).toMatchObject({ plan_destroy: true, move_resource_state: true });
  });

  test("ValidateResourceConfig puts each diagnostic on its attribute path", async () => {
    const poolType = blockType(schemas.resource_schemas.prefect_work_pool!.block);
    const pool = await call<Message>(clients.provider, "ValidateResourceConfig", { type_name: "prefect_work_pool", config: encodeDynamicValue({ name: "prefect-k8s" }, poolType) });
    expect(pool.diagnostics).toEqual([expect.objectContaining({ severity: "ERROR", summary: "Reserved work pool name", attribute: { steps: [{ attribute_name: "name", selector: "attribute_name" }] } })]);

    const deploymentType = blockType(schemas.resource_schemas.prefect_deployment!.block);
    const pullStep = (type: string) => ({ type });
    const deployment = await call<Message>(clients.provider, "ValidateResourceConfig", {
      type_name: "prefect_deployment",
      config: encodeDynamicValue({ name: "d", pull_steps: [pullStep("git_clone"), pullStep("bad")] } as never, deploymentType),
    });
    expect(deployment.diagnostics[0].severity).toBe("WARNING");
    expect(deployment.diagnostics[0].attribute.steps.map((s: Record<string, unknown>) => s[s.selector as string])).toEqual(["pull_steps", 1, "type"]);
  });

  test("answers an unknown resource type, and a value that does not fit the schema, with diagnostics", async () => {
    const unknown = await call<Message>(clients.provider, "ValidateResourceConfig", { type_name: "prefect_nothing", config: {} });
    expect(unknown.diagnostics[0]).toMatchObject({ severity: "ERROR", summary: 'Unknown resource type "prefect_nothing"' });
    const poolType = blockType(schemas.resource_schemas.prefect_work_pool!.block);
    const wrong = encodeDynamicValue({ name: 5 }, { object: { ...(poolType as { object: object }).object, name: "number" } } as never);
    const bad = await call<Message>(clients.provider, "ValidateResourceConfig", { type_name: "prefect_work_pool", config: wrong });
    expect(bad.diagnostics[0]).toMatchObject({ severity: "ERROR", attribute: { steps: [{ attribute_name: "name" }] } });
  });

  test("plans with unknown computed values and the paths that force replacement", async () => {
    const type = blockType(schemas.resource_schemas.prefect_work_pool!.block);
    await call(clients.provider, "ConfigureProvider", { config: encodeDynamicValue({}, blockType(schemas.provider.block)) });
    const proposed = encodeDynamicValue({ name: "b" }, type);
    const plan = await call<Message>(clients.provider, "PlanResourceChange", { type_name: "prefect_work_pool", prior_state: encodeDynamicValue({ name: "a", id: "x" }, type), proposed_new_state: proposed, config: proposed });
    expect(plan.diagnostics).toEqual([]);
    expect(plan.requires_replace).toEqual([{ steps: [{ attribute_name: "name", selector: "attribute_name" }] }]);
    const create = await call<Message>(clients.provider, "PlanResourceChange", { type_name: "prefect_work_pool", prior_state: {}, proposed_new_state: proposed, config: proposed });
    // The id is unknown: cty's unknown extension (d4 00 00) under the "id" key.
    expect(Buffer.from(create.planned_state.msgpack).includes(Buffer.from([0xa2, 0x69, 0x64, 0xd4, 0x00, 0x00]))).toBe(true);
  });

  test("answers the RPCs it does not implement with a 'not supported' diagnostic", async () => {
    const ephemeral = await call<Message>(clients.provider, "ValidateEphemeralResourceConfig", { type_name: "x" });
    expect(ephemeral.diagnostics[0].summary).toBe("Ephemeral resources is not supported");
  });

  test("reports plugin as SERVING on the gRPC health service", async () => {
    await expect(call(clients.health, "check", { service: "plugin" })).resolves.toEqual({ status: "SERVING" });
  });

  test("refuses a client without a certificate, and one whose certificate Terraform did not send", async () => {
    const anonymous = connect(plugin, grpc.credentials.createSsl(Buffer.from(plugin.serverCertPem)));
    await expect(call(anonymous.health, "check", { service: "plugin" })).rejects.toThrow();
    anonymous.close();
    const stranger = await makePluginCertificate();
    const impostor = connect(plugin, grpc.credentials.createSsl(Buffer.from(plugin.serverCertPem), Buffer.from(stranger.keyPem), Buffer.from(stranger.certPem)));
    await expect(call(impostor.health, "check", { service: "plugin" })).rejects.toThrow();
    impostor.close();
  });

  test("exits when the controller says Shutdown", async () => {
    await call(clients.controller, "Shutdown", {});
    await expect(plugin.exited).resolves.toBe(0);
  });
});

test("refuses to run when not started by Terraform: a message on stderr, nothing on stdout, exit 1", () => {
  const env = { ...process.env };
  delete env.TF_PLUGIN_MAGIC_COOKIE;
  const result = spawnSync(COMMAND[0]!, COMMAND.slice(1), { env, encoding: "utf8", timeout: 60_000 });
  expect(result.status).toBe(1);
  expect(result.stdout).toBe("");
  expect(result.stderr).toContain("This binary is a plugin");
});
