// Wall clocks and instants in IANA time zones, through Intl (no time-zone library). Times are
// epoch milliseconds; a "wall" time is a local date-time carried in the UTC fields of a number,
// the way Python's naive datetimes carry one. Prefect's three schedule kinds lean on three
// libraries that settle a local time a DST change skips or repeats differently, so each way is
// here, named for the library whose behaviour it reproduces.

const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(zone, format);
  }
  return format;
}

/** The wall-clock time in `zone` at an instant. */
export function wallAt(instant: number, zone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(instant)) parts[part.type] = Number(part.value);
  const millis = ((instant % 1000) + 1000) % 1000;
  return Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0, millis);
}

/** The zone's offset from UTC at an instant, in milliseconds (east positive). */
export function offsetAt(instant: number, zone: string): number {
  return wallAt(instant, zone) - instant;
}

/** How a wall time maps to instants: once, never (a gap), or twice (a fold). */
export type WallMapping = { kind: "unique"; offset: number } | { kind: "gap" | "fold"; before: number; after: number };

/** Offsets are read a day either side: no zone changes its offset twice within two days. */
export function mapWall(wall: number, zone: string): WallMapping {
  const before = offsetAt(wall - DAY_MS, zone);
  const after = offsetAt(wall + DAY_MS, zone);
  const fits = (offset: number) => offsetAt(wall - offset, zone) === offset;
  if (before === after) return { kind: "unique", offset: fits(before) ? before : offsetAt(wall - before, zone) };
  const [early, late] = [fits(before), fits(after)];
  if (early && late) return { kind: "fold", before, after };
  if (early) return { kind: "unique", offset: before };
  if (late) return { kind: "unique", offset: after };
  return { kind: "gap", before, after };
}

/**
 * A wall time placed as Python's zoneinfo places a datetime with fold=0 (PEP 495), which is
 * also whenever's and Temporal's "compatible": a skipped time moves later by the gap, a
 * repeated one takes its first occurrence.
 */
export function placeCompatible(wall: number, zone: string): number {
  const mapping = mapWall(wall, zone);
  return mapping.kind === "unique" ? wall - mapping.offset : wall - mapping.before;
}

/**
 * A wall time placed as whenever's ZonedDateTime.add does after calendar units when no
 * `disambiguate` is given (src/domain/local.rs LocalMapping.resolve, PreserveOffset): a repeated
 * time keeps the offset it had before the addition when that offset is one of its two, else
 * takes the first; a skipped time moves later by the gap.
 */
export function placePreservingOffset(wall: number, zone: string, previousOffset: number): number {
  const mapping = mapWall(wall, zone);
  if (mapping.kind === "unique") return wall - mapping.offset;
  if (mapping.kind === "fold" && previousOffset === mapping.after) return wall - mapping.after;
  return wall - mapping.before;
}

/**
 * A wall time placed as a dateutil tzfile reads it (dateutil/tz/tz.py
 * tzfile._find_last_transition and _resolve_ambiguous_time): transitions are compared in
 * standard time, so a skipped time takes the offset after the change and lands one gap
 * earlier (02:30 on a spring-forward night in New York is 01:30 EST); a repeated time with
 * fold=0 takes its first occurrence.
 */
export function placeDateutil(wall: number, zone: string): number {
  const mapping = mapWall(wall, zone);
  if (mapping.kind === "unique") return wall - mapping.offset;
  return mapping.kind === "gap" ? wall - mapping.after : wall - mapping.before;
}
