// prefect_global_concurrency_limit through the API: /v2/concurrency_limits/ (one path segment
// takes an id or a name).
import type { components } from "../../../contract/wire.gen.js";
import { filterAll, PAGE_SIZE } from "../../client/paginate.js";
import type { Kind, KindContext, ReadScope } from "../kind.js";
import { cloudScopeOf, createSafely, deleteIgnoringMissing, orUndefined, readBack } from "../runtime.js";
import { changedFields, writesAnything, type WireFields } from "../update-body.js";
import { DEPLOYMENT_LIMIT_NAME, globalConcurrencyLimitSchema, type GlobalConcurrencyLimitSpec } from "./schema.js";

type LimitResponse = components["schemas"]["GlobalConcurrencyLimitResponse"];
type LimitCreated = components["schemas"]["ConcurrencyLimitV2"];
type LimitCreate = components["schemas"]["ConcurrencyLimitV2Create"];
type LimitUpdate = components["schemas"]["ConcurrencyLimitV2Update"];

/**
 * A global concurrency limit as read, with the Prefect Cloud account and workspace the client
 * read it from (the API does not repeat them, and declarations may name them).
 */
export type GlobalConcurrencyLimit = LimitResponse & { account_id?: string; workspace_id?: string };

const BASE = "/v2/concurrency_limits";

/**
 * The fields reads answer (a create answers more: denied slots, occupancy; scenarios.jsonl
 * "limit create" vs "limit read by name"), plus where the limit lives.
 */
function liveOf(ctx: KindContext, raw: LimitResponse | LimitCreated): GlobalConcurrencyLimit {
  return {
    id: raw.id,
    created: raw.created,
    updated: raw.updated,
    name: raw.name,
    limit: raw.limit,
    active: raw.active,
    active_slots: raw.active_slots,
    slot_decay_per_second: raw.slot_decay_per_second,
    ...cloudScopeOf(ctx.client),
  };
}

/**
 * Whether `/{id_or_name}` reaches the limit by this name: Prefect takes a segment that parses
 * as a UUID (dashes, braces and `urn:uuid:` tolerated) for an id, and URLs drop `.` and `..`.
 */
function addressableByName(name: string): boolean {
  const hex = name
    .replace(/^urn:/i, "")
    .replace(/^uuid:/i, "")
    .replace(/^\{+|\}+$/g, "")
    .replaceAll("-", "");
  return !/^[0-9a-f]{32}$/i.test(hex) && name !== "." && name !== "..";
}

async function read(ctx: KindContext, idOrName: string): Promise<GlobalConcurrencyLimit | undefined> {
  const raw = await orUndefined(ctx.client.get<LimitResponse>(`${BASE}/${encodeURIComponent(idOrName)}`));
  return raw && liveOf(ctx, raw);
}

async function list(ctx: KindContext): Promise<GlobalConcurrencyLimit[]> {
  const all = await filterAll<LimitResponse>(ctx.client, `${BASE}/filter`);
  return all.map((raw) => liveOf(ctx, raw));
}

/**
 * At most this many limits are read one by one (`GET /v2/concurrency_limits/{id_or_name}`) before
 * any listing: the v2 filter takes no criteria, only offset and limit, and there is no count route
 * for them (server-openapi.json, Body_read_all_concurrency_limits_v2_..._filter_post; no
 * /v2/concurrency_limits/count), so a listing costs what the workspace holds and a read by id or
 * name what the stack holds, one request each.
 */
export const LIMITS_READ_ONE_BY_ONE = 20;

/**
 * The owned limits by id and the declared ones by name: one by one when they are few (see
 * LIMITS_READ_ONE_BY_ONE); otherwise the first page of the listing, which holds every limit of a
 * workspace with fewer than a page of them (one request), and then one by one those it did not hold.
 * (The listing is ordered by name: api/concurrency_limits_v2.py read_all_concurrency_limits_v2.)
 */
async function readScoped(ctx: KindContext, scope: ReadScope): Promise<GlobalConcurrencyLimit[]> {
  const ids = [...new Set(scope.ids.map((id) => id.toLowerCase()))];
  const names = [...new Set(scope.names)];
  if (!names.every(addressableByName)) return list(ctx);
  const byId = new Map<string, GlobalConcurrencyLimit>();
  let wanted = [...ids, ...names];
  if (wanted.length > LIMITS_READ_ONE_BY_ONE) {
    const page = await ctx.client.query<LimitResponse[]>(`${BASE}/filter`, { offset: 0, limit: PAGE_SIZE });
    if (page.length < PAGE_SIZE) return page.map((raw) => liveOf(ctx, raw));
    const seenNames = new Set<string>();
    const wantedIds = new Set(ids);
    const wantedNames = new Set(names);
    for (const raw of page) {
      seenNames.add(raw.name);
      if (wantedIds.has(raw.id) || wantedNames.has(raw.name)) byId.set(raw.id, liveOf(ctx, raw));
    }
    wanted = [...ids.filter((id) => !byId.has(id)), ...names.filter((name) => !seenNames.has(name))];
  }
  for (const found of await Promise.all(wanted.map((key) => read(ctx, key)))) if (found) byId.set(found.id, found);
  return [...byId.values()];
}

/**
 * How a limit's changed attributes are written (update-body.ts; Prefect writes only the fields
 * sent: models/concurrency_limits_v2.py update_concurrency_limit). Running flows move the slot
 * count all the time (leases take slots until they end: scenarios.jsonl "limit lease", "limit
 * lease full" answers 423): writing it back would release or take their slots, so it is written
 * only when declared and different from the live count, which is when it counts as changed.
 */
export const LIMIT_UPDATES: WireFields<GlobalConcurrencyLimitSpec, LimitUpdate> = {
  name: (spec) => ({ name: spec.name }),
  limit: (spec) => ({ limit: spec.limit }),
  active: (spec) => ({ active: spec.active }),
  active_slots: (spec) => (spec.active_slots !== undefined ? { active_slots: spec.active_slots } : {}),
  slot_decay_per_second: (spec) => ({ slot_decay_per_second: spec.slot_decay_per_second }),
};

/** prefect_global_concurrency_limit: schema, and CRUD through `/v2/concurrency_limits/`. */
export const globalConcurrencyLimitKind: Kind<GlobalConcurrencyLimitSpec, GlobalConcurrencyLimit> = {
  ...globalConcurrencyLimitSchema,

  list,

  readScoped,

  read,

  // By name where the path can carry it (scenarios.jsonl "limit read by name").
  find: async (ctx, spec) => (addressableByName(spec.name) ? read(ctx, spec.name) : (await list(ctx)).find((live) => live.name === spec.name)),

  create: (ctx, spec) => {
    // An undeclared active_slots is left to the server (0 on a new limit).
    const body: Omit<LimitCreate, "active_slots" | "denied_slots"> & Partial<Pick<LimitCreate, "active_slots">> = {
      name: spec.name,
      limit: spec.limit,
      active: spec.active,
      slot_decay_per_second: spec.slot_decay_per_second,
      ...(spec.active_slots !== undefined ? { active_slots: spec.active_slots } : {}),
    };
    // A name taken answers 409 "Data integrity conflict" (client-suite #4385): createSafely then
    // takes the limit found under the name.
    return createSafely({
      attempt: async () => liveOf(ctx, await ctx.client.post<LimitCreated>(`${BASE}/`, body)),
      lookup: () => globalConcurrencyLimitKind.find(ctx, spec),
    });
  },

  update: async (ctx, id, spec, _prior, changed) => {
    // The PATCH answers 204 without a body ("limit patch"): read back.
    const body = changedFields(spec, changed, LIMIT_UPDATES);
    if (writesAnything(body)) await ctx.client.patch(`${BASE}/${id}`, body);
    return readBack(`global concurrency limit ${id}`, read(ctx, id));
  },

  delete: (ctx, id) => deleteIgnoringMissing(ctx.client.delete(`${BASE}/${id}`)),

  idOf: (live) => live.id,
  identityOf: (live) => live.name,

  toSpec: (live) => ({
    id: live.id,
    created: live.created ?? undefined,
    updated: live.updated ?? undefined,
    account_id: live.account_id,
    workspace_id: live.workspace_id,
    name: live.name,
    limit: live.limit,
    active: live.active,
    active_slots: live.active_slots,
    slot_decay_per_second: live.slot_decay_per_second,
  }),

  // Prefect's own limit behind a deployment's concurrency_limit (scenarios.jsonl "dep full").
  systemManaged: (live) => DEPLOYMENT_LIMIT_NAME.test(live.name),
};
