// import --all end to end, over HTTP against the devserver: a workspace's worth of objects made
// behind the engine's back becomes configuration plus state, after which a plan shows no
// changes; references replace ids, secrets stay out of the configuration and the state, and a
// second run neither duplicates nor overwrites anything.
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mutatingRequests, workdir } from "../support/cli.js";
import { useDevServer, type TestDevServer } from "../support/devserver.js";
import { cli, cloudWorkspace, ok, ossWorkspace, output, readState, stateFilesText, type Json, type Workspace } from "../support/engine.js";
import type { RawApi } from "../support/http.js";

const SLACK_URL = "https://hooks.slack.com/services/T000/B000/sl4ck-s3cr3t-XyZ";
const SECRET_VALUE = "db-pa$${ss}w0rd-%{x}-\"quoted\"-s3cr3t";
const TOKEN = "ghp_t0k3n-0f-the-pull-step";
const HEADER_SECRET = "Bearer h3ad3r-s3cr3t";
const AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYs3cr3t";
const SECRETS = [SLACK_URL, SECRET_VALUE, TOKEN, HEADER_SECRET, AWS_SECRET];

/** A fresh Prefect Cloud workspace of the devserver: nothing else in this file sees it. */
const freshCloud = (server: TestDevServer): Workspace => cloudWorkspace(server, randomUUID(), randomUUID());

async function createBlock(api: RawApi, slug: string, name: string, data: Json): Promise<string> {
  const type = await ok<{ id: string }>(api.get(`/block_types/slug/${slug}`), `block type ${slug}`);
  const schemas = await ok<{ id: string }[]>(api.post("/block_schemas/filter", { block_schemas: { operator: "and_", block_type_id: { any_: [type.id] } } }), "block schemas");
  const created = await ok<{ id: string }>(api.post("/block_documents/", { name, data, block_type_id: type.id, block_schema_id: schemas[0]!.id, is_anonymous: false }), `block ${name}`);
  return created.id;
}

interface Seeded {
  ids: Record<string, string>;
  /** Every id the import must own (default queues included, deployments' own limits excluded). */
  owned: string[];
}

/** A workspace's worth of objects, made through the API the way Prefect's own tools make them. */
async function seedWorkspace(ws: Workspace, options: { webhooks: boolean }): Promise<Seeded> {
  const { api } = ws;
  const ids: Record<string, string> = {};
  const pool = await ok<{ id: string; default_queue_id: string }>(
    api.post("/work_pools/", {
      name: "etl-pool",
      type: "process",
      description: "Nightly ETL",
      concurrency_limit: 5,
      base_job_template: {
        job_configuration: { command: "{{ command }}", env: "{{ env }}" },
        variables: { type: "object", properties: { command: { type: "string", default: "echo ${HOME} 100%{x}" }, env: { type: "object" } } },
      },
    }),
    "work pool",
  );
  ids.pool = pool.id;
  ids.defaultQueue = pool.default_queue_id;
  await ok(api.patch("/work_pools/etl-pool/queues/default", { concurrency_limit: 10, description: "the default one" }), "default queue");
  ids.queue = (await ok<{ id: string }>(api.post("/work_pools/etl-pool/queues", { name: "high priority", description: "urgent", concurrency_limit: 2 }), "queue")).id;
  const other = await ok<{ id: string; default_queue_id: string }>(api.post("/work_pools/", { name: "k8s", type: "kubernetes", is_paused: true }), "pool k8s");
  ids.otherPool = other.id;
  ids.otherDefaultQueue = other.default_queue_id;

  ids.flow = (await ok<{ id: string }>(api.post("/flows/", { name: "ETL Nightly", tags: ["etl", "nightly"] }), "flow")).id;
  ids.flow2 = (await ok<{ id: string }>(api.post("/flows/", { name: "reports" }), "flow 2")).id;

  ids.limit = (await ok<{ id: string }>(api.post("/v2/concurrency_limits/", { name: "warehouse", limit: 4, slot_decay_per_second: 0.5 }), "limit")).id;
  ids.inactiveLimit = (await ok<{ id: string }>(api.post("/v2/concurrency_limits/", { name: "paused-api", limit: 1, active: false }), "limit 2")).id;

  ids.secret = await createBlock(api, "secret", "db-password", { value: SECRET_VALUE });
  ids.slack = await createBlock(api, "slack-webhook", "alerts", { url: SLACK_URL, notify_type: "info" });
  ids.webhookBlock = await createBlock(api, "webhook", "callback", { url: "https://example.com/hook?x=${y}", method: "PUT", headers: { Authorization: HEADER_SECRET } });
  ids.files = await createBlock(api, "local-file-system", "data-dir", { basepath: "/data/${name}" });
  ids.aws = await createBlock(api, "aws-credentials", "aws-prod", { aws_access_key_id: "AKIAEXAMPLE", aws_secret_access_key: AWS_SECRET, region_name: "eu-west-1" });
  // A document referring to another: Prefect stores the reference and reads it back resolved.
  ids.awsRef = await createBlock(api, "s3-bucket", "warehouse-bucket", { bucket_name: "warehouse", credentials: { $ref: { block_document_id: ids.aws } } });

  const deployment = await ok<{ id: string }>(
    api.post("/deployments/", {
      name: "nightly",
      flow_id: ids.flow,
      work_pool_name: "etl-pool",
      work_queue_name: "high priority",
      entrypoint: "flows/etl.py:nightly",
      path: "/opt/etl",
      description: "Loads the warehouse",
      version: "1.2.3",
      tags: ["etl"],
      parameters: { date: "today", retries: 3, nested: { a: [1, 2] } },
      parameter_openapi_schema: { type: "object", properties: { date: { type: "string" }, retries: { type: "integer" }, nested: { type: "object" } } },
      job_variables: { env: { MODE: "prod" }, command: "python -m etl ${DATE}" },
      pull_steps: [
        { "prefect.deployments.steps.git_clone": { repository: "https://github.com/acme/etl.git", branch: "main", access_token: TOKEN } },
        { "prefect.deployments.steps.set_working_directory": { directory: "/opt/etl" } },
      ],
      concurrency_limit: 2,
      schedules: [
        { schedule: { cron: "0 6 * * 1-5", timezone: "Europe/Paris", day_or: true }, active: true, slug: "weekday-mornings" },
        { schedule: { interval: 3600, anchor_date: "2024-01-01T00:00:00Z", timezone: "UTC" }, active: false, parameters: { date: "hourly" } },
        { schedule: { rrule: "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9", timezone: "UTC" }, active: true },
      ],
    }),
    "deployment",
  );
  ids.deployment = deployment.id;
  const shared = await ok<{ id: string }>(
    api.post("/deployments/", { name: "weekly", flow_id: ids.flow2, work_pool_name: "k8s", global_concurrency_limit_id: ids.limit, paused: true, enforce_parameter_schema: false }),
    "deployment 2",
  );
  ids.deployment2 = shared.id;
  const read = await ok<{ schedules: { id: string }[] }>(api.get(`/deployments/${ids.deployment}`), "deployment read");
  const scheduleIds = read.schedules.map((schedule) => schedule.id);

  for (const [name, value] of [
    ["v_string", "text with ${dollar} and %{percent}"],
    ["v_number", 42.5],
    ["v_bool", false],
    ["v_list", [1, "two", { three: 3 }]],
    ["v_object", { nested: { list: [true, null] }, empty: {} }],
  ] as const) {
    ids[name] = (await ok<{ id: string }>(api.post("/variables/", { name, value, tags: name === "v_object" ? ["json"] : [] }), `variable ${name}`)).id;
  }

  ids.automation = (
    await ok<{ id: string }>(
      api.post("/automations/", {
        name: "on failure",
        description: "Re-run and tell Slack",
        enabled: true,
        trigger: { type: "event", posture: "Reactive", expect: ["prefect.flow-run.Failed"], match: { "prefect.resource.id": "prefect.flow-run.*" }, match_related: { "prefect.resource.role": "flow" }, for_each: ["prefect.resource.id"], threshold: 2, within: 60 },
        actions: [
          { type: "run-deployment", source: "selected", deployment_id: ids.deployment, parameters: { date: "retry" } },
          { type: "pause-work-pool", source: "selected", work_pool_id: ids.pool },
          { type: "pause-work-queue", source: "selected", work_queue_id: ids.queue },
          { type: "send-notification", block_document_id: ids.slack, subject: "Failed", body: "{{ flow_run.name }} failed" },
          { type: "call-webhook", block_document_id: ids.webhookBlock, payload: '{"run": "{{ flow_run.id }}"}' },
        ],
        actions_on_trigger: [],
        actions_on_resolve: [],
      }),
      "automation",
    )
  ).id;
  ids.automation2 = (
    await ok<{ id: string }>(
      api.post("/automations/", {
        name: "quiet warehouse",
        description: "",
        enabled: false,
        trigger: {
          type: "compound",
          require: "all",
          within: 3600,
          triggers: [
            { type: "event", posture: "Reactive", expect: ["prefect.flow-run.Completed"], match: { "prefect.resource.id": "prefect.flow-run.*" } },
            { type: "event", posture: "Proactive", expect: ["prefect.flow-run.Running"], within: 600, threshold: 1 },
          ],
        },
        actions: [
          { type: "pause-automation", source: "selected", automation_id: ids.automation },
          { type: "pause-deployment", source: "inferred" },
        ],
        actions_on_trigger: [{ type: "resume-work-pool", source: "selected", work_pool_id: ids.otherPool }],
        actions_on_resolve: [{ type: "change-flow-run-state", state: "CANCELLED", name: "Cancelled", message: "quiet" }],
      }),
      "automation 2",
    )
  ).id;

  if (options.webhooks) {
    ids.webhook = (
      await ok<{ id: string }>(
        api.post("/webhooks/", { name: "orders", description: "shop orders", enabled: true, template: '{"event": "order.{{ body.kind }}", "resource": {"prefect.resource.id": "shop.order.{{ body.id }}"}}' }),
        "webhook",
      )
    ).id;
  }
  const owned = [...Object.entries(ids).map(([, id]) => id), ...scheduleIds];
  return { ids, owned };
}

type TfJson = { variable?: Record<string, Json>; resource: Record<string, Record<string, Json>>; terraform?: Json; "//"?: string };

const readJson = <T = TfJson>(path: string): T => JSON.parse(readFileSync(path, "utf8")) as T;

/** The resource of `type` whose attribute `name` is `value`. */
function resourceNamed(document: TfJson, type: string, key: string, value: unknown): [string, Json] {
  const found = Object.entries(document.resource[type] ?? {}).find(([, body]) => body[key] === value);
  if (!found) throw new Error(`no ${type} with ${key} = ${JSON.stringify(value)} in ${JSON.stringify(Object.keys(document.resource[type] ?? {}))}`);
  return found;
}

/** Every id of `ids` that appears in `text`. */
const idsIn = (text: string, ids: string[]): string[] => ids.filter((id) => text.includes(id));

/** The files of a directory with their contents. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .filter((name) => statSync(join(dir, name)).isFile())
      .sort()
      .map((name) => [name, readFileSync(join(dir, name), "utf8")]),
  );
}

describe("import --all", () => {
  const dev = useDevServer();

  it("writes configuration and state for a whole workspace, after which a plan shows no changes", async () => {
    const ws = freshCloud(dev.server);
    const { ids, owned } = await seedWorkspace(ws, { webhooks: true });
    const dir = workdir();

    dev.server.resetRequestCounts();
    const result = await cli(dir, ws, ["import", "--all"]);
    expect(result.code, output(result)).toBe(0);
    expect(mutatingRequests(dev.server.requestCounts()), "import changes nothing in Prefect").toEqual({});
    expect(result.stdout).toContain(`Imported ${owned.length} objects into imported.tf.json`);
    expect(result.stdout).toMatch(/global concurrency limit "deployment:[0-9a-f-]+" \(id [0-9a-f-]+\): Prefect manages it with its deployment/);
    expect(result.stderr).toContain("imported.auto.tfvars.json holds 6 secret values in clear");

    // The configuration: portable (no id of the workspace in it), objects refer to each other.
    const file = join(dir, "imported.tf.json");
    const text = readFileSync(file, "utf8");
    expect(idsIn(text, [...owned, ...Object.values(ids)])).toEqual([]);
    const document = readJson(file);
    expect(document.terraform).toEqual({ required_providers: { prefect: { source: "prefecthq/prefect" } } });
    expect(document).not.toHaveProperty("provider");
    const [pool, poolBody] = resourceNamed(document, "prefect_work_pool", "name", "etl-pool");
    expect(typeof poolBody.base_job_template).toBe("string");
    expect(poolBody.base_job_template).toContain("echo $${HOME} 100%%{x}");
    const queues = Object.values(document.resource.prefect_work_queue ?? {});
    expect(queues.filter((queue) => queue.name === "default").map((queue) => queue.work_pool_name).sort()).toEqual([`\${prefect_work_pool.${pool}.name}`, "${prefect_work_pool.k8s.name}"]);
    const [queue] = resourceNamed(document, "prefect_work_queue", "name", "high priority");
    const [flow] = resourceNamed(document, "prefect_flow", "name", "ETL Nightly");
    const [deployment, deploymentBody] = resourceNamed(document, "prefect_deployment", "name", "nightly");
    expect(deploymentBody).toMatchObject({
      flow_id: `\${prefect_flow.${flow}.id}`,
      work_pool_name: `\${prefect_work_pool.${pool}.name}`,
      work_queue_name: `\${prefect_work_queue.${queue}.name}`,
      concurrency_limit: 2,
    });
    expect(deploymentBody).not.toHaveProperty("global_concurrency_limit_id");
    expect(JSON.parse(deploymentBody.parameters as string)).toEqual({ date: "today", retries: 3, nested: { a: [1, 2] } });
    expect(deploymentBody.job_variables).toContain("$${DATE}");
    const [limit] = resourceNamed(document, "prefect_global_concurrency_limit", "name", "warehouse");
    expect(resourceNamed(document, "prefect_deployment", "name", "weekly")[1].global_concurrency_limit_id).toBe(`\${prefect_global_concurrency_limit.${limit}.id}`);
    const schedules = Object.values(document.resource.prefect_deployment_schedule ?? {});
    expect(schedules.map((schedule) => schedule.deployment_id)).toEqual(Array(3).fill(`\${prefect_deployment.${deployment}.id}`));
    expect(schedules.map((schedule) => ["cron", "interval", "rrule"].find((key) => key in schedule)).sort()).toEqual(["cron", "interval", "rrule"]);
    const [slack] = resourceNamed(document, "prefect_block", "name", "alerts");
    const [callback] = resourceNamed(document, "prefect_block", "name", "callback");
    const [aws] = resourceNamed(document, "prefect_block", "name", "aws-prod");
    expect(resourceNamed(document, "prefect_block", "name", "warehouse-bucket")[1].data).toBe(
      `\${jsonencode({"bucket_name" = "warehouse", "credentials" = {"$ref" = {"block_document_id" = prefect_block.${aws}.id}}})}`,
    );
    const [failure, failureBody] = resourceNamed(document, "prefect_automation", "name", "on failure");
    expect((failureBody.actions as Json[]).map((action) => action.deployment_id ?? action.work_pool_id ?? action.work_queue_id ?? action.block_document_id)).toEqual([
      `\${prefect_deployment.${deployment}.id}`,
      `\${prefect_work_pool.${pool}.id}`,
      `\${prefect_work_queue.${queue}.id}`,
      `\${prefect_block.${slack}.id}`,
      `\${prefect_block.${callback}.id}`,
    ]);
    const quiet = resourceNamed(document, "prefect_automation", "name", "quiet warehouse")[1];
    expect((quiet.actions as Json[])[0]?.automation_id).toBe(`\${prefect_automation.${failure}.id}`);
    expect((quiet.trigger as { compound: Json }).compound).toMatchObject({ require: "all", within: 3600 });
    expect(resourceNamed(document, "prefect_webhook", "name", "orders")[1]).toMatchObject({ description: "shop orders" });
    expect(Object.keys(document.resource.prefect_variable ?? {}).sort()).toEqual(["v_bool", "v_list", "v_number", "v_object", "v_string"]);
    expect(document.resource.prefect_variable?.v_string?.value).toBe("text with $${dollar} and %%{percent}");

    // Secrets: sensitive variables in the configuration, values only in the tfvars file.
    for (const secret of SECRETS) {
      expect(text, "the configuration holds a secret").not.toContain(secret);
      expect(stateFilesText(dir), "the state holds a secret").not.toContain(secret);
      expect(output(result)).not.toContain(secret);
    }
    expect(Object.values(document.variable ?? {}).every((variable) => variable.sensitive === true)).toBe(true);
    expect(resourceNamed(document, "prefect_block", "name", "db-password")[1].data).toMatch(/^\$\{jsonencode\(\{"value" = var\.[a-z_]+\}\)\}$/);
    expect(resourceNamed(document, "prefect_block", "name", "data-dir")[1].data).toBe('{"basepath":"/data/$${name}"}');
    const secretsFile = join(dir, "imported.auto.tfvars.json");
    const values = Object.values(readJson<Json>(secretsFile));
    expect(values.sort()).toEqual([...SECRETS, "https://example.com/hook?x=${y}"].sort());
    expect(statSync(secretsFile).mode & 0o077, "the secrets file is readable by its owner only").toBe(0);
    expect(readFileSync(join(dir, ".gitignore"), "utf8")).toContain("\nimported.auto.tfvars.json\n");

    // The state owns every object once, under the address the configuration declares it at.
    const state = readState(dir);
    const entries = Object.values(state.resources);
    expect(entries.map((entry) => entry.id).sort()).toEqual([...owned].sort());
    for (const entry of entries) expect(document.resource[entry.type]?.[entry.address.slice(entry.type.length + 1)], entry.address).toBeDefined();

    const plan = await cli(dir, ws, ["plan", "--detailed-exitcode"]);
    expect(plan.code, output(plan)).toBe(0);
    expect(plan.stdout).toContain("No changes.");
    for (const secret of SECRETS) expect(output(plan)).not.toContain(secret);

    // A change made out of band shows in the next plan.
    await ok(ws.api.patch(`/variables/${ids.v_number}`, { value: 43 }), "variable update");
    await ok(ws.api.patch("/work_pools/etl-pool", { is_paused: true }), "pool update");
    const drifted = await cli(dir, ws, ["plan", "--detailed-exitcode"]);
    expect(drifted.code, output(drifted)).toBe(2);
    expect(drifted.stdout).toContain("# prefect_variable.v_number will be updated in place");
    expect(drifted.stdout).toContain(`# prefect_work_pool.${pool} will be updated in place`);
    expect(drifted.stdout).toContain("Plan: 0 to add, 2 to change, 0 to destroy.");
  });

  it("imports nothing twice: a second run changes nothing, and new objects go to a new file only when asked", async () => {
    const ws = ossWorkspace(dev.server);
    const { owned } = await seedWorkspace(ws, { webhooks: false });
    const dir = workdir();

    const first = await cli(dir, ws, ["import", "--all", "."]);
    expect(first.code, output(first)).toBe(0);
    expect(first.stdout).toContain("webhooks: only Prefect Cloud serves them");
    const files = snapshot(dir);
    const state = readState(dir);
    expect(Object.keys(state.resources)).toHaveLength(owned.length);

    const again = await cli(dir, ws, ["import", "--all"]);
    expect(again.code, output(again)).toBe(0);
    expect(again.stdout).toContain("Nothing to import: the state already manages every object of the workspace");
    expect(snapshot(dir), "a run with nothing to import writes nothing").toEqual(files);

    // Something new: the first file is never overwritten, the new objects go where the user says.
    const fresh = await ok<{ id: string }>(ws.api.post("/variables/", { name: "v_new", value: "new" }), "new variable");
    const refused = await cli(dir, ws, ["import", "--all"]);
    expect(refused.code, output(refused)).toBe(1);
    expect(refused.stderr).toContain("imported.tf.json exists already");
    expect(refused.stderr).toContain("--out imported-2.tf.json");
    expect(snapshot(dir), "a refused run writes nothing").toEqual(files);

    const second = await cli(dir, ws, ["import", "--all", "--out", "imported-2.tf.json"]);
    expect(second.code, output(second)).toBe(0);
    expect(second.stdout).toContain("Imported 1 object into imported-2.tf.json");
    expect(readJson(join(dir, "imported-2.tf.json")).resource).toEqual({ prefect_variable: { v_new: { name: "v_new", value: "new" } } });
    expect(readJson(join(dir, "imported-2.tf.json"))).not.toHaveProperty("terraform");
    expect(existsSync(join(dir, "imported-2.auto.tfvars.json")), "no secrets, no secrets file").toBe(false);
    const after = snapshot(dir);
    for (const [name, content] of Object.entries(files)) if (!name.startsWith("prefect-gitops.state")) expect(after[name], name).toBe(content);
    const ids = Object.values(readState(dir).resources).map((entry) => entry.id);
    expect(ids.sort()).toEqual([...owned, fresh.id].sort());

    const plan = await cli(dir, ws, ["plan", "--detailed-exitcode"]);
    expect(plan.code, output(plan)).toBe(0);

    // A lost state is rebuilt from the configuration: every declared object is found again (by
    // natural key, or by content for automations and schedules), and nothing is written twice.
    const configuration = snapshot(dir);
    for (const name of readdirSync(dir)) if (name.startsWith("prefect-gitops.state")) rmSync(join(dir, name));
    const rebuilt = await cli(dir, ws, ["import", "--all"]);
    expect(rebuilt.code, output(rebuilt)).toBe(0);
    expect(rebuilt.stdout).toContain(`Recorded ${owned.length + 1} objects the configuration already declares`);
    expect(rebuilt.stdout).not.toContain("Imported");
    const { ["prefect-gitops.state.json"]: _state, ...rest } = snapshot(dir);
    const { ["prefect-gitops.state.json"]: _before, ...configurationOnly } = configuration;
    expect(rest).toEqual(configurationOnly);
    expect(Object.values(readState(dir).resources).map((entry) => entry.id).sort()).toEqual(ids.sort());
    for (const secret of SECRETS) expect(stateFilesText(dir), "the rebuilt state holds a secret").not.toContain(secret);
    const replanned = await cli(dir, ws, ["plan", "--detailed-exitcode"]);
    expect(replanned.code, output(replanned)).toBe(0);
  });

  it("records objects the configuration already declares under their address, and refers to them", async () => {
    const ws = freshCloud(dev.server);
    await ok(ws.api.post("/work_pools/", { name: "main-pool", type: "process" }), "pool");
    await ok(ws.api.post("/work_pools/main-pool/queues", { name: "q1" }), "queue");
    const variable = await ok<{ id: string }>(ws.api.post("/variables/", { name: "config_var", value: { a: 1 } }), "variable");
    const dir = workdir({
      "main.tf.json": JSON.stringify({
        resource: {
          prefect_work_pool: { main: { name: "main-pool", type: "process" } },
          prefect_variable: { config_var: { name: "config_var", value: { a: 1 } } },
        },
      }),
    });

    const result = await cli(dir, ws, ["import", "--all"]);
    expect(result.code, output(result)).toBe(0);
    expect(result.stdout).toContain("Recorded 2 objects the configuration already declares");
    const document = readJson(join(dir, "imported.tf.json"));
    expect(document).not.toHaveProperty("terraform");
    expect(Object.keys(document.resource).sort()).toEqual(["prefect_work_queue"]);
    expect(Object.values(document.resource.prefect_work_queue ?? {}).map((queue) => queue.work_pool_name)).toEqual(["${prefect_work_pool.main.name}", "${prefect_work_pool.main.name}"]);
    const state = readState(dir);
    expect(state.resources["prefect_variable.config_var"]?.id).toBe(variable.id);
    expect(state.resources["prefect_work_pool.main"]).toBeDefined();

    const plan = await cli(dir, ws, ["plan", "--detailed-exitcode"]);
    expect(plan.code, output(plan)).toBe(0);
  });

  it("gives generated resources names of their own beside the configuration's", async () => {
    const ws = freshCloud(dev.server);
    await ok(ws.api.post("/flows/", { name: "etl" }), "flow");
    await ok(ws.api.post("/flows/", { name: "ETL!" }), "flow 2");
    await ok(ws.api.post("/flows/", { name: "2024 report" }), "flow 3");
    await ok(ws.api.post("/automations/", { name: "same", trigger: { type: "event", posture: "Reactive", expect: ["a"] }, actions: [{ type: "do-nothing" }] }), "automation");
    await ok(ws.api.post("/automations/", { name: "same", trigger: { type: "event", posture: "Reactive", expect: ["b"] }, actions: [{ type: "do-nothing" }] }), "automation 2");
    // The configuration declares prefect_flow.etl for another flow, not yet created.
    const dir = workdir({ "main.tf.json": JSON.stringify({ resource: { prefect_flow: { etl: { name: "something-else" } } } }) });

    const result = await cli(dir, ws, ["import", "--all"]);
    expect(result.code, output(result)).toBe(0);
    const document = readJson(join(dir, "imported.tf.json"));
    expect(Object.entries(document.resource.prefect_flow ?? {}).map(([name, body]) => [name, body.name]).sort()).toEqual([
      ["etl_2", "etl"],
      ["etl_3", "ETL!"],
      ["flow_2024_report", "2024 report"],
    ]);
    expect(Object.keys(document.resource.prefect_automation ?? {}).sort()).toEqual(["same", "same_2"]);
    const plan = await cli(dir, ws, ["plan", "--detailed-exitcode"]);
    expect(plan.code, output(plan)).toBe(2);
    expect(plan.stdout).toContain("Plan: 1 to add, 0 to change, 0 to destroy.");
  });

  it("never imports what workspace states keep in the workspace (state blocks, lock limits and holders) nor what they own", async () => {
    const ws = freshCloud(dev.server);
    await ok(ws.api.post("/variables/", { name: "plain", value: 1 }), "variable");
    const dir = workdir();
    // Another state of the same workspace, left by another stack.
    const other = workdir({ "main.tf.json": JSON.stringify({ resource: { prefect_variable: { x: { name: "other-stack", value: 2 } } } }) });
    const applied = await cli(other, ws, ["apply", "--auto-approve", "--backend", "workspace", "--state-name", "other"]);
    expect(applied.code, output(applied)).toBe(0);

    const result = await cli(dir, ws, ["import", "--all", "--backend", "workspace"]);
    expect(result.code, output(result)).toBe(0);
    const document = readJson(join(dir, "imported.tf.json"));
    expect(Object.values(document.resource.prefect_variable ?? {}).map((variable) => variable.name)).toEqual(["plain"]);
    expect(result.stdout).toMatch(/variable "other-stack" \(id [0-9a-f-]+\): another prefect-gitops state owns it \(prefect_variable.x in the workspace state prefect-gitops-state-other\)/);
    expect(document.resource).not.toHaveProperty("prefect_block");
    expect(document.resource).not.toHaveProperty("prefect_global_concurrency_limit");
    expect(result.stdout).toMatch(/block "prefect-gitops-state\/prefect-gitops-state-other" \(id [0-9a-f-]+\): prefect-gitops keeps a workspace state or its lock in it/);
    expect(result.stdout).toMatch(/global concurrency limit "prefect-gitops-lock-default" \(id [0-9a-f-]+\): prefect-gitops keeps/);
    const plan = await cli(dir, ws, ["plan", "--detailed-exitcode", "--backend", "workspace"]);
    expect(plan.code, output(plan)).toBe(0);
  });

  it("import ADDRESS ID keeps what a declaration takes from a sensitive variable out of the state, as import --all does", async () => {
    const ws = freshCloud(dev.server);
    const variable = await ok<{ id: string }>(ws.api.post("/variables/", { name: "api_token", value: TOKEN }), "variable");
    const dir = workdir({
      "main.tf.json": JSON.stringify({ variable: { token: { type: "string", sensitive: true } }, resource: { prefect_variable: { token: { name: "api_token", value: "${var.token}" } } } }),
    });
    const result = await cli(dir, ws, ["import", "prefect_variable.token", variable.id], { TF_VAR_token: TOKEN });
    expect(result.code, output(result)).toBe(0);
    expect(stateFilesText(dir)).not.toContain(TOKEN);
    const plan = await cli(dir, ws, ["plan", "--detailed-exitcode"], { TF_VAR_token: TOKEN });
    expect(plan.code, output(plan)).toBe(0);
  });

  it.each([
    ["--out outside the directory", (dir: string) => ["import", "--all", ".", "--out", join(dir, "sub", "x.tf.json")], "is not in ."],
    ["--out that is not Terraform JSON", () => ["import", "--all", "--out", "imported.json"], "is not a Terraform JSON file name"],
    ["two directories", () => ["import", "--all", "a", "b"], "import --all takes one DIR at most"],
    ["--out without --all", () => ["import", "prefect_flow.x", "0b1c", "--out", "x.tf.json"], "--out is for import --all"],
    ["a directory that does not exist", () => ["import", "--all", "nowhere"], "nowhere is not a directory"],
  ])("refuses %s with exit 1 and writes nothing", async (_name, args, message) => {
    const dir = workdir();
    mkdirSync(join(dir, "sub"));
    const result = await cli(dir, ossWorkspace(dev.server), args(dir));
    expect(result.code, output(result)).toBe(1);
    expect(result.stderr).toContain(message);
    expect(readdirSync(dir)).toEqual(["sub"]);
    expect(readdirSync(join(dir, "sub"))).toEqual([]);
  });

  it("refuses a CDKTF project, whose synthesized stack would not see the imported file", async () => {
    const dir = workdir({ "cdk.tf.json": JSON.stringify({ resource: {} }) });
    const result = await cli(dir, ossWorkspace(dev.server), ["import", "--all"]);
    expect(result.code, output(result)).toBe(1);
    expect(result.stderr).toContain("holds a CDKTF project");
    expect(readdirSync(dir)).toEqual(["cdk.tf.json"]);
  });

  it("writes a secrets file the configuration reads by itself; without it the value comes from TF_VAR_, masked", async () => {
    const ws = freshCloud(dev.server);
    await createBlock(ws.api, "secret", "api-key", { value: "k3y-s3cr3t" });
    const dir = workdir({ ".gitignore": "node_modules\n" });
    const result = await cli(dir, ws, ["import", "--all"]);
    expect(result.code, output(result)).toBe(0);
    expect(readFileSync(join(dir, ".gitignore"), "utf8")).toBe("node_modules\n# Secret values written by prefect-gitops import --all: never commit them.\nimported.auto.tfvars.json\n");
    const [name] = Object.keys(readJson<Json>(join(dir, "imported.auto.tfvars.json")));
    // The engine reads the tfvars file beside the configuration: no changes.
    expect((await cli(dir, ws, ["plan", "--detailed-exitcode"])).code).toBe(0);
    // Without the file, the value must come from elsewhere; a different one is a change, masked.
    writeFileSync(join(dir, "imported.auto.tfvars.json"), "{}");
    const changed = await cli(dir, ws, ["plan", "--detailed-exitcode"], { [`TF_VAR_${name}`]: "another-value" });
    expect(changed.code, output(changed)).toBe(2);
    expect(output(changed)).not.toContain("another-value");
    expect(output(changed)).not.toContain("k3y-s3cr3t");
  });
});
