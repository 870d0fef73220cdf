// What a change to a deployment's schedules does to its runs: the next runs before and after,
// per schedule, and whether they differ. Input is independent of the plan model (from-plan.ts
// adapts it), so the GitOps comment and the CLI can both use it.
import { nextRuns, scheduleTimeZone, type ScheduleLike } from "./next-runs.js";

export type ScheduleAction = "create" | "update" | "replace" | "delete";

/** A schedule-bearing resource a plan changes. */
export interface ScheduleChange {
  /** `prefect_deployment_schedule.nightly` */
  address: string;
  /** A label of the deployment the schedule belongs to, e.g. `deployment "etl/nightly"`. */
  deployment: string;
  action: ScheduleAction;
  /** The live schedule (absent for a create). */
  before?: ScheduleLike;
  /** The declared schedule (absent for a delete); undeclared attributes left undefined. */
  after?: ScheduleLike;
}

/** One side of a preview: the runs a schedule makes. */
export interface RunsPreview {
  schedule: ScheduleLike;
  timeZone: string;
  /** False: Prefect schedules no runs for it. */
  active: boolean;
  /** The next runs, ascending; empty when inactive or not computable. */
  runs: Date[];
  /** An interval without anchor_date: counted from `now`, as Prefect counts from when it stores the schedule. */
  anchorAssumed: boolean;
  /** Why the runs could not be computed. */
  problem?: string;
}

export interface SchedulePreview {
  address: string;
  deployment: string;
  action: ScheduleAction;
  before?: RunsPreview;
  after?: RunsPreview;
  /** Whether the instants of the next runs differ (a schedule that stays inactive changes none). */
  runsChange: boolean;
}

export interface SchedulePreviewOptions {
  /** Runs on or after this instant are listed. */
  now: Date;
  /**
   * Runs per schedule.
   * @default 5
   */
  count?: number;
}

const KINDS = ["cron", "interval", "rrule"] as const;

function kindOf(schedule: ScheduleLike): (typeof KINDS)[number] | undefined {
  return KINDS.find((kind) => schedule[kind] !== undefined);
}

/**
 * The schedule an apply leaves. An update sends the live time zone, day_or and anchor date
 * when the declaration leaves them out and the kind stays (provider/kinds/deployment-schedule/
 * api.ts scheduleBody); `active` left out keeps the live value, and a new schedule is active
 * (src/prefect/server/schemas/actions.py DeploymentScheduleCreate.active defaults to True).
 */
export function appliedSchedule(change: ScheduleChange): ScheduleLike | undefined {
  const { after, before } = change;
  if (!after || change.action === "delete") return undefined;
  if (change.action !== "update" || !before) return { ...after, active: after.active ?? true };
  const sameKind = kindOf(after) === kindOf(before);
  return {
    ...after,
    active: after.active ?? before.active ?? true,
    ...(sameKind ? { timezone: after.timezone ?? before.timezone, day_or: after.day_or ?? before.day_or, anchor_date: after.anchor_date ?? before.anchor_date } : {}),
  };
}

function preview(schedule: ScheduleLike, options: SchedulePreviewOptions): RunsPreview {
  const active = schedule.active !== false;
  const base = { schedule, timeZone: scheduleTimeZone(schedule), active, anchorAssumed: schedule.interval !== undefined && schedule.anchor_date === undefined };
  if (!active) return { ...base, runs: [] };
  try {
    return { ...base, runs: nextRuns(schedule, { after: options.now, count: options.count }) };
  } catch (error) {
    return { ...base, runs: [], problem: (error as Error).message };
  }
}

function sameRuns(a: readonly Date[], b: readonly Date[]): boolean {
  return a.length === b.length && a.every((run, index) => run.getTime() === b[index]?.getTime());
}

/**
 * The next runs of each changed schedule before and after the change, and whether they differ.
 *
 * @example
 * schedulePreviews([{ address: "prefect_deployment_schedule.daily", deployment: 'deployment "etl/daily"', action: "create", after: { cron: "0 6 * * *" } }], { now: new Date() });
 */
export function schedulePreviews(changes: readonly ScheduleChange[], options: SchedulePreviewOptions): SchedulePreview[] {
  return changes.map((change) => {
    const applied = appliedSchedule(change);
    const before = change.action !== "create" && change.before ? preview({ ...change.before, active: change.before.active ?? true }, options) : undefined;
    const after = applied ? preview(applied, options) : undefined;
    return { address: change.address, deployment: change.deployment, action: change.action, before, after, runsChange: !sameRuns(before?.runs ?? [], after?.runs ?? []) };
  });
}
