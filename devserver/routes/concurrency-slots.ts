// Slot accounting of global concurrency limits, computed the way a Prefect 3.8 server computes it
// (src/prefect/server/models/concurrency_limits_v2.py and api/concurrency_limits_v2.py):
// - active slots decay by `slot_decay_per_second` for every second since the limit was last
//   updated (that is what makes a limit a rate limit); the decay is applied when a limit is
//   written, never on reads;
// - denied slots decay too (at the decay rate, or one per capped average occupancy), so the
//   Retry-After hint settles once contention stops;
// - acquiring takes the slots on every active limit or on none.
// Everything here is a pure function of the limits and "now", so decay and contention are tested
// with explicit times.

/** The fields of a stored limit that slot accounting reads and writes. */
export interface SlotLimit {
  name: string;
  limit: number;
  active: boolean;
  active_slots: number;
  denied_slots: number;
  slot_decay_per_second: number;
  avg_slot_occupancy_seconds: number;
  updated: string | null;
}

/**
 * The longest per-slot wait Prefect derives from a limit's average occupancy, and the longest
 * Retry-After it answers (PREFECT_SERVER_CONCURRENCY_MAXIMUM_CONCURRENCY_SLOT_WAIT_SECONDS and,
 * for `tag:` limits, PREFECT_SERVER_TASKS_TAG_CONCURRENCY_SLOT_WAIT_SECONDS; both default to 30).
 */
export const MAX_SLOT_WAIT_SECONDS = 30;
/** The running average of occupancy weighs the last `limit * 2` releases. */
const OCCUPANCY_SAMPLES_MULTIPLIER = 2;
/** Keeps the average occupancy away from zero, which would make waits and decay rates divide by zero. */
const MIN_OCCUPANCY_SECONDS_PER_SLOT = 0.1;

function elapsedSeconds(since: string | null, now: Date): number {
  if (!since) return 0;
  const then = Date.parse(since);
  return Number.isNaN(then) ? 0 : Math.max(0, (now.getTime() - then) / 1000);
}

/** Seconds one slot is expected to stay taken: the decay period for rate limits, else the (capped) average occupancy. */
export function waitPerSlot(limit: SlotLimit): number {
  if (limit.slot_decay_per_second > 0) return 1 / limit.slot_decay_per_second;
  return Math.max(Math.min(limit.avg_slot_occupancy_seconds, MAX_SLOT_WAIT_SECONDS), MIN_OCCUPANCY_SECONDS_PER_SLOT);
}

/** Active slots left once decay since the last update is taken off (never below zero). */
export function activeSlotsAfterDecay(limit: SlotLimit, now: Date): number {
  const decayed = Math.floor(limit.slot_decay_per_second * elapsedSeconds(limit.updated, now));
  return Math.max(0, limit.active_slots - decayed);
}

/** Denied slots left once decay since the last update is taken off (never below zero). */
export function deniedSlotsAfterDecay(limit: SlotLimit, now: Date): number {
  const rate = limit.slot_decay_per_second > 0 ? limit.slot_decay_per_second : 1 / waitPerSlot(limit);
  const decayed = Math.floor(rate * elapsedSeconds(limit.updated, now));
  return Math.max(0, limit.denied_slots - decayed);
}

export type AcquireResult<T extends SlotLimit> =
  | { acquired: true; limits: T[] }
  | { acquired: false; limits: T[]; retryAfterSeconds: number };

/**
 * Take `slots` on every active limit, or on none when one of them lacks room. Inactive limits are
 * left as they are. On success the active limits come back with their slots taken; on refusal
 * they come back with the request counted as denied, with the Retry-After the server would hint.
 */
export function acquireSlots<T extends SlotLimit>(limits: readonly T[], slots: number, now: Date, stamp: string): AcquireResult<T> {
  const active = limits.filter((limit) => limit.active);
  const fits = active.every((limit) => activeSlotsAfterDecay(limit, now) + slots <= limit.limit);
  if (fits) {
    return {
      acquired: true,
      limits: active.map((limit) => ({
        ...limit,
        active_slots: activeSlotsAfterDecay(limit, now) + slots,
        denied_slots: deniedSlotsAfterDecay(limit, now),
        updated: stamp,
      })),
    };
  }
  return {
    acquired: false,
    // A refusal only counts the denial: active slots are written back undecayed, as the server's
    // update of `denied_slots` alone does (its `updated` still moves, restarting the decay clock).
    limits: active.map((limit) => ({ ...limit, denied_slots: deniedSlotsAfterDecay(limit, now) + slots, updated: stamp })),
    retryAfterSeconds: retryAfterSeconds(active, slots),
  };
}

/**
 * The Retry-After a refused request is answered with: the expected wait of the most contended
 * limit, read from the limits as they were before the refusal was counted, capped at
 * MAX_SLOT_WAIT_SECONDS. (The real server also adds random jitter; this one stays deterministic.)
 */
export function retryAfterSeconds(active: readonly SlotLimit[], slots: number): number {
  const blockingSlots = (limit: SlotLimit): number =>
    limit.slot_decay_per_second > 0 ? slots + limit.denied_slots : (slots + limit.denied_slots) / limit.limit;
  let blocking: SlotLimit | undefined;
  for (const limit of active) if (!blocking || blockingSlots(limit) > blockingSlots(blocking)) blocking = limit;
  if (!blocking) return 0;
  return Math.min(waitPerSlot(blocking) * blockingSlots(blocking), MAX_SLOT_WAIT_SECONDS);
}

/**
 * Give `slots` back on an active limit (never below zero). When the caller says how long the
 * slots were held, the limit's average occupancy moves toward it, as a running average over the
 * last `limit * 2` releases.
 */
export function releaseSlots<T extends SlotLimit>(limit: T, slots: number, now: Date, stamp: string, occupancySeconds?: number): T {
  if (!limit.active) return limit;
  const released: T = {
    ...limit,
    active_slots: Math.max(0, activeSlotsAfterDecay(limit, now) - slots),
    denied_slots: deniedSlotsAfterDecay(limit, now),
    updated: stamp,
  };
  if (occupancySeconds && occupancySeconds > 0 && limit.limit > 0) {
    const perSlot = Math.max(occupancySeconds / slots, MIN_OCCUPANCY_SECONDS_PER_SLOT);
    const samples = limit.limit * OCCUPANCY_SAMPLES_MULTIPLIER;
    released.avg_slot_occupancy_seconds = limit.avg_slot_occupancy_seconds + perSlot / samples - limit.avg_slot_occupancy_seconds / samples;
  }
  return released;
}

/** A number as Python's `str(float)` writes it (`2.0`, `2.2`), which is how the Retry-After header reads. */
export function pythonFloat(value: number): string {
  return Number.isInteger(value) && Math.abs(value) < 1e16 ? value.toFixed(1) : String(value);
}
