// The one place that knows the plan model's shape (reconciler/plan/model.ts): its changes to
// prefect_deployment_schedule resources, as schedule previews take them. Kept apart so the
// plan model can change without touching the previews.
import { deploymentSchema } from "../../provider/kinds/deployment/schema.js";
import { SCHEDULE_ATTRIBUTES, deploymentScheduleSchema } from "../../provider/kinds/deployment-schedule/schema.js";
import { KNOWN_AFTER_APPLY, SENSITIVE, type ResourceChange } from "../plan/model.js";
import type { ScheduleLike } from "./next-runs.js";
import type { ScheduleAction, ScheduleChange } from "./previews.js";

const ACTIONS: readonly string[] = ["create", "update", "replace", "delete"] satisfies ScheduleAction[];

/** The attributes that decide when a schedule runs, without values the plan does not know. */
function scheduleOf(values: Record<string, unknown> | undefined): ScheduleLike | undefined {
  if (!values) return undefined;
  const schedule: Record<string, unknown> = {};
  for (const name of [...SCHEDULE_ATTRIBUTES, "active"]) {
    const value = values[name];
    if (value !== undefined && value !== null && value !== KNOWN_AFTER_APPLY && value !== SENSITIVE) schedule[name] = value;
  }
  return schedule as ScheduleLike;
}

/** The deployment's label from the plan when it is in the plan, else its address or id. */
function deploymentOf(change: ResourceChange, byAddress: Map<string, ResourceChange>): string {
  const address = change.dependencies.find((dependency) => dependency.startsWith(`${deploymentSchema.type}.`));
  if (address) return byAddress.get(address)?.label ?? address;
  const id = change.after?.deployment_id ?? change.before?.deployment_id;
  return typeof id === "string" && id !== KNOWN_AFTER_APPLY ? `deployment ${id}` : "an unknown deployment";
}

/**
 * The schedule changes of a plan, for `schedulePreviews`.
 *
 * @example
 * renderSchedulePreviews(schedulePreviews(scheduleChangesOf(plan.changes), { now: new Date() }));
 */
export function scheduleChangesOf(changes: readonly ResourceChange[]): ScheduleChange[] {
  const byAddress = new Map(changes.map((change) => [change.address, change]));
  return changes
    .filter((change) => change.type === deploymentScheduleSchema.type && ACTIONS.includes(change.action))
    .map((change) => ({
      address: change.address,
      deployment: deploymentOf(change, byAddress),
      action: change.action as ScheduleAction,
      before: change.action === "create" ? undefined : scheduleOf(change.before),
      after: change.action === "delete" ? undefined : scheduleOf(change.after),
    }));
}
