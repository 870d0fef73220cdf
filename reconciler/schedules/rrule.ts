// Next run times of an rrule schedule, as Prefect's server computes them
// (src/prefect/server/schemas/schedules.py RRuleSchedule.to_rrule and _get_dates_generator).
// dateutil expands the rule on the wall clock of the schedule's zone; rrule (JS) expands it here
// on a floating wall clock (no zone: rrule's own TZID handling would use this machine's zone),
// and each occurrence is then placed in the zone as dateutil places it.
import rrulePackage from "rrule";
import type { RRule as RRuleType, RRuleSet as RRuleSetType } from "rrule";
import { MAX_ITERATIONS, firstDistinct } from "./collect.js";
import { placeDateutil, wallAt } from "./zone.js";

// rrule ships CommonJS: Node's ESM loader only exposes its default export.
const { RRule, RRuleSet, rrulestr } = rrulePackage;

const DAY_MS = 86_400_000;

/** A rule without DTSTART starts at 2020-01-01T00:00 (schedules.py DEFAULT_ANCHOR_DATE). */
const DEFAULT_DTSTART = Date.UTC(2020, 0, 1);

/**
 * Rules without DTSTART or COUNT that repeat by the minute or second are stored with a DTSTART
 * floored to their period near the time they are written, keeping the 2020 phase (Prefect
 * 3.6.26+, devserver/routes/schedule-validation.ts withExplicitDtstart), so dateutil need not
 * walk every occurrence since 2020. Starting there yields the same occurrences from `wallStart`.
 */
function defaultDtstart(rule: string, wallStart: number): number {
  const frequency = /FREQ=([A-Z]+)/i.exec(rule)?.[1]?.toUpperCase();
  if ((frequency !== "MINUTELY" && frequency !== "SECONDLY") || /COUNT=/i.test(rule)) return DEFAULT_DTSTART;
  const interval = Number(/INTERVAL=(\d+)/i.exec(rule)?.[1] ?? "1") || 1;
  const period = interval * (frequency === "MINUTELY" ? 60_000 : 1000);
  return DEFAULT_DTSTART + Math.max(0, Math.floor((wallStart - DEFAULT_DTSTART) / period) - 1) * period;
}

/** A rule without its zone; rrulestr leaves DTSTART unset (then "now") when the text has none. */
function floating(rule: RRuleType | RRuleSetType, dtstart: number): RRuleType {
  if (rule instanceof RRuleSet) throw new TypeError("nested rrule sets are not RFC 5545");
  return new RRule({ ...rule.origOptions, dtstart: rule.origOptions.dtstart ?? new Date(dtstart), tzid: null });
}

/**
 * The rule as a set on a floating wall clock. Prefect replaces the zone of DTSTART, UNTIL,
 * RDATE and EXDATE with the schedule's time zone, keeping their wall times: a TZID in the
 * rule, or a Z on UNTIL, does not change when runs happen; the `timezone` attribute does.
 */
function wallRuleSet(rule: string, wallStart: number): RRuleSetType {
  const dtstart = defaultDtstart(rule, wallStart);
  const parsed = rrulestr(rule, { forceset: true }) as RRuleSetType;
  const set = new RRuleSet();
  for (const item of parsed.rrules()) set.rrule(floating(item, dtstart));
  for (const item of parsed.exrules()) set.exrule(floating(item, dtstart));
  for (const date of parsed.rdates()) set.rdate(date);
  for (const date of parsed.exdates()) set.exdate(date);
  return set;
}

/**
 * The first `count` run times of an rrule schedule on or after `start`, ascending. Each
 * occurrence is placed in the zone as dateutil does (a wall time skipped by DST lands an hour
 * earlier, a repeated one at its first occurrence); those before `start` are skipped
 * (rrule.xafter, inclusive) and an instant already found is dropped.
 */
export function rruleRuns(rule: string, timeZone: string, start: number, count: number): number[] {
  const set = wallRuleSet(rule, wallAt(start, timeZone));
  const candidates: number[] = [];
  const distinct = new Set<number>();
  set.all((wall) => {
    // No zone is more than a day from UTC: a wall time two days before the start is before it.
    if (wall.getTime() < start - 2 * DAY_MS) return true;
    const instant = placeDateutil(wall.getTime(), timeZone);
    if (instant < start) return true;
    candidates.push(instant);
    distinct.add(instant);
    return distinct.size < count && candidates.length <= MAX_ITERATIONS;
  });
  return firstDistinct(candidates, count);
}
