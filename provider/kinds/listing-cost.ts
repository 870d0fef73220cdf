// Whether reading a kind whole costs less than reading the objects a run wants of it, decided from
// what Prefect counts (`/count`: 5 ms on a real server, recordings' README "Speed"), never guessed.
// The plan's scoped reads and the Terraform provider's batched reads (terraform/resources/reads.ts)
// both decide here.
import { PAGE_SIZE } from "../client/paginate.js";
import type { KindContext, ReadScope } from "./kind.js";

/**
 * The count route of each kind that has one (server-openapi.json; e.g. deployments.py
 * count_deployments, variables.py count_variables in prefect/server/api). Schedules are listed
 * with their deployments. Queues, limits and webhooks have none.
 */
export const COUNT_ROUTES: Readonly<Record<string, string>> = {
  prefect_flow: "/flows/count",
  prefect_deployment: "/deployments/count",
  prefect_deployment_schedule: "/deployments/count",
  prefect_block: "/block_documents/count",
  prefect_work_pool: "/work_pools/count",
  prefect_variable: "/variables/count",
  prefect_automation: "/automations/count",
};

/** Requests a listing of `count` objects costs: pages of PAGE_SIZE, one at least. */
export function listingPages(count: number): number {
  return Math.max(1, Math.ceil(count / PAGE_SIZE));
}

/** What a scoped read asks for: its requests (pages of ids and of names, at least) and the objects it names. */
export interface ScopedCost {
  requests: number;
  wanted: number;
  /** Objects known to exist (owned, by id): a listing holds at least these. */
  owned: number;
}

/**
 * The scoped read's cost (see filterByIdsAndNames): a page per 200 distinct ids, a page (at least)
 * per 200 distinct names. `extraIds` are read in the same id pages (a deployment's schedules'
 * parents); kinds read by name (automations: readsOwnedNames) page their owned names instead of ids.
 */
export function scopedCost(scope: ReadScope, options: { extraIds?: readonly string[]; byName?: boolean } = {}): ScopedCost {
  const ids = new Set([...scope.ids, ...(options.extraIds ?? [])].map((id) => id.toLowerCase()));
  const names = new Set([...scope.names, ...(options.byName ? (scope.ownedNames ?? []) : [])]);
  if (options.byName) return { requests: Math.ceil(names.size / PAGE_SIZE), wanted: Math.max(names.size, ids.size), owned: ids.size };
  return { requests: Math.ceil(ids.size / PAGE_SIZE) + Math.ceil(names.size / PAGE_SIZE), wanted: ids.size + names.size, owned: ids.size };
}

/**
 * A count pays only where a listing, the count included, could take fewer requests. A listing
 * holds at least the owned objects, so where their pages alone leave no room (a no-change plan of
 * a stack owning everything it declares) nothing is counted: a scoped read of one or two requests,
 * or of 1,000 owned ids (5 pages, against a listing of 5 pages at least), cannot be beaten.
 */
export function worthCounting(cost: ScopedCost): boolean {
  return listingPages(cost.owned) + 1 < cost.requests;
}

/**
 * List the kind whole when the listing and its count take fewer requests than the scoped read and
 * the listing answers no more objects than the scoped read asks for (a real server's cost grows
 * with the objects it serializes: 8 ms a deployment), so it is never the dearer of the two in
 * either. Where it is not cheaper the count was the price of knowing: one request in three or more.
 */
export function listingIsCheaper(cost: ScopedCost, count: number): boolean {
  return listingPages(count) + 1 < cost.requests && count <= cost.wanted;
}

/** The number of objects of `type` Prefect holds, or `undefined` for a kind without a count route. */
export async function countOf(ctx: KindContext, type: string): Promise<number | undefined> {
  const route = COUNT_ROUTES[type];
  // Once per run and route: deployments and their schedules share /deployments/count.
  return route ? ctx.memo(`count ${route}`, () => ctx.client.query<number>(route, {})) : undefined;
}
