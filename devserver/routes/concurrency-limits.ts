// Global concurrency limits (`/v2/concurrency_limits`), answered like a Prefect 3.8 server
// (src/prefect/server/api/concurrency_limits_v2.py): CRUD by id or name in one path segment,
// plain slot counting by names (`/increment`, `/decrement`) and slots held under a lease
// (`/increment-with-lease`, `/leases/{id}/renew`, `/decrement-with-lease`). Limits that
// deployments own (`deployment:<id>`) live in the same collection and are listed like any other.
import type { components } from "../../contract/wire.gen.js";
import { concurrencyLimits, leases, type ConcurrencyLimitEntity, type LeaseEntity } from "../collections.js";
import { badRequest, created, HttpError, integrityConflict, noContent, ok, type Reply } from "../http.js";
import { found, page, sortByName, stamp, timestamp } from "../filters.js";
import type { RequestContext, Router } from "../router.js";
import type { Collection } from "../store.js";
import { LEASE_DURATION_SECONDS, leaseExpiry, leaseOccupancySeconds, partitionLeases, renewLease } from "./concurrency-leases.js";
import { acquireSlots, pythonFloat, releaseSlots } from "./concurrency-slots.js";

type GlobalConcurrencyLimitResponse = components["schemas"]["GlobalConcurrencyLimitResponse"];

const NOT_FOUND = "Concurrency Limit not found";
const LEASE_GONE = "Lease not found - it may have expired or been revoked";

interface SlotsBody {
  slots: number;
  names: string[];
  mode?: "concurrency" | "rate_limit";
  lease_duration?: number;
  holder?: { type: string; id: string } | null;
  occupancy_seconds?: number | null;
}

/** A stored limit with the server's column defaults for anything another family left out. */
function withDefaults(limit: ConcurrencyLimitEntity): ConcurrencyLimitEntity {
  return {
    ...limit,
    active: limit.active ?? true,
    active_slots: limit.active_slots ?? 0,
    denied_slots: limit.denied_slots ?? 0,
    slot_decay_per_second: limit.slot_decay_per_second ?? 0,
    avg_slot_occupancy_seconds: limit.avg_slot_occupancy_seconds ?? 2,
  };
}

/**
 * `ConcurrencyLimitV2`: what creating a limit answers (a read's fields, plus denied slots and
 * occupancy): api/concurrency_limits_v2.py create_concurrency_limit_v2; scenarios.jsonl "limit create".
 */
function fullView(limit: ConcurrencyLimitEntity): Record<string, unknown> {
  const l = withDefaults(limit);
  return { ...limitResponse(limit), denied_slots: l.denied_slots, avg_slot_occupancy_seconds: l.avg_slot_occupancy_seconds };
}

/**
 * `GlobalConcurrencyLimitResponse`: what reads answer (no denied slots, no occupancy), and what a
 * deployment embeds: api/concurrency_limits_v2.py _global_concurrency_limit_response.
 */
export function limitResponse(limit: ConcurrencyLimitEntity): GlobalConcurrencyLimitResponse {
  const l = withDefaults(limit);
  return {
    id: l.id,
    created: l.created,
    updated: l.updated,
    active: l.active,
    name: l.name,
    limit: l.limit,
    active_slots: l.active_slots,
    slot_decay_per_second: l.slot_decay_per_second,
  };
}

const minimalView = (limit: ConcurrencyLimitEntity) => ({ id: limit.id, name: limit.name, limit: limit.limit });

/**
 * The canonical UUID when the segment parses as one the way Python's `UUID()` does (braces,
 * `urn:uuid:` and dashes anywhere are tolerated), else undefined: the server then treats it as a name.
 */
function parseUuid(segment: string): string | undefined {
  const hex = segment
    .replace(/^urn:/i, "")
    .replace(/^uuid:/i, "")
    .replace(/^\{+|\}+$/g, "")
    .replaceAll("-", "");
  if (!/^[0-9a-f]{32}$/i.test(hex)) return undefined;
  const h = hex.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The limit a path segment names: an id when it parses as a UUID (never a name then), else a name. */
function findLimit(collection: Collection<ConcurrencyLimitEntity>, idOrName: string): ConcurrencyLimitEntity | undefined {
  const id = parseUuid(idOrName);
  return id === undefined ? collection.getByKey(idOrName) : collection.get(id);
}

/** Give a lease's slots back on the limits it still names (deleted limits are skipped, inactive ones left alone). */
function releaseLeaseSlots(
  limits: Collection<ConcurrencyLimitEntity>,
  lease: LeaseEntity,
  now: Date,
  stampNow: string,
  occupancySeconds: number,
): void {
  for (const id of lease.limit_ids) {
    const stored = limits.get(id);
    const limit = stored && withDefaults(stored);
    if (limit?.active) limits.put(releaseSlots(limit, lease.slots, now, stampNow, occupancySeconds));
  }
}

/** Earliest expiry among a workspace's leases, so the lazy sweep skips work until one can have run out. */
const nextExpiry = new WeakMap<Collection<LeaseEntity>, number>();

/** Make the sweep look again no later than `expiresAt` (a lease was taken, or renewed for less than it had left). */
function noteExpiry(leaseCollection: Collection<LeaseEntity>, expiresAt: string): void {
  const next = nextExpiry.get(leaseCollection);
  if (next !== undefined) nextExpiry.set(leaseCollection, Math.min(next, Date.parse(expiresAt)));
}

/**
 * Release the slots of leases that have expired by the request's time, as the server's
 * repossessor does (with the time held reported as occupancy), and forget those leases.
 */
function releaseExpiredLeases(ctx: RequestContext): void {
  const leaseCollection = leases(ctx.workspace);
  const next = nextExpiry.get(leaseCollection);
  if (next !== undefined && ctx.now.getTime() <= next) return;
  const { expired, nextExpiry: earliest } = partitionLeases(leaseCollection.all(), ctx.now);
  const limits = concurrencyLimits(ctx.workspace);
  const now = timestamp(ctx.now);
  for (const lease of expired) {
    const occupancy = leaseOccupancySeconds(lease, new Date(Date.parse(lease.expires_at)));
    releaseLeaseSlots(limits, lease, ctx.now, now, occupancy);
    leaseCollection.delete(lease.id);
  }
  nextExpiry.set(leaseCollection, earliest);
}

/** The limits named, once each, in the order named; unknown names are skipped, as on the server. */
function namedLimits(ctx: RequestContext, names: readonly string[]): ConcurrencyLimitEntity[] {
  const collection = concurrencyLimits(ctx.workspace);
  const out: ConcurrencyLimitEntity[] = [];
  for (const name of new Set(names)) {
    const limit = collection.getByKey(name);
    if (limit) out.push(withDefaults(limit));
  }
  return out;
}

/** Python's `repr()` of a string, which the server puts in its rate-limit refusal. */
function pythonRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const escaped = text.replaceAll("\\", "\\\\").replaceAll(quote, `\\${quote}`);
  return `${quote}${escaped}${quote}`;
}

/**
 * Take `slots` on every active named limit, all or none, or refuse: 422 when a limit is smaller
 * than the request or a rate-limit request names a limit without decay, 423 Locked (with
 * Retry-After) when a limit has no room. Answers every limit named (inactive ones included).
 */
function acquire(ctx: RequestContext, body: SlotsBody): ConcurrencyLimitEntity[] {
  releaseExpiredLeases(ctx);
  const named = namedLimits(ctx, body.names);
  const active = named.filter((limit) => limit.active);
  if (active.some((limit) => limit.limit < body.slots)) throw badRequest("Slots requested is greater than the limit");
  const nonDecaying = active.filter((limit) => limit.slot_decay_per_second === 0).map((limit) => limit.name);
  if (body.mode === "rate_limit" && nonDecaying.length) {
    throw badRequest(
      "Only concurrency limits with slot decay can be used for rate limiting. " +
        `The following limits do not have a decay configured: ${pythonRepr(nonDecaying.join(","))}`,
    );
  }
  const result = acquireSlots(named, body.slots, ctx.now, timestamp(ctx.now));
  const collection = concurrencyLimits(ctx.workspace);
  for (const limit of result.limits) collection.put(limit);
  if (!result.acquired) {
    // FastAPI fills an HTTPException without detail with the status phrase.
    throw new HttpError(423, { detail: "Locked" }, { "retry-after": pythonFloat(result.retryAfterSeconds) });
  }
  return named;
}

function createLimit(ctx: RequestContext): Reply {
  const body = ctx.body as {
    name: string;
    limit: number;
    active: boolean;
    active_slots: number;
    denied_slots: number;
    slot_decay_per_second: number;
  };
  const collection = concurrencyLimits(ctx.workspace);
  if (collection.getByKey(body.name)) throw integrityConflict();
  const { id, created: createdAt, updated } = stamp(ctx);
  const limit: ConcurrencyLimitEntity = {
    id,
    created: createdAt,
    updated,
    active: body.active,
    name: body.name,
    limit: body.limit,
    active_slots: body.active_slots,
    denied_slots: body.denied_slots,
    slot_decay_per_second: body.slot_decay_per_second,
    avg_slot_occupancy_seconds: 2,
  };
  collection.put(limit);
  return created(fullView(limit));
}

const UPDATABLE = ["active", "name", "limit", "active_slots", "denied_slots", "slot_decay_per_second"] as const;

function updateLimit(ctx: RequestContext): Reply {
  const body = ctx.body as Partial<Record<(typeof UPDATABLE)[number], unknown>>;
  const collection = concurrencyLimits(ctx.workspace);
  const current = found(findLimit(collection, ctx.params.id_or_name ?? ""), NOT_FOUND);
  const changes: Record<string, unknown> = {};
  for (const field of UPDATABLE) {
    if (!(field in body)) continue;
    // Only fields sent are written; an explicit null hits a NOT NULL column.
    if (body[field] === null) throw integrityConflict();
    changes[field] = body[field];
  }
  const name = changes.name as string | undefined;
  if (name !== undefined && name !== current.name && collection.getByKey(name)) throw integrityConflict();
  collection.put({ ...current, ...changes, updated: timestamp(ctx.now) } as ConcurrencyLimitEntity);
  return noContent();
}

/** Register the `/v2/concurrency_limits` routes. */
export function registerConcurrencyLimitsRoutes(router: Router): void {
  router.post("/v2/concurrency_limits/", createLimit);

  router.post("/v2/concurrency_limits/filter", (ctx) => {
    releaseExpiredLeases(ctx);
    return ok(page(sortByName(concurrencyLimits(ctx.workspace).all()), ctx).map(limitResponse));
  });

  router.get("/v2/concurrency_limits/{id_or_name}", (ctx) => {
    releaseExpiredLeases(ctx);
    const limit = found(findLimit(concurrencyLimits(ctx.workspace), ctx.params.id_or_name ?? ""), NOT_FOUND);
    return ok(limitResponse(limit));
  });

  router.patch("/v2/concurrency_limits/{id_or_name}", updateLimit);

  router.delete("/v2/concurrency_limits/{id_or_name}", (ctx) => {
    const collection = concurrencyLimits(ctx.workspace);
    const limit = found(findLimit(collection, ctx.params.id_or_name ?? ""), NOT_FOUND);
    collection.delete(limit.id);
    return noContent();
  });

  router.post("/v2/concurrency_limits/increment", (ctx) => ok(acquire(ctx, ctx.body as SlotsBody).map(minimalView)));

  router.post("/v2/concurrency_limits/increment-with-lease", (ctx) => {
    const body = ctx.body as SlotsBody;
    const named = acquire(ctx, body);
    const leaseCollection = leases(ctx.workspace);
    const lease: LeaseEntity = {
      id: ctx.services.newId(),
      limit_ids: named.map((limit) => limit.id),
      slots: body.slots,
      expires_at: leaseExpiry(ctx.now, body.lease_duration ?? LEASE_DURATION_SECONDS.default),
      created: timestamp(ctx.now),
      ...(body.holder ? { holder: body.holder } : {}),
    };
    leaseCollection.put(lease);
    noteExpiry(leaseCollection, lease.expires_at);
    return ok({ lease_id: lease.id, limits: named.map(minimalView) });
  });

  router.post("/v2/concurrency_limits/decrement", (ctx) => {
    const body = ctx.body as SlotsBody;
    releaseExpiredLeases(ctx);
    const named = namedLimits(ctx, body.names);
    const collection = concurrencyLimits(ctx.workspace);
    const now = timestamp(ctx.now);
    for (const limit of named) {
      if (limit.active) collection.put(releaseSlots(limit, body.slots, ctx.now, now, body.occupancy_seconds ?? undefined));
    }
    return ok(named.map(minimalView));
  });

  router.post("/v2/concurrency_limits/decrement-with-lease", (ctx) => {
    releaseExpiredLeases(ctx);
    const leaseCollection = leases(ctx.workspace);
    const lease = leaseCollection.get(String((ctx.body as { lease_id: string }).lease_id).toLowerCase());
    // An unknown (or already released) lease is not an error: releasing is idempotent.
    if (!lease) return noContent();
    const occupancy = leaseOccupancySeconds(lease, ctx.now);
    releaseLeaseSlots(concurrencyLimits(ctx.workspace), lease, ctx.now, timestamp(ctx.now), occupancy);
    leaseCollection.delete(lease.id);
    return noContent();
  });

  router.post("/v2/concurrency_limits/leases/{lease_id}/renew", (ctx) => {
    releaseExpiredLeases(ctx);
    const leaseCollection = leases(ctx.workspace);
    const lease = leaseCollection.get((ctx.params.lease_id ?? "").toLowerCase());
    if (!lease) throw new HttpError(410, { detail: LEASE_GONE });
    const renewed = renewLease(lease, ctx.now, (ctx.body as { lease_duration?: number }).lease_duration ?? LEASE_DURATION_SECONDS.default);
    leaseCollection.put(renewed);
    noteExpiry(leaseCollection, renewed.expires_at);
    return noContent();
  });
}
