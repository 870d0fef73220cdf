// A run time as a reviewer reads it: the local date-time in the schedule's zone, its offset and
// the zone's name, in RFC 9557's form (`2026-03-09T09:00:00-04:00[America/New_York]`).
import { offsetAt } from "./zone.js";

function pad(value: number, width = 2): string {
  return String(Math.abs(value)).padStart(width, "0");
}

function formatOffset(offsetMs: number): string {
  const minutes = Math.round(offsetMs / 60_000);
  const sign = minutes < 0 ? "-" : "+";
  return `${sign}${pad(Math.trunc(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}

/**
 * An instant in a time zone: ISO 8601 local date-time with its offset, then the zone in
 * brackets (RFC 9557). Whole seconds: Prefect's run times only carry fractions from anchors.
 *
 * @example
 * formatRunTime(new Date("2026-03-09T13:00:00Z"), "America/New_York"); // "2026-03-09T09:00:00-04:00[America/New_York]"
 */
export function formatRunTime(instant: Date, timeZone: string): string {
  const offset = offsetAt(instant.getTime(), timeZone);
  const wall = new Date(instant.getTime() + offset);
  const date = `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}`;
  const time = `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}`;
  return `${date}T${time}${formatOffset(offset)}[${timeZone}]`;
}
