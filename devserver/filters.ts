// Helpers every route family uses: Prefect's filter operators, sorting, limit/offset paging,
// timestamps and the name rule shared by most objects.
import { HttpError, invalidField } from "./http.js";
import type { RequestContext } from "./router.js";

/** `{"any_": [...]}`-style criteria as Prefect's filter bodies carry them. */
export interface Criteria {
  any_?: unknown[] | null;
  all_?: unknown[] | null;
  not_any_?: unknown[] | null;
  like_?: string | null;
  eq_?: unknown;
  is_null_?: boolean | null;
  ge_?: string | number | null;
  le_?: string | number | null;
  before_?: string | null;
  after_?: string | null;
  [key: string]: unknown;
}

/**
 * Whether one value passes Prefect's criteria operators (`any_`, `not_any_`, `like_`,
 * `eq_`, `is_null_`, `all_` for arrays, `ge_`/`le_` and `before_`/`after_` for ordered values).
 */
export function matches(value: unknown, criteria: Criteria | null | undefined): boolean {
  if (!criteria) return true;
  if (criteria.any_ != null) {
    const candidates = criteria.any_;
    const hit = Array.isArray(value) ? value.some((item) => candidates.includes(item)) : candidates.includes(value);
    if (!hit) return false;
  }
  if (criteria.not_any_ != null && criteria.not_any_.includes(value)) return false;
  if (criteria.all_ != null) {
    const have = Array.isArray(value) ? value : [];
    if (!criteria.all_.every((item) => have.includes(item))) return false;
  }
  if (criteria.like_ != null) {
    if (typeof value !== "string" || !value.toLowerCase().includes(criteria.like_.toLowerCase())) return false;
  }
  if (criteria.eq_ !== undefined && criteria.eq_ !== null && value !== criteria.eq_) return false;
  if (criteria.is_null_ != null && (value === null || value === undefined) !== criteria.is_null_) return false;
  const lower = criteria.ge_ ?? criteria.after_;
  const upper = criteria.le_ ?? criteria.before_;
  if (lower != null && !(value !== null && value !== undefined && (value as string | number) >= lower)) return false;
  if (upper != null && !(value !== null && value !== undefined && (value as string | number) <= upper)) return false;
  return true;
}

/** Combine the results of a filter's criteria with its `operator` (`and_` unless `or_`); no criteria at all match everything. */
export function combine(operator: unknown, results: readonly boolean[]): boolean {
  if (results.length === 0) return true;
  return operator === "or_" ? results.some(Boolean) : results.every(Boolean);
}

/**
 * SQL `ILIKE '%pattern%'` without an escape character, as Prefect's `like_` filters run it:
 * case-insensitive containment where `%` is any run and `_` any one character.
 */
export function likePattern(pattern: string): RegExp {
  const body = [...pattern].map((char) => (char === "%" ? ".*" : char === "_" ? "." : char.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("");
  return new RegExp(body, "is");
}

/** The criteria object at `body[group][field]`, if given. */
export function criteriaAt(body: unknown, group: string, field: string): Criteria | undefined {
  const section = (body as Record<string, unknown> | undefined)?.[group] as Record<string, unknown> | null | undefined;
  const criteria = section?.[field];
  return criteria && typeof criteria === "object" ? (criteria as Criteria) : undefined;
}

/** Apply `offset` and `limit` from a filter body; a limit above the server's maximum is a 422, as on Prefect. */
export function page<T>(items: T[], ctx: RequestContext): T[] {
  const body = (ctx.body ?? {}) as { limit?: number | null; offset?: number | null };
  const max = ctx.services.defaultLimit;
  const limit = body.limit ?? max;
  if (limit > max) {
    throw invalidField(["body", "limit"], `Input should be less than or equal to ${max}`, limit, ctx.body, "less_than_equal");
  }
  if (limit < 0) throw invalidField(["body", "limit"], "Input should be greater than or equal to 0", limit, ctx.body, "greater_than_equal");
  const offset = body.offset ?? 0;
  return items.slice(offset, offset + limit);
}

/** `/paginate` routes: `page` (1-based) and `limit`, answering `{results, count, limit, pages, page}`. */
export function paginate<T>(items: T[], ctx: RequestContext): { results: T[]; count: number; limit: number; pages: number; page: number } {
  const body = (ctx.body ?? {}) as { limit?: number | null; page?: number | null };
  const max = ctx.services.defaultLimit;
  const limit = body.limit ?? max;
  if (limit > max) {
    throw invalidField(["body", "limit"], `Input should be less than or equal to ${max}`, limit, ctx.body, "less_than_equal");
  }
  const pageNumber = body.page ?? 1;
  const start = (pageNumber - 1) * limit;
  return {
    results: limit === 0 ? [] : items.slice(start, start + limit),
    count: items.length,
    limit,
    pages: limit === 0 ? 0 : Math.ceil(items.length / limit),
    page: pageNumber,
  };
}

type SortKey<T> = (item: T) => string | number | null | undefined;

/** Sort by one of Prefect's sort enums (`NAME_ASC`, `CREATED_DESC`, ...). Unknown enums fall back to the first. */
export function sortBy<T>(items: T[], sort: unknown, keys: Record<string, SortKey<T>>): T[] {
  const name = typeof sort === "string" && sort in keys ? sort : Object.keys(keys)[0];
  const key = name ? keys[name] : undefined;
  if (!name || !key) return items;
  const descending = name.endsWith("_DESC");
  return [...items].sort((a, b) => {
    const left = key(a) ?? "";
    const right = key(b) ?? "";
    const order = left < right ? -1 : left > right ? 1 : 0;
    return descending ? -order : order;
  });
}

/** Sort by name, ascending: the fixed order of the lists that take no sort enum. */
export function sortByName<T extends { name?: string | null }>(items: T[]): T[] {
  return sortBy(items, "NAME_ASC", { NAME_ASC: (item) => item.name });
}

/** Timestamps as Prefect serializes them (ISO 8601, UTC, microseconds). */
export function timestamp(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

/** The fields every stored object has. */
export function stamp(ctx: RequestContext, existing?: { id: string; created?: unknown }): { id: string; created: string; updated: string } {
  const now = timestamp(ctx.now);
  return { id: existing?.id ?? ctx.services.newId(), created: (existing?.created as string | undefined) ?? now, updated: now };
}

/** A 404 unless the object exists. */
export function found<T>(value: T | undefined, detail: string): T {
  if (value === undefined) throw new HttpError(404, { detail });
  return value;
}

/** Names Prefect rejects in URLs and lookups: `/`, `%`, `&`, `>`, `<`. */
export const NAME_PATTERN = /^[^/%&><]+$/;
