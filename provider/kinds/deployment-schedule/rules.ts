// Schedule strings checked at declaration time the way Prefect's server checks them (cron as
// croniter accepts it, rrule as dateutil parses it, IANA time zones), so a bad schedule fails
// the plan with its attribute named rather than the apply with a 422.
import { CronExpressionParser } from "cron-parser";
import rrulePackage from "rrule";

// rrule ships CommonJS: Node's ESM loader only exposes its default export.
const { rrulestr } = rrulePackage;

/** The `@` aliases croniter knows. */
const CRON_ALIASES = ["@midnight", "@hourly", "@daily", "@weekly", "@monthly", "@yearly", "@annually"];

const CRON_HELP = 'use 5 fields (minute hour day-of-month month day-of-week, e.g. "0 6 * * 1-5"), optionally a 6th for seconds and a 7th for the year, or one of ' + CRON_ALIASES.join(", ");

/**
 * Why Prefect would refuse a cron expression, or undefined. croniter takes seconds as the 6th
 * field (cron-parser wants them first) and a year as the 7th; hashed `H` fields need a hash
 * id Prefect never passes, and Prefect refuses random `R` fields.
 */
export function cronProblem(expression: string): string | undefined {
  const invalid = `${JSON.stringify(expression)} is not a valid cron expression: ${CRON_HELP}`;
  const trimmed = expression.trim();
  if (trimmed.startsWith("@")) return CRON_ALIASES.includes(trimmed.toLowerCase()) ? undefined : invalid;
  const fields = trimmed.split(/\s+/);
  if (fields.length < 5 || fields.length > 7) return `${invalid} (found ${trimmed === "" ? 0 : fields.length} fields)`;
  if (fields.some((field) => /(^|[^A-Za-z])H([^A-Za-z]|$)/i.test(field))) return `${JSON.stringify(expression)} uses a hashed (H) field, which Prefect does not support`;
  if (fields.some((field) => /^r$/i.test(field))) return `${JSON.stringify(expression)} uses a random (R) field, which Prefect does not support`;
  if (fields.length === 7 && !/^(\*|\d{4}(-\d{4})?(\/\d+)?)(,(\*|\d{4}(-\d{4})?(\/\d+)?))*$/.test(fields[6] ?? "")) {
    return `${invalid} (the 7th field is a year, e.g. 2030 or 2025-2030)`;
  }
  const [minute, hour, day, month, weekday, second] = fields;
  try {
    CronExpressionParser.parse([second ?? "0", minute, hour, day, month, weekday].join(" "), { strict: false });
  } catch (error) {
    // croniter accepts days that never come (31 February); cron-parser refuses them up front.
    if (!/Invalid explicit day of month definition/.test((error as Error).message)) return `${invalid} (${(error as Error).message})`;
  }
  return undefined;
}

/** dateutil int()s every numeric rule part; the JS parser is laxer about them. */
const INTEGER_RULE_PARTS = new Set(["COUNT", "INTERVAL", "BYSETPOS", "BYMONTH", "BYMONTHDAY", "BYYEARDAY", "BYEASTER", "BYWEEKNO", "BYHOUR", "BYMINUTE", "BYSECOND"]);

/** Prefect caps rrule strings (about a year of RDATEs). */
const MAX_RRULE_LENGTH = 6500;

/** Why Prefect would refuse an RFC 5545 recurrence rule, or undefined. */
export function rruleProblem(rule: string): string | undefined {
  const invalid = (reason: string) => `${JSON.stringify(rule)} is not a valid RRule (${reason}); use RFC 5545 syntax, e.g. "FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9"`;
  if (rule.trim() === "") return invalid("it is empty");
  try {
    rrulestr(rule);
  } catch (error) {
    return invalid((error as Error).message);
  }
  for (const line of rule.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    const [name, value] = colon >= 0 ? [line.slice(0, colon), line.slice(colon + 1)] : ["RRULE", line];
    if (!/^(RRULE|EXRULE)$/i.test(name.trim())) continue;
    for (const part of value.split(";")) {
      const [key = "", raw = ""] = part.split("=");
      if (!INTEGER_RULE_PARTS.has(key.trim().toUpperCase())) continue;
      const bad = raw.split(",").find((item) => !/^[+-]?\d+$/.test(item.trim()));
      if (bad !== undefined) return invalid(`${key.trim().toUpperCase()} must be a whole number, got ${JSON.stringify(bad)}`);
    }
  }
  if (rule.length > MAX_RRULE_LENGTH) return `is ${rule.length} characters long; Prefect allows RRules of at most ${MAX_RRULE_LENGTH}`;
  return undefined;
}

const DTSTART_LINE = /^DTSTART[:;][^\n]*\n/i;

/**
 * Whether a declared rrule and the stored one are the same schedule. Prefect gives a rule
 * without DTSTART an explicit one when it stores it (2020-01-01, scenarios.jsonl "schedule add
 * rrule"; or the current period for minutely and secondly rules), so that added line is not a
 * difference.
 */
export function sameRrule(declared: unknown, live: unknown): boolean {
  if (typeof declared !== "string" || typeof live !== "string") return declared === live;
  if (declared === live) return true;
  return !/DTSTART/i.test(declared) && live.replace(DTSTART_LINE, "") === declared;
}

/**
 * Whether a name is an IANA time zone. Intl knows the same names and aliases (US/Eastern) as
 * the server's tz database but matches them without case, where Prefect does not.
 */
export function timeZoneProblem(name: string): string | undefined {
  // Building an Intl.DateTimeFormat costs ~50 µs: a stack names few zones, each checked once.
  if (!zoneProblems.has(name)) zoneProblems.set(name, checkTimeZone(name));
  return zoneProblems.get(name);
}

const zoneProblems = new Map<string, string | undefined>();

function checkTimeZone(name: string): string | undefined {
  const problem = `${JSON.stringify(name)} is not an IANA time zone; use a name such as "UTC", "Europe/Paris" or "America/New_York"`;
  if (!/^[A-Z][A-Za-z0-9_+-]*(\/[A-Z][A-Za-z0-9_+-]*)*$/.test(name)) return problem;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return undefined;
  } catch {
    return problem;
  }
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Why an anchor date is not an RFC 3339 date-time with an offset, or undefined. */
export function anchorDateProblem(value: string): string | undefined {
  return RFC3339.test(value) && !Number.isNaN(Date.parse(value))
    ? undefined
    : `${JSON.stringify(value)} is not an RFC 3339 date-time with a time zone offset; use e.g. "2024-01-01T09:00:00Z" or "2024-01-01T09:00:00+02:00"`;
}

/** Two anchor dates naming the same instant ("Z" and "+00:00", fractions of seconds or not). */
export function sameInstant(declared: unknown, live: unknown): boolean {
  if (typeof declared !== "string" || typeof live !== "string") return declared === live;
  return declared === live || Date.parse(declared) === Date.parse(live);
}
