// End to end: stacks built with the L2 constructs are synthesized as `cdktf synth` would, then
// validated, applied and planned again by the engine against a devserver. The secrets reach
// Prefect, and nowhere else: not cdk.tf.json, not the engine's output, not its state.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, workdir } from "../../test/support/cli.js";
import { CLOUD_API_KEY, useDevServer } from "../../test/support/devserver.js";
import { output } from "../../test/support/engine.js";
import { rawApi } from "../../test/support/http.js";
import { App, TerraformStack, TerraformVariable } from "../cdk.js";
import { Deployment as DeploymentL1 } from "../generated/prefect/deployment/index.js";
import { Flow as FlowL1 } from "../generated/prefect/flow/index.js";
import { PrefectProvider } from "../generated/prefect/provider/index.js";
import { WorkPool as WorkPoolL1 } from "../generated/prefect/work-pool/index.js";
import { Action, Trigger } from "../kinds/automation/builders.js";
import { Automation } from "../kinds/automation/construct.js";
import { Block } from "../kinds/block/construct.js";
import { GlobalConcurrencyLimit } from "../kinds/global-concurrency-limit/construct.js";
import { Variable } from "../kinds/variable/construct.js";
import { Webhook } from "../kinds/webhook/construct.js";
import type { IDeployment, IWorkPool } from "./refs.js";
import { SecretValue } from "./secret-value.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DB_PASSWORD = "pg-s3cr3t-Tr0ub4dor&3-horse";
const SLACK_URL = "https://hooks.slack.com/services/T000/B000/s3cr3tSl4ckT0k3n";
const SECRETS = [DB_PASSWORD, SLACK_URL];

/** Synthesize `build`'s stack into `dir`/cdktf.out, as `cdktf synth` does; answers cdk.tf.json's text. */
function synthesize(dir: string, build: (stack: TerraformStack) => void): string {
  const app = new App({ outdir: join(dir, "cdktf.out") });
  const stack = new TerraformStack(app, "prefect");
  new PrefectProvider(stack, "prefect", {});
  build(stack);
  app.synth();
  return readFileSync(join(dir, "cdktf.out", "stacks", "prefect", "cdk.tf.json"), "utf8");
}

/** Everything the engine keeps on disk for `dir`. */
function stateText(dir: string): string {
  return ["prefect-gitops.state.json", "prefect-gitops.state.json.journal"]
    .map((name) => join(dir, name))
    .filter((file) => existsSync(file))
    .map((file) => readFileSync(file, "utf8"))
    .join("\n");
}

function expectNoSecret(where: string, text: string): void {
  for (const secret of SECRETS) expect(text.includes(secret), `${where} shows a secret:\n${text}`).toBe(false);
}

describe("constructs applied by the engine", () => {
  const dev = useDevServer();

  it("applies a stack of blocks with secrets, a variable, a concurrency limit and an automation on its deployments, then plans no change", async () => {
    const dir = workdir();
    const synthesized = synthesize(dir, (stack) => {
      const pool = new WorkPoolL1(stack, "pool", { name: "etl-pool", type: "process" });
      const flow = new FlowL1(stack, "etl", { name: "etl" });
      const deployment = (id: string): IDeployment => {
        const l1 = new DeploymentL1(stack, id, { name: id, flowId: flow.id, workPoolName: pool.name, entrypoint: "flows/etl.py:etl" });
        return { deploymentId: l1.id, deploymentName: l1.name };
      };
      const nightly = deployment("nightly");
      const cleanup = deployment("cleanup");
      const workPool: IWorkPool = { workPoolName: pool.name, workPoolId: pool.id };

      const password = new TerraformVariable(stack, "db_password", { type: "string", sensitive: true });
      Block.secret(stack, "db", { name: "db-password", value: SecretValue.fromVariable(password) });
      const slack = Block.slackWebhook(stack, "alerts", { name: "alerts", url: SecretValue.fromEnvironment("SLACK_WEBHOOK_URL"), notifyType: "failure" });
      new Variable(stack, "batch", { name: "batch_size", value: 500 });
      new Variable(stack, "regions", { name: "regions", value: { regions: ["eu-west-1", "us-east-1"], dry_run: false } });
      new GlobalConcurrencyLimit(stack, "warehouse", { name: "warehouse", limit: 4, slotDecayPerSecond: 0.5 });
      new Automation(stack, "nightly-failed", {
        name: "nightly failed",
        trigger: Trigger.flowRunState(nightly, ["Failed", "Crashed"], { within: { minutes: 10 } }),
        actions: [
          Action.runDeployment(cleanup, { parameters: { failed_run: "{{ event.resource.id }}" } }),
          Action.sendNotification(slack, { subject: "Nightly failed", body: "{{ flow_run.name }} is {{ flow_run.state.name }}" }),
          Action.pauseWorkPool(workPool),
        ],
        actionsOnResolve: [Action.resumeWorkPool(workPool)],
      });
    });
    expectNoSecret("cdk.tf.json", synthesized);

    const env = { PREFECT_API_URL: dev.server.url, TF_VAR_db_password: DB_PASSWORD, TF_VAR_SLACK_WEBHOOK_URL: SLACK_URL };
    const validate = await runCli(["validate", dir], { cwd: dir, env });
    expect(validate.code, output(validate)).toBe(0);

    const apply = await runCli(["apply", "--auto-approve", "--no-color", "--log-level", "debug", dir], { cwd: dir, env });
    expect(apply.code, output(apply)).toBe(0);
    expectNoSecret("apply", output(apply));

    const state = JSON.parse(readFileSync(join(dir, "prefect-gitops.state.json"), "utf8")) as { resources: Record<string, { id: string }> };
    const idOf = (address: string): string => state.resources[address]!.id;
    const api = rawApi(dev.server.url);

    // The secrets reached Prefect, where they belong.
    const secret = await api.get<Json>(`/block_documents/${idOf("prefect_block.db")}?include_secrets=true`);
    expect(secret.body.data).toEqual({ value: DB_PASSWORD });
    const alerts = await api.get<Json>(`/block_documents/${idOf("prefect_block.alerts")}?include_secrets=true`);
    expect(alerts.body.data).toMatchObject({ url: SLACK_URL, notify_type: "failure" });

    // The references became the ids of the objects created in the same run.
    const automation = (await api.get<Json>(`/automations/${idOf("prefect_automation.nightly-failed")}`)).body;
    expect(automation.trigger).toMatchObject({
      type: "event",
      posture: "Reactive",
      expect: expect.arrayContaining(["prefect.flow-run.Failed", "prefect.flow-run.Crashed"]),
      match: { "prefect.resource.id": "prefect.flow-run.*" },
      match_related: { "prefect.resource.role": "deployment", "prefect.resource.id": `prefect.deployment.${idOf("prefect_deployment.nightly")}` },
      for_each: ["prefect.resource.id"],
      within: 600,
    });
    expect(automation.actions).toEqual([
      expect.objectContaining({ type: "run-deployment", deployment_id: idOf("prefect_deployment.cleanup"), parameters: { failed_run: "{{ event.resource.id }}" } }),
      expect.objectContaining({ type: "send-notification", block_document_id: idOf("prefect_block.alerts"), subject: "Nightly failed" }),
      expect.objectContaining({ type: "pause-work-pool", work_pool_id: idOf("prefect_work_pool.pool") }),
    ]);
    expect(automation.actions_on_resolve).toEqual([expect.objectContaining({ type: "resume-work-pool", work_pool_id: idOf("prefect_work_pool.pool") })]);
    expect((await api.get<Json>(`/variables/${idOf("prefect_variable.batch")}`)).body.value).toBe(500);
    expect((await api.get<Json>(`/variables/${idOf("prefect_variable.regions")}`)).body.value).toEqual({ regions: ["eu-west-1", "us-east-1"], dry_run: false });
    expect((await api.get<Json>(`/v2/concurrency_limits/${idOf("prefect_global_concurrency_limit.warehouse")}`)).body).toMatchObject({ name: "warehouse", limit: 4, slot_decay_per_second: 0.5 });

    const plan = await runCli(["plan", "--detailed-exitcode", "--no-color", "--log-level", "debug", dir], { cwd: dir, env });
    expect(plan.code, output(plan)).toBe(0);
    expectNoSecret("plan", output(plan));
    expectNoSecret("the state", stateText(dir));
  });

  it("refuses to plan without the secret's environment variable, naming the variable to set", async () => {
    const dir = workdir();
    synthesize(dir, (stack) => {
      Block.secret(stack, "token", { name: "api-token", value: SecretValue.fromEnvironment("API_TOKEN") });
    });
    const plan = await runCli(["plan", "--no-color", dir], { cwd: dir, env: { PREFECT_API_URL: dev.server.url } });
    expect(plan.code).toBe(1);
    expect(output(plan)).toContain('No value for required variable "API_TOKEN"');
    expect(output(plan)).toContain("TF_VAR_API_TOKEN");
  });

  it("applies a Cloud webhook and a metric trigger, then plans no change", async () => {
    const dir = workdir();
    synthesize(dir, (stack) => {
      const hook = new Webhook(stack, "orders", {
        name: "shop orders",
        template: { event: "shop.order.created", resource: { "prefect.resource.id": "shop.order.{{ body.id }}", "prefect.resource.name": "{{ body.customer }}" } },
      });
      new Variable(stack, "orders-url", { name: "orders_url", value: hook.endpoint });
      new Automation(stack, "slow", {
        name: "orders slow",
        trigger: Trigger.metric({ metric: "duration", operator: ">", threshold: 120, range: { minutes: 10 }, match: { "prefect.resource.id": "prefect.flow-run.*" } }),
        actions: [Action.doNothing()],
      });
    });
    const env = { PREFECT_API_URL: dev.server.cloudUrl(), PREFECT_API_KEY: CLOUD_API_KEY };
    const apply = await runCli(["apply", "--auto-approve", "--no-color", dir], { cwd: dir, env });
    expect(apply.code, output(apply)).toBe(0);

    const state = JSON.parse(readFileSync(join(dir, "prefect-gitops.state.json"), "utf8")) as { resources: Record<string, { id: string; values: Json }> };
    const api = rawApi(dev.server.cloudUrl(), { authorization: `Bearer ${env.PREFECT_API_KEY}` });
    const webhook = (await api.get<Json>(`/webhooks/${state.resources["prefect_webhook.orders"]!.id}`)).body;
    expect(JSON.parse(webhook.template as string)).toEqual({ event: "shop.order.created", resource: { "prefect.resource.id": "shop.order.{{ body.id }}", "prefect.resource.name": "{{ body.customer }}" } });
    // The endpoint, known only once the webhook exists, flowed into the variable.
    const variable = (await api.get<Json>(`/variables/${state.resources["prefect_variable.orders-url"]!.id}`)).body;
    const endpoint = state.resources["prefect_webhook.orders"]!.values.endpoint as string;
    expect(endpoint).toMatch(/\/hooks\/[^/]+$/);
    expect(variable.value).toBe(endpoint);
    const automation = (await api.get<Json>(`/automations/${state.resources["prefect_automation.slow"]!.id}`)).body;
    expect(automation.trigger).toMatchObject({ type: "metric", metric: { name: "duration", operator: ">", threshold: 120, range: 600, firing_for: 300 } });

    const plan = await runCli(["plan", "--detailed-exitcode", "--no-color", dir], { cwd: dir, env });
    expect(plan.code, output(plan)).toBe(0);
  });
});
