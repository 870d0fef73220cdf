// Before a run's scoped reads: the kinds whose whole listing `/count` shows to be cheaper are read
// whole instead (listing-cost.ts decides). Counts are sent together, and only for kinds whose
// scoped read takes two requests or more.
import type { Kind, KindContext, ReadScope } from "./kind.js";
import { countOf, listingIsCheaper, scopedCost, worthCounting, type ScopedCost } from "./listing-cost.js";

const DEPLOYMENT = "prefect_deployment";
const SCHEDULE = "prefect_deployment_schedule";

/** What each scoped kind's read would cost (schedules are part of their deployments' read). */
function scopedCosts(kinds: readonly Kind[], scopes: ReadonlyMap<string, ReadScope | undefined>): Map<string, ScopedCost> {
  const costs = new Map<string, ScopedCost>();
  for (const kind of kinds) {
    const scope = scopes.get(kind.type);
    if (!scope || !kind.readScoped || kind.type === SCHEDULE) continue;
    const extraIds = kind.type === DEPLOYMENT ? (scopes.get(SCHEDULE)?.parentIds ?? []) : [];
    costs.set(kind.type, scopedCost(scope, { extraIds, byName: kind.readsOwnedNames === true }));
  }
  return costs;
}

/**
 * `scopes` with `undefined` (read whole) for each kind a listing reads more cheaply; a deployment
 * listing carries the schedules, so they follow their deployments. A failed count keeps the scope.
 */
export async function preferCheaperListings(ctx: KindContext, kinds: readonly Kind[], scopes: ReadonlyMap<string, ReadScope | undefined>): Promise<Map<string, ReadScope | undefined>> {
  const chosen = new Map(scopes);
  const candidates = [...scopedCosts(kinds, scopes)].filter(([, cost]) => worthCounting(cost));
  await Promise.all(
    candidates.map(async ([type, cost]) => {
      const count = await countOf(ctx, type).catch(() => undefined);
      if (count === undefined || !listingIsCheaper(cost, count)) return;
      chosen.set(type, undefined);
      if (type === DEPLOYMENT && chosen.has(SCHEDULE)) chosen.set(SCHEDULE, undefined);
    }),
  );
  return chosen;
}
