// Next run times of an interval schedule, as Prefect's server computes them
// (src/prefect/server/schemas/schedules.py IntervalSchedule._get_dates_generator, Python 3.13+
// branch with a timedelta interval: our kind sends seconds as a number, as Prefect's client does).
import { MAX_ITERATIONS, firstDistinct } from "./collect.js";
import { offsetAt, placePreservingOffset } from "./zone.js";

const DAY_SECONDS = 86_400;

/**
 * One step of the interval. Prefect splits a timedelta into whole days and the seconds left
 * and adds them with whenever: days on the calendar (same wall time, so a daily run keeps its
 * hour across DST; a time the change skips moves an hour later and stays there), then the
 * seconds as elapsed time (so an hourly run fires every UTC hour, twice at 1am in the autumn).
 */
function stepper(seconds: number, timeZone: string): (instant: number) => number {
  const days = Math.floor(seconds / DAY_SECONDS);
  const rest = (seconds - days * DAY_SECONDS) * 1000;
  return (instant) => {
    let next = instant;
    if (days > 0) {
      const offset = offsetAt(instant, timeZone);
      next = placePreservingOffset(instant + offset + days * DAY_SECONDS * 1000, timeZone, offset);
    }
    return next + rest;
  };
}

/**
 * The first `count` run times of an interval schedule on or after `start`, ascending. Prefect
 * first jumps from the anchor by a whole number of intervals of elapsed time (truncating toward
 * zero, so a future anchor yields runs before it, on its phase), then steps on the calendar
 * until it reaches the start. The jump is elapsed time: a daily 9:00 schedule anchored in
 * winter and computed from a summer start runs at 10:00 local time.
 */
export function intervalRuns(seconds: number, anchor: number, timeZone: string, start: number, count: number): number[] {
  const step = stepper(seconds, timeZone);
  const intervalMs = seconds * 1000;
  let next = anchor + intervalMs * Math.trunc((start - anchor) / intervalMs);
  while (next < start) next = step(next);
  const candidates = (function* () {
    for (let tries = 0; tries <= MAX_ITERATIONS + 1; tries++) {
      yield next;
      next = step(next);
    }
  })();
  return firstDistinct(candidates, count);
}
