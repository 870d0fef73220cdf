// Every route family of the devserver. A family registers its API routes (below `/api`) and,
// for Cloud webhooks, root routes (`/hooks/{slug}`).
import type { RouteModule } from "../router.js";
import { registerAutomationsRoutes } from "./automations.js";
import { registerBlocksRoutes } from "./blocks.js";
import { registerCollectionViewsRoutes } from "./collection-views.js";
import { registerConcurrencyLimitsRoutes } from "./concurrency-limits.js";
import { registerDeploymentsRoutes } from "./deployments.js";
import { registerEventsRoutes } from "./events.js";
import { registerFlowRunsRoutes } from "./flow-runs.js";
import { registerFlowsRoutes } from "./flows.js";
import { registerRootRoutes } from "./root.js";
import { registerVariablesRoutes } from "./variables.js";
import { registerWebhookEndpoint, registerWebhooksRoutes } from "./webhooks.js";
import { registerWorkPoolsRoutes } from "./work-pools.js";

export const API_ROUTE_MODULES: RouteModule[] = [
  registerRootRoutes,
  registerFlowsRoutes,
  registerFlowRunsRoutes,
  registerDeploymentsRoutes,
  registerWorkPoolsRoutes,
  registerBlocksRoutes,
  registerVariablesRoutes,
  registerConcurrencyLimitsRoutes,
  registerAutomationsRoutes,
  registerWebhooksRoutes,
  registerEventsRoutes,
  registerCollectionViewsRoutes,
];

/** Routes outside `/api`: Prefect Cloud serves webhook endpoints at `/hooks/{slug}`. */
export const ROOT_ROUTE_MODULES: RouteModule[] = [registerWebhookEndpoint];
