// What a plan reads of each kind: the objects the state owns (by id) and the declared objects
// it does not own yet (by name, for adoption and conflict checks), so a plan costs what the stack
// costs, not what the workspace holds. Names made of variables, locals, `count.index` or `each`
// are evaluated (knownAtPlan); a kind with a declared name known only after apply (made from
// another object's attribute) is read whole, as is a kind without scoped reads.
import type { ReadScope } from "../../provider/kinds/kind.js";
import { knownAtPlan } from "../config/plan-time.js";
import type { ResolvedConfig } from "../config/resolve.js";
import type { StateDocument } from "../state/model.js";

const DEPLOYMENT = "prefect_deployment";
const SCHEDULE = "prefect_deployment_schedule";

/** `${prefect_deployment.NAME.id}` (with an optional index): the address it names. */
function deploymentIdReference(raw: unknown): string | undefined {
  if (typeof raw !== "string") return undefined;
  const match = /^\$\{(prefect_deployment\.[A-Za-z0-9_-]+(?:\[(?:\d+|"[^"]*")\])?)\.id\}$/.exec(raw);
  return match?.[1];
}

/**
 * Each kind's read scope, or `undefined` for a kind to be read whole. `types` are the kinds the
 * run reads (declared or owned). Owned ids come from the state; names from the declarations the
 * state does not own (a declaration whose name is known only after apply makes its kind read whole);
 * schedules are read with their deployments (`parentIds`: the deployments of owned schedules and
 * of declared ones).
 */
export function readScopes(config: ResolvedConfig | undefined, state: StateDocument, types: readonly string[]): Map<string, ReadScope | undefined> {
  const scopes = new Map<string, ReadScope | undefined>();
  for (const type of types) scopes.set(type, { ids: [], names: [], ownedNames: [], parentIds: [] });
  const whole = (type: string) => scopes.set(type, undefined);
  for (const entry of Object.values(state.resources)) {
    const scope = scopes.get(entry.type);
    if (!scope) continue;
    scope.ids.push(entry.id);
    if (entry.type === SCHEDULE) {
      const parent = entry.values.deployment_id;
      if (typeof parent === "string") scope.parentIds?.push(parent);
      else whole(SCHEDULE);
    }
  }
  // An interrupted create of an undeclared address (destroy recovers them) is found by content: read its kind whole.
  const declared = new Set(config?.instances.map((instance) => instance.address) ?? []);
  for (const pending of Object.values(state.pending)) if (!declared.has(pending.address)) whole(pending.type);
  for (const instance of config?.instances ?? []) {
    const type = instance.type;
    if (!scopes.get(type)) continue;
    const owned = state.resources[instance.address]?.type === type;
    if (type === SCHEDULE) {
      const raw = instance.block.attributes.deployment_id;
      const reference = deploymentIdReference(raw);
      const id = reference ? undefined : knownAtPlan(config, instance, "deployment_id");
      const parent = id ?? (reference ? state.resources[reference]?.id : undefined);
      if (parent) scopes.get(SCHEDULE)?.parentIds?.push(parent);
      // A deployment declared but not owned is read by name, its schedules with it.
      else if (!reference || !declared.has(reference)) whole(SCHEDULE);
      continue;
    }
    const name = knownAtPlan(config, instance, "name");
    if (owned) {
      if (name !== undefined) scopes.get(type)?.ownedNames?.push(name);
      continue;
    }
    if (name === undefined) whole(type);
    else scopes.get(type)?.names.push(name);
  }
  // Schedules are read with the deployments' scoped read: without it, they are listed whole too.
  if (scopes.has(SCHEDULE) && !scopes.get(DEPLOYMENT) && types.includes(DEPLOYMENT)) whole(SCHEDULE);
  return scopes;
}
