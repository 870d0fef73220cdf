// Every example under examples/ synthesizes, passes `validate`, applies to a devserver (the
// Cloud prefix for the Cloud-only ones) and plans no changes afterwards; and what the examples
// are about works: the event chain's templated parameters reach Prefect as written, and a call
// to the webhook example's webhook records the event its automation waits for.
//
// Each example runs from a copy in a temporary directory, set up as a user's project is (a
// package.json, prefect-gitops installed under node_modules), so that neither cdktf.out nor a
// state file lands in the repository, and so that the examples' `import ... from
// "prefect-gitops"` is resolved the way it is for users.
import { randomUUID } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import nunjucks from "nunjucks";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runCli, type CliResult } from "../support/cli.js";
import { useDevServer } from "../support/devserver.js";
import { output } from "../support/engine.js";
import { rawApi } from "../support/http.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const EXAMPLES_DIR = join(REPO_ROOT, "examples");
const SLACK_URL = "https://hooks.slack.com/services/T0EXAMPLE/B0EXAMPLE/s3cr3tExampleT0ken";

/** Temporary directories made by this file, removed at the end. */
const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

function temporaryDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}

/** A copy of examples/NAME as a project of its own, with prefect-gitops installed (a link to this repository). */
function project(name: string): string {
  const dir = temporaryDir(`prefect-gitops-example-${name}-`);
  const leftovers = new Set(["cdktf.out", "node_modules", ".terraform", ".prefect-gitops"]);
  cpSync(join(EXAMPLES_DIR, name), dir, { recursive: true, filter: (source) => !leftovers.has(basename(source)) && !basename(source).includes(".state.json") });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `prefect-gitops-example-${name}`, private: true, type: "module" }));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(REPO_ROOT, join(dir, "node_modules", "prefect-gitops"), "dir");
  return dir;
}

/** A fresh state file outside the project. */
const stateFile = (): string => join(temporaryDir("prefect-gitops-example-state-"), "prefect-gitops.state.json");

interface Target {
  /** The project directory. */
  dir: string;
  /** The state file. */
  state: string;
  /** The environment the CLI sees (connection, TF_VAR_*). */
  env: Record<string, string>;
  /** Extra global options (--stack). */
  args?: string[];
}

const cli = (target: Target, command: string[]): Promise<CliResult> =>
  runCli([...command, "--no-color", "--state", target.state, ...(target.args ?? []), target.dir], { cwd: target.dir, env: target.env });

/** validate, apply, then a plan that must find nothing to do. */
async function validateApplyAndPlanClean(target: Target): Promise<void> {
  const validate = await cli(target, ["validate"]);
  expect(validate.code, output(validate)).toBe(0);
  const apply = await cli(target, ["apply", "--auto-approve"]);
  expect(apply.code, output(apply)).toBe(0);
  expect(apply.stdout).toMatch(/Apply complete! Resources: [1-9]\d* added, 0 changed, 0 destroyed\./);
  const plan = await cli(target, ["plan", "--detailed-exitcode"]);
  expect(plan.code, output(plan)).toBe(0);
  expect(plan.stdout).toContain("No changes.");
}

/** The state's record of each address: id and applied values. */
function stateOf(target: Target): Record<string, { id: string; values: Json }> {
  return (JSON.parse(readFileSync(target.state, "utf8")) as { resources: Record<string, { id: string; values: Json }> }).resources;
}

/** What the engine keeps on disk for a target: snapshot and journal. */
function stateText(target: Target): string {
  const dir = join(target.state, "..");
  return readdirSync(dir)
    .map((name) => readFileSync(join(dir, name), "utf8"))
    .join("\n");
}

/** The synthesized Terraform JSON of a project's stack. */
const synthesized = (dir: string, stack: string): string => readFileSync(join(dir, "cdktf.out", "stacks", stack, "cdk.tf.json"), "utf8");

/** A Cloud workspace of its own on the devserver (webhooks and metric triggers live there). */
function cloudWorkspace(server: { cloudUrl(account?: string, workspace?: string): string }): { url: string; key: string } {
  const account = randomUUID();
  const workspace = randomUUID();
  return { url: server.cloudUrl(account, workspace), key: `${account}/${workspace}` };
}

/** Whether a resource's labels satisfy a trigger's `match` (values or lists of values, trailing `*` wildcards), as Prefect matches them. */
function matchesSpecification(labels: Record<string, string>, specification: Record<string, string | string[]>): boolean {
  return Object.entries(specification).every(([label, expected]) => {
    const value = labels[label];
    if (value === undefined) return false;
    return (Array.isArray(expected) ? expected : [expected]).some((pattern) => (pattern.endsWith("*") ? value.startsWith(pattern.slice(0, -1)) : value === pattern));
  });
}

describe("examples/", () => {
  it("import only the public construct library, by the package's name", () => {
    const stacks = readdirSync(EXAMPLES_DIR).filter((name) => readdirSync(join(EXAMPLES_DIR, name)).includes("cdktf.json"));
    expect(stacks.sort()).toEqual(["alerts", "environments", "event-chain", "quickstart", "webhook"]);
    for (const name of stacks) {
      const source = readFileSync(join(EXAMPLES_DIR, name, "main.ts"), "utf8");
      const specifiers = [...source.matchAll(/^import\s[^;]*?from\s+"([^"]+)";/gms)].map((match) => match[1]);
      expect(specifiers, name).toEqual(["prefect-gitops"]);
      expect(JSON.parse(readFileSync(join(EXAMPLES_DIR, name, "cdktf.json"), "utf8")), name).toMatchObject({ language: "typescript", app: "npx tsx main.ts" });
    }
  });
});

describe("examples/quickstart", () => {
  const dev = useDevServer();

  it("validates, applies to a devserver and then plans no changes; its secret reaches Prefect only", async () => {
    const target: Target = { dir: project("quickstart"), state: stateFile(), env: { PREFECT_API_URL: dev.server.url, TF_VAR_slack_webhook_url: SLACK_URL } };
    await validateApplyAndPlanClean(target);

    const state = stateOf(target);
    expect(Object.keys(state)).toHaveLength(12);
    const block = await rawApi(dev.server.url).get<Json>(`/block_documents/${state["prefect_block.slack"]!.id}?include_secrets=true`);
    expect(block.body).toMatchObject({ name: "etl-alerts", data: { value: SLACK_URL } });
    expect(synthesized(target.dir, "quickstart")).not.toContain(SLACK_URL);
    expect(stateText(target)).not.toContain(SLACK_URL);
  });

  it("refuses to plan without the secret instead of writing a default for it", async () => {
    const target: Target = { dir: project("quickstart"), state: stateFile(), env: { PREFECT_API_URL: dev.server.url } };
    const plan = await cli(target, ["plan"]);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('No value for required variable "slack_webhook_url"');
  });
});

describe("examples/environments", () => {
  // Each environment is its own Prefect server here, as it would be its own workspace.
  const devServer = useDevServer();
  const prodServer = useDevServer();

  it.each([
    { stack: "dev", server: devServer, pool: { name: "orders-dev", type: "process" }, schedule: { interval: 21600 }, active: false, warehouse: "analytics_dev" },
    { stack: "prod", server: prodServer, pool: { name: "orders-k8s", type: "kubernetes" }, schedule: { cron: "0 3 * * *", timezone: "America/New_York" }, active: true, warehouse: "analytics" },
  ])("the $stack stack validates, applies with --stack and then plans no changes", async ({ stack, server, pool, schedule, active, warehouse }) => {
    const target: Target = { dir: project("environments"), state: stateFile(), env: { PREFECT_API_URL: server.server.url }, args: ["--stack", stack] };
    await validateApplyAndPlanClean(target);

    // The same class, the environment's own pool, schedule and parameters.
    const api = rawApi(server.server.url);
    const state = stateOf(target);
    expect((await api.get<Json>(`/work_pools/${pool.name}`)).body).toMatchObject(pool);
    const daily = (await api.get<Json>(`/deployments/${state["prefect_deployment.daily"]!.id}`)).body;
    expect(daily).toMatchObject({ name: "daily", work_pool_name: pool.name, work_queue_name: "scheduled", parameters: { warehouse } });
    expect(daily.schedules).toEqual([expect.objectContaining({ active, slug: "daily", schedule: expect.objectContaining(schedule) })]);
  });

  it("asks which stack to use", async () => {
    const target: Target = { dir: project("environments"), state: stateFile(), env: { PREFECT_API_URL: devServer.server.url } };
    const plan = await cli(target, ["plan"]);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain("Choose one with --stack: dev, prod.");
  });
});

describe("examples/event-chain", () => {
  const dev = useDevServer();

  it("validates, applies and plans no changes; the run-deployment action passes the upstream run's parameters as Jinja templates", async () => {
    const target: Target = { dir: project("event-chain"), state: stateFile(), env: { PREFECT_API_URL: dev.server.url } };
    await validateApplyAndPlanClean(target);

    const state = stateOf(target);
    const automation = (await rawApi(dev.server.url).get<Json>(`/automations/${state["prefect_automation.ingest-then-transform"]!.id}`)).body;
    expect(automation.trigger).toMatchObject({
      type: "event",
      posture: "Reactive",
      expect: ["prefect.flow-run.Completed"],
      match_related: { "prefect.resource.role": "deployment", "prefect.resource.id": `prefect.deployment.${state["prefect_deployment.ingest"]!.id}` },
    });
    expect(automation.actions).toEqual([
      expect.objectContaining({
        type: "run-deployment",
        deployment_id: state["prefect_deployment.transform"]!.id,
        parameters: {
          source: "{{ flow_run.parameters.source }}",
          run_date: "{{ flow_run.parameters.run_date }}",
          upstream_flow_run_id: "{{ flow_run.id }}",
        },
      }),
    ]);
  });
});

describe("examples/alerts (Prefect Cloud)", () => {
  const dev = useDevServer();

  it("validates, applies to a Cloud workspace and then plans no changes, metric trigger included", async () => {
    const workspace = cloudWorkspace(dev.server);
    const target: Target = { dir: project("alerts"), state: stateFile(), env: { PREFECT_API_URL: workspace.url, PREFECT_API_KEY: "pnu_example", TF_VAR_SLACK_WEBHOOK_URL: SLACK_URL } };
    await validateApplyAndPlanClean(target);

    const state = stateOf(target);
    const api = rawApi(workspace.url);
    const slack = state["prefect_block.slack"]!.id;
    const automations = (await api.post<Json[]>("/automations/filter", {})).body;
    expect(automations.map((automation) => automation.name).sort()).toEqual(["billing export crashed", "billing export failed", "billing export late", "billing export success rate below 90%"]);
    const metric = automations.find((automation) => automation.trigger.type === "metric")!;
    expect(metric.trigger).toMatchObject({ metric: { name: "successes", operator: "<", threshold: 0.9 } });
    expect(metric.actions_on_trigger).toEqual([expect.objectContaining({ type: "send-notification", block_document_id: slack })]);
    expect(metric.actions_on_resolve).toEqual([expect.objectContaining({ type: "send-notification", block_document_id: slack })]);
    const late = automations.find((automation) => automation.name === "billing export late")!;
    expect(late.trigger.expect).toEqual(["prefect.flow-run.Late"]);

    const block = await api.get<Json>(`/block_documents/${slack}?include_secrets=true`);
    expect(block.body.data).toMatchObject({ url: SLACK_URL, notify_type: "failure" });
    expect(synthesized(target.dir, "alerts")).not.toContain(SLACK_URL);
    expect(stateText(target)).not.toContain(SLACK_URL);
  });
});

describe("examples/webhook (Prefect Cloud)", () => {
  const dev = useDevServer();

  it("validates, applies to a Cloud workspace and then plans no changes; a call to the webhook records the event its automation expects", async () => {
    const workspace = cloudWorkspace(dev.server);
    const target: Target = { dir: project("webhook"), state: stateFile(), env: { PREFECT_API_URL: workspace.url, PREFECT_API_KEY: "pnu_example" } };
    await validateApplyAndPlanClean(target);

    const state = stateOf(target);
    const api = rawApi(workspace.url);
    const hook = (await api.get<Json>(`/webhooks/${state["prefect_webhook.model-refresh"]!.id}`)).body;
    expect(state["prefect_webhook.model-refresh"]!.values.endpoint).toBe(`${dev.server.origin}/hooks/${hook.slug}`);

    // The ML platform's call.
    const call = await fetch(`${dev.server.origin}/hooks/${hook.slug}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "churn", version: "7", requested_by: "mlflow" }),
    });
    expect(call.status).toBe(204);

    const events = (await rawApi(dev.server.origin).get<Json[]>(`/_devserver/events?workspace=${workspace.key}`)).body;
    expect(events).toHaveLength(1);
    const event = events[0]!;
    expect(event).toMatchObject({
      event: "ml.model.refresh-requested",
      resource: { "prefect.resource.id": "ml.model.churn", "prefect.resource.name": "churn" },
      payload: { version: "7", requested_by: "mlflow" },
    });

    // The automation waits for exactly that event...
    const automation = (await api.get<Json>(`/automations/${state["prefect_automation.refresh-on-request"]!.id}`)).body;
    expect(automation.trigger.expect).toContain(event.event);
    expect(matchesSpecification(event.resource, automation.trigger.match)).toBe(true);
    // ...and its run-deployment action, rendered against it (Prefect's context, reduced to what
    // these templates use: the event, its resource's id and name), runs the refresh for that model.
    const [action] = automation.actions as Json[];
    expect(action).toMatchObject({ type: "run-deployment", deployment_id: state["prefect_deployment.refresh"]!.id });
    const context = { event: { ...event, resource: { ...event.resource, id: event.resource["prefect.resource.id"], name: event.resource["prefect.resource.name"] } } };
    const rendered = Object.fromEntries(Object.entries(action!.parameters as Record<string, string>).map(([name, template]) => [name, nunjucks.renderString(template, context)]));
    expect(rendered).toEqual({ model: "churn", version: "7", requested_by: "mlflow" });
  });
});

describe("examples/hcl", () => {
  const dev = useDevServer();

  it("the quickstart as plain Terraform validates, applies and then plans no changes", async () => {
    const target: Target = { dir: project("hcl"), state: stateFile(), env: { PREFECT_API_URL: dev.server.url, TF_VAR_slack_webhook_url: SLACK_URL } };
    await validateApplyAndPlanClean(target);
    expect(Object.keys(stateOf(target)).sort()).toEqual([
      "prefect_automation.backfill_on_failure",
      "prefect_block.slack",
      "prefect_deployment.backfill",
      "prefect_deployment.nightly",
      "prefect_deployment_schedule.backfill_hourly",
      "prefect_deployment_schedule.nightly",
      "prefect_flow.etl",
      "prefect_global_concurrency_limit.warehouse",
      "prefect_variable.retention_days",
      "prefect_work_pool.etl",
      "prefect_work_queue.critical",
      "prefect_work_queue.standard",
    ]);
  });
});
