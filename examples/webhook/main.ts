// From an HTTP call to a flow run: the ML platform calls a Prefect Cloud webhook when a model
// needs refreshing, the webhook turns the call into a Prefect event, and an automation runs the
// refresh deployment for that model. Webhooks exist only in Prefect Cloud:
//
//   export PREFECT_API_URL=https://api.prefect.cloud/api/accounts/<account-id>/workspaces/<workspace-id>
//   export PREFECT_API_KEY=pnu_...
//   npx prefect-gitops apply examples/webhook
//   npx prefect-gitops state show prefect_webhook.model-refresh --dir examples/webhook   # its endpoint
//   curl -X POST https://api.prefect.cloud/hooks/<slug> \
//     -H 'content-type: application/json' -d '{"model": "churn", "version": "7", "requested_by": "mlflow"}'
import { Action, App, Automation, Deployment, PrefectProvider, TerraformOutput, TerraformStack, Trigger, Webhook, WorkPool } from "prefect-gitops";

const app = new App();
const stack = new TerraformStack(app, "webhook");

// No settings: the Cloud workspace comes from PREFECT_API_URL (a workspace URL) and the key
// from PREFECT_API_KEY, as for the Prefect CLI.
new PrefectProvider(stack, "prefect");

const pool = new WorkPool(stack, "pool", { name: "ml-training", type: "process", concurrencyLimit: 2 });
const refresh = new Deployment(stack, "refresh", {
  name: "on-request",
  flowName: "refresh-model",
  workPool: pool,
  entrypoint: "flows/models.py:refresh_model",
  parameters: { model: "churn", version: "latest", requested_by: "manual" },
  concurrencyLimit: 1, // one refresh at a time; a request arriving meanwhile waits its turn
  tags: ["ml"],
});

// The event each call becomes. Strings are Jinja templates over the request (`body`, `headers`,
// `method`); the webhook renders them when a call arrives. The model becomes the event's
// resource, so automations can select models by id (`ml.model.*`, `ml.model.churn`). Values are
// placed between quotes: a field that may hold quotes needs a string template with `| tojson`.
const hook = new Webhook(stack, "model-refresh", {
  name: "model-refresh",
  description: "Called by the ML platform when a model's training data or code changed",
  template: {
    event: "ml.model.refresh-requested",
    resource: {
      "prefect.resource.id": "ml.model.{{ body.model }}",
      "prefect.resource.name": "{{ body.model }}",
    },
    payload: { version: "{{ body.version }}", requested_by: "{{ body.requested_by }}" },
  },
});

// React to every refresh request, for any model: run the deployment with the model and the
// version taken from the event the webhook recorded.
new Automation(stack, "refresh-on-request", {
  name: "refresh model on request",
  trigger: Trigger.event({ expect: ["ml.model.refresh-requested"], match: { "prefect.resource.id": "ml.model.*" } }),
  actions: [
    Action.runDeployment(refresh, {
      parameters: {
        model: "{{ event.resource.name }}",
        version: "{{ event.payload.version }}",
        requested_by: "{{ event.payload.requested_by }}",
      },
    }),
  ],
});

// The URL to give the ML platform (https://api.prefect.cloud/hooks/<slug>), known once the
// webhook exists: `terraform output` shows it; with prefect-gitops, `state show` (above).
new TerraformOutput(stack, "model-refresh-url", { value: hook.endpoint });

app.synth();
