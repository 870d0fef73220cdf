// Listing every object of a kind in as few requests as the API allows: `/filter` routes page
// with limit/offset (the server caps `limit`, 200 by default), `/paginate` routes with pages.
import type { PrefectClient } from "./client.js";

/**
 * The largest page a Prefect server serves by default (PREFECT_SERVER_API_DEFAULT_LIMIT, 200:
 * settings/models/server/api.py default_limit); a larger `limit` is refused (server/api/dependencies.py LimitBody).
 */
export const PAGE_SIZE = 200;

/**
 * Every result of a `/filter` route: pages of `pageSize` with increasing offsets until a short
 * page. `body` carries the filter criteria (and `sort`, which should be stable).
 */
export async function filterAll<T>(client: PrefectClient, path: string, body: Record<string, unknown> = {}, pageSize = PAGE_SIZE): Promise<T[]> {
  const all: T[] = [];
  for (let offset = 0; ; offset += pageSize) {
    const page = await client.query<T[]>(path, { ...body, offset, limit: pageSize });
    all.push(...page);
    if (page.length < pageSize) return all;
  }
}

interface PaginationResponse<T> {
  results: T[];
  count: number;
  pages: number;
  page: number;
}

/** Every result of a `/paginate` route (`{results, count, pages, page}`), page by page. */
export async function paginateAll<T>(client: PrefectClient, path: string, body: Record<string, unknown> = {}, pageSize = PAGE_SIZE): Promise<T[]> {
  const all: T[] = [];
  for (let page = 1; ; page++) {
    const answer = await client.query<PaginationResponse<T>>(path, { ...body, page, limit: pageSize });
    all.push(...answer.results);
    if (page >= answer.pages || answer.results.length === 0) return all;
  }
}

/** `values` in consecutive slices of at most `size` (the values of one `any_` filter per page). */
export function chunked<V>(values: readonly V[], size = PAGE_SIZE): V[][] {
  return Array.from({ length: Math.ceil(values.length / size) }, (_, i) => values.slice(i * size, (i + 1) * size));
}

/**
 * The objects of a `/filter` route with one of `ids` or one of `names` (`{[key]: {id: {any_}}}`,
 * `{[key]: {name: {any_}}}`), in pages of `pageSize` sent concurrently (the client's limiter
 * bounds them): ids are unique, so a chunk of ids is one page; a name may be shared (a
 * deployment's by several flows), so each chunk of names is paged until a short page. Each
 * object once, by `id`.
 */
export async function filterByIdsAndNames<T extends { id: string }>(
  client: PrefectClient,
  path: string,
  key: string,
  scope: { ids: readonly string[]; names: readonly string[] },
  body: Record<string, unknown> = {},
  pageSize = PAGE_SIZE,
): Promise<T[]> {
  const pages = await Promise.all([
    ...chunked([...new Set(scope.ids.map((id) => id.toLowerCase()))], pageSize).map((ids) => client.query<T[]>(path, { ...body, [key]: { id: { any_: ids } }, offset: 0, limit: pageSize })),
    ...chunked([...new Set(scope.names)], pageSize).map((names) => filterAll<T>(client, path, { ...body, [key]: { name: { any_: names } } }, pageSize)),
  ]);
  const byId = new Map<string, T>();
  for (const page of pages) for (const object of page) byId.set(object.id, object);
  return [...byId.values()];
}
