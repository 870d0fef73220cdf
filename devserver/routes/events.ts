// Reading recorded events: `POST /events/filter` and `GET /events/filter/next`, with the
// filter semantics of Prefect's EventFilter (prefect/server/events/filters.py) and the paging
// of prefect/server/api/events.py: pages of at most 50, newest first unless `order` is ASC,
// and a `next_page` URL carrying an opaque token.
import { events, type EventEntity } from "../collections.js";
import { timestamp } from "../filters.js";
import { HttpError, ok, unprocessable, type Reply } from "../http.js";
import type { RequestContext, Router } from "../router.js";

type Labels = Record<string, string>;
type Specification = Record<string, string | string[]>;

interface RelatedFilter {
  id?: string[] | null;
  role?: string[] | null;
  resources_in_roles?: [string, string][] | null;
  labels?: Specification | null;
}
interface AnyResourceFilter {
  id?: string[] | null;
  id_prefix?: string[] | null;
  labels?: Specification | null;
}
interface EventFilter {
  occurred?: { since?: string; until?: string };
  event?: { prefix?: string[] | null; exclude_prefix?: string[] | null; name?: string[] | null; exclude_name?: string[] | null } | null;
  resource?: (AnyResourceFilter & { distinct?: boolean }) | null;
  related?: RelatedFilter | RelatedFilter[] | null;
  any_resource?: AnyResourceFilter | AnyResourceFilter[] | null;
  id?: { id?: string[] | null };
  text?: { query: string } | null;
  order?: "ASC" | "DESC";
}

/** What a page token remembers: the query with its time window fixed, and where the next page starts. */
interface PageToken {
  filter: EventFilter;
  limit: number;
  offset: number;
}

interface StoredEvent extends EventEntity {
  event: string;
  occurred: string;
  resource: Labels;
  related?: Labels[];
  payload?: Record<string, unknown>;
}

/** `!value` negates, `value*` matches a prefix (ResourceSpecification's label matching). */
function labelMatches(expected: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  const negated = expected.startsWith("!");
  const pattern = negated ? expected.slice(1) : expected;
  const hit = pattern.endsWith("*") ? value.startsWith(pattern.slice(0, -1)) : value === pattern;
  return negated ? !hit : hit;
}

function specificationMatches(specification: Specification, resource: Labels): boolean {
  return Object.entries(specification).every(([label, expected]) =>
    (typeof expected === "string" ? [expected] : expected).some((candidate) => labelMatches(candidate, resource[label])),
  );
}

function resourceMatches(filter: AnyResourceFilter, resource: Labels): boolean {
  const id = resource["prefect.resource.id"] ?? "";
  if (filter.id?.length && !filter.id.includes(id)) return false;
  if (filter.id_prefix?.length && !filter.id_prefix.some((prefix) => id.startsWith(prefix))) return false;
  if (filter.labels && !specificationMatches(filter.labels, resource)) return false;
  return true;
}

/** One related resource must meet every criterion of the filter (they are checked on the same row in Prefect). */
function relatedMatches(filter: RelatedFilter, related: Labels[]): boolean {
  const active = Boolean(filter.id?.length || filter.role?.length || filter.resources_in_roles?.length || filter.labels);
  if (!active) return true;
  return related.some((resource) => {
    const id = resource["prefect.resource.id"] ?? "";
    const role = resource["prefect.resource.role"] ?? "";
    if (filter.id?.length && !filter.id.includes(id)) return false;
    if (filter.role?.length && !filter.role.includes(role)) return false;
    if (filter.resources_in_roles?.length && !filter.resources_in_roles.some(([wantedId, wantedRole]) => wantedId === id && wantedRole === role)) return false;
    if (filter.labels && !specificationMatches(filter.labels, resource)) return false;
    return true;
  });
}

/** Prefect's text search: words (or "quoted phrases") any of which must appear, `-word` none of which, `+word` all of which. */
function textMatches(query: string, event: StoredEvent): boolean {
  const haystack = [event.event, ...Object.values(event.resource ?? {}), ...(event.related ?? []).flatMap((related) => Object.values(related)), JSON.stringify(event.payload ?? {})]
    .join(" ")
    .toLowerCase();
  const include: string[] = [];
  const exclude: string[] = [];
  const required: string[] = [];
  for (const match of query.matchAll(/([+-]?)(?:"([^"]*)"|(\S+))/g)) {
    const term = (match[2] ?? match[3] ?? "").toLowerCase();
    if (!term) continue;
    if (match[1] === "-") exclude.push(term);
    else if (match[1] === "+") required.push(term);
    else include.push(term);
  }
  if (include.length && !include.some((term) => haystack.includes(term))) return false;
  if (exclude.some((term) => haystack.includes(term))) return false;
  return required.every((term) => haystack.includes(term));
}

function asList<T>(value: T | T[] | null | undefined): T[] {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Only well-formed events are served: whatever else a route recorded stays out of the API's answers. */
function wellFormed(event: EventEntity): event is StoredEvent {
  const candidate = event as Partial<StoredEvent>;
  return typeof candidate.event === "string" && typeof candidate.occurred === "string" && typeof candidate.resource === "object" && candidate.resource !== null;
}

function eventMatches(filter: EventFilter, event: StoredEvent, since: number, until: number): boolean {
  const occurred = Date.parse(event.occurred);
  if (!(occurred >= since && occurred <= until)) return false;
  const name = filter.event;
  if (name) {
    if (name.prefix?.length && !name.prefix.some((prefix) => event.event.startsWith(prefix))) return false;
    if (name.exclude_prefix?.length && name.exclude_prefix.some((prefix) => event.event.startsWith(prefix))) return false;
    if (name.name?.length && !name.name.includes(event.event)) return false;
    if (name.exclude_name?.length && name.exclude_name.includes(event.event)) return false;
  }
  if (filter.resource && !resourceMatches(filter.resource, event.resource)) return false;
  const related = event.related ?? [];
  if (!asList(filter.related).every((criteria) => relatedMatches(criteria, related))) return false;
  const involved = [event.resource, ...related];
  if (!asList(filter.any_resource).every((criteria) => involved.some((resource) => resourceMatches(criteria, resource)))) return false;
  if (filter.id?.id?.length && !filter.id.id.some((id) => id.toLowerCase() === event.id.toLowerCase())) return false;
  if (filter.text?.query.trim() && !textMatches(filter.text.query, event)) return false;
  return true;
}

/** Prefect's default window: from the start of the day 180 days ago (UTC) until now. */
function withWindow(filter: EventFilter, now: Date): EventFilter {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 180));
  return {
    ...filter,
    occurred: { since: filter.occurred?.since ?? timestamp(start), until: filter.occurred?.until ?? timestamp(now) },
  };
}

/** Where this workspace's API lives on the server, for the next-page link. */
function apiBase(ctx: RequestContext): string {
  return ctx.cloud ? `${ctx.origin}/api/accounts/${ctx.cloud.accountId}/workspaces/${ctx.cloud.workspaceId}` : `${ctx.origin}/api`;
}

function queryPage(ctx: RequestContext, token: PageToken): Reply {
  const { filter, limit, offset } = token;
  const since = Date.parse(filter.occurred?.since ?? "");
  const until = Date.parse(filter.occurred?.until ?? "");
  const direction = filter.order === "ASC" ? 1 : -1;
  // Recording order breaks ties between events of the same instant.
  let selected = events(ctx.workspace)
    .all()
    .filter(wellFormed)
    .map((event, index) => ({ event, index, time: Date.parse(event.occurred) }))
    .filter(({ event }) => eventMatches(filter, event, since, until))
    .sort((a, b) => ((a.time - b.time) || (a.index - b.index)) * direction)
    .map(({ event }) => event);
  if (filter.resource?.distinct) {
    const seen = new Set<string>();
    selected = selected.filter((event) => {
      const id = event.resource["prefect.resource.id"] ?? "";
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
  }
  const pageEvents = selected.slice(offset, offset + limit);
  const nextOffset = offset + limit;
  let nextPage: string | null = null;
  if (limit > 0 && nextOffset < selected.length) {
    const next: PageToken = { filter, limit, offset: nextOffset };
    nextPage = `${apiBase(ctx)}/events/filter/next?page-token=${encodeURIComponent(Buffer.from(JSON.stringify(next)).toString("base64"))}`;
  }
  return ok({ events: pageEvents, total: selected.length, next_page: nextPage });
}

function readEvents(ctx: RequestContext): Reply {
  const body = (ctx.body ?? {}) as { filter?: EventFilter | null; limit?: number };
  return queryPage(ctx, { filter: withWindow(body.filter ?? {}, ctx.now), limit: body.limit ?? 50, offset: 0 });
}

function readNextPage(ctx: RequestContext): Reply {
  const raw = ctx.query.get("page-token");
  if (raw === null) throw unprocessable([{ type: "missing", loc: ["query", "page-token"], msg: "Field required", input: null }], null);
  let token: PageToken;
  try {
    token = JSON.parse(Buffer.from(raw, "base64").toString("utf8")) as PageToken;
    if (typeof token.offset !== "number" || typeof token.limit !== "number" || typeof token.filter !== "object" || token.filter === null) throw new Error("not a page token");
  } catch {
    // Prefect answers a token it cannot read with a bare 403.
    throw new HttpError(403, { detail: "Forbidden" });
  }
  return queryPage(ctx, token);
}

/** `POST /events/filter` and `GET /events/filter/next` over the workspace's recorded events. */
export function registerEventsRoutes(router: Router): void {
  router.post("/events/filter", readEvents);
  router.get("/events/filter/next", readNextPage);
}
