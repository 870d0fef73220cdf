// Alerting for a production deployment, as code: a Slack notification block and automations
// for failed, crashed and late runs, plus a metric trigger on the success rate. Metric triggers
// exist only in Prefect Cloud, so this stack targets a Cloud workspace:
//
//   export PREFECT_API_URL=https://api.prefect.cloud/api/accounts/<account-id>/workspaces/<workspace-id>
//   export PREFECT_API_KEY=pnu_...
//   export TF_VAR_SLACK_WEBHOOK_URL=https://hooks.slack.com/services/...
//   npx prefect-gitops apply examples/alerts
import { Action, App, Automation, Block, Deployment, PrefectProvider, Schedule, SecretValue, TerraformStack, Trigger, WorkPool } from "prefect-gitops";

const app = new App();
const stack = new TerraformStack(app, "alerts");

// No settings: the Cloud workspace comes from PREFECT_API_URL (a workspace URL, as
// `prefect cloud login` writes into the Prefect profile) and the key from PREFECT_API_KEY, so
// the same stack can be pointed at a staging workspace first. Nothing here names a workspace.
new PrefectProvider(stack, "prefect");

// What is being watched: the nightly billing export.
const pool = new WorkPool(stack, "pool", { name: "billing", type: "process" });
const exportDeployment = new Deployment(stack, "export", {
  name: "nightly",
  flowName: "billing-export",
  workPool: pool,
  entrypoint: "flows/billing.py:export_invoices",
  parameters: { target: "s3://finance/invoices" },
  tags: ["billing", "tier-1"],
});
exportDeployment.addSchedule(Schedule.cron("15 1 * * *"), { slug: "nightly", timezone: "UTC" });

// Where alerts go. The incoming-webhook URL is a credential (whoever has it can post to the
// channel): it is the sensitive variable SLACK_WEBHOOK_URL, read from TF_VAR_SLACK_WEBHOOK_URL
// when the plan runs, never written into cdk.tf.json or the state.
const slack = Block.slackWebhook(stack, "slack", {
  name: "billing-alerts",
  url: SecretValue.fromEnvironment("SLACK_WEBHOOK_URL", { description: "The #billing-alerts incoming webhook (set TF_VAR_SLACK_WEBHOOK_URL)." }),
  notifyType: "failure",
});

// Subjects and bodies are Jinja templates Prefect renders when the automation fires: `flow_run`,
// `deployment`, `flow` and `event` are the objects the triggering event is about.
const runDetails = "Flow run {{ flow_run.name }} of {{ deployment.name }} is {{ flow_run.state.name }}: {{ flow_run|ui_url }}";

new Automation(stack, "failed", {
  name: "billing export failed",
  trigger: Trigger.flowRunState(exportDeployment, ["Failed"]),
  actions: [Action.sendNotification(slack, { subject: "Billing export failed", body: runDetails })],
});

// A crash is the infrastructure's fault (a pod evicted, a worker killed), not the code's: the
// run is retried once by running the deployment again, and the channel is told.
new Automation(stack, "crashed", {
  name: "billing export crashed",
  trigger: Trigger.flowRunState(exportDeployment, ["Crashed"]),
  actions: [
    Action.sendNotification(slack, { subject: "Billing export crashed, retrying", body: runDetails }),
    Action.runDeployment(exportDeployment),
  ],
});

// Late: the scheduled start passed and no worker picked the run up (workers down, pool paused).
new Automation(stack, "late", {
  name: "billing export late",
  trigger: Trigger.deploymentLate(exportDeployment),
  actions: [Action.sendNotification(slack, { subject: "Billing export is late", body: "{{ flow_run.name }} was due at {{ flow_run.expected_start_time }} and has not started. Are the billing workers up?" })],
});

// A metric trigger (Prefect Cloud): fewer than 90% of the export's runs succeeded over the last
// day, for 30 minutes. It fires once when the rate drops and resolves when it recovers, so the
// channel hears about both.
new Automation(stack, "success-rate", {
  name: "billing export success rate below 90%",
  trigger: Trigger.metric({
    metric: "successes",
    operator: "<",
    threshold: 0.9,
    range: { days: 1 },
    firingFor: { minutes: 30 },
    match: { "prefect.resource.id": "prefect.flow-run.*" },
    matchRelated: { "prefect.resource.role": "deployment", "prefect.resource.id": `prefect.deployment.${exportDeployment.deploymentId}` },
  }),
  actionsOnTrigger: [Action.sendNotification(slack, { subject: "Billing export success rate below 90%", body: "Less than 90% of billing export runs succeeded in the last 24 hours." })],
  actionsOnResolve: [Action.sendNotification(slack, { subject: "Billing export success rate recovered", body: "The billing export success rate is back above 90%." })],
});

app.synth();
