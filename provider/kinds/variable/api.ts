// prefect_variable through the API: /variables/.
import type { components } from "../../../contract/wire.gen.js";
import { filterAll, filterByIdsAndNames } from "../../client/paginate.js";
import { sortedUnique } from "../attributes.js";
import type { Kind } from "../kind.js";
import { createSafely, deleteIgnoringMissing, orUndefined, readBack } from "../runtime.js";
import { changedFields, writesAnything, type WireFields } from "../update-body.js";
import { variableSchema, type VariableSpec } from "./schema.js";

type Variable = components["schemas"]["Variable"];
type VariableCreate = components["schemas"]["VariableCreate"];
type VariableUpdate = components["schemas"]["VariableUpdate"];

/** How a variable's changed attributes are written (update-body.ts; Prefect writes only the fields sent: models/variables.py update_variable). */
export const VARIABLE_UPDATES: WireFields<VariableSpec, VariableUpdate> = {
  name: (spec) => ({ name: spec.name }),
  value: (spec) => ({ value: spec.value as VariableUpdate["value"] }),
  tags: (spec) => ({ tags: spec.tags }),
};

export const variableKind: Kind<VariableSpec, Variable> = {
  ...variableSchema,

  list: (ctx) => filterAll<Variable>(ctx.client, "/variables/filter", { sort: "NAME_ASC" }),

  // VariableFilter has id.any_ and name.any_ (server-openapi.json VariableFilterId, VariableFilterName).
  readScoped: (ctx, scope) => filterByIdsAndNames<Variable>(ctx.client, "/variables/filter", "variables", scope, { sort: "NAME_ASC" }),

  read: (ctx, id) => orUndefined(ctx.client.get<Variable>(`/variables/${id}`)),

  find: (ctx, spec) => orUndefined(ctx.client.get<Variable>(`/variables/name/${encodeURIComponent(spec.name)}`)),

  // Every JSON type is stored and answered as sent (scenarios.jsonl "variable str" ... "variable
  // dict"); a name taken answers 409 naming it ("variable duplicate"), and createSafely then takes
  // the variable found under the name.
  create: (ctx, spec) => {
    const body: VariableCreate = { name: spec.name, value: spec.value as VariableCreate["value"], tags: spec.tags };
    return createSafely({
      attempt: () => ctx.client.post<Variable>("/variables/", body),
      lookup: () => variableKind.find(ctx, spec),
    });
  },

  // The PATCH answers 204 without a body (scenarios.jsonl "variable patch by name"): read back.
  update: async (ctx, id, spec, _prior, changed) => {
    const body = changedFields(spec, changed, VARIABLE_UPDATES);
    if (writesAnything(body)) await ctx.client.patch(`/variables/${id}`, body);
    return readBack(`variable ${id}`, variableKind.read(ctx, id));
  },

  delete: (ctx, id) => deleteIgnoringMissing(ctx.client.delete(`/variables/${id}`)),

  idOf: (live) => live.id,
  identityOf: (live) => live.name,

  toSpec: (live) => ({
    id: live.id,
    created: live.created ?? undefined,
    updated: live.updated ?? undefined,
    name: live.name,
    value: live.value,
    tags: sortedUnique(live.tags),
  }),
};
