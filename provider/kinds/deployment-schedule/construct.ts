// When a deployment runs: the Schedule builder (cron, interval, rrule) and the
// DeploymentSchedule construct, usually made by `deployment.addSchedule()`. Schedules are
// checked at synth with the rules the engine applies (croniter's cron, dateutil's rrule, IANA
// time zones).
import { Construct } from "../../cdk.js";
import { parseDurationLike, type DurationLike } from "../../constructs/duration.js";
import type { JsonObject } from "../../constructs/json.js";
import { propProblems } from "../../constructs/prop-problems.js";
import type { IDeployment } from "../../constructs/refs.js";
import { jsonAttribute, validateAtSynth } from "../../constructs/support.js";
import { DeploymentSchedule as DeploymentScheduleL1 } from "../../generated/prefect/deployment-schedule/index.js";
import { deploymentScheduleSchema } from "./schema.js";

/** Options of {@link Schedule.cron}. */
export interface CronScheduleOptions {
  /**
   * Whether a run needs its day-of-month or its day-of-week to match (true), or both (false),
   * when the expression restricts both.
   *
   * @default true (croniter's behaviour)
   */
  readonly dayOr?: boolean;
}

/** Options of {@link Schedule.interval}. */
export interface IntervalScheduleOptions {
  /**
   * The date-time the intervals count from (RFC 3339 with an offset, or a Date).
   *
   * @default - the time the schedule is created
   */
  readonly anchorDate?: string | Date;
}

/** When runs happen, as prefect_deployment_schedule's Terraform attributes. */
export interface ScheduleAttributes {
  readonly cron?: string;
  readonly day_or?: boolean;
  readonly interval?: number;
  readonly anchor_date?: string;
  readonly rrule?: string;
}

/** What a builder saw wrong (a duration that does not add up), reported by the DeploymentSchedule that uses it. */
const scheduleProblems = new WeakMap<Schedule, string[]>();

/**
 * When a deployment runs: at cron times, at a fixed interval, or by an RFC 5545 recurrence
 * rule. Give it to `deployment.addSchedule(...)`.
 *
 * @example
 * deployment.addSchedule(Schedule.cron("0 6 * * 1-5"), { timezone: "Europe/Paris" });
 * deployment.addSchedule(Schedule.interval({ minutes: 15 }));
 * deployment.addSchedule(Schedule.rrule("FREQ=WEEKLY;BYDAY=MO;BYHOUR=9"));
 */
export class Schedule {
  /**
   * Runs at the times a cron expression names: 5 fields (minute hour day-of-month month
   * day-of-week), optionally a 6th for seconds and a 7th for the year, or an alias such as
   * `@daily`.
   *
   * @example
   * Schedule.cron("30 2 * * *")
   */
  public static cron(expression: string, options: CronScheduleOptions = {}): Schedule {
    return new Schedule("cron", { cron: expression, day_or: options.dayOr });
  }

  /**
   * Runs every `every`: a number of seconds, or a duration.
   *
   * @example
   * Schedule.interval({ hours: 1 }, { anchorDate: "2025-01-01T00:15:00Z" })
   */
  public static interval(every: DurationLike, options: IntervalScheduleOptions = {}): Schedule {
    const { seconds, problems } = parseDurationLike(every);
    const anchor = options.anchorDate instanceof Date ? options.anchorDate.toISOString() : options.anchorDate;
    return new Schedule("interval", { interval: seconds, anchor_date: anchor }, problems);
  }

  /**
   * Runs by an RFC 5545 recurrence rule (as dateutil reads it).
   *
   * @example
   * Schedule.rrule("FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9;BYMINUTE=0")
   */
  public static rrule(rule: string): Schedule {
    return new Schedule("rrule", { rrule: rule });
  }

  private constructor(
    /** Which kind of schedule this is. */
    public readonly kind: "cron" | "interval" | "rrule",
    private readonly attributes: ScheduleAttributes,
    problems: string[] = [],
  ) {
    scheduleProblems.set(this, problems);
  }

  /** The schedule as Terraform attributes of prefect_deployment_schedule (undefined ones left out). */
  public toAttributes(): Readonly<ScheduleAttributes> {
    return Object.fromEntries(Object.entries(this.attributes).filter(([, value]) => value !== undefined));
  }
}

/** Settings of one schedule of a deployment, as `Deployment.addSchedule` takes them. */
export interface ScheduleOptions {
  /**
   * The IANA time zone the schedule's times are in ("Europe/Paris").
   *
   * @default - UTC
   */
  readonly timezone?: string;

  /**
   * Whether the schedule creates runs.
   *
   * @default - true for a new schedule; afterwards left as it is (a schedule paused in the UI stays paused)
   */
  readonly active?: boolean;

  /**
   * A name for the schedule, unique within its deployment. It also names the construct (and so
   * the Terraform address), which keeps the address stable when schedules are added or removed.
   *
   * @default - no slug; the schedule is known by its place among the deployment's schedules
   */
  readonly slug?: string;

  /**
   * Parameters for the schedule's runs, over the deployment's.
   *
   * @default {}
   */
  readonly parameters?: JsonObject;

  /**
   * How many runs of the schedule Prefect keeps scheduled ahead.
   *
   * @default - the server's setting
   */
  readonly maxScheduledRuns?: number;
}

/** Properties of a {@link DeploymentSchedule}. */
export interface DeploymentScheduleProps extends ScheduleOptions {
  /** The deployment the schedule belongs to. */
  readonly deployment: IDeployment;

  /** When it runs. */
  readonly schedule: Schedule;
}

/**
 * One schedule of a Prefect deployment. Usually made with `deployment.addSchedule(...)`; make
 * one directly to schedule a deployment managed elsewhere (`Deployment.fromDeploymentId`).
 *
 * @example
 * new DeploymentSchedule(stack, "Nightly", {
 *   deployment: Deployment.fromDeploymentId(stack, "Etl", "4c1f2e3d-5b6a-4798-8a9b-0c1d2e3f4a5b"),
 *   schedule: Schedule.cron("0 2 * * *"),
 *   timezone: "America/New_York",
 * });
 */
export class DeploymentSchedule extends Construct {
  /** The schedule's id (UUID), known once it exists. */
  public readonly scheduleId: string;

  /** When it runs. */
  public readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: DeploymentScheduleProps) {
    super(scope, id);
    this.schedule = props.schedule;
    const when = props.schedule.toAttributes();
    const attributes = {
      deployment_id: props.deployment.deploymentId,
      ...when,
      timezone: props.timezone,
      active: props.active,
      slug: props.slug,
      parameters: props.parameters,
      max_scheduled_runs: props.maxScheduledRuns,
    };
    const resource = new DeploymentScheduleL1(this, "Default", {
      deploymentId: attributes.deployment_id,
      cron: when.cron,
      dayOr: when.day_or,
      interval: when.interval,
      anchorDate: when.anchor_date,
      rrule: when.rrule,
      timezone: props.timezone,
      active: props.active,
      slug: props.slug,
      parameters: jsonAttribute(props.parameters),
      maxScheduledRuns: props.maxScheduledRuns,
    });
    this.scheduleId = resource.id;
    validateAtSynth(this, () => [
      ...(scheduleProblems.get(props.schedule) ?? []).map((problem) => `schedule (${props.schedule.kind}): ${problem}`),
      ...propProblems(deploymentScheduleSchema, attributes, {
        deployment_id: "deployment",
        cron: "schedule (cron)",
        day_or: "schedule (dayOr)",
        interval: "schedule (interval)",
        anchor_date: "schedule (anchorDate)",
        rrule: "schedule (rrule)",
      }),
    ]);
  }
}
