// What every kind of Prefect schedule does with the times it generates
// (src/prefect/server/schemas/schedules.py, each _get_dates_generator and get_dates).

/** Prefect checks at most about this many candidate dates per call (MAX_ITERATIONS). */
export const MAX_ITERATIONS = 1000;

/**
 * The first `count` distinct instants of a sequence, ascending: Prefect skips a date it already
 * yielded ("weird things can happen with DST"), stops at `n` dates, and get_dates sorts them.
 */
export function firstDistinct(candidates: Iterable<number>, count: number): number[] {
  const seen = new Set<number>();
  if (count <= 0) return [];
  for (const instant of candidates) {
    seen.add(instant);
    if (seen.size >= count) break;
  }
  return [...seen].sort((a, b) => a - b);
}
