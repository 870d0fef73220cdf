// Comparing what the devserver answered with what a real Prefect server answered to the same
// request: equal modulo ids and timestamps. Ids are matched by order of appearance (the first
// time a recorded id meets a live one they are paired; afterwards they must agree both ways);
// timestamps likewise, one way, and only with a timestamp of the same textual form. Requests
// carry the live pairs of the ids and times the recording's client had read.

/** One way the live answer differs from the recorded one. */
export interface Mismatch {
  /** `status`, or a JSON path into the body: `$`, `$.schedules[0].id`. */
  path: string;
  kind: "status" | "value" | "type" | "missing" | "extra" | "length" | "id" | "time" | "order";
  recorded: unknown;
  live: unknown;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const UUID_WHOLE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?/g;
/** Ids and timestamps inside a string, in the order they appear. */
const TOKEN = new RegExp(`${UUID.source}|${TIMESTAMP.source}`, "gi");

/** Recorded id <-> live id, paired by order of appearance. */
export class IdMap {
  private readonly toLive = new Map<string, string>();
  private readonly toRecorded = new Map<string, string>();

  /** The live id paired with a recorded one, if any. */
  live(recorded: string): string | undefined {
    return this.toLive.get(recorded.toLowerCase());
  }

  /** Whether a live id is paired with a recorded one already. */
  pairedLive(live: string): boolean {
    return this.toRecorded.has(live.toLowerCase());
  }

  /**
   * Pair two ids, or check an existing pairing: true when they are (now) paired with each
   * other, false when either is already paired with another id.
   */
  pair(recorded: string, live: string): boolean {
    const r = recorded.toLowerCase();
    const l = live.toLowerCase();
    const knownLive = this.toLive.get(r);
    const knownRecorded = this.toRecorded.get(l);
    if (knownLive === undefined && knownRecorded === undefined) {
      this.toLive.set(r, l);
      this.toRecorded.set(l, r);
      return true;
    }
    return knownLive === l && knownRecorded === r;
  }

  private readonly timeToLive = new Map<string, string>();

  /**
   * Pair a recorded timestamp with a live one, or check the pairing: a time the recording shows
   * again (an object's `created` or unchanged `updated` read back) must come back as the same
   * live time. One way only: the devserver's clock has millisecond steps, so several recorded
   * times may share one live time.
   */
  pairTime(recorded: string, live: string): boolean {
    const known = this.timeToLive.get(recorded);
    if (known === undefined) {
      this.timeToLive.set(recorded, live);
      return true;
    }
    return known === live;
  }

  /**
   * Every recorded id and timestamp in a string replaced by its live pair (unpaired ones are left
   * as they are): a client sends back what the server told it, an anchor date it read included.
   */
  rewriteText(text: string): string {
    return text.replace(TOKEN, (token) => (UUID_WHOLE.test(token) ? (this.live(token) ?? token) : (this.timeToLive.get(token) ?? token)));
  }

  /** A request body with every recorded id and timestamp replaced by its live pair, at any depth, in keys too. */
  rewrite(value: unknown): unknown {
    if (typeof value === "string") return this.rewriteText(value);
    if (Array.isArray(value)) return value.map((item) => this.rewrite(item));
    if (value && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [this.rewriteText(key), this.rewrite(item)]));
    }
    return value;
  }
}

/** A timestamp's textual form: digits blanked, so `…29.446423Z` and `…31.000100Z` agree but `…29Z` and `…+00:00` do not. */
function timestampForm(text: string): string {
  return text.replace(/\d/g, "0");
}

const isTimestampToken = (token: string): boolean => !UUID_WHOLE.test(token);

/**
 * Two strings agree when their text outside ids and timestamps is equal, their ids pair up
 * and their timestamps have the same form. Returns the kind of disagreement, if any.
 */
function compareText(recorded: string, live: string, ids: IdMap): Mismatch["kind"] | undefined {
  const recordedTokens = recorded.match(TOKEN) ?? [];
  const liveTokens = live.match(TOKEN) ?? [];
  if (recordedTokens.length === 0 && liveTokens.length === 0) return recorded === live ? undefined : "value";
  if (recorded.split(TOKEN).join("\u0000") !== live.split(TOKEN).join("\u0000") || recordedTokens.length !== liveTokens.length) return "value";
  for (let index = 0; index < recordedTokens.length; index += 1) {
    const r = recordedTokens[index] as string;
    const l = liveTokens[index] as string;
    const rIsTime = isTimestampToken(r);
    if (rIsTime !== isTimestampToken(l)) return "value";
    if (rIsTime) {
      if (timestampForm(r) !== timestampForm(l)) return "value";
      if (!ids.pairTime(r, l)) return "time";
    } else if (!ids.pair(r, l)) {
      return "id";
    }
  }
  return undefined;
}

function typeOf(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function childPath(path: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

const idOf = (item: unknown): string | undefined =>
  item && typeof item === "object" && !Array.isArray(item) && typeof (item as { id?: unknown }).id === "string" ? ((item as { id: string }).id).toLowerCase() : undefined;

/** An object's `name` with its ids blanked, when the name holds one (`deployment:<id>`). */
function idBlindName(item: unknown): string | undefined {
  const name = (item as { name?: unknown }).name;
  if (typeof name !== "string" || !name.match(UUID)) return undefined;
  return name.replace(UUID, "<id>");
}

/**
 * The order is explained by ids alone when every two objects the servers put in opposite
 * orders have names that differ only in their ids: a list sorted by a name that embeds an id
 * (`deployment:<id>` limits) follows the ids, which each server draws anew.
 */
function orderedByIdsAlone(recorded: unknown[], order: number[]): boolean {
  for (let i = 0; i < order.length; i += 1) {
    for (let j = i + 1; j < order.length; j += 1) {
      if ((order[i] as number) < (order[j] as number)) continue;
      const name = idBlindName(recorded[i]);
      if (name === undefined || name !== idBlindName(recorded[j])) return false;
    }
  }
  return true;
}

/**
 * When both lists hold objects whose ids are all paired already, but in another order: the
 * live list put in the recorded order, and whether that other order is explained by ids alone
 * (see orderedByIdsAlone). Otherwise `undefined`.
 */
function alignByIds(recorded: unknown[], live: unknown[], ids: IdMap): { aligned: unknown[]; byIdsAlone: boolean } | undefined {
  const liveIndex = new Map<string, number>();
  live.forEach((item, index) => {
    const id = idOf(item);
    if (id !== undefined) liveIndex.set(id, index);
  });
  if (liveIndex.size !== live.length) return undefined;
  const order: number[] = [];
  for (const item of recorded) {
    const id = idOf(item);
    const paired = id === undefined ? undefined : ids.live(id);
    const index = paired === undefined ? undefined : liveIndex.get(paired);
    if (index === undefined) return undefined;
    order.push(index);
  }
  if (new Set(order).size !== order.length || order.every((index, position) => index === position)) return undefined;
  return { aligned: order.map((index) => live[index]), byIdsAlone: orderedByIdsAlone(recorded, order) };
}

/**
 * Every difference between a recorded body and a live one, pairing ids as it goes (so the
 * order of the walk is the order of appearance: object keys as the recording lists them,
 * arrays front to back). Arrays of different lengths are reported once, not walked; a list of
 * objects already paired by id but in another order is reported once as `order` (unless ids
 * alone explain it), then walked pair by pair.
 */
export function compareBodies(recorded: unknown, live: unknown, ids: IdMap, path = "$"): Mismatch[] {
  const recordedType = typeOf(recorded);
  const liveType = typeOf(live);
  if (recordedType !== liveType) return [{ path, kind: "type", recorded, live }];
  if (recordedType === "string") {
    const kind = compareText(recorded as string, live as string, ids);
    return kind ? [{ path, kind, recorded, live }] : [];
  }
  if (recordedType === "array") {
    const r = recorded as unknown[];
    const l = live as unknown[];
    if (r.length !== l.length) return [{ path, kind: "length", recorded: r.length, live: l.length }];
    const alignment = alignByIds(r, l, ids);
    const order: Mismatch[] = alignment && !alignment.byIdsAlone ? [{ path, kind: "order", recorded: r.map(idOf), live: l.map(idOf) }] : [];
    const counterpart = alignment?.aligned ?? l;
    return [...order, ...r.flatMap((item, index) => compareBodies(item, counterpart[index], ids, `${path}[${index}]`))];
  }
  if (recordedType === "object") {
    const r = recorded as Record<string, unknown>;
    const l = live as Record<string, unknown>;
    const mismatches: Mismatch[] = [];
    const seen = new Set<string>();
    for (const [key, value] of Object.entries(r)) {
      // A key that is an id (a map keyed by ids) is looked up under its live pair.
      const liveKey = UUID_WHOLE.test(key) ? (ids.live(key) ?? key) : key;
      seen.add(liveKey);
      if (!(liveKey in l)) {
        mismatches.push({ path: childPath(path, key), kind: "missing", recorded: value, live: undefined });
        continue;
      }
      mismatches.push(...compareBodies(value, l[liveKey], ids, childPath(path, key)));
    }
    for (const [key, value] of Object.entries(l)) {
      if (!seen.has(key)) mismatches.push({ path: childPath(path, key), kind: "extra", recorded: undefined, live: value });
    }
    return mismatches;
  }
  return recorded === live ? [] : [{ path, kind: "value", recorded, live }];
}

/** A response compared with its recording: the status first; the bodies only when the statuses agree. */
export function compareResponses(
  recorded: { status: number; body: unknown },
  live: { status: number; body: unknown },
  ids: IdMap,
): Mismatch[] {
  if (recorded.status !== live.status) return [{ path: "status", kind: "status", recorded: recorded.status, live: live.status }];
  return compareBodies(recorded.body ?? null, live.body ?? null, ids);
}
