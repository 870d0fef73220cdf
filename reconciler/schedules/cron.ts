// Next run times of a cron schedule, as Prefect's server computes them
// (src/prefect/server/schemas/schedules.py CronSchedule._get_dates_generator, Python 3.13+
// branch, the one a 3.8 server on Python 3.14 runs): croniter walks the wall clock of the
// schedule's zone with no zone attached, and each wall time it finds is placed in the zone.
// cron-parser walks the wall clock here (in UTC, where no time is skipped or repeated);
// croniter's day_or and its field rules are applied around it, since cron-parser only ORs.
import { CronExpressionParser, type CronExpression } from "cron-parser";
import { placeCompatible, wallAt } from "./zone.js";
import { MAX_ITERATIONS, firstDistinct } from "./collect.js";

/** croniter's aliases (src/prefect/_vendor/croniter/croniter.py expand, expr_aliases). */
const ALIASES: Record<string, string> = {
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
  "@daily": "0 0 * * *",
  "@weekly": "0 0 * * 0",
  "@monthly": "0 0 1 * *",
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
};

/** croniter gives up when no match comes within 50 years (max_years_between_matches). */
const MAX_YEARS_BETWEEN_MATCHES = 50;

interface CronFields {
  minute: string;
  hour: string;
  dom: string;
  month: string;
  dow: string;
  /** croniter's 6th field. */
  second: string;
  /** croniter's 7th field. */
  year: string;
  hasSeconds: boolean;
}

function cronFields(expression: string): CronFields {
  const trimmed = expression.trim();
  const fields = (ALIASES[trimmed.toLowerCase()] ?? trimmed).split(/\s+/);
  const [minute = "*", hour = "*", dom = "*", month = "*", dow = "*", second = "0", year = "*"] = fields;
  return { minute, hour, dom, month, dow, second, year, hasSeconds: fields.length > 5 };
}

function parse(fields: CronFields, dom: string, dow: string, after: number): CronExpression {
  return CronExpressionParser.parse([fields.second, fields.minute, fields.hour, dom, fields.month, dow].join(" "), { currentDate: new Date(after), tz: "UTC", strict: false });
}

function* walk(expression: CronExpression): Generator<number> {
  for (;;) {
    try {
      yield expression.next().getTime();
    } catch {
      return;
    }
  }
}

/** Two ascending walks as one, each time once. */
function* union(left: Generator<number>, right: Generator<number>): Generator<number> {
  let a = left.next();
  let b = right.next();
  while (!a.done || !b.done) {
    if (b.done || (!a.done && a.value < b.value)) {
      yield a.value;
      a = left.next();
    } else if (a.done || b.value < a.value) {
      yield b.value;
      b = right.next();
    } else {
      yield a.value;
      a = left.next();
      b = right.next();
    }
  }
}

function distinctCount(values: readonly unknown[], modulo: number): number {
  return new Set(values.filter((value): value is number => typeof value === "number").map((value) => value % modulo)).size;
}

/**
 * Whether croniter reads a day field as "*": written so, or every value listed while the other
 * day field has a "*" in it (croniter.py _expand, the LEN_MEANS_ALL check); `?` is read as `*`.
 */
function dayFieldIsStar(field: string, other: string, values: readonly unknown[], all: number, modulo: number): boolean {
  if (field === "*" || field === "?") return true;
  return distinctCount(values, modulo) === all && other.includes("*");
}

/** A year field of croniter's 7-field form: "*", years, ranges and steps. */
function yearMatcher(field: string): { matches: (year: number) => boolean; last: number } {
  if (field === "*") return { matches: () => true, last: Number.POSITIVE_INFINITY };
  const years = new Set<number>();
  for (const item of field.split(",")) {
    const [range = "", step = "1"] = item.split("/");
    const [low, high] = range === "*" ? [1970, 2099] : range.split("-").map(Number);
    for (let year = low ?? 1970; year <= (high ?? (item.includes("/") ? 2099 : low ?? 1970)); year += Number(step) || 1) years.add(year);
  }
  return { matches: (year) => years.has(year), last: Math.max(...years) };
}

/**
 * Wall times matching a cron expression, strictly after `after` (a wall time), in order.
 * croniter ORs the day fields only when `day_or` is true and neither reads as "*"
 * (croniter.py _get_next); otherwise a day must match both.
 */
export function* cronWallTimes(expression: string, dayOr: boolean, after: number): Generator<number> {
  const fields = cronFields(expression);
  let parsed: CronExpression;
  try {
    parsed = parse(fields, fields.dom, fields.dow, after);
  } catch (error) {
    // croniter accepts days that never come (31 February) and finds no date for them.
    if (/Invalid explicit day of month definition/.test((error as Error).message)) return;
    throw error;
  }
  const domStar = dayFieldIsStar(fields.dom, fields.dow, parsed.fields.dayOfMonth.values, 31, 32);
  const dowStar = dayFieldIsStar(fields.dow, fields.dom, parsed.fields.dayOfWeek.values, 7, 7);
  let times: Generator<number>;
  if (domStar || dowStar) {
    times = walk(parse(fields, domStar ? "*" : fields.dom, dowStar ? "*" : fields.dow, after));
  } else if (dayOr) {
    times = union(walk(parse(fields, fields.dom, "*", after)), walk(parse(fields, "*", fields.dow, after)));
  } else {
    const weekdays = parse(fields, "*", fields.dow, after);
    times = (function* () {
      for (const time of walk(parse(fields, fields.dom, "*", after))) if (weekdays.includesDate(new Date(time))) yield time;
    })();
  }
  const years = yearMatcher(fields.year);
  const horizon = new Date(after).getUTCFullYear() + MAX_YEARS_BETWEEN_MATCHES;
  for (const time of times) {
    const year = new Date(time).getUTCFullYear();
    if (year > years.last || year > horizon) return;
    if (years.matches(year)) yield time;
  }
}

/**
 * The first `count` run times of a cron schedule on or after `start`, ascending. Prefect steps
 * back one second from the start (rounding microseconds up) so that a run at the start itself
 * counts, lets croniter find the next wall times from there, and places each in the zone with
 * Python's fold=0 rule: a skipped wall time runs an hour later, a repeated one once, at its
 * first occurrence; a wall time placed on an instant already found is dropped.
 */
export function cronRuns(expression: string, dayOr: boolean, timeZone: string, start: number, count: number): number[] {
  let from = start - 1000;
  if (from % 1000 !== 0) from += 1000;
  const wallStart = wallAt(from, timeZone);
  // croniter starts one second (one minute for 5 fields) past the whole second (minute) it is given.
  const unit = cronFields(expression).hasSeconds ? 1000 : 60_000;
  const after = Math.floor(wallStart / unit) * unit;
  const candidates = (function* () {
    let tries = 0;
    for (const wall of cronWallTimes(expression, dayOr, after)) {
      if (tries++ > MAX_ITERATIONS) return;
      yield placeCompatible(wall, timeZone);
    }
  })();
  return firstDistinct(candidates, count);
}
