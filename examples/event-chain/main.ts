// An event chain: when an `ingest` run completes, Prefect starts `transform` for the same data.
// No orchestrating flow and no polling: an automation listens for the ingest run's Completed
// event and runs the transform deployment, passing the ingest run's own parameters through
// Jinja templates that Prefect renders when the automation fires.
//
//   PREFECT_API_URL=http://127.0.0.1:4200/api npx prefect-gitops apply examples/event-chain
import { Action, App, Automation, Deployment, PrefectProvider, Schedule, TerraformStack, Trigger, WorkPool } from "prefect-gitops";

const app = new App();
const stack = new TerraformStack(app, "event-chain");
new PrefectProvider(stack, "prefect");

const pool = new WorkPool(stack, "pool", { name: "lakehouse", type: "process", concurrencyLimit: 8 });

// A: lands the day's files from the vendor's bucket. Scheduled every morning; people also run
// it by hand for another day or source, and the transform must follow whatever it was given.
const ingest = new Deployment(stack, "ingest", {
  name: "daily",
  flowName: "ingest-orders",
  workPool: pool,
  entrypoint: "flows/ingest.py:ingest_orders",
  parameters: { source: "s3://vendor-drop/orders", run_date: "today", layer: "bronze" },
  tags: ["orders", "ingest"],
});
ingest.addSchedule(Schedule.cron("30 5 * * *"), { slug: "morning", timezone: "Europe/Berlin" });

// B: builds the silver and gold tables from what A landed. Never scheduled: A's completion is
// its trigger. Its parameters here are the defaults for a manual run.
const transform = new Deployment(stack, "transform", {
  name: "after-ingest",
  flowName: "transform-orders",
  workPool: pool,
  entrypoint: "flows/transform.py:transform_orders",
  parameters: { source: "s3://vendor-drop/orders", run_date: "today", upstream_flow_run_id: "" },
  tags: ["orders", "transform"],
});

// The link. Trigger.flowRunState matches Prefect's `prefect.flow-run.Completed` events whose
// related deployment is `ingest` (its id, known once it exists: a reference). In the action's
// parameters, `flow_run` is the run that completed; Prefect renders each template when the
// automation fires, so `transform` gets exactly the source and date `ingest` ran with.
new Automation(stack, "ingest-then-transform", {
  name: "transform orders after ingest",
  description: "When ingest-orders/daily completes, run transform-orders/after-ingest on the same data",
  trigger: Trigger.flowRunState(ingest, ["Completed"]),
  actions: [
    Action.runDeployment(transform, {
      parameters: {
        source: "{{ flow_run.parameters.source }}",
        run_date: "{{ flow_run.parameters.run_date }}",
        upstream_flow_run_id: "{{ flow_run.id }}",
      },
    }),
  ],
});

app.synth();
