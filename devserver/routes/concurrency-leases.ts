// The lifetime of a concurrency lease: slots taken through `increment-with-lease` are held until
// the lease is released or until it expires. A Prefect server's "repossessor" service releases
// expired leases every few seconds; the devserver does the same lazily, whenever a concurrency
// route runs, from the request's clock. Pure functions of the leases and "now", so expiry is
// tested with explicit times instead of waiting the 60 s minimum lease duration.
import type { LeaseEntity } from "../collections.js";
import { timestamp } from "../filters.js";

/** What a stored lease carries (the `concurrency_leases` collection). */
export type Lease = LeaseEntity;

/** Bounds a Prefect server puts on `lease_duration`, in seconds. */
export const LEASE_DURATION_SECONDS = { min: 60, max: 86_400, default: 300 } as const;

/** The expiry of a lease taken or renewed at `now` for `durationSeconds`. */
export function leaseExpiry(now: Date, durationSeconds: number): string {
  return timestamp(new Date(now.getTime() + durationSeconds * 1000));
}

/** Whether a lease has run out at `now` (a lease expiring exactly now still holds, as on the server). */
export function isLeaseExpired(lease: Pick<Lease, "expires_at">, now: Date): boolean {
  return Date.parse(lease.expires_at) < now.getTime();
}

/** A renewed copy of a lease: it now expires `durationSeconds` after `now`. */
export function renewLease<T extends Lease>(lease: T, now: Date, durationSeconds: number): T {
  return { ...lease, expires_at: leaseExpiry(now, durationSeconds) };
}

/** Seconds the lease's slots were held, from its creation to `until` (0 when its creation is unknown). */
export function leaseOccupancySeconds(lease: Pick<Lease, "created">, until: Date): number {
  const created = lease.created ? Date.parse(lease.created) : Number.NaN;
  return Number.isNaN(created) ? 0 : Math.max(0, (until.getTime() - created) / 1000);
}

/** Which leases have run out at `now`, and the earliest expiry among the others (Infinity when none). */
export function partitionLeases<T extends Lease>(leases: Iterable<T>, now: Date): { expired: T[]; nextExpiry: number } {
  const expired: T[] = [];
  let nextExpiry = Number.POSITIVE_INFINITY;
  for (const lease of leases) {
    if (isLeaseExpired(lease, now)) expired.push(lease);
    else nextExpiry = Math.min(nextExpiry, Date.parse(lease.expires_at));
  }
  return { expired, nextExpiry };
}
