import { describe, expect, it } from "vitest";
import {
  acquireSlots,
  activeSlotsAfterDecay,
  deniedSlotsAfterDecay,
  MAX_SLOT_WAIT_SECONDS,
  pythonFloat,
  releaseSlots,
  retryAfterSeconds,
  type SlotLimit,
} from "./concurrency-slots.js";

const T0 = new Date("2030-01-01T00:00:00.000Z");
const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);
const STAMP = "2030-01-01T01:00:00.000000Z";

function limit(overrides: Partial<SlotLimit> = {}): SlotLimit {
  return {
    name: "db",
    limit: 2,
    active: true,
    active_slots: 0,
    denied_slots: 0,
    slot_decay_per_second: 0,
    avg_slot_occupancy_seconds: 2,
    updated: T0.toISOString(),
    ...overrides,
  };
}

describe("slot decay", () => {
  it("leaves concurrency limits (no decay) untouched however long ago they were updated", () => {
    expect(activeSlotsAfterDecay(limit({ active_slots: 2 }), at(86_400))).toBe(2);
  });

  it("releases whole slots at slot_decay_per_second since the last update, never below zero", () => {
    const rateLimit = limit({ limit: 10, active_slots: 5, slot_decay_per_second: 2 });
    expect(activeSlotsAfterDecay(rateLimit, at(0.4))).toBe(5);
    expect(activeSlotsAfterDecay(rateLimit, at(0.5))).toBe(4);
    expect(activeSlotsAfterDecay(rateLimit, at(2))).toBe(1);
    expect(activeSlotsAfterDecay(rateLimit, at(60))).toBe(0);
  });

  it("decays denied slots one per (capped) average occupancy, or at the decay rate for rate limits", () => {
    expect(deniedSlotsAfterDecay(limit({ denied_slots: 5, avg_slot_occupancy_seconds: 2 }), at(4))).toBe(3);
    expect(deniedSlotsAfterDecay(limit({ denied_slots: 5, avg_slot_occupancy_seconds: 3600 }), at(60))).toBe(3);
    expect(deniedSlotsAfterDecay(limit({ denied_slots: 5, slot_decay_per_second: 3 }), at(1))).toBe(2);
  });
});

describe("acquiring slots", () => {
  it("takes the slots on every active limit when all have room", () => {
    const result = acquireSlots([limit({ name: "a" }), limit({ name: "b", limit: 1 })], 1, at(1), STAMP);
    expect(result.acquired).toBe(true);
    expect(result.limits.map((l) => [l.name, l.active_slots, l.updated])).toEqual([
      ["a", 1, STAMP],
      ["b", 1, STAMP],
    ]);
  });

  it("takes nothing when one limit is full, and counts the request as denied on every active limit", () => {
    const result = acquireSlots([limit({ name: "a" }), limit({ name: "b", limit: 1, active_slots: 1 })], 1, at(1), STAMP);
    expect(result.acquired).toBe(false);
    expect(result.limits.map((l) => [l.name, l.active_slots, l.denied_slots])).toEqual([
      ["a", 0, 1],
      ["b", 1, 1],
    ]);
  });

  it("ignores inactive limits entirely", () => {
    const result = acquireSlots([limit({ active: false, active_slots: 2 })], 1, at(1), STAMP);
    expect(result).toEqual({ acquired: true, limits: [] });
  });

  it("counts room after decay, so a rate limit admits again once enough time has passed", () => {
    const full = limit({ limit: 2, active_slots: 2, slot_decay_per_second: 1 });
    expect(acquireSlots([full], 1, at(0.5), STAMP).acquired).toBe(false);
    const later = acquireSlots([full], 1, at(1), STAMP);
    expect(later.acquired).toBe(true);
    expect(later.limits[0]?.active_slots).toBe(2);
  });
});

describe("Retry-After", () => {
  it("is the average occupancy times the share of the limit that is wanted", () => {
    expect(retryAfterSeconds([limit({ limit: 10, denied_slots: 10 })], 1)).toBeCloseTo(2.2);
  });

  it("is one decay period per wanted slot for rate limits", () => {
    expect(retryAfterSeconds([limit({ limit: 10, denied_slots: 10, slot_decay_per_second: 1 })], 1)).toBe(11);
  });

  it("follows the most contended limit", () => {
    const calm = limit({ name: "calm", limit: 100 });
    const busy = limit({ name: "busy", limit: 1, denied_slots: 3 });
    expect(retryAfterSeconds([calm, busy], 1)).toBe(8);
  });

  it("never exceeds the server's maximum wait, however long slots are held or however many were denied", () => {
    expect(retryAfterSeconds([limit({ limit: 100, avg_slot_occupancy_seconds: 10_800 })], 1)).toBeCloseTo(0.3);
    expect(retryAfterSeconds([limit({ limit: 10, avg_slot_occupancy_seconds: 10_800, denied_slots: 10 })], 1)).toBe(30);
    expect(retryAfterSeconds([limit({ limit: 30, avg_slot_occupancy_seconds: 10, denied_slots: 16_000 })], 1)).toBe(MAX_SLOT_WAIT_SECONDS);
  });

  it("is written the way Python writes a float", () => {
    expect(pythonFloat(2)).toBe("2.0");
    expect(pythonFloat(2.2)).toBe("2.2");
    expect(pythonFloat(30)).toBe("30.0");
  });
});

describe("releasing slots", () => {
  it("gives slots back without going below zero", () => {
    expect(releaseSlots(limit({ active_slots: 2 }), 1, at(1), STAMP).active_slots).toBe(1);
    expect(releaseSlots(limit({ active_slots: 1 }), 5, at(1), STAMP).active_slots).toBe(0);
  });

  it("leaves inactive limits as they are", () => {
    const inactive = limit({ active: false, active_slots: 2 });
    expect(releaseSlots(inactive, 1, at(1), STAMP)).toBe(inactive);
  });

  it("moves the average occupancy toward the time held, over the last limit * 2 releases", () => {
    const released = releaseSlots(limit({ limit: 2, active_slots: 1, avg_slot_occupancy_seconds: 2 }), 1, at(1), STAMP, 10);
    expect(released.avg_slot_occupancy_seconds).toBe(4); // 2 + 10/4 - 2/4
    expect(releaseSlots(limit({ active_slots: 1 }), 1, at(1), STAMP).avg_slot_occupancy_seconds).toBe(2);
  });
});
