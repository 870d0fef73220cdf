// prefect_webhook (Prefect Cloud): a public URL that turns each request into a Prefect event
// through a Jinja2 template.
import { attr, objectAttributes, type SpecOf } from "../attributes.js";
import type { KindSchema, Spec } from "../kind.js";
import { webhookTemplateProblem } from "./template.js";

/** A declared webhook (derived from its attributes). */
export type WebhookSpec = SpecOf<typeof webhookAttributes> & Spec;

/** The Cloud account or workspace a webhook lives in: declared, or the provider's, read back from Prefect. */
const readBackScope = (what: "account" | "workspace") =>
  attr.string({
    description: `Prefect Cloud ${what} id (defaults to the provider's).`,
    computed: true,
    optional: true,
    forceNew: true,
    stable: true,
    format: "uuid",
  });

/** The webhook's attributes, with every Terraform fact: the spec type above is derived from them. */
const webhookAttributes = {
  ...objectAttributes(readBackScope),
  name: attr.string({
    description: "The webhook's name.",
    required: true,
    check: (name) => (name.length === 0 ? "must not be empty: Prefect Cloud requires a webhook name" : undefined),
  }),
  description: attr.string({ description: "What the webhook is for.", computed: true, default: "" }),
  enabled: attr.bool({ description: "Whether the webhook accepts requests; a disabled one answers 404.", computed: true, default: true }),
  template: attr.string({
    description:
      "The Jinja2 template rendering each request (`method`, `headers`, `body`) into the event's JSON. Compared exactly as written: use jsonencode() for a static event, or a template string for dynamic values.",
    required: true,
    check: webhookTemplateProblem,
  }),
  service_account_id: attr.string({
    description: "The service account whose API key callers must send (Authorization: Bearer ...); unset, the webhook is open to anyone with its URL.",
    optional: true,
    forceNew: true,
    format: "uuid",
  }),
  endpoint: attr.string({ description: "The webhook's public URL, e.g. `https://api.prefect.cloud/hooks/<slug>`.", computed: true }),
};

/** prefect_webhook's attributes and facts (Prefect Cloud only; no natural key). */
export const webhookSchema: KindSchema<WebhookSpec> = {
  type: "prefect_webhook",
  title: "webhook",
  noun: "webhook",
  description:
    "A Prefect Cloud webhook: a public URL (endpoint) that turns each request it receives into a Prefect event, rendered by a Jinja2 template from the request's method, headers and body.",
  version: 1,
  cloudOnly: true,
  attributes: webhookAttributes,
  // Webhook names are not unique: a webhook is found through the state, by id.
  identity: () => undefined,
  label: (spec) => `webhook "${spec.name}"`,
};
