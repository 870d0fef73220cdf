import { describe, expect, it } from "vitest";
import { isLeaseExpired, leaseExpiry, leaseOccupancySeconds, partitionLeases, renewLease, type Lease } from "./concurrency-leases.js";

const T0 = new Date("2030-01-01T00:00:00.000Z");
const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);

function lease(id: string, takenAt: number, durationSeconds: number): Lease {
  return { id, limit_ids: ["limit"], slots: 1, created: at(takenAt).toISOString(), expires_at: leaseExpiry(at(takenAt), durationSeconds) };
}

describe("concurrency lease lifetime", () => {
  it("expires a lease taken for 60 s exactly after 60 s, not before", () => {
    const taken = lease("a", 0, 60);
    expect(taken.expires_at).toBe("2030-01-01T00:01:00.000000Z");
    expect(isLeaseExpired(taken, at(59.999))).toBe(false);
    expect(isLeaseExpired(taken, at(60))).toBe(false);
    expect(isLeaseExpired(taken, at(60.001))).toBe(true);
  });

  it("pushes the expiry to `duration` after the renewal, not after the original expiry", () => {
    const taken = lease("a", 0, 60);
    const renewed = renewLease(taken, at(50), 120);
    expect(renewed.expires_at).toBe(leaseExpiry(at(170), 0));
    expect(isLeaseExpired(renewed, at(100))).toBe(false);
    expect(isLeaseExpired(renewed, at(170.5))).toBe(true);
    expect(taken.expires_at).toBe(leaseExpiry(at(60), 0));
  });

  it("can shorten a lease by renewing it for less time than it has left", () => {
    const renewed = renewLease(lease("a", 0, 86_400), at(10), 60);
    expect(isLeaseExpired(renewed, at(71))).toBe(true);
  });

  it("separates expired leases from live ones and reports the earliest live expiry", () => {
    const leases = [lease("short", 0, 60), lease("long", 0, 600), lease("renewed", 0, 60), lease("mid", 30, 120)];
    leases[2] = renewLease(leases[2]!, at(55), 300);
    const { expired, nextExpiry } = partitionLeases(leases, at(61));
    expect(expired.map((l) => l.id)).toEqual(["short"]);
    expect(nextExpiry).toBe(at(150).getTime());
  });

  it("reports no next expiry when nothing is left alive", () => {
    const { expired, nextExpiry } = partitionLeases([lease("a", 0, 60)], at(3600));
    expect(expired).toHaveLength(1);
    expect(nextExpiry).toBe(Number.POSITIVE_INFINITY);
  });

  it("measures occupancy from the lease's creation, and as zero when the creation is unknown", () => {
    expect(leaseOccupancySeconds(lease("a", 10, 60), at(70))).toBe(60);
    expect(leaseOccupancySeconds({}, at(70))).toBe(0);
  });
});
