// Prefect Cloud webhooks: the workspace API (`/webhooks/...`, Cloud prefix only) and the public
// endpoint `/hooks/{slug}` at the server root, which renders the webhook's Jinja2 template
// against the request and records the resulting event in the webhook's workspace.
//
// Sources for Cloud's behaviour: the webhooks concept page (docs/v3/concepts/webhooks.mdx in
// PrefectHQ/prefect), the Cloud events reference (docs/v3/api-ref/events/cloud-events.mdx), the
// Prefect CLI (src/prefect/cli/cloud/webhook.py) and the Terraform provider's client
// (PrefectHQ/terraform-provider-prefect internal/client/webhooks.go).
import { randomBytes } from "node:crypto";
import { Contract } from "../../contract/validator.js";
import { webhooks, type WebhookEntity } from "../collections.js";
import { criteriaAt, found, matches, page, sortBy, stamp, timestamp } from "../filters.js";
import { created, HttpError, invalidField, invalidUuidParam, noContent, ok, unprocessable, UUID_PATTERN, type Reply } from "../http.js";
import type { RequestContext, Router } from "../router.js";
import type { Workspace } from "../store.js";
import { eventFromRendered, InvalidEventError, templateBody, templateHeaders } from "./webhook-event.js";
import { renderTemplate, TemplateError, templateProblem } from "./webhook-template.js";

const CLOUD_ONLY = { cloudOnly: true } as const;

/** Every HTTP method Prefect Cloud accepts on a webhook endpoint. */
const HOOK_METHODS = ["GET", "HEAD", "DELETE", "POST", "PUT", "PATCH"];

type WebhookFields = Pick<WebhookEntity, "name" | "description" | "enabled" | "template" | "service_account_id">;

/** The resource id Prefect Cloud gives a webhook in events (`prefect-cloud.webhook.<id>`). */
function webhookResourceId(hook: { id: string }): string {
  return `prefect-cloud.webhook.${hook.id}`;
}

/** A slug nobody has, in any workspace: 16 random bytes, URL-safe (`AERylZ_uewzpDx-8fcweHQ`). */
function newSlug(ctx: RequestContext): string {
  for (;;) {
    const slug = randomBytes(16).toString("base64url");
    if (!findBySlug(ctx, slug)) return slug;
  }
}

/** The webhook with this slug and the workspace it lives in, searching every workspace. */
function findBySlug(ctx: RequestContext, slug: string): { hook: WebhookEntity; workspace: Workspace } | undefined {
  const store = ctx.services.store;
  for (const key of store.workspaceKeys()) {
    const workspace = store.workspace(key);
    const hook = webhooks(workspace).getByKey(slug);
    if (hook) return { hook, workspace };
  }
  return undefined;
}

/** Refuse a template Jinja2 could not parse, as a 422 on `template` (the contract already checked its type). */
function checkTemplate(fields: WebhookFields, body: unknown): void {
  const problem = templateProblem(fields.template);
  if (problem) {
    throw invalidField(["body", "template"], `Value error, 'template' is not a valid template: ${problem}`, fields.template, body);
  }
}

function fieldsOf(body: WebhookFields): WebhookFields {
  return {
    name: body.name,
    description: body.description,
    enabled: body.enabled,
    template: body.template,
    service_account_id: body.service_account_id ?? null,
  };
}

function readHook(ctx: RequestContext): WebhookEntity {
  const id = ctx.params.id ?? "";
  // Routes outside the contract (PATCH, rotate) get no path check from the server.
  if (!UUID_PATTERN.test(id)) throw invalidUuidParam("id", id, ctx.body ?? null);
  return found(webhooks(ctx.workspace).get(id), "Webhook not found.");
}

function save(ctx: RequestContext, existing: WebhookEntity, changes: Partial<WebhookEntity>): WebhookEntity {
  return webhooks(ctx.workspace).put({ ...existing, ...changes, updated: timestamp(ctx.now) });
}

function createWebhook(ctx: RequestContext): Reply {
  const fields = fieldsOf(ctx.body as WebhookFields);
  checkTemplate(fields, ctx.body);
  const hook: WebhookEntity = { ...stamp(ctx), ...fields, slug: newSlug(ctx) };
  // Cloud answers with the account and workspace ids; the devserver only has them when the
  // Cloud prefix was addressed with real UUIDs.
  if (ctx.cloud && UUID_PATTERN.test(ctx.cloud.accountId)) hook.account = ctx.cloud.accountId.toLowerCase();
  if (ctx.cloud && UUID_PATTERN.test(ctx.cloud.workspaceId)) hook.workspace = ctx.cloud.workspaceId.toLowerCase();
  return created(webhooks(ctx.workspace).put(hook));
}

function readWebhooks(ctx: RequestContext): Reply {
  const names = criteriaAt(ctx.body, "webhooks", "name");
  const selected = webhooks(ctx.workspace).filter((hook) => matches(hook.name, names));
  const sorted = sortBy(selected, "NAME_ASC", { NAME_ASC: (hook) => `${hook.name}\u0000${hook.created ?? ""}` });
  return ok(page(sorted, ctx));
}

function updateWebhook(ctx: RequestContext): Reply {
  const existing = readHook(ctx);
  const fields = fieldsOf(ctx.body as WebhookFields);
  checkTemplate(fields, ctx.body);
  save(ctx, existing, fields);
  return noContent();
}

/**
 * `PATCH /webhooks/{id}`: change only the fields given (the Prefect CLI's `webhook toggle`
 * sends `{"enabled": false}`). Cloud serves it though the contract does not declare it, so the
 * body is checked here, as the whole object it produces.
 */
function patchWebhook(ctx: RequestContext): Reply {
  const existing = readHook(ctx);
  const patch = ctx.body ?? {};
  if (typeof patch !== "object" || Array.isArray(patch) || patch === null) {
    throw invalidField(["body"], "Input should be a valid dictionary", patch, patch, "dict_type");
  }
  const merged: Record<string, unknown> = { ...fieldsOf(existing), ...patch };
  const result = Contract.load("cloud").validateSchema("WebhookUpdate", merged, { lax: true, loc: ["body"] });
  if (!result.ok) throw unprocessable(result.issues, patch);
  const fields = fieldsOf(merged as unknown as WebhookFields);
  checkTemplate(fields, patch);
  save(ctx, existing, fields);
  return noContent();
}

/** `POST /webhooks/{id}/rotate`: a new slug, so the old URL stops working (`prefect cloud webhook rotate`). */
function rotateWebhook(ctx: RequestContext): Reply {
  const existing = readHook(ctx);
  return ok(save(ctx, existing, { slug: newSlug(ctx) }));
}

function deleteWebhook(ctx: RequestContext): Reply {
  const hook = readHook(ctx);
  webhooks(ctx.workspace).delete(hook.id);
  return noContent();
}

/** Webhook management, served only under the Prefect Cloud prefix (404 on the open-source paths). */
export function registerWebhooksRoutes(router: Router): void {
  router.post("/webhooks/", createWebhook, CLOUD_ONLY);
  router.post("/webhooks/filter", readWebhooks, CLOUD_ONLY);
  router.get("/webhooks/{id}", (ctx) => ok(readHook(ctx)), CLOUD_ONLY);
  router.put("/webhooks/{id}", updateWebhook, CLOUD_ONLY);
  router.patch("/webhooks/{id}", patchWebhook, CLOUD_ONLY);
  router.delete("/webhooks/{id}", deleteWebhook, CLOUD_ONLY);
  router.post("/webhooks/{id}/rotate", rotateWebhook, CLOUD_ONLY);
}

/**
 * Azure Event Grid proves endpoint ownership with a SubscriptionValidation event; Prefect
 * Cloud answers it with the validation code instead of producing an event.
 */
function eventGridValidation(ctx: RequestContext, body: unknown): Reply | undefined {
  if (String(ctx.headers["aeg-event-type"] ?? "").toLowerCase() !== "subscriptionvalidation") return undefined;
  const first = Array.isArray(body) ? (body[0] as { data?: { validationCode?: unknown } } | undefined) : undefined;
  const code = first?.data?.validationCode;
  return typeof code === "string" ? ok({ validationResponse: code }) : undefined;
}

/**
 * A webhook with a service account needs `Authorization: Bearer <that account's API key>`.
 * The devserver has no service accounts and so no keys to compare with: any non-empty bearer
 * token is accepted, and a missing or empty one is refused as Cloud refuses a wrong key.
 */
function authorized(ctx: RequestContext, hook: WebhookEntity): boolean {
  if (!hook.service_account_id) return true;
  const header = ctx.headers.authorization ?? "";
  return /^Bearer\s+\S+/i.test(header);
}

function invokeWebhook(ctx: RequestContext): Reply {
  const located = findBySlug(ctx, ctx.params.slug ?? "");
  // Cloud's endpoints are "deliberately quiet": a disabled webhook looks like a missing one.
  if (!located || !located.hook.enabled) throw new HttpError(404, { detail: "Not Found" });
  const { hook, workspace } = located;
  if (!authorized(ctx, hook)) {
    throw new HttpError(401, { detail: "This webhook requires an API key: send Authorization: Bearer <service account API key>." });
  }

  const rawBody = ctx.rawBody;
  const headers = templateHeaders(ctx.headers);
  const body = templateBody(rawBody, ctx.headers["content-type"]);
  const validation = eventGridValidation(ctx, body);
  if (validation) return validation;

  const webhookResource = { "prefect.resource.id": webhookResourceId(hook), "prefect.resource.name": hook.name };
  const request = { method: ctx.method, headers, body: rawBody };
  let rendered: string | undefined;
  try {
    rendered = renderTemplate(hook.template, { method: ctx.method, headers, body }, ctx.now);
    const event = eventFromRendered(rendered, {
      now: ctx.now,
      newId: () => ctx.services.newId(),
      payload: request,
      related: { ...webhookResource, "prefect.resource.role": "webhook" },
    });
    ctx.services.emitEvent(workspace, event);
    return noContent();
  } catch (error) {
    if (!(error instanceof TemplateError) && !(error instanceof InvalidEventError)) throw error;
    // Cloud answers only 400 to the caller and explains itself in the workspace's event feed.
    const now = timestamp(ctx.now);
    ctx.services.emitEvent(workspace, {
      id: ctx.services.newId(),
      occurred: now,
      event: "prefect-cloud.webhook.failed",
      resource: webhookResource,
      related: [],
      payload: { ...request, ...(rendered === undefined ? {} : { rendered }), error: error.message },
      follows: null,
      received: now,
    });
    throw new HttpError(400, { detail: error.message });
  }
}

/**
 * `/hooks/{slug}` at the server root, for every method Cloud accepts (GET, HEAD, DELETE,
 * POST, PUT, PATCH): render the webhook's template against the request, record the event in
 * the webhook's workspace and answer 204; answer 400 (and record a
 * `prefect-cloud.webhook.failed` event) when the template fails or renders no valid event.
 */
export function registerWebhookEndpoint(router: Router): void {
  for (const method of HOOK_METHODS) router.add(method, "/hooks/{slug}", invokeWebhook, { rawBody: true });
}
