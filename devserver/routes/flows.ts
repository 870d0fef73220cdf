// Flows: created by name (posting an existing name returns the existing flow unchanged),
// read by id or name, tagged, listed and deleted. Deleting a flow deletes its deployments, as
// the database's cascade does on Prefect.
import { deployments, flows, type FlowEntity } from "../collections.js";
import { found, page, paginate, sortBy, stamp } from "../filters.js";
import { noContent, ok, created } from "../http.js";
import type { RequestContext, Router } from "../router.js";
import type { Workspace } from "../store.js";
import { deploymentMatches, flowMatches, given, workPoolMatches } from "./deployment-filters.js";
import { deleteDeployment, deploymentFacts, deploymentPool, linksOf } from "./deployments.js";
import { dropRunsOfFlow } from "./flow-run-cascade.js";
import { hasMatchingRuns } from "./flow-run-filters.js";

const FLOW_NOT_FOUND = "Flow not found";

type Body = Record<string, unknown>;

/** The flow's stored fields, as returned. */
function flowResponse(flow: FlowEntity): FlowEntity {
  return { id: flow.id, created: flow.created, updated: flow.updated, name: flow.name, tags: flow.tags ?? [], labels: flow.labels === undefined ? {} : flow.labels };
}

const FLOW_SORTS = {
  NAME_ASC: (flow: FlowEntity) => flow.name,
  NAME_DESC: (flow: FlowEntity) => flow.name,
  CREATED_DESC: (flow: FlowEntity) => flow.created,
  UPDATED_DESC: (flow: FlowEntity) => flow.updated,
};

/**
 * Flows matching a flows/filter-style body: the flow filter itself, and the deployment and work
 * pool filters through the flow's deployments (a flow matches when one of its deployments does).
 */
function matchingFlows(ctx: RequestContext): FlowEntity[] {
  const body = (ctx.body ?? {}) as Body;
  const ws = ctx.workspace;
  const withRuns = hasMatchingRuns(ws, body, "flow_id");
  const all = withRuns ? flows(ws).filter((flow) => withRuns(flow.id)) : flows(ws).all();
  const flowFilter = body.flows as Body | null | undefined;
  const byDeployment = given(body.deployments) || given(body.work_pools);
  const deploymentIsNull = (flowFilter?.deployment as Body | null | undefined)?.is_null_;
  // One pass over deployments answers both `deployment.is_null_` and the deployment filters.
  let withDeployments: Set<string> | undefined;
  let withMatching: Set<string> | undefined;
  if (typeof deploymentIsNull === "boolean" || byDeployment) {
    withDeployments = new Set();
    withMatching = new Set();
    const links = linksOf(ws);
    for (const deployment of deployments(ws).all()) {
      withDeployments.add(deployment.flow_id);
      if (!byDeployment) continue;
      if (!deploymentMatches(deployment, () => deploymentFacts(links, deployment), body.deployments as Body)) continue;
      if (given(body.work_pools)) {
        const pool = deploymentPool(links, deployment);
        if (!pool || !workPoolMatches(pool, body.work_pools as Body)) continue;
      }
      withMatching.add(deployment.flow_id);
    }
  }
  return all.filter(
    (flow) =>
      flowMatches(flow, flowFilter, (id) => withDeployments?.has(id) ?? false) && (!byDeployment || (withMatching?.has(flow.id) ?? false)),
  );
}

/** Delete a flow and everything the database would cascade to: its deployments. */
export function deleteFlow(ws: Workspace, flow: FlowEntity): void {
  for (const deployment of deployments(ws).filter((candidate) => candidate.flow_id === flow.id)) deleteDeployment(ws, deployment);
  dropRunsOfFlow(ws, flow.id);
  flows(ws).delete(flow.id);
}

/** Register the flow routes (`/flows/...`). */
export function registerFlowsRoutes(router: Router): void {
  router.post("/flows/", (ctx) => {
    const body = ctx.body as Body;
    const collection = flows(ctx.workspace);
    const existing = collection.getByKey(body.name as string);
    // Prefect answers 201 for a new flow and 200 for an existing one (the contract document
    // declares only 200: contract/validator.ts lists the deviation).
    if (existing) return ok(flowResponse(existing));
    const flow: FlowEntity = {
      ...stamp(ctx),
      name: body.name as string,
      tags: (body.tags as string[] | undefined) ?? [],
      labels: body.labels === undefined ? {} : (body.labels as FlowEntity["labels"]),
    };
    return created(flowResponse(collection.put(flow)));
  });

  router.get("/flows/{id}", (ctx) => ok(flowResponse(found(flows(ctx.workspace).get(ctx.params.id ?? ""), FLOW_NOT_FOUND))));

  router.get("/flows/name/{name}", (ctx) => ok(flowResponse(found(flows(ctx.workspace).getByKey(ctx.params.name ?? ""), FLOW_NOT_FOUND))));

  router.patch("/flows/{id}", (ctx) => {
    const collection = flows(ctx.workspace);
    const flow = found(collection.get(ctx.params.id ?? ""), FLOW_NOT_FOUND);
    const body = ctx.body as Body;
    collection.put({ ...flow, ...(body.tags !== undefined ? { tags: body.tags as string[] } : {}), ...stamp(ctx, flow) });
    return noContent();
  });

  router.delete("/flows/{id}", (ctx) => {
    deleteFlow(ctx.workspace, found(flows(ctx.workspace).get(ctx.params.id ?? ""), FLOW_NOT_FOUND));
    return noContent();
  });

  router.post("/flows/filter", (ctx) => {
    const sorted = sortBy(matchingFlows(ctx), (ctx.body as Body).sort, FLOW_SORTS);
    return ok(page(sorted, ctx).map(flowResponse));
  });

  router.post("/flows/count", (ctx) => ok(matchingFlows(ctx).length));

  router.post("/flows/paginate", (ctx) => {
    const sorted = sortBy(matchingFlows(ctx), (ctx.body as Body).sort, FLOW_SORTS);
    const result = paginate(sorted, ctx);
    return ok({ ...result, results: result.results.map(flowResponse) });
  });
}
