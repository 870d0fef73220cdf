// prefect_webhook through the Prefect Cloud API: /webhooks/ in the workspace; the public URL
// is /hooks/<slug> at the API's origin.
import type { components } from "../../../contract/wire.gen.js";
import { filterAll } from "../../client/paginate.js";
import type { Kind, KindContext } from "../kind.js";
import { cloudScopeOf, createSafely, deleteIgnoringMissing, orUndefined, readBack } from "../runtime.js";
import { webhookSchema, type WebhookSpec } from "./schema.js";

type WebhookResponse = components["schemas"]["Webhook"];
type WebhookCreate = components["schemas"]["WebhookCreate"];
type WebhookUpdate = components["schemas"]["WebhookUpdate"];

/** A webhook as read, with its public URL (the API gives only the slug). */
export type Webhook = WebhookResponse & { endpoint: string };

/**
 * How far behind ours the server's clock may be when telling a webhook a create made from an
 * older one by its `created` time.
 */
export const CLOCK_SKEW_MS = 5 * 60_000;

function liveOf(ctx: KindContext, raw: WebhookResponse): Webhook {
  const scope = cloudScopeOf(ctx.client);
  return {
    ...raw,
    // Cloud names the account and workspace; if an answer does not, it is the one the client addresses.
    ...(raw.account === undefined && scope.account_id ? { account: scope.account_id } : {}),
    ...(raw.workspace === undefined && scope.workspace_id ? { workspace: scope.workspace_id } : {}),
    endpoint: `${new URL(ctx.client.settings.baseUrl).origin}/hooks/${raw.slug}`,
  };
}

async function named(ctx: KindContext, name: string): Promise<Webhook[]> {
  const found = await filterAll<WebhookResponse>(ctx.client, "/webhooks/filter", { webhooks: { name: { any_: [name] } } });
  return found.filter((hook) => hook.name === name).map((raw) => liveOf(ctx, raw));
}

/** What a create knows before its first attempt, to recognise the webhook it made. */
export interface WebhookCreateAttempt {
  spec: WebhookSpec;
  /** Ids of the webhooks with the same name that existed before the create began. */
  known: ReadonlySet<string>;
  /** When the create began (milliseconds since the epoch, our clock). */
  startedAt: number;
}

/**
 * The webhook a create made, among live ones: the content it sent (name, template exactly,
 * description, enabled, service account), not one that existed before the create began, and
 * created no earlier than it began (allowing for clock skew). Webhooks have no natural key,
 * so this is the only way to tell whether an attempt whose answer was lost made one. When
 * several match, the earliest.
 */
export function webhookMadeBy(attempt: WebhookCreateAttempt, candidates: readonly Webhook[]): Webhook | undefined {
  const { spec, known, startedAt } = attempt;
  const matches = candidates.filter((hook) => {
    if (known.has(hook.id)) return false;
    const created = Date.parse(hook.created ?? "");
    // Without a creation time the snapshot of known ids is the only evidence, and enough.
    if (!Number.isNaN(created) && created < startedAt - CLOCK_SKEW_MS) return false;
    return (
      hook.name === spec.name &&
      hook.template === spec.template &&
      hook.description === spec.description &&
      hook.enabled === spec.enabled &&
      (hook.service_account_id ?? undefined) === spec.service_account_id
    );
  });
  const createdAt = (hook: Webhook): number => Date.parse(hook.created ?? "") || Number.POSITIVE_INFINITY;
  return matches.sort((a, b) => createdAt(a) - createdAt(b) || 0)[0];
}

/** prefect_webhook: schema, and CRUD through Prefect Cloud's `/webhooks/`. */
export const webhookKind: Kind<WebhookSpec, Webhook> = {
  ...webhookSchema,

  list: async (ctx) => (await filterAll<WebhookResponse>(ctx.client, "/webhooks/filter")).map((raw) => liveOf(ctx, raw)),

  read: async (ctx, id) => {
    const raw = await orUndefined(ctx.client.get<WebhookResponse>(`/webhooks/${id}`));
    return raw && liveOf(ctx, raw);
  },

  // No natural key: a declared webhook is found through the state, by id.
  find: async () => undefined,

  create: async (ctx, spec) => {
    const body: WebhookCreate = {
      name: spec.name,
      description: spec.description,
      enabled: spec.enabled,
      template: spec.template,
      ...(spec.service_account_id !== undefined ? { service_account_id: spec.service_account_id } : {}),
    };
    const startedAt = Date.now();
    const known = new Set((await named(ctx, spec.name)).map((hook) => hook.id));
    return createSafely({
      attempt: async () => liveOf(ctx, await ctx.client.post<WebhookResponse>("/webhooks/", body)),
      lookup: async () => webhookMadeBy({ spec, known, startedAt }, await named(ctx, spec.name)),
    });
  },

  update: async (ctx, id, spec) => {
    // PUT replaces the whole webhook; the service account is force-new, so it is unchanged here.
    const body: WebhookUpdate = {
      name: spec.name,
      description: spec.description,
      enabled: spec.enabled,
      template: spec.template,
      service_account_id: spec.service_account_id ?? null,
    };
    await ctx.client.put(`/webhooks/${id}`, body);
    return readBack(`webhook ${id}`, webhookKind.read(ctx, id));
  },

  delete: (ctx, id) => deleteIgnoringMissing(ctx.client.delete(`/webhooks/${id}`)),

  idOf: (live) => live.id,
  identityOf: () => undefined,

  toSpec: (live) => ({
    id: live.id,
    created: live.created ?? undefined,
    updated: live.updated ?? undefined,
    account_id: live.account,
    workspace_id: live.workspace,
    name: live.name,
    description: live.description ?? "",
    enabled: live.enabled,
    template: live.template,
    service_account_id: live.service_account_id ?? undefined,
    endpoint: live.endpoint,
  }),
};
