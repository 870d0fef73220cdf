// When a declared schedule runs next, computed as Prefect's server computes it: one entry point
// over the three kinds of schedule our prefect_deployment_schedule declares.
import type { DeploymentScheduleSpec } from "../../provider/kinds/deployment-schedule/schema.js";
import { cronRuns } from "./cron.js";
import { intervalRuns } from "./interval.js";
import { rruleRuns } from "./rrule.js";

/** The attributes of a prefect_deployment_schedule that decide when it runs. */
export type ScheduleLike = Pick<DeploymentScheduleSpec, "cron" | "day_or" | "interval" | "anchor_date" | "rrule" | "timezone" | "active">;

export interface NextRunsOptions {
  /** Runs on or after this instant are listed (Prefect's `start`, inclusive). */
  after: Date;
  /**
   * How many runs.
   * @default 5
   */
  count?: number;
}

/** The number of runs a preview lists when not told. */
export const DEFAULT_RUN_COUNT = 5;

/**
 * The zone a schedule's times are in. An unset zone is UTC for all three kinds: cron through
 * `_prepare_scheduling_start_and_end`, intervals through `default_timezone` (an anchor given
 * with an offset, as RFC 3339 gives it, infers UTC; src/prefect/_internal/schemas/validators.py)
 * and rrules through their "UTC" default (src/prefect/server/schemas/schedules.py).
 */
export function scheduleTimeZone(schedule: ScheduleLike): string {
  return typeof schedule.timezone === "string" && schedule.timezone !== "" ? schedule.timezone : "UTC";
}

/**
 * The next run times of a schedule, as instants, ascending, whether or not it is active.
 * An interval schedule without `anchor_date` counts from `after`, as Prefect counts from the
 * moment it stores the schedule (IntervalSchedule.anchor_date's default_factory).
 *
 * @example
 * nextRuns({ cron: "0 9 * * 1-5", timezone: "Europe/Paris" }, { after: new Date() });
 */
export function nextRuns(schedule: ScheduleLike, options: NextRunsOptions): Date[] {
  const count = options.count ?? DEFAULT_RUN_COUNT;
  const start = options.after.getTime();
  const timeZone = scheduleTimeZone(schedule);
  let runs: number[];
  if (schedule.cron !== undefined) {
    // CronSchedule.day_or defaults to true.
    runs = cronRuns(schedule.cron, schedule.day_or !== false, timeZone, start, count);
  } else if (schedule.interval !== undefined) {
    const anchor = schedule.anchor_date !== undefined ? Date.parse(schedule.anchor_date) : start;
    runs = intervalRuns(schedule.interval, anchor, timeZone, start, count);
  } else if (schedule.rrule !== undefined) {
    runs = rruleRuns(schedule.rrule, timeZone, start, count);
  } else {
    runs = [];
  }
  return runs.map((instant) => new Date(instant));
}
