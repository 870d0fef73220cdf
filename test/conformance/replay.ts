// Replaying a recording against a server, one request at a time in the recorded order, and
// collecting every way its answers differ from the recorded ones.
import { compareResponses, IdMap, type Mismatch } from "./compare.js";
import type { RecordedExchange } from "./recordings.js";
import { rawApi } from "../support/http.js";

/** A mismatch, with the exchange it came from. */
export interface Finding extends Mismatch {
  recording: string;
  /** The exchange's deviation key (a scenario's label, or `METHOD /template`). */
  exchange: string;
  /** Where in the recording: a label or `#seq`. */
  at: string;
}

export interface ReplayOptions {
  /**
   * Exchanges whose recorded body cannot be read (a defect of the recording, listed in
   * deviations.ts): only their status is compared.
   */
  statusOnly?: (exchange: RecordedExchange) => boolean;
}

/** Send a recorded request: a body (whatever its JSON type) as JSON, an empty answer read as null. */
async function send(baseUrl: string, method: string, path: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const answer = await rawApi(baseUrl).request(method, path, body === null || body === undefined ? undefined : JSON.stringify(body));
  return { status: answer.status, body: answer.body ?? null };
}

const UUID_WHOLE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The kind of object a path is about: its collection, `/deployments/name/a/b` -> `deployments`, `/v2/concurrency_limits/x` -> `concurrency_limits`. */
export function collectionOf(path: string): string {
  const segments = (path.split("?")[0] ?? "").split("/").filter(Boolean);
  return (segments[0] === "v2" ? segments[1] : segments[0]) ?? "";
}

/** `deployment` or `work-pool` (a Prefect resource id's kind, `prefect.work-pool.<id>`; a body's `work_pool_id`) -> its collection, `work_pools`. */
const collectionOfKind = (kind: string): string => `${kind.replace(/-/g, "_")}s`;

/**
 * The ids a request names where it says what kind of object they are, in order: a path segment
 * after its collection (`/deployments/<id>/schedules`), a Prefect resource id
 * (`/automations/owned-by/prefect.deployment.<id>`), a body's `<kind>_id` field.
 */
export function namedIds(path: string, body: unknown): { id: string; collection: string }[] {
  const named: { id: string; collection: string }[] = [];
  const segments = (path.split("?")[0] ?? "").split("/").filter(Boolean);
  segments.forEach((segment, index) => {
    const resource = /^prefect\.([a-z-]+)\.([0-9a-f-]{36})$/i.exec(segment);
    if (resource) named.push({ id: resource[2] as string, collection: collectionOfKind(resource[1] as string) });
    else if (UUID_WHOLE.test(segment) && index > 0) named.push({ id: segment, collection: segments[index - 1] as string });
  });
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) {
        const kind = /^(.+)_id$/.exec(key)?.[1];
        if (kind && typeof item === "string" && UUID_WHOLE.test(item)) named.push({ id: item, collection: collectionOfKind(kind) });
        else walk(item);
      }
    }
  };
  walk(body);
  return named;
}

/**
 * Ids made by answers whose recorded body could not be read, waiting for the recorded id they
 * stand for. Such an answer never showed its recorded id, so the id is unknown until a later
 * request names it: the first recorded id not yet paired that a later request names as an
 * object of the same collection (see namedIds) is that object's, and is paired with the oldest
 * live id still waiting in that collection. An id paired otherwise meanwhile (a readable answer
 * showed it) stops waiting.
 */
class PendingIds {
  private readonly waiting: { collection: string; live: string }[] = [];

  constructor(private readonly ids: IdMap) {}

  /** A live answer to an exchange whose recorded body is unreadable: its `id`, if new, waits. */
  add(path: string, liveBody: unknown): void {
    const live = (liveBody as { id?: unknown } | null)?.id;
    if (typeof live !== "string" || Array.isArray(liveBody) || this.ids.pairedLive(live)) return;
    if (this.waiting.some((entry) => entry.live === live)) return;
    this.waiting.push({ collection: collectionOf(path), live });
  }

  /** Pair the unpaired recorded ids a request names with the live ids waiting in their collection. */
  resolve(path: string, body: unknown): void {
    for (const { id, collection } of namedIds(path, body)) {
      if (this.ids.live(id) !== undefined) continue;
      const index = this.waiting.findIndex((entry) => entry.collection === collection && !this.ids.pairedLive(entry.live));
      if (index < 0) continue;
      const [entry] = this.waiting.splice(index, 1);
      if (entry) this.ids.pair(id, entry.live);
    }
  }
}

/**
 * Send each exchange's request to `baseUrl` (`http://host:port/api`) with recorded ids
 * replaced by the live ids paired so far, and compare each answer with the recorded one.
 */
export async function replay(recording: string, exchanges: readonly RecordedExchange[], baseUrl: string, options: ReplayOptions = {}): Promise<Finding[]> {
  const ids = new IdMap();
  const pending = new PendingIds(ids);
  const findings: Finding[] = [];
  for (const exchange of exchanges) {
    pending.resolve(exchange.path, exchange.request);
    const live = await send(baseUrl, exchange.method, ids.rewriteText(exchange.path), ids.rewrite(exchange.request));
    const statusOnly = options.statusOnly?.(exchange) ?? false;
    const mismatches = statusOnly
      ? live.status === exchange.status
        ? []
        : [{ path: "status", kind: "status" as const, recorded: exchange.status, live: live.status }]
      : compareResponses({ status: exchange.status, body: exchange.response }, live, ids);
    if (statusOnly && live.status === exchange.status) pending.add(exchange.path, live.body);
    for (const mismatch of mismatches) findings.push({ ...mismatch, recording, exchange: exchange.key, at: exchange.at });
  }
  return findings;
}
