// Lengths of time as constructs take them (a schedule's interval, a trigger's window): a number
// of seconds, or parts that add up. Prefect keeps whole seconds.
import { isToken } from "./support.js";

/** The parts of a {@link DurationLike}; they add up. */
export interface DurationParts {
  /** @default 0 */
  readonly days?: number;
  /** @default 0 */
  readonly hours?: number;
  /** @default 0 */
  readonly minutes?: number;
  /** @default 0 */
  readonly seconds?: number;
}

/**
 * A length of time: a number of seconds (which may be a variable's value), or parts that add up:
 * `{ minutes: 5 }`, `{ hours: 1, minutes: 30 }` (5400 seconds).
 */
export type DurationLike = number | DurationParts;

const UNITS: Record<keyof DurationParts, number> = { days: 86_400, hours: 3_600, minutes: 60, seconds: 1 };

/**
 * Seconds for a duration, and what is wrong with it. A number (a token too) is taken as it is,
 * so the kind's rules judge it; parts must be plain numbers, since a token cannot be added up.
 * Parts left undefined are left out (their default is 0); parts that are wrong count for nothing.
 */
export function parseDurationLike(value: DurationLike): { seconds: number; problems: string[] } {
  if (typeof value === "number") return { seconds: value, problems: [] };
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { seconds: 0, problems: [`must be a number of seconds or an object such as { minutes: 5 }, got ${JSON.stringify(value)}`] };
  }
  const problems: string[] = [];
  let total = 0;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, amount]) => amount !== undefined);
  if (entries.length === 0) problems.push("is an empty duration; give days, hours, minutes or seconds (e.g. { minutes: 5 })");
  for (const [unit, amount] of entries) {
    const factor = UNITS[unit as keyof DurationParts];
    if (factor === undefined) {
      problems.push(`"${unit}" is not a unit of time; use days, hours, minutes or seconds (e.g. { minutes: 5 })`);
    } else if (isToken(amount)) {
      problems.push(`${unit} is a value known only at deploy time, which cannot be added up: give the whole duration as a number of seconds instead`);
    } else if (typeof amount !== "number" || !Number.isFinite(amount)) {
      problems.push(`${unit} must be a number, got ${JSON.stringify(amount)}`);
    } else {
      total += amount * factor;
    }
  }
  return { seconds: Math.round(total * 1000) / 1000, problems };
}
