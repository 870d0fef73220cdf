// Your Prefect workspace, declared once. `npx prefect-gitops plan` shows what would change,
// `npx prefect-gitops apply` makes the workspace match. The connection comes from PREFECT_API_URL
// and PREFECT_API_KEY (or your Prefect profile), as for the Prefect CLI.
import { Action, App, Automation, Deployment, Flow, PrefectProvider, Schedule, TerraformStack, Trigger, WorkPool } from "prefect-gitops";

const app = new App();
const stack = new TerraformStack(app, "prefect");

new PrefectProvider(stack, "prefect");

// Workers started with `prefect worker start --pool default-pool` run this pool's flow runs.
const pool = new WorkPool(stack, "pool", { name: "default-pool", type: "process" });
// Prefect gives every pool a `default` queue; this one comes after it.
const queue = pool.addQueue("scheduled", { priority: 2 });

const flow = new Flow(stack, "hello", { name: "hello" });

// The code lives in flows/hello.py (function `hello`) of the repository the workers pull.
const daily = new Deployment(stack, "daily", {
  name: "daily",
  flow,
  workQueue: queue,
  entrypoint: "flows/hello.py:hello",
  parameters: { name: "world" },
});
daily.addSchedule(Schedule.cron("0 6 * * *"), { timezone: "UTC", slug: "every-morning" });

// When a daily run fails, try once more.
new Automation(stack, "retry-on-failure", {
  name: "retry-daily-on-failure",
  trigger: Trigger.flowRunState(daily, ["Failed"]),
  actions: [Action.runDeployment(daily)],
});

app.synth();
