// Admin routes outside `/api` (under `/_devserver/`): request counters, fault injection, events
// recorded by webhooks, and a data reset. They never count as API traffic and are never faulted.
import { DEVSERVER_VERSION_INFO } from "./version.js";
import { validateFaultConfig, type FaultInjector } from "./faults.js";
import { HttpError, noContent, ok } from "./http.js";
import type { RequestCounter } from "./metrics.js";
import type { Router } from "./router.js";
import type { Store } from "./store.js";

export interface AdminDeps {
  store: Store;
  faults: FaultInjector;
  counter: RequestCounter;
  origin: () => string;
}

export function registerAdminRoutes(router: Router, deps: AdminDeps): void {
  router.get("/_devserver/info", () =>
    ok({
      ...DEVSERVER_VERSION_INFO,
      api_url: `${deps.origin()}/api`,
      workspaces: deps.store.workspaceKeys(),
    }),
  );

  router.get("/_devserver/requests", () => ok({ total: deps.counter.total(), routes: deps.counter.byRoute() }));
  router.delete("/_devserver/requests", () => {
    deps.counter.reset();
    return noContent();
  });

  // `contention`: what the server was started with (--contention); it outlives PUT and DELETE of the rules.
  router.get("/_devserver/faults", () => ok({ ...deps.faults.current(), contention: deps.faults.standingContention() ?? null, injected: deps.faults.injected() }));
  router.put("/_devserver/faults", (ctx) => {
    try {
      deps.faults.configure(validateFaultConfig(ctx.body));
    } catch (error) {
      throw new HttpError(422, { detail: (error as Error).message });
    }
    deps.faults.resetCounts();
    return ok(deps.faults.current());
  });
  router.delete("/_devserver/faults", () => {
    deps.faults.configure({ rules: [] });
    return noContent();
  });

  router.get("/_devserver/events", (ctx) => {
    const key = ctx.query.get("workspace") ?? "oss";
    const events = deps.store.workspace(key).collection("events").all();
    return ok(events);
  });

  router.post("/_devserver/reset", () => {
    deps.store.reset();
    return noContent();
  });
}
