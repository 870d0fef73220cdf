// prefect_deployment_schedule through the API: /deployments/{id}/schedules. Schedules are
// listed from the run's deployment list (each deployment carries its schedules), created one
// per POST, and updated in place by id (PATCH), so Prefect keeps their ids and the runs they
// already scheduled instead of making new ones.
import type { components } from "../../../contract/wire.gen.js";
import { diffSpec } from "../compare.js";
import { DEPLOYMENTS_MEMO, listDeployments, readDeploymentsScoped } from "../deployment/api.js";
import type { Kind, KindContext, ReadScope } from "../kind.js";
import { cloudScopeOf, createSafely, deleteIgnoringMissing, orUndefined, readBack } from "../runtime.js";
import { durationSeconds, wireDuration } from "../durations.js";
import { sameRrule } from "./rules.js";
import { changedFields, type WireFields } from "../update-body.js";
import { deploymentScheduleSchema, SCHEDULE_ATTRIBUTES, type DeploymentScheduleSpec } from "./schema.js";

type ScheduleResponse = components["schemas"]["DeploymentSchedule"];
type ScheduleCreate = components["schemas"]["DeploymentScheduleCreate"];
type ScheduleUpdate = components["schemas"]["DeploymentScheduleUpdate"];
type CronSchedule = components["schemas"]["CronSchedule"];
type IntervalInput = components["schemas"]["IntervalSchedule-Input"];
type IntervalOutput = components["schemas"]["IntervalSchedule-Output"];
type RRuleSchedule = components["schemas"]["RRuleSchedule"];

/** A schedule as read: always with its deployment, and the Cloud account and workspace the client read it from. */
export type DeploymentSchedule = ScheduleResponse & { deployment_id: string; account_id?: string; workspace_id?: string };

/** Which deployment each schedule seen in this run belongs to (the API reads and deletes schedules through their deployment). */
interface Owners {
  byId: Map<string, string>;
  /** Whether the run's deployment list was read: then every schedule that existed is known. */
  listed: boolean;
}

const OWNERS_MEMO = "prefect_deployment_schedule:owners";

const owners = (ctx: KindContext): Promise<Owners> => ctx.memo(OWNERS_MEMO, async () => ({ byId: new Map(), listed: false }));

function liveOf(ctx: KindContext, raw: ScheduleResponse, deploymentId: string): DeploymentSchedule {
  return { ...raw, deployment_id: raw.deployment_id ?? deploymentId, ...cloudScopeOf(ctx.client) };
}

async function remember(ctx: KindContext, schedules: DeploymentSchedule[]): Promise<DeploymentSchedule[]> {
  const { byId } = await owners(ctx);
  for (const schedule of schedules) byId.set(schedule.id, schedule.deployment_id);
  return schedules;
}

/** Every schedule, from the run's deployment list: no request beyond the deployments'. */
async function list(ctx: KindContext): Promise<DeploymentSchedule[]> {
  const deployments = await listDeployments(ctx);
  const all = deployments.flatMap((deployment) => (deployment.schedules ?? []).map((raw) => liveOf(ctx, raw, deployment.id)));
  await remember(ctx, all);
  (await owners(ctx)).listed = true;
  return all;
}

/**
 * The schedules of the deployments the run reads scoped (see readDeploymentsScoped): those of the
 * owned schedules' deployments and of the declared deployments, from the `schedules` each deployment
 * of the filter answers with (scenarios.jsonl "deployments filter by name"). Not every schedule: `listed` stays false.
 */
async function readScoped(ctx: KindContext, _scope: ReadScope, scopes: ReadonlyMap<string, ReadScope>): Promise<DeploymentSchedule[]> {
  const deployments = await readDeploymentsScoped(ctx, scopes);
  return remember(
    ctx,
    deployments.flatMap((deployment) => (deployment.schedules ?? []).map((raw) => liveOf(ctx, raw, deployment.id))),
  );
}

/** The schedules of one deployment, read now; `undefined` when the deployment does not exist. */
async function schedulesOf(ctx: KindContext, deploymentId: string): Promise<DeploymentSchedule[] | undefined> {
  const raw = await orUndefined(ctx.client.get<ScheduleResponse[]>(`/deployments/${deploymentId}/schedules`));
  return raw && remember(ctx, raw.map((schedule) => liveOf(ctx, schedule, deploymentId)));
}

async function read(ctx: KindContext, id: string): Promise<DeploymentSchedule | undefined> {
  const deploymentId = (await owners(ctx)).byId.get(id);
  if (deploymentId) return (await schedulesOf(ctx, deploymentId))?.find((schedule) => schedule.id === id);
  // A schedule this run has not seen (an import by id): look through every deployment, now.
  ctx.forget(DEPLOYMENTS_MEMO);
  return (await list(ctx)).find((schedule) => schedule.id === id);
}

async function find(ctx: KindContext, spec: DeploymentScheduleSpec): Promise<DeploymentSchedule | undefined> {
  if (spec.slug === undefined) return undefined;
  return (await schedulesOf(ctx, spec.deployment_id.toLowerCase()))?.find((schedule) => schedule.slug === spec.slug);
}

/**
 * The API's schedule object for a declaration. Undeclared parts the server filled (anchor date
 * and time zone: the creation time and "UTC", scenarios.jsonl "schedule add interval number";
 * the DTSTART it added to an rrule, "schedule add rrule") are sent back as they are, so an
 * update of another part does not move them.
 */
function scheduleBody(spec: DeploymentScheduleSpec, live?: DeploymentSchedule["schedule"]): IntervalInput | CronSchedule | RRuleSchedule {
  if (spec.interval !== undefined) {
    const before = live && "interval" in live ? (live as IntervalOutput) : undefined;
    const anchor = spec.anchor_date ?? before?.anchor_date;
    const timezone = spec.timezone ?? before?.timezone ?? undefined;
    // Seconds as a number, as Prefect's own client sends them (recordings README "Durations").
    return { interval: wireDuration(spec.interval), ...(anchor ? { anchor_date: anchor } : {}), ...(timezone ? { timezone } : {}) } as IntervalInput;
  }
  if (spec.cron !== undefined) {
    const before = live && "cron" in live ? live : undefined;
    const timezone = spec.timezone ?? before?.timezone ?? undefined;
    return { cron: spec.cron, day_or: spec.day_or ?? before?.day_or ?? true, ...(timezone ? { timezone } : {}) };
  }
  const before = live && "rrule" in live ? live : undefined;
  const rule = spec.rrule ?? "";
  const timezone = spec.timezone ?? before?.timezone ?? undefined;
  return { rrule: before && sameRrule(rule, before.rrule) ? before.rrule : rule, ...(timezone ? { timezone } : {}) } as RRuleSchedule;
}

/**
 * How a schedule's changed attributes are written (update-body.ts), the live schedule as context:
 * any change to what the schedule runs by sends the whole schedule, keeping what the declaration
 * leaves to the server. Prefect writes the fields that are not None (models/deployments.py
 * update_deployment_schedule), so an omitted field keeps its value.
 */
export const SCHEDULE_UPDATES: WireFields<DeploymentScheduleSpec, ScheduleUpdate, DeploymentSchedule["schedule"] | undefined> = {
  parameters: (spec) => ({ parameters: spec.parameters }),
  active: (spec) => (spec.active !== undefined ? { active: spec.active } : {}),
  max_scheduled_runs: (spec) => (spec.max_scheduled_runs !== undefined ? { max_scheduled_runs: spec.max_scheduled_runs } : {}),
  slug: (spec) => (spec.slug !== undefined ? { slug: spec.slug } : {}),
  ...Object.fromEntries(SCHEDULE_ATTRIBUTES.map((name) => [name, (spec: DeploymentScheduleSpec, live: DeploymentSchedule["schedule"] | undefined) => ({ schedule: scheduleBody(spec, live) })])),
};

function createBody(spec: DeploymentScheduleSpec): ScheduleCreate {
  return {
    schedule: scheduleBody(spec),
    // Not declared: Prefect's default (active).
    active: spec.active ?? true,
    parameters: spec.parameters,
    ...(spec.max_scheduled_runs !== undefined ? { max_scheduled_runs: spec.max_scheduled_runs } : {}),
    ...(spec.slug !== undefined ? { slug: spec.slug } : {}),
  };
}

function toSpec(live: DeploymentSchedule): DeploymentScheduleSpec {
  const schedule = live.schedule;
  const base: DeploymentScheduleSpec = {
    id: live.id,
    created: live.created ?? undefined,
    updated: live.updated ?? undefined,
    account_id: live.account_id,
    workspace_id: live.workspace_id,
    deployment_id: live.deployment_id,
    active: live.active,
    max_scheduled_runs: live.max_scheduled_runs ?? undefined,
    parameters: live.parameters ?? {},
    slug: live.slug ?? undefined,
  };
  if ("interval" in schedule) {
    // A number of seconds, or ISO text as sent on Python 3.13+ (scenarios.jsonl "schedule add interval iso").
    return { ...base, interval: durationSeconds(schedule.interval), anchor_date: schedule.anchor_date, timezone: schedule.timezone ?? undefined };
  }
  if ("cron" in schedule) return { ...base, cron: schedule.cron, day_or: schedule.day_or, timezone: schedule.timezone ?? undefined };
  return { ...base, rrule: schedule.rrule, timezone: schedule.timezone ?? undefined };
}

/** The ids of the deployment's schedules that existed before a create, so its lookup never takes one of them for the new one. */
async function knownIds(ctx: KindContext, deploymentId: string): Promise<Set<string>> {
  const seen = await owners(ctx);
  if (!seen.listed) await schedulesOf(ctx, deploymentId);
  return new Set([...seen.byId].filter(([, owner]) => owner === deploymentId).map(([id]) => id));
}

/** prefect_deployment_schedule: schema, and CRUD through `/deployments/{id}/schedules`. */
export const deploymentScheduleKind: Kind<DeploymentScheduleSpec, DeploymentSchedule> = {
  ...deploymentScheduleSchema,

  list,

  readScoped,

  read,

  find,

  create: async (ctx, spec) => {
    const deploymentId = spec.deployment_id.toLowerCase();
    const known = spec.slug === undefined ? await knownIds(ctx, deploymentId) : new Set<string>();
    const created = await createSafely({
      attempt: async () => {
        const [raw] = await ctx.client.post<ScheduleResponse[]>(`/deployments/${deploymentId}/schedules`, [createBody(spec)]);
        if (!raw) throw new Error(`POST /deployments/${deploymentId}/schedules answered no schedule`);
        return liveOf(ctx, raw, deploymentId);
      },
      // A slug names the schedule (Prefect keeps slugs unique per deployment: a taken one answers
      // 409, client-suite #4104); without one, the
      // schedule an attempt may have made is a new one with the declared content.
      lookup: async () =>
        (await schedulesOf(ctx, deploymentId))?.find((candidate) =>
          spec.slug !== undefined ? candidate.slug === spec.slug : !known.has(candidate.id) && diffSpec(deploymentScheduleSchema, spec, toSpec(candidate)).length === 0,
        ),
    });
    await remember(ctx, [created]);
    ctx.forget(DEPLOYMENTS_MEMO);
    return created;
  },

  update: async (ctx, id, spec, prior, changed) => {
    const deploymentId = prior.deployment_id;
    // Prefect resets the parameters of an update that leaves them out (server/schemas/actions.py
    // DeploymentScheduleUpdate: parameters default to {}, and models/deployments.py
    // update_deployment_schedule writes every field that is not None): they are always sent.
    const body = changedFields(spec, [...changed, "parameters"], SCHEDULE_UPDATES, prior.schedule);
    await ctx.client.patch(`/deployments/${deploymentId}/schedules/${id}`, body);
    ctx.forget(DEPLOYMENTS_MEMO);
    return readBack(`deployment schedule ${id}`, schedulesOf(ctx, deploymentId).then((schedules) => schedules?.find((schedule) => schedule.id === id)));
  },

  delete: async (ctx, id, prior) => {
    const deploymentId = prior?.deployment_id ?? (await owners(ctx)).byId.get(id) ?? (await read(ctx, id))?.deployment_id;
    // Not on any deployment: already gone (with its deployment, or by itself).
    if (!deploymentId) return;
    await deleteIgnoringMissing(ctx.client.delete(`/deployments/${deploymentId}/schedules/${id}`));
    ctx.forget(DEPLOYMENTS_MEMO);
  },

  idOf: (live) => live.id,
  identityOf: (live) => (live.slug ? `${live.deployment_id.toLowerCase()}/${live.slug}` : undefined),

  toSpec,

  // A schedule has no name: its deployment's resource name, then its slug or what it runs by.
  importName: (spec, nameOf) => `${nameOf("prefect_deployment", spec.deployment_id) ?? "deployment"}_${spec.slug || (spec.cron !== undefined ? "cron" : spec.interval !== undefined ? "interval" : "rrule")}`,
};
