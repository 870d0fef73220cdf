// The quickstart stack (`npm start`): what a small data team's Prefect workspace holds, declared
// once in code. The same objects are written as plain Terraform in ../hcl/main.tf.
//
//   PREFECT_API_URL=http://127.0.0.1:4200/api TF_VAR_slack_webhook_url=https://hooks.slack.com/... \
//     npx prefect-gitops apply examples/quickstart
//
// The engine runs this file (cdktf.json's "app"), reads what it synthesizes into cdktf.out/, and
// makes the workspace match. `cdktf synth` plus Terraform with the official prefecthq/prefect
// provider would do the same with the same output.
import {
  Action,
  App,
  Automation,
  Block,
  Deployment,
  Flow,
  GlobalConcurrencyLimit,
  PrefectProvider,
  Schedule,
  SecretValue,
  TerraformStack,
  Trigger,
  Variable,
  WorkPool,
} from "prefect-gitops";

const TEAM = "data-platform";

const app = new App();
const stack = new TerraformStack(app, "quickstart");

// No settings: the connection comes from PREFECT_API_URL / PREFECT_API_KEY or the active Prefect
// profile, exactly as for the Prefect CLI, so this stack runs unchanged against any workspace.
new PrefectProvider(stack, "prefect");

// A pool of `process` workers (`prefect worker start --pool etl-pool`). The base job template
// is Prefect's document: each {{ placeholder }} is a variable deployments may fill.
const pool = new WorkPool(stack, "pool", {
  name: "etl-pool",
  type: "process",
  description: `Workers for the ${TEAM} ETL flows`,
  baseJobTemplate: {
    job_configuration: { command: "{{ command }}", env: "{{ env }}" },
    variables: {
      properties: {
        command: { type: "string", default: "" },
        env: { type: "object", default: {} },
      },
    },
  },
});
// Workers poll a pool's queues by priority, 1 first. Prefect makes every pool with a `default`
// queue at priority 1 (runs that name no queue go there); it stays undeclared, as the official
// Terraform provider cannot adopt it, and these queues come after it.
const standard = pool.addQueue("standard", { priority: 2 });
const critical = pool.addQueue("critical", { priority: 3, concurrencyLimit: 5 });

// Flows are usually registered by the code that defines them; declaring one sets its tags and
// lets both deployments refer to it.
const etl = new Flow(stack, "etl", { name: "etl", tags: [TEAM] });

// The nightly incremental load, and a full backfill that only runs when asked to (or when the
// automation below starts it). Parameters are plain objects: Prefect gets them as JSON.
const nightly = new Deployment(stack, "nightly", {
  name: "nightly",
  flow: etl,
  workQueue: standard, // the queue brings its pool
  entrypoint: "flows/etl.py:etl",
  tags: ["nightly"],
  parameters: { source: "s3://raw/events", full: false },
});
// A slug names the schedule (and its address), so adding another schedule later moves nothing.
nightly.addSchedule(Schedule.cron("0 2 * * *"), { timezone: "Europe/Paris", slug: "nightly" });

const backfill = new Deployment(stack, "backfill", {
  name: "backfill",
  flow: etl,
  workQueue: critical,
  entrypoint: "flows/etl.py:etl",
  concurrencyLimit: 1, // never two backfills at once
  parameters: { source: "s3://raw/events", full: true },
});
// Hourly, but off for now: flip `active` to true, apply, and the backfill runs every hour.
backfill.addSchedule(Schedule.interval({ hours: 1 }), { slug: "hourly", active: false });

// A secret the flows read with `Secret.load("etl-alerts").get()`. The value is never in this
// file nor in cdk.tf.json: it is the sensitive Terraform variable `slack_webhook_url`, given
// when the plan runs (TF_VAR_slack_webhook_url). `npm start` sets a placeholder when it is unset.
Block.secret(stack, "slack", {
  name: "etl-alerts",
  value: SecretValue.fromEnvironment("slack_webhook_url", { description: "Where ETL failure notifications go (set TF_VAR_slack_webhook_url)." }),
});

// A setting the flows read at run time with `Variable.get("etl_retention_days")`.
new Variable(stack, "retention-days", { name: "etl_retention_days", value: 30 });

// At most 10 tasks hold a warehouse connection at once, across every flow:
// `with concurrency("warehouse-connections"): ...`
new GlobalConcurrencyLimit(stack, "warehouse", { name: "warehouse-connections", limit: 10 });

// When a nightly run fails or crashes, start the backfill with a full refresh. The trigger
// names the nightly deployment and the action the backfill: both become references, so the
// automation is created after them, with their ids.
new Automation(stack, "backfill-on-failure", {
  name: "backfill-when-nightly-fails",
  description: "Run the backfill deployment when the nightly one fails",
  trigger: Trigger.flowRunState(nightly, ["Failed", "Crashed"]),
  actions: [Action.runDeployment(backfill, { parameters: { full: true } })],
});

app.synth();
