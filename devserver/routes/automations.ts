// Automations: a trigger (event, compound, sequence, and on Prefect Cloud metric) and the
// actions it fires, stored in the shape the server answers with. Automations have no unique
// name; every POST creates one. Which resources an automation relates to is kept aside, as
// the server keeps it in its own table: the deployments its run-deployment actions select,
// and the resource that owns it (`owner_resource`, used to replace a deployment's triggers).
import { Contract } from "../../contract/validator.js";
import { automations, type AutomationEntity } from "../collections.js";
import { combine, page, sortBy, timestamp, found } from "../filters.js";
import { HttpError, created, invalidUuidParam, noContent, ok, unprocessable, UUID_PATTERN, type Reply } from "../http.js";
import type { RequestContext, Router } from "../router.js";
import type { Entity, Workspace } from "../store.js";
import { jobVariableProblems } from "./automation-job-variables.js";
import { AutomationParser, runDeploymentLoop, type AutomationFields } from "./automation-model.js";
import { templateProblem } from "./automation-templates.js";

type Json = Record<string, unknown>;

/** Resources an automation relates to: resource id -> whether the automation is owned by it. */
interface RelationsEntity extends Entity {
  resources: Record<string, boolean>;
}

const relations = (ws: Workspace) => ws.collection<RelationsEntity>("automation_related_resources");

const NOT_FOUND = "Automation not found";
const UPDATABLE: (keyof AutomationFields)[] = ["name", "description", "enabled", "tags", "trigger", "actions", "actions_on_trigger", "actions_on_resolve"];

const isObject = (value: unknown): value is Json => value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * Parse and check an automation body; a problem is a 422 in pydantic's shape. Then check the
 * job variables of run-deployment actions, which the server does before storing anything.
 */
function parseAutomation(ctx: RequestContext, body: Json, update: boolean): AutomationFields {
  const parser = new AutomationParser(() => ctx.services.newId(), !ctx.cloud);
  const fields = parser.automation(body, ["body"]);
  if (parser.issues.length) throw unprocessable(parser.issues, body);
  const problems = jobVariableProblems(ctx.workspace, fields.actions, update);
  // The server says "creating" for updates too.
  if (problems.length) throw new HttpError(422, { detail: `Error creating automation: ${problems.join(" ")}` });
  return fields;
}

/**
 * PUT and PATCH validate their own body: the server only changes the fields a client sent
 * (absent ones keep their value instead of taking their defaults), so the keys present
 * must be known before the contract fills the defaults in.
 */
function ownBody(ctx: RequestContext): { body: Json; sent: Set<string> } {
  const id = ctx.params.id ?? "";
  if (!UUID_PATTERN.test(id)) throw invalidUuidParam("id", id, ctx.body ?? null);
  const body = ctx.body === undefined ? {} : ctx.body;
  const sent = new Set(isObject(body) ? Object.keys(body) : []);
  const result = Contract.load(ctx.dialect).validateRequest(ctx.method, ctx.template, body, { lax: true });
  if (!result.ok) throw unprocessable(result.issues, body);
  return { body: body as Json, sent };
}

/** Cloud answers with the account and workspace an automation lives in. */
function cloudFields(ctx: RequestContext): Json {
  return ctx.cloud ? { account_id: ctx.cloud.accountId, workspace_id: ctx.cloud.workspaceId } : {};
}

/**
 * Keep the related resources of an automation current, as the server does on every write:
 * deployments selected by its run-deployment actions (only `actions`, not the on-trigger or
 * on-resolve ones) are replaced, and an owning resource, once set, stays.
 */
function relate(ws: Workspace, automationId: string, actions: Json[], owner?: unknown): void {
  const previous = relations(ws).get(automationId)?.resources ?? {};
  const resources = new Map<string, boolean>();
  for (const [resourceId, owned] of Object.entries(previous)) {
    if (owned || !resourceId.startsWith("prefect.deployment.")) resources.set(resourceId, owned);
  }
  for (const action of actions) {
    if (action.type === "run-deployment" && action.source === "selected" && action.deployment_id) {
      const resourceId = `prefect.deployment.${String(action.deployment_id)}`;
      resources.set(resourceId, resources.get(resourceId) ?? false);
    }
  }
  if (typeof owner === "string" && owner) resources.set(owner, true);
  // fromEntries defines own properties, so any resource id (even `__proto__`) is stored as data.
  if (resources.size) relations(ws).put({ id: automationId, resources: Object.fromEntries(resources) });
  else if (relations(ws).get(automationId)) relations(ws).delete(automationId);
}

/** Whether an automation relates to a resource (`owned`: is owned by it). */
function relatedTo(ws: Workspace, automationId: string, resourceId: string, owned?: boolean): boolean {
  const resources = relations(ws).get(automationId)?.resources;
  if (!resources || !Object.hasOwn(resources, resourceId)) return false;
  return owned === undefined || resources[resourceId] === owned;
}

function remove(ws: Workspace, id: string): boolean {
  if (!automations(ws).delete(id)) return false;
  if (relations(ws).get(id)) relations(ws).delete(id);
  return true;
}

interface AutomationFilterBody {
  operator?: "and_" | "or_";
  name?: { any_?: string[] | null } | null;
  created?: { before_?: string | null } | null;
  tags?: { operator?: "and_" | "or_"; all_?: string[] | null; any_?: string[] | null; is_null_?: boolean | null } | null;
}

/** Prefect's AutomationFilter: each given sub-filter is one condition (true when it has no criteria), joined by `operator`. */
function filterPredicate(filter: AutomationFilterBody | null | undefined): (automation: AutomationEntity) => boolean {
  if (!filter) return () => true;
  const before = filter.created?.before_ ? Date.parse(filter.created.before_) : undefined;
  return (automation) => {
    const checks: boolean[] = [];
    if (filter.name) checks.push(filter.name.any_ == null || filter.name.any_.includes(automation.name));
    if (filter.created) checks.push(before === undefined || Date.parse(String(automation.created)) <= before);
    if (filter.tags) {
      const tags = automation.tags ?? [];
      const { all_, any_, is_null_ } = filter.tags;
      const tagChecks: boolean[] = [];
      if (all_ != null) tagChecks.push(all_.every((tag) => tags.includes(tag)));
      if (any_ != null) tagChecks.push(any_.some((tag) => tags.includes(tag)));
      if (is_null_ != null) tagChecks.push(is_null_ ? tags.length === 0 : tags.length > 0);
      checks.push(combine(filter.tags.operator, tagChecks));
    }
    return combine(filter.operator, checks);
  };
}

/**
 * `POST /templates/validate`: 204 for a template the server accepts, otherwise 422
 * `{"error": {"line", "message", "source"}}` (the real server's answers, which its OpenAPI
 * document declares as 200 and `HTTPValidationError`).
 */
function validateTemplate(ctx: RequestContext): Reply {
  const template = ctx.body === undefined ? "" : ctx.body;
  if (typeof template !== "string") {
    throw unprocessable([{ type: "string_type", loc: ["body"], msg: "Input should be a valid string", input: template }], template);
  }
  const problem = templateProblem(template);
  if (!problem) return noContent();
  return { status: 422, body: { error: { line: problem.line, message: problem.message, source: template } } };
}

/** Register the automation routes (Prefect 3 `/automations/...` and `/templates/validate`). */
export function registerAutomationsRoutes(router: Router): void {
  router.post("/automations/", (ctx) => {
    const body = ctx.body as Json;
    // Parsed as sent, so a 422 quotes the body and its triggers without the contract's defaults
    // (scenarios.jsonl "auto proactive within 5"); the parser fills the defaults itself.
    const fields = parseAutomation(ctx, ctx.sent as Json, false);
    const now = timestamp(ctx.now);
    const entity = { ...fields, id: ctx.services.newId(), created: now, updated: now, ...cloudFields(ctx) } as unknown as AutomationEntity;
    automations(ctx.workspace).put(entity);
    relate(ctx.workspace, entity.id, fields.actions, body.owner_resource);
    return created(entity);
  });

  router.get("/automations/{id}", (ctx) => ok(found(automations(ctx.workspace).get(ctx.params.id ?? ""), NOT_FOUND)));

  router.put(
    "/automations/{id}",
    (ctx) => {
      const { body, sent } = ownBody(ctx);
      const fields = parseAutomation(ctx, body, true);
      const existing = found(automations(ctx.workspace).get(ctx.params.id ?? ""), NOT_FOUND);
      // A PUT always counts as a change (the server resets the trigger's state), even an identical one.
      const next: Json = { ...existing, updated: timestamp(ctx.now) };
      for (const key of UPDATABLE) if (sent.has(key)) next[key] = fields[key];
      automations(ctx.workspace).put(next as AutomationEntity);
      relate(ctx.workspace, existing.id, fields.actions);
      return noContent();
    },
    { rawBody: true },
  );

  router.patch(
    "/automations/{id}",
    (ctx) => {
      const { body, sent } = ownBody(ctx);
      const existing = found(automations(ctx.workspace).get(ctx.params.id ?? ""), NOT_FOUND);
      // The server re-validates the automation as it would be after the patch (`enabled` defaults to true).
      const enabled = body.enabled !== false;
      const loop = runDeploymentLoop({ enabled, trigger: existing.trigger as Json, actions: existing.actions as Json[] });
      if (loop) {
        throw unprocessable([{ type: "value_error", loc: [], msg: `Value error, ${loop}`, input: { ...existing, enabled } }], { enabled });
      }
      const next: Json = { ...existing, updated: timestamp(ctx.now) };
      if (sent.has("enabled")) next.enabled = enabled;
      automations(ctx.workspace).put(next as AutomationEntity);
      return noContent();
    },
    { rawBody: true },
  );

  router.delete("/automations/{id}", (ctx) => {
    if (!remove(ctx.workspace, ctx.params.id ?? "")) throw new HttpError(404, { detail: NOT_FOUND });
    return noContent();
  });

  router.post("/automations/filter", (ctx) => {
    const body = (ctx.body ?? {}) as { sort?: string; automations?: AutomationFilterBody | null };
    const matching = automations(ctx.workspace).filter(filterPredicate(body.automations));
    const sorted = sortBy(matching, body.sort ?? "NAME_ASC", {
      NAME_ASC: (automation) => automation.name,
      NAME_DESC: (automation) => automation.name,
      CREATED_DESC: (automation) => automation.created,
      UPDATED_DESC: (automation) => automation.updated,
    });
    return ok(page(sorted, ctx));
  });

  router.post("/automations/count", (ctx) => ok(automations(ctx.workspace).size));

  router.get("/automations/related-to/{resource_id}", (ctx) => {
    const resourceId = ctx.params.resource_id ?? "";
    return ok(automations(ctx.workspace).filter((automation) => relatedTo(ctx.workspace, automation.id, resourceId)));
  });

  router.delete("/automations/owned-by/{resource_id}", (ctx) => {
    const resourceId = ctx.params.resource_id ?? "";
    // Only automations that existed when the request arrived: a concurrent re-create survives.
    const cutoff = timestamp(ctx.now);
    const owned = automations(ctx.workspace).filter(
      (automation) => relatedTo(ctx.workspace, automation.id, resourceId, true) && String(automation.created) <= cutoff,
    );
    for (const automation of owned) remove(ctx.workspace, automation.id);
    return ok(null, 202);
  });

  router.post("/templates/validate", validateTemplate, { rawBody: true });
  router.post("/automations/templates/validate", validateTemplate, { rawBody: true });
}
