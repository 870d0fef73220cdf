// Deployment schedules as Prefect's server parses them: interval, cron and rrule schedules are
// validated beyond the JSON schema (cron strings as croniter accepts them, rrule strings as
// dateutil parses them, IANA time zones) and normalized the way the server stores them
// (intervals in seconds, a default anchor date and time zone, an explicit DTSTART in rrules).
import { CronExpressionParser } from "cron-parser";
import rrulePackage from "rrule";
import type { ContractIssue } from "../../contract/validator.js";
import type { components } from "../../contract/wire.gen.js";
import { unprocessable, valueErrorIssue } from "../http.js";
import { timestamp } from "../filters.js";
import type { DurationForm } from "../router.js";

// rrule ships CommonJS: Node's ESM loader only exposes its default export.
const { rrulestr } = rrulePackage;

type Schemas = components["schemas"];
/** A schedule as stored and returned (`DeploymentSchedule.schedule`). */
export type ScheduleSpec = Schemas["DeploymentSchedule"]["schedule"];
export type DeploymentScheduleEntity = Schemas["DeploymentSchedule"];

/** PREFECT_DEPLOYMENT_SCHEDULE_MAX_SCHEDULED_RUNS: the server's default ceiling. */
export const MAX_SCHEDULED_RUNS = 50;
/** dateutil-based rrule strings are capped at about a year of RDATEs. */
const MAX_RRULE_LENGTH = 6500;
/** The anchor Prefect falls back to for rrules without DTSTART (kept for phase stability). */
const LEGACY_RRULE_ANCHOR = Date.UTC(2020, 0, 1);

type Loc = (string | number)[];

function valueError(loc: Loc, message: string, input: unknown): ContractIssue {
  return valueErrorIssue(loc, message, input);
}

/**
 * Whether a name is an IANA time zone the server knows. Intl accepts aliases (US/Eastern) as
 * the server does, but matches case-insensitively where the server does not.
 */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Z][A-Za-z0-9_+-]*(\/[A-Z][A-Za-z0-9_+-]*)*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const ISO_DURATION =
  /^([-+])?P(?!$)(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?=\d)(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/i;
const CLOCK_DURATION = /^([-+])?(?:(\d+)\s*d(?:ays?)?,?\s*)?(?:(\d+):)?(\d+):(\d+(?:\.\d+)?)$/i;

/** Seconds in a duration as pydantic parses a timedelta (numbers, ISO 8601, `[D days, ]HH:MM:SS`). */
export function durationSeconds(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  if (/^[-+]?\d+(\.\d+)?$/.test(text)) return Number(text);
  const iso = ISO_DURATION.exec(text);
  if (iso) {
    const part = (index: number) => Number((iso[index] ?? "0").replace(",", "."));
    const seconds = part(2) * 365 * 86400 + part(3) * 30 * 86400 + part(4) * 7 * 86400 + part(5) * 86400 + part(6) * 3600 + part(7) * 60 + part(8);
    return iso[1] === "-" ? -seconds : seconds;
  }
  const clock = CLOCK_DURATION.exec(text);
  if (clock) {
    const seconds = Number(clock[2] ?? 0) * 86400 + Number(clock[3] ?? 0) * 3600 + Number(clock[4]) * 60 + Number(clock[5]);
    return clock[1] === "-" ? -seconds : seconds;
  }
  return undefined;
}

const CRONITER_ALIASES = new Set(["@midnight", "@hourly", "@daily", "@weekly", "@monthly", "@yearly", "@annually"]);

/**
 * Why a cron string is invalid, as croniter's `is_valid` and Prefect's own check decide, or
 * `undefined` when it is valid. croniter takes 5 fields, a 6th for seconds (last, where
 * cron-parser wants them first) and a 7th for the year; hashed `H` fields need a hash id the
 * server never passes, and random `R` fields are refused by Prefect.
 */
export function cronProblem(expression: string): string | undefined {
  const invalid = `Invalid cron string: "${expression}"`;
  const trimmed = expression.trim();
  if (trimmed.startsWith("@")) return CRONITER_ALIASES.has(trimmed.toLowerCase()) ? undefined : invalid;
  const fields = trimmed.split(/\s+/);
  if (fields.length < 5 || fields.length > 7) return invalid;
  if (fields.some((field) => /(^|[^A-Za-z])H([^A-Za-z]|$)/i.test(field))) return invalid;
  if (fields.length === 7 && !/^(\*|\d{4}(-\d{4})?(\/\d+)?)(,(\*|\d{4}(-\d{4})?(\/\d+)?))*$/.test(fields[6] ?? "")) return invalid;
  const randomFree = fields.map((field) => (/^r$/i.test(field) ? "*" : field));
  const [minute, hour, day, month, weekday, second] = randomFree;
  const parserExpression = [second ?? "0", minute, hour, day, month, weekday].join(" ");
  try {
    CronExpressionParser.parse(parserExpression, { strict: false });
  } catch (error) {
    // croniter accepts days that never come (31 February); cron-parser refuses them up front.
    if (!/Invalid explicit day of month definition/.test((error as Error).message)) return invalid;
  }
  if (fields.some((field) => /^r$/i.test(field))) return `Random and Hashed expressions are unsupported, received: "${expression}"`;
  return undefined;
}

const INTEGER_RULE_PARTS = new Set(["COUNT", "INTERVAL", "BYSETPOS", "BYMONTH", "BYMONTHDAY", "BYYEARDAY", "BYEASTER", "BYWEEKNO", "BYHOUR", "BYMINUTE", "BYSECOND"]);

/** Why an rrule string is invalid, as dateutil's `rrulestr` and Prefect's length cap decide. */
export function rruleProblem(rule: string): string | undefined {
  try {
    rrulestr(rule);
  } catch (error) {
    return `Invalid RRule string "${rule}": ${(error as Error).message}`;
  }
  // The JS parser is laxer than dateutil about numbers: dateutil int()s every numeric part.
  for (const line of rule.split(/\r?\n/)) {
    const [name, value] = line.includes(":") ? [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1)] : ["RRULE", line];
    if (!/^(RRULE|EXRULE)$/i.test(name.trim())) continue;
    for (const part of value.split(";")) {
      const [key = "", raw = ""] = part.split("=");
      if (!INTEGER_RULE_PARTS.has(key.trim().toUpperCase())) continue;
      const bad = raw.split(",").find((item) => !/^[+-]?\d+$/.test(item.trim()));
      if (bad !== undefined) return `Invalid RRule string "${rule}": invalid literal for int() with base 10: '${bad}'`;
    }
  }
  if (rule.length > MAX_RRULE_LENGTH) return `Invalid RRule string "${rule.slice(0, 40)}..."\nMax length is ${MAX_RRULE_LENGTH}, got ${rule.length}`;
  return undefined;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}

/** A floating (zone-less) iCalendar date-time, as dateutil writes DTSTART. */
function icalFloating(wall: Date): string {
  return `${wall.getUTCFullYear()}${pad(wall.getUTCMonth() + 1)}${pad(wall.getUTCDate())}T${pad(wall.getUTCHours())}${pad(wall.getUTCMinutes())}${pad(wall.getUTCSeconds())}`;
}

/** The wall-clock time in a zone, as a Date whose UTC fields carry it. */
function wallClock(now: Date, timeZone: string): Date {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })
      .formatToParts(now)
      .map((part) => [part.type, part.value]),
  );
  return new Date(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second)));
}

/**
 * The rrule string the server stores. Since Prefect 3.6.26 the write path gives every rrule
 * without a DTSTART an explicit one, so dateutil does not walk every occurrence since 2020:
 * `DTSTART:20200101T000000` (floating) followed by a newline and the rule as sent; minutely
 * and secondly rules without COUNT get the current time floored to the rule's period instead
 * (phase kept against the 2020 anchor). Clients comparing with what they sent should drop a
 * leading `DTSTART:...` line the server added.
 */
export function withExplicitDtstart(rule: string, timeZone: string, now: Date): string {
  if (/DTSTART/i.test(rule)) return rule;
  const frequency = /FREQ=([A-Z]+)/i.exec(rule)?.[1]?.toUpperCase();
  let anchor = LEGACY_RRULE_ANCHOR;
  if ((frequency === "MINUTELY" || frequency === "SECONDLY") && !/COUNT=/i.test(rule)) {
    const interval = Number(/INTERVAL=(\d+)/i.exec(rule)?.[1] ?? "1") || 1;
    const periodMs = interval * (frequency === "MINUTELY" ? 60_000 : 1000);
    const elapsed = wallClock(now, isTimeZone(timeZone) ? timeZone : "UTC").getTime() - LEGACY_RRULE_ANCHOR;
    anchor = LEGACY_RRULE_ANCHOR + Math.floor(elapsed / periodMs) * periodMs;
  }
  return `DTSTART:${icalFloating(new Date(anchor))}\n${rule}`;
}

type ScheduleKind = "IntervalSchedule" | "CronSchedule" | "RRuleSchedule";

/**
 * The members of the server's schedule union, in its order: pydantic names a member by its model,
 * wrapped in the model's after-validator (scenarios.jsonl "schedule bad cron"), and each model
 * forbids fields it does not have (src/prefect/server/schemas/schedules.py, `extra="forbid"`).
 */
interface ScheduleMember {
  kind: ScheduleKind;
  tag: string;
  fields: string[];
  required: string;
}

const SCHEDULE_MEMBERS: [ScheduleMember, ScheduleMember, ScheduleMember] = [
  { kind: "IntervalSchedule", tag: "function-after[validate_timezone(), IntervalSchedule]", fields: ["interval", "anchor_date", "timezone"], required: "interval" },
  { kind: "CronSchedule", tag: "function-after[validate_timezone(), CronSchedule]", fields: ["cron", "timezone", "day_or"], required: "cron" },
  { kind: "RRuleSchedule", tag: "RRuleSchedule", fields: ["rrule", "timezone"], required: "rrule" },
];

function scheduleKind(input: Record<string, unknown>): ScheduleKind {
  if ("interval" in input) return "IntervalSchedule";
  if ("cron" in input) return "CronSchedule";
  return "RRuleSchedule";
}

/** What a union member the input was not meant for reports: its missing field, then each extra one. */
function memberMismatch(member: ScheduleMember, input: Record<string, unknown>, loc: Loc): ContractIssue[] {
  const issues: ContractIssue[] = [];
  if (!(member.required in input)) issues.push({ type: "missing", loc: [...loc, member.tag, member.required], msg: "Field required", input });
  for (const [field, value] of Object.entries(input)) {
    if (!member.fields.includes(field)) issues.push({ type: "extra_forbidden", loc: [...loc, member.tag, field], msg: "Extra inputs are not permitted", input: value });
  }
  return issues;
}

/**
 * An ISO 8601 duration as a Python 3.13+ server keeps it: whenever's ItemizedDelta keeps the
 * units it was given (no normalization), so the text comes back as sent, in capitals.
 */
function isoIntervalText(value: unknown): string | undefined {
  return typeof value === "string" && ISO_DURATION.test(value.trim()) ? value.trim().toUpperCase() : undefined;
}

/**
 * Validate and normalize one schedule (`interval`, `cron` or `rrule` object) the way the server
 * does. A schedule that fits none of the union's members gets an issue list for each member, in
 * the union's order, as pydantic reports a failed union. `durations` says how an interval sent as
 * ISO text is answered.
 */
function normalizeSchedule(input: Record<string, unknown>, loc: Loc, now: Date, durations: DurationForm): { schedule?: ScheduleSpec; issues: ContractIssue[] } {
  const kind = scheduleKind(input);
  const own = SCHEDULE_MEMBERS.find((member) => member.kind === kind) ?? SCHEDULE_MEMBERS[0];
  const result = memberSchedule(kind, own.tag, input, loc, now, durations);
  const extras = memberMismatch(own, input, loc).filter((issue) => issue.type === "extra_forbidden");
  if (!result.issues.length && !extras.length) return result;
  const issues = SCHEDULE_MEMBERS.flatMap((member) => (member === own ? [...result.issues, ...extras] : memberMismatch(member, input, loc)));
  return { issues };
}

/** The schedule one member makes of the input, or that member's issues. */
function memberSchedule(kind: ScheduleKind, tag: string, input: Record<string, unknown>, loc: Loc, now: Date, durations: DurationForm): { schedule?: ScheduleSpec; issues: ContractIssue[] } {
  const at = (field?: string): Loc => (field ? [...loc, tag, field] : [...loc, tag]);
  const issues: ContractIssue[] = [];
  const timeZone = input.timezone;
  const badZone = typeof timeZone === "string" && timeZone !== "" && !isTimeZone(timeZone);

  if (kind === "IntervalSchedule") {
    const seconds = durationSeconds(input.interval);
    if (seconds === undefined) {
      issues.push({ type: "time_delta_parsing", loc: at("interval"), msg: "Input should be a valid timedelta, invalid duration format", input: input.interval });
    } else if (seconds <= 0) {
      // src/prefect/types/_datetime.py _validate_positive_interval, an AfterValidator on the interval.
      issues.push(valueError(at("interval"), "interval must be positive", input.interval));
    }
    // The zone is checked by the model's after-validator (default_timezone), once the fields are valid.
    if (!issues.length && badZone) issues.push(valueError(at(), `Invalid timezone: "${timeZone}" (specify in IANA tzdata format, for example, America/New_York)`, input));
    if (issues.length || seconds === undefined) return { issues };
    // Anchor dates arrive as offsets, never zone names, so the inferred zone is always UTC.
    const zone = typeof timeZone === "string" && timeZone ? timeZone : "UTC";
    const anchor = typeof input.anchor_date === "string" ? input.anchor_date : timestamp(now);
    // On Python 3.13+ an interval is `timedelta | ItemizedDelta` (src/prefect/types/_datetime.py
    // `Interval`): ISO text parses as the latter and is answered as sent (scenarios.jsonl "schedule
    // add interval iso"); numbers are timedeltas, answered as seconds ("schedule add interval number").
    const text = durations === "as-sent" ? isoIntervalText(input.interval) : undefined;
    return { schedule: { interval: text ?? seconds, anchor_date: anchor, timezone: zone }, issues };
  }

  if (kind === "CronSchedule") {
    const cron = String(input.cron);
    const problem = cronProblem(cron);
    if (problem) issues.push(valueError(at("cron"), problem, input.cron));
    // Like the interval's, the cron schedule's zone is checked by its after-validator (schedules.py CronSchedule.validate_timezone).
    if (!issues.length && badZone) issues.push(valueError(at(), `Invalid timezone: "${timeZone}" (specify in IANA tzdata format, for example, America/New_York)`, input));
    if (issues.length) return { issues };
    const zone = typeof timeZone === "string" && timeZone ? timeZone : null;
    return { schedule: { cron, timezone: zone, day_or: input.day_or !== false }, issues };
  }

  const rule = String(input.rrule);
  const problem = rruleProblem(rule);
  if (problem) issues.push(valueError(at("rrule"), problem, input.rrule));
  if (badZone) issues.push(valueError(at("timezone"), `Invalid timezone: "${timeZone}"`, timeZone));
  if (issues.length) return { issues };
  const zone = typeof timeZone === "string" && timeZone ? timeZone : "UTC";
  return { schedule: { rrule: withExplicitDtstart(rule, zone, now), timezone: zone }, issues };
}

/** The fields of a DeploymentScheduleCreate/Update other than the schedule itself, checked. */
function checkMaxScheduledRuns(value: unknown, loc: Loc, issues: ContractIssue[]): void {
  if (typeof value === "number" && value > MAX_SCHEDULED_RUNS) {
    issues.push(valueError([...loc, "max_scheduled_runs"], `\`max_scheduled_runs\` must be less than or equal to ${MAX_SCHEDULED_RUNS}.`, value));
  }
}

/** A schedule to create, validated, without its id and timestamps yet. */
export interface ScheduleDraft {
  schedule: ScheduleSpec;
  active: boolean;
  max_scheduled_runs: number | null;
  parameters: Record<string, unknown>;
  slug: string | null;
  replaces: string | null;
}

/**
 * Validate a list of DeploymentScheduleCreate payloads (`loc` points at the list). Every
 * problem is collected and answered at once with a 422, as pydantic does.
 */
export function scheduleDrafts(items: unknown[], loc: Loc, now: Date, durations: DurationForm, requestBody: unknown): ScheduleDraft[] {
  const issues: ContractIssue[] = [];
  const drafts: ScheduleDraft[] = [];
  items.forEach((raw, index) => {
    const item = raw as Record<string, unknown>;
    const itemLoc = [...loc, index];
    checkMaxScheduledRuns(item.max_scheduled_runs, itemLoc, issues);
    const normalized = normalizeSchedule(item.schedule as Record<string, unknown>, [...itemLoc, "schedule"], now, durations);
    issues.push(...normalized.issues);
    if (normalized.schedule) {
      drafts.push({
        schedule: normalized.schedule,
        active: item.active !== false,
        max_scheduled_runs: (item.max_scheduled_runs as number | null | undefined) ?? null,
        parameters: (item.parameters as Record<string, unknown> | undefined) ?? {},
        slug: (item.slug as string | null | undefined) ?? null,
        replaces: (item.replaces as string | null | undefined) ?? null,
      });
    }
  });
  if (issues.length) throw unprocessable(issues, requestBody);
  return drafts;
}

/** A DeploymentScheduleUpdate payload, validated: only the fields the update would write. */
export interface ScheduleChanges {
  schedule?: ScheduleSpec;
  active?: boolean;
  max_scheduled_runs?: number;
  parameters: Record<string, unknown>;
  slug?: string;
  replaces?: string;
}

/**
 * Validate one DeploymentScheduleUpdate. The server writes every field that is not None, and
 * `parameters` defaults to `{}`: an update that leaves it out resets the schedule's parameters.
 */
export function scheduleChanges(raw: Record<string, unknown>, loc: Loc, now: Date, durations: DurationForm, requestBody: unknown): ScheduleChanges {
  const issues: ContractIssue[] = [];
  checkMaxScheduledRuns(raw.max_scheduled_runs, loc, issues);
  let schedule: ScheduleSpec | undefined;
  if (raw.schedule && typeof raw.schedule === "object") {
    const normalized = normalizeSchedule(raw.schedule as Record<string, unknown>, [...loc, "schedule"], now, durations);
    issues.push(...normalized.issues);
    schedule = normalized.schedule;
  }
  if (issues.length) throw unprocessable(issues, requestBody);
  const changes: ScheduleChanges = { parameters: (raw.parameters as Record<string, unknown> | undefined) ?? {} };
  if (schedule) changes.schedule = schedule;
  if (typeof raw.active === "boolean") changes.active = raw.active;
  if (typeof raw.max_scheduled_runs === "number") changes.max_scheduled_runs = raw.max_scheduled_runs;
  if (typeof raw.slug === "string") changes.slug = raw.slug;
  if (typeof raw.replaces === "string") changes.replaces = raw.replaces;
  return changes;
}

/**
 * Timestamps for objects created in one request: the server stamps each row as it is written,
 * microseconds apart, so "newest first" orders a batch in reverse. `index` is the row's place.
 */
export function rowTimestamp(now: Date, index: number): string {
  return timestamp(now).replace(/000Z$/, `${pad(index % 1000, 3)}Z`);
}

/** A 422 for a problem the server reports on the whole body (model validators). */
export function bodyProblem(message: string, requestBody: unknown): never {
  // A ValueError from a model validator carries `ctx.error` (scenarios.jsonl "dep params violate schema").
  throw unprocessable([valueErrorIssue(["body"], message, requestBody)], requestBody);
}
