// prefect_deployment_schedule: one schedule (cron, interval or rrule) of a deployment. A
// schedule has no name of its own: with a slug it is found by deployment and slug, otherwise
// through the engine's state.
import { attr, cloudScope, commonComputed, type SpecOf } from "../attributes.js";
import { uuidReference } from "../deployment/schema.js";
import type { KindSchema, Spec, SpecIssue } from "../kind.js";
import { anchorDateProblem, cronProblem, rruleProblem, sameInstant, sameRrule, timeZoneProblem } from "./rules.js";

/** A declared deployment schedule (derived from its attributes). */
export type DeploymentScheduleSpec = SpecOf<typeof deploymentScheduleAttributes> & Spec;

/** The attributes that describe when runs happen (the API's `schedule` object). */
export const SCHEDULE_ATTRIBUTES = ["cron", "interval", "rrule", "timezone", "anchor_date", "day_or"] as const;

const KINDS = ["cron", "interval", "rrule"] as const;

function positiveWhole(name: string, what: string) {
  return (value: number): string | undefined => (Number.isInteger(value) && value > 0 ? undefined : `is ${value}; ${name} must be a whole number of ${what}, at least 1`);
}

/** The deployment schedule's attributes, with every Terraform fact: the spec type above is derived from them. */
const deploymentScheduleAttributes = {
  // Optional in the official schema, so that a schedule can be named by id.
  id: attr.string({ description: "The schedule's id (UUID).", optional: true, computed: true, format: "uuid", stable: true }),
  created: attr.string({ description: "When the schedule was created (RFC 3339).", computed: true, format: "rfc3339" }),
  updated: commonComputed.updated(),
  account_id: cloudScope("account"),
  workspace_id: cloudScope("workspace"),
  deployment_id: uuidReference("The id of the deployment the schedule belongs to.", "prefect_deployment.id"),
  active: attr.bool({
    description: "Whether the schedule creates runs. Not declared: left as it is (true for a new schedule).",
    optional: true,
    computed: true,
  }),
  max_scheduled_runs: attr.number({
    description: "How many runs of the schedule Prefect keeps scheduled ahead (the server's setting when not set).",
    optional: true,
    computed: true,
    check: positiveWhole("max_scheduled_runs", "runs"),
  }),
  parameters: attr.json({ description: "Parameters for the schedule's runs, over the deployment's (a JSON object).", optional: true, computed: true, default: {} }),
  slug: attr.string({
    description: "A name for the schedule, unique within its deployment.",
    optional: true,
    computed: true,
    check: (slug) => (slug.trim() === "" ? `is ${JSON.stringify(slug)}; leave slug out or give it a value that is not blank` : undefined),
  }),
  timezone: attr.string({
    description: "The IANA time zone the schedule's times are in (UTC for interval and rrule schedules when not set).",
    optional: true,
    computed: true,
    check: timeZoneProblem,
  }),
  interval: attr.number({
    description: "(interval schedules) Seconds between runs.",
    optional: true,
    computed: true,
    check: (value) => (value > 0 && Number.isFinite(value) ? undefined : `is ${value}; interval must be a number of seconds greater than 0`),
  }),
  anchor_date: attr.string({
    description: "(interval schedules) The date-time the intervals count from (RFC 3339; the time the schedule was made when not set).",
    optional: true,
    computed: true,
    check: anchorDateProblem,
    compare: sameInstant,
  }),
  cron: attr.string({ description: "(cron schedules) The cron expression, e.g. \"0 6 * * 1-5\".", optional: true, computed: true, check: cronProblem }),
  day_or: attr.bool({
    description: "(cron schedules) Whether a run needs its day-of-month or (true) its day-of-week to match, or (false) both.",
    optional: true,
    computed: true,
  }),
  rrule: attr.string({
    description: "(rrule schedules) An RFC 5545 recurrence rule, e.g. \"FREQ=WEEKLY;BYDAY=MO;BYHOUR=9\".",
    optional: true,
    computed: true,
    check: rruleProblem,
    compare: sameRrule,
  }),
};

/** The prefect_deployment_schedule schema: the official provider's attributes, their facts and cross-attribute rules. */
export const deploymentScheduleSchema: KindSchema<DeploymentScheduleSpec> = {
  type: "prefect_deployment_schedule",
  title: "deployment schedule",
  noun: "schedule",
  description: "A schedule of a Prefect deployment: runs at cron times, at a fixed interval or by an RFC 5545 recurrence rule, with its own parameters.",
  version: 0,
  attributes: deploymentScheduleAttributes,
  identity: (spec) => (spec.slug !== undefined && typeof spec.deployment_id === "string" ? `${spec.deployment_id.toLowerCase()}/${spec.slug}` : undefined),
  label: (spec) => {
    const when = spec.cron !== undefined ? `cron "${spec.cron}"` : spec.interval !== undefined ? `every ${spec.interval}s` : spec.rrule !== undefined ? `rrule "${spec.rrule}"` : "schedule";
    return spec.slug !== undefined ? `deployment schedule "${spec.slug}" (${when})` : `deployment schedule (${when})`;
  },
  check: (spec) => {
    const issues: SpecIssue[] = [];
    const declared = KINDS.filter((name) => spec[name] !== undefined);
    if (declared.length === 0) issues.push({ path: [], message: "declares no schedule; declare exactly one of cron, interval or rrule" });
    for (const extra of declared.slice(1)) {
      issues.push({ path: [extra], message: `conflicts with ${declared[0]}: declare exactly one of cron, interval or rrule` });
    }
    if (spec.day_or !== undefined && spec.cron === undefined) issues.push({ path: ["day_or"], message: "only applies to cron schedules; remove it or declare cron" });
    if (spec.anchor_date !== undefined && spec.interval === undefined) issues.push({ path: ["anchor_date"], message: "only applies to interval schedules; remove it or declare interval" });
    return issues;
  },
};
