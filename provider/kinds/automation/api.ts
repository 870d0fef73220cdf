// prefect_automation through the API: /automations/. No natural key: every POST makes a new
// automation, so a create whose outcome is unknown is looked up by content before it is
// repeated, and the caller keeps the returned id.
import type { components } from "../../../contract/wire.gen.js";
import { chunked, filterAll } from "../../client/paginate.js";
import { changedAttributes, diffSpec } from "../compare.js";
import type { Kind, KindContext } from "../kind.js";
import { createSafely, deleteIgnoringMissing, orUndefined, readBack } from "../runtime.js";
import { actionToApi, actionToSpec } from "./actions.js";
import { ACTION_LISTS, automationSchema, type AutomationSpec } from "./schema.js";
import { triggerToApi, triggerToSpec } from "./triggers.js";

type Automation = components["schemas"]["Automation"];
type AutomationCreate = components["schemas"]["AutomationCreate"];
type AutomationUpdate = components["schemas"]["AutomationUpdate"];
type AutomationFilterBody = components["schemas"]["Body_read_automations_automations_filter_post"];

/** The attributes a PUT writes; the others (ids, timestamps, account and workspace) it cannot change. */
const WRITTEN = new Set<string>(["name", "description", "enabled", "trigger", ...ACTION_LISTS]);

function bodyOf(spec: AutomationSpec): Omit<AutomationCreate, "tags" | "owner_resource"> {
  return {
    name: spec.name,
    description: spec.description,
    enabled: spec.enabled,
    trigger: triggerToApi(spec.trigger),
    actions: spec.actions.map(actionToApi),
    actions_on_trigger: spec.actions_on_trigger.map(actionToApi),
    actions_on_resolve: spec.actions_on_resolve.map(actionToApi),
  };
}

/** Every automation with this name, newest first. */
function named(ctx: KindContext, name: string): Promise<Automation[]> {
  const body: Omit<AutomationFilterBody, "offset"> = { sort: "CREATED_DESC", automations: { operator: "and_", name: { any_: [name] } } };
  return filterAll<Automation>(ctx.client, "/automations/filter", body);
}

/** Ids this run's creates have already returned: a lookup must not hand the same object to two declarations. */
function claimed(ctx: KindContext): Promise<Set<string>> {
  return ctx.memo("prefect_automation:claimed", async () => new Set<string>());
}

/** The differences a PUT would write. */
function pendingChanges(spec: AutomationSpec, live: Automation): string[] {
  return changedAttributes(automationSchema, spec, toSpec(live)).filter((name) => WRITTEN.has(name));
}

// An automation made without description, enabled, tags or the two other action lists reads
// back with "", true, [] and [] (scenarios.jsonl "auto reactive within number").
function toSpec(live: Automation): AutomationSpec {
  return {
    id: live.id,
    created: live.created ?? undefined,
    updated: live.updated ?? undefined,
    name: live.name,
    description: live.description ?? "",
    enabled: live.enabled ?? true,
    trigger: triggerToSpec(live.trigger),
    actions: (live.actions ?? []).map(actionToSpec),
    actions_on_trigger: (live.actions_on_trigger ?? []).map(actionToSpec),
    actions_on_resolve: (live.actions_on_resolve ?? []).map(actionToSpec),
  };
}

/** prefect_automation: the schema plus list/read/create/update/delete and live -> spec. */
export const automationKind: Kind<AutomationSpec, Automation> = {
  ...automationSchema,

  list: async (ctx) => {
    // Offsets can shift while paging (automations are created meanwhile): keep each id once.
    const all = await filterAll<Automation>(ctx.client, "/automations/filter", { sort: "CREATED_DESC" });
    return [...new Map(all.map((automation) => [automation.id, automation])).values()];
  },

  /**
   * AutomationFilter has no id filter, only name.any_ (server-openapi.json AutomationFilter):
   * the declared names (owned or not) in pages of names, then each owned id those did not answer (an
   * automation renamed outside prefect-gitops, or one no longer declared) by `GET /automations/{id}`.
   */
  readsOwnedNames: true,

  readScoped: async (ctx, scope) => {
    const names = [...new Set([...scope.names, ...(scope.ownedNames ?? [])])];
    const pages = await Promise.all(chunked(names).map((chunk) => filterAll<Automation>(ctx.client, "/automations/filter", { sort: "CREATED_DESC", automations: { operator: "and_", name: { any_: chunk } } })));
    const byId = new Map(pages.flat().map((automation) => [automation.id, automation]));
    const missing = [...new Set(scope.ids.map((id) => id.toLowerCase()))].filter((id) => !byId.has(id));
    for (const found of await Promise.all(missing.map((id) => orUndefined(ctx.client.get<Automation>(`/automations/${id}`))))) if (found) byId.set(found.id, found);
    return [...byId.values()];
  },

  read: (ctx, id) => orUndefined(ctx.client.get<Automation>(`/automations/${id}`)),

  find: async () => undefined,

  /**
   * The lookup after an unknown outcome adopts an automation only if it is the one this create
   * made: same name, reading back as this declaration, absent from the same-named ones listed
   * just before the first attempt (so neither one the caller already had nor one that existed
   * before; no clock is compared), and not already returned to another create of this run.
   * Costs one filter request per create, which is what makes a blind repeat unnecessary.
   */
  create: async (ctx, spec) => {
    const before = new Set((await named(ctx, spec.name)).map((automation) => automation.id));
    const taken = await claimed(ctx);
    const body: AutomationCreate = bodyOf(spec) as AutomationCreate;
    const created = await createSafely({
      attempt: () => ctx.client.post<Automation>("/automations/", body),
      lookup: async () => {
        const mine = (await named(ctx, spec.name)).filter(
          (automation) => !before.has(automation.id) && !taken.has(automation.id) && diffSpec(automationSchema, spec, toSpec(automation)).length === 0,
        );
        // Oldest first: with two identical creates in flight, each adopts its own in order.
        return mine.sort((a, b) => String(a.created).localeCompare(String(b.created)))[0];
      },
    });
    taken.add(created.id);
    return created;
  },

  /**
   * A PUT of the whole object, and only when something it writes differs: Prefect resets the
   * trigger's state on every PUT, even an identical one (the trigger comes back with a new id:
   * scenarios.jsonl "auto read a3" then "automations filter" after "auto put proactive number").
   * Tags, which the official provider does not manage, are sent back as they are. The PUT
   * answers 204 without a body, so the automation is read back.
   */
  update: async (ctx, id, spec, prior) => {
    if (pendingChanges(spec, prior).length === 0) return prior;
    const body: AutomationUpdate = { ...(bodyOf(spec) as AutomationUpdate), tags: prior.tags ?? [] };
    await ctx.client.put(`/automations/${id}`, body);
    return readBack(`automation ${id}`, automationKind.read(ctx, id));
  },

  delete: (ctx, id) => deleteIgnoringMissing(ctx.client.delete(`/automations/${id}`)),

  idOf: (live) => live.id,
  identityOf: () => undefined,
  toSpec,
};
