// prefect_flow through the API: /flows/. Prefect creates flows as an upsert (posting a name
// that exists answers 200 with that flow, its tags unchanged: client-suite #2688), so a create is
// safe to repeat and then brings the existing flow's tags to the declaration.
import type { components } from "../../../contract/wire.gen.js";
import { filterAll, filterByIdsAndNames } from "../../client/paginate.js";
import { sortedUnique } from "../attributes.js";
import { jsonEqual } from "../compare.js";
import type { Kind, KindContext } from "../kind.js";
import { cloudScopeOf, deleteIgnoringMissing, orUndefined, readBack } from "../runtime.js";
import { changedFields, writesAnything, type WireFields } from "../update-body.js";
import { flowSchema, type FlowSpec } from "./schema.js";

type FlowResponse = components["schemas"]["Flow"];
type FlowCreate = components["schemas"]["FlowCreate"];
type FlowUpdate = components["schemas"]["FlowUpdate"];

/** A flow as read, with the Prefect Cloud account and workspace the client read it from. */
export type Flow = FlowResponse & { account_id?: string; workspace_id?: string };

const liveOf = (ctx: KindContext, raw: FlowResponse): Flow => ({ ...raw, ...cloudScopeOf(ctx.client) });

async function read(ctx: KindContext, id: string): Promise<Flow | undefined> {
  const raw = await orUndefined(ctx.client.get<FlowResponse>(`/flows/${id}`));
  return raw && liveOf(ctx, raw);
}

/** How a flow's changed attributes are written (update-body.ts; Prefect writes only the fields sent: models/flows.py update_flow). */
export const FLOW_UPDATES: WireFields<FlowSpec, FlowUpdate> = {
  tags: (spec) => ({ tags: spec.tags }),
};

/**
 * prefect_flow: schema, and CRUD through `/flows/`. Deleting a flow deletes its deployments too
 * (Prefect cascades), so the engine deletes a flow only after what depends on it.
 */
export const flowKind: Kind<FlowSpec, Flow> = {
  ...flowSchema,

  list: async (ctx) => (await filterAll<FlowResponse>(ctx.client, "/flows/filter", { sort: "NAME_ASC" })).map((raw) => liveOf(ctx, raw)),

  // FlowFilter has id.any_ and name.any_ (server-openapi.json FlowFilterId, FlowFilterName).
  readScoped: async (ctx, scope) => (await filterByIdsAndNames<FlowResponse>(ctx.client, "/flows/filter", "flows", scope, { sort: "NAME_ASC" })).map((raw) => liveOf(ctx, raw)),

  read,

  // The filter rather than `/flows/name/{name}`: a URL cannot carry every name a flow may have
  // ("." and ".." are dropped as path segments).
  find: async (ctx, spec) => {
    const [raw] = await ctx.client.query<FlowResponse[]>("/flows/filter", { flows: { name: { any_: [spec.name] } }, limit: 1 });
    return raw && liveOf(ctx, raw);
  },

  create: async (ctx, spec) => {
    const body: FlowCreate = { name: spec.name, tags: spec.tags };
    const flow = liveOf(ctx, await ctx.client.request<FlowResponse>("POST", "/flows/", { body, idempotent: true }));
    // A flow that existed already comes back with its own tags.
    if (jsonEqual(sortedUnique(flow.tags), sortedUnique(spec.tags))) return flow;
    return flowKind.update(ctx, flow.id, spec, flow, ["tags"]);
  },

  update: async (ctx, id, spec, _prior, changed) => {
    const body = changedFields(spec, changed, FLOW_UPDATES);
    if (writesAnything(body)) await ctx.client.patch(`/flows/${id}`, body);
    return readBack(`flow ${id}`, read(ctx, id));
  },

  delete: (ctx, id) => deleteIgnoringMissing(ctx.client.delete(`/flows/${id}`)),

  idOf: (live) => live.id,
  identityOf: (live) => live.name,

  toSpec: (live) => ({
    id: live.id,
    created: live.created ?? undefined,
    updated: live.updated ?? undefined,
    account_id: live.account_id,
    workspace_id: live.workspace_id,
    name: live.name,
    tags: sortedUnique(live.tags),
  }),
};
