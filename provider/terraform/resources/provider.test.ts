import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ACCOUNT_ID, DEFAULT_WORKSPACE_ID } from "../../../devserver/index.js";
import { CLOUD_API_KEY, useDevServer } from "../../../test/support/devserver.js";
import type { ResourceProvider, TfObject } from "../plugin/contract.js";
import { createResourceProvider } from "./provider.js";
import { TerraformDriver } from "./terraform-driver.testing.js";

const run = randomBytes(3).toString("hex");
const named = (base: string): string => `${base}-${run}`;

// One devserver for the file: its open-source API and one of its Cloud workspaces.
const dev = useDevServer();

describe("the resource provider against the devserver", () => {  let provider: ResourceProvider;
  let tf: TerraformDriver;
  const logs: string[] = [];

  beforeAll(async () => {
    provider = createResourceProvider({ env: { PREFECT_API_URL: dev.server.url }, log: (line) => logs.push(line) });
    expect(await provider.configure({ endpoint: null, api_key: null, basic_auth_key: null, account_id: null, workspace_id: null, csrf_enabled: null, custom_headers: null, profile: null, profile_file: null })).toEqual([]);
    tf = new TerraformDriver(provider);
  });
  afterAll(() => provider.stop());

  /** What a lifecycle needs of a resource type. */
  interface Case {
    type: string;
    create: Record<string, unknown>;
    update: Record<string, unknown>;
    /** A change that forces a replacement, when the type has force-new attributes. */
    replace?: Record<string, unknown>;
    /** The import id of a state. */
    importId: (state: TfObject) => string;
  }

  // Parents shared by the cases: a pool, a flow, a deployment.
  const parents: { pool?: string; flowId?: string; deploymentId?: string } = {};
  beforeAll(async () => {
    const pool = await tf.apply("prefect_work_pool", { name: named("parent-pool"), type: "process" }, null);
    parents.pool = String(pool.state.name);
    const flow = await tf.apply("prefect_flow", { name: named("parent-flow") }, null);
    parents.flowId = String(flow.state.id);
    const deployment = await tf.apply("prefect_deployment", { name: "parent", flow_id: parents.flowId }, null);
    parents.deploymentId = String(deployment.state.id);
  });

  const cases = (): Case[] => [
    {
      type: "prefect_variable",
      create: { name: named("var"), value: { nested: [1, 2.5, true, null] }, tags: ["b", "a"] },
      update: { name: named("var"), value: "text", tags: [] },
      importId: (state) => `name/${String(state.name)}`,
    },
    {
      type: "prefect_work_pool",
      create: { name: named("pool"), type: "process", description: "one", base_job_template: { job_configuration: { command: "{{ command }}" }, variables: { properties: { command: { type: "string" } } } } },
      update: { name: named("pool"), type: "process", description: "two", concurrency_limit: 3 },
      replace: { name: named("pool"), type: "kubernetes", description: "two" },
      importId: (state) => String(state.name),
    },
    {
      type: "prefect_work_queue",
      create: { work_pool_name: parents.pool, name: "q", priority: 2 },
      update: { work_pool_name: parents.pool, name: "q", priority: 2, description: "now described", concurrency_limit: 4 },
      replace: { work_pool_name: parents.pool, name: "q2", priority: 2 },
      importId: (state) => `${String(state.work_pool_name)},${String(state.name)}`,
    },
    {
      type: "prefect_flow",
      create: { name: named("flow"), tags: ["x"] },
      update: { name: named("flow"), tags: [] },
      replace: { name: named("flow2") },
      importId: (state) => String(state.id),
    },
    {
      type: "prefect_block",
      create: { name: named("blk"), type_slug: "secret", data: { value: "s3cr3t-one" } },
      update: { name: named("blk"), type_slug: "secret", data: { value: "s3cr3t-two" } },
      replace: { name: named("blk2"), type_slug: "secret", data: { value: "s3cr3t-two" } },
      importId: (state) => String(state.id),
    },
    {
      type: "prefect_global_concurrency_limit",
      create: { name: named("gcl"), limit: 3 },
      update: { name: named("gcl"), limit: 5, active: false },
      importId: (state) => String(state.id),
    },
    {
      type: "prefect_deployment",
      create: { name: named("dep"), flow_id: parents.flowId, parameters: { a: 1 }, tags: ["t"], entrypoint: "flows/etl.py:etl" },
      update: { name: named("dep"), flow_id: parents.flowId, parameters: {}, tags: [], entrypoint: "flows/etl.py:etl", description: "d" },
      replace: { name: named("dep2"), flow_id: parents.flowId, entrypoint: "flows/etl.py:etl" },
      importId: (state) => String(state.id),
    },
    {
      type: "prefect_deployment_schedule",
      create: { deployment_id: parents.deploymentId, cron: "0 2 * * *", timezone: "Europe/Paris" },
      update: { deployment_id: parents.deploymentId, cron: "0 3 * * *", timezone: "Europe/Paris", active: false },
      importId: (state) => `${String(state.deployment_id)},${String(state.id)}`,
    },
    {
      type: "prefect_automation",
      create: { name: named("auto"), trigger: { event: { posture: "Reactive", expect: ["prefect.flow-run.Failed"], threshold: 1, within: 0 } }, actions: [{ type: "do-nothing" }] },
      update: { name: named("auto"), description: "now described", trigger: { event: { posture: "Reactive", expect: ["prefect.flow-run.Crashed"], threshold: 1, within: 0 } }, actions: [{ type: "do-nothing" }] },
      importId: (state) => String(state.id),
    },
  ];

  it.each(["prefect_variable", "prefect_work_pool", "prefect_work_queue", "prefect_flow", "prefect_block", "prefect_global_concurrency_limit", "prefect_deployment", "prefect_deployment_schedule", "prefect_automation"])(
    "%s: plan, apply, no changes, update, no changes, replace, import, no changes, destroy",
    async (type) => {
      const c = cases().find((candidate) => candidate.type === type)!;
      const created = await tf.apply(type, c.create, null);
      let state = await tf.expectNoChanges(type, c.create, created.state);
      state = (await tf.apply(type, c.update, state)).state;
      state = await tf.expectNoChanges(type, c.update, state);
      let last = c.update;
      if (c.replace) {
        const plan = await tf.plan(type, c.replace, state);
        expect(plan.requiresReplace.length).toBeGreaterThan(0);
        state = (await tf.apply(type, c.replace, state)).state;
        state = await tf.expectNoChanges(type, c.replace, state);
        last = c.replace;
      }
      const imported = await tf.import(type, c.importId(state));
      expect(imported.id).toBe(state.id);
      await tf.expectNoChanges(type, last, imported);
      await tf.destroy(type, imported);
      expect(await tf.refresh(type, imported)).toBeNull();
    },
  );

  it("adopts a pool's default queue instead of failing with 409, and leaves it with its pool on destroy", async () => {
    const created = await tf.apply("prefect_work_queue", { work_pool_name: parents.pool, name: "default", description: "adopted" }, null);
    const state = await tf.expectNoChanges("prefect_work_queue", { work_pool_name: parents.pool, name: "default", description: "adopted" }, created.state);
    await tf.destroy("prefect_work_queue", state);
    expect(await tf.refresh("prefect_work_queue", state)).not.toBeNull();
  });

  it("refuses to take over an existing pool of the declared name, saying how to import it", async () => {
    const name = named("taken");
    const { state } = await tf.apply("prefect_work_pool", { name, type: "process" }, null);
    const { tfConfig } = await import("./terraform-driver.testing.js");
    const config = tfConfig("prefect_work_pool", { name, type: "process" });
    const plan = await provider.planResource("prefect_work_pool", { prior: null, proposed: config, config });
    const applied = await provider.applyResource("prefect_work_pool", { prior: null, planned: plan.planned, config });
    expect(applied.state).toBeNull();
    expect(applied.diagnostics.map((d) => d.detail).join()).toContain(`terraform import <address> ${name}`);
    await tf.destroy("prefect_work_pool", state);
  });

  it("shows an out-of-band change in the next plan, and plans an object deleted out of band for creation", async () => {
    const declaration = { name: named("oob"), value: 1 };
    const { state } = await tf.apply("prefect_variable", declaration, null);
    // Each Terraform command starts the provider anew: so do the plans after each change.
    const nextCommand = async (): Promise<TerraformDriver> => {
      const fresh = createResourceProvider({ env: { PREFECT_API_URL: dev.server.url }, log: () => {} });
      await fresh.configure({});
      return new TerraformDriver(fresh);
    };
    const response = await fetch(`${dev.server.url}/variables/${String(state.id)}`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ value: 2 }) });
    expect(response.status).toBe(204);
    const second = await nextCommand();
    const refreshed = await second.refresh("prefect_variable", state);
    expect(refreshed?.value).toBe(2);
    const plan = await second.plan("prefect_variable", declaration, refreshed);
    expect(plan.planned?.value).toBe(1);
    await fetch(`${dev.server.url}/variables/${String(state.id)}`, { method: "DELETE" });
    const third = await nextCommand();
    const started = Date.now();
    expect(await third.refresh("prefect_variable", state)).toBeNull();
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("puts a block's data that does not fit its block schema on the data attribute", async () => {
    const { tfConfig } = await import("./terraform-driver.testing.js");
    const config = tfConfig("prefect_block", { name: named("misfit"), type_slug: "secret", data: { not_value: "hidden-0815" } });
    const plan = await provider.planResource("prefect_block", { prior: null, proposed: config, config });
    const applied = await provider.applyResource("prefect_block", { prior: null, planned: plan.planned, config });
    expect(applied.state).toBeNull();
    expect(applied.diagnostics.length).toBeGreaterThan(0);
    for (const diagnostic of applied.diagnostics) expect(diagnostic.attribute?.[0]).toBe("data");
    expect(JSON.stringify(applied.diagnostics)).not.toContain("hidden-0815");
  });

  it("never puts a block's secret in a diagnostic or a log line", async () => {
    const secret = "never-show-this-4711";
    const config = { name: named("leak"), type_slug: "no-such-type", data: { value: secret } };
    const { tfConfig } = await import("./terraform-driver.testing.js");
    const tfc = tfConfig("prefect_block", config);
    const plan = await provider.planResource("prefect_block", { prior: null, proposed: tfc, config: tfc });
    const applied = await provider.applyResource("prefect_block", { prior: null, planned: plan.planned, config: tfc });
    expect(applied.diagnostics.map((d) => d.attribute)).toEqual([["type_slug"]]);
    const bad = { ...tfc, data: "{not json " + secret };
    const diagnostics = [...provider.validateResourceConfig("prefect_block", bad), ...applied.diagnostics];
    expect(diagnostics.length).toBeGreaterThan(1);
    expect(JSON.stringify(diagnostics) + logs.join("\n")).not.toContain(secret);
  });
});

describe("the resource provider against a Prefect Cloud workspace of the devserver", () => {
  it("configures from endpoint, account_id, workspace_id and api_key, and runs a webhook's lifecycle with imports naming the workspace", async () => {
    const provider = createResourceProvider({ env: {}, log: () => {} });
    const diagnostics = await provider.configure({ endpoint: dev.server.origin, account_id: DEFAULT_ACCOUNT_ID, workspace_id: DEFAULT_WORKSPACE_ID, api_key: CLOUD_API_KEY });
    expect(diagnostics).toEqual([]);
    const tf = new TerraformDriver(provider);
    const template = '{"event": "shop.order", "resource": {"prefect.resource.id": "shop.order"}}';
    const created = await tf.apply("prefect_webhook", { name: named("hook"), template }, null);
    let state = await tf.expectNoChanges("prefect_webhook", { name: named("hook"), template }, created.state);
    state = (await tf.apply("prefect_webhook", { name: named("hook"), template, description: "orders", enabled: false }, state)).state;
    state = await tf.expectNoChanges("prefect_webhook", { name: named("hook"), template, description: "orders", enabled: false }, state);
    const imported = await tf.import("prefect_webhook", `${String(state.id)},${DEFAULT_WORKSPACE_ID}`);
    await tf.expectNoChanges("prefect_webhook", { name: named("hook"), template, description: "orders", enabled: false }, imported);
    const elsewhere = await provider.importResource("prefect_webhook", `${String(state.id)},9d2c1e4f-1111-4222-8333-444455556666`);
    expect(elsewhere.diagnostics[0]?.summary).toBe("Import from another workspace");
    await tf.destroy("prefect_webhook", imported);
    await provider.stop();
  });
});
