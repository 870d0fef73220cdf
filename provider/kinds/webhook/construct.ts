// The Webhook construct (Prefect Cloud): a public URL turning each request into a Prefect
// event through a Jinja2 template, given as an object (written as its JSON text) or a string.
import { Construct } from "../../cdk.js";
import type { JsonObject } from "../../constructs/json.js";
import { propProblems } from "../../constructs/prop-problems.js";
import { containsToken, jsonAttribute, validateAtSynth } from "../../constructs/support.js";
import { Webhook as WebhookL1 } from "../../generated/prefect/webhook/index.js";
import { webhookSchema } from "./schema.js";

/** Properties of a {@link Webhook}. */
export interface WebhookProps {
  /** The webhook's name. */
  readonly name: string;

  /**
   * The event each request becomes: an object (its strings may be Jinja2 templates over
   * `method`, `headers` and `body`, e.g. `"{{ body.order_id }}"`), or the template as a string
   * when it must produce something an object cannot express (unquoted values, loops).
   */
  readonly template: string | JsonObject;

  /**
   * What the webhook is for.
   *
   * @default ""
   */
  readonly description?: string;

  /**
   * Whether the webhook accepts requests; a disabled one answers 404.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * The service account whose API key callers must send (Authorization: Bearer ...). Changing
   * it replaces the webhook (and its URL).
   *
   * @default - none: anyone with the URL may call it
   */
  readonly serviceAccountId?: string;
}

/**
 * A Prefect Cloud webhook: a public URL (`endpoint`) that turns each request it receives into a
 * Prefect event, which automations can react to.
 *
 * @example
 * const orders = new Webhook(stack, "orders", {
 *   name: "shop orders",
 *   template: { event: "shop.order.created", resource: { "prefect.resource.id": "shop.order.{{ body.id }}", "prefect.resource.name": "{{ body.customer }}" } },
 * });
 * new TerraformOutput(stack, "orders-url", { value: orders.endpoint });
 */
export class Webhook extends Construct {
  /** The webhook's id: a reference (`${prefect_webhook.<id>.id}`), known once it exists. */
  public readonly webhookId: string;

  /** The webhook's public URL (`https://api.prefect.cloud/hooks/...`), known once it exists. */
  public readonly endpoint: string;

  /** The webhook's name: a reference to the declared name. */
  public readonly webhookName: string;

  constructor(scope: Construct, id: string, props: WebhookProps) {
    super(scope, id);
    const template = typeof props.template === "string" ? props.template : jsonAttribute(props.template);
    // Named "Default" so that the Terraform address is the construct's own (prefect_webhook.<id>)
    // and the resource is node.defaultChild, the escape hatch.
    const resource = new WebhookL1(this, "Default", {
      name: props.name,
      template,
      description: props.description,
      enabled: props.enabled,
      serviceAccountId: props.serviceAccountId,
    });
    this.webhookId = resource.id;
    this.endpoint = resource.endpoint;
    this.webhookName = resource.name;
    validateAtSynth(this, () =>
      propProblems(webhookSchema, {
        name: props.name,
        // A template holding references is checked by the engine once their values are known; a
        // stand-in of the right kind keeps the other rules checked here.
        template: containsToken(props.template) ? "{}" : template,
        description: props.description,
        enabled: props.enabled,
        service_account_id: props.serviceAccountId,
      }),
    );
  }
}
