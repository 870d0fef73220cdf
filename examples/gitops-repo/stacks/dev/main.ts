// The dev workspace, as a CDKTF app. In GitOps it is synthesized in a child process that sees no
// Prefect key and no GitHub token: the connection comes from the variables prefect-gitops.yaml
// names, and the engine, not this code, talks to Prefect.
import { App, Deployment, Flow, PrefectProvider, Schedule, TerraformStack, Variable, WorkPool } from "prefect-gitops";

const app = new App();
const stack = new TerraformStack(app, "dev");
new PrefectProvider(stack, "prefect");

const pool = new WorkPool(stack, "pool", { name: "dev-pool", type: "process" });
const etl = new Flow(stack, "etl", { name: "etl" });

// No version declared: each merge that changes it records its commit SHA as the version.
const nightly = new Deployment(stack, "nightly", {
  name: "nightly",
  flow: etl,
  workPool: pool,
  entrypoint: "flows/etl.py:etl",
  parameters: { source: "s3://raw-dev/events" },
});
nightly.addSchedule(Schedule.cron("0 3 * * *"), { timezone: "UTC", slug: "nightly" });

new Variable(stack, "retention", { name: "retention_days", value: 7 });

app.synth();
