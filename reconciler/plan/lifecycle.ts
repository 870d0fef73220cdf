// Phase 5 of a plan: the lifecycle rules. prevent_destroy refuses a replacement or a deletion,
// and is honoured from the state once a declaration is removed, so a change of it alone must
// reach the state (an impact of `state`).
import type { ResourceInstance } from "../config/resolve.js";
import { error, type Diagnostic } from "../diagnostics.js";
import type { StateEntry } from "../state/model.js";
import type { Action, PlanMode, PlannedAttributeChange } from "./model.js";

/** The prevent_destroy change the state must record, if any. */
export function protectionChange(mode: PlanMode, entry: StateEntry | undefined, exists: boolean, protect: boolean): PlannedAttributeChange | undefined {
  if (mode !== "normal" || !entry || !exists || Boolean(entry.preventDestroy) === protect) return undefined;
  return { path: ["lifecycle", "prevent_destroy"], before: !protect, after: protect, impact: "state", sensitive: false };
}

/** A replacement of an object declared with prevent_destroy is refused. */
export function refuseReplacement(instance: ResourceInstance, action: Action, replacePaths: (string | number)[][]): Diagnostic | undefined {
  if (action !== "replace" || !instance.block.lifecycle.preventDestroy) return undefined;
  return error("PREVENT_DESTROY", `${instance.address} has lifecycle.prevent_destroy, but the plan replaces it`, {
    file: instance.block.location.file,
    line: instance.block.location.line,
    address: instance.address,
    detail: `Changing ${replacePaths.map((path) => path.join(".")).join(", ")} forces a replacement. Revert that change, or remove prevent_destroy first.`,
  });
}

/** A deletion of an object the state records with prevent_destroy is refused. */
export function refuseDeletion(entry: StateEntry, mode: PlanMode): Diagnostic | undefined {
  if (!entry.preventDestroy) return undefined;
  return error("PREVENT_DESTROY", `${entry.address} has lifecycle.prevent_destroy, but the plan deletes it`, {
    address: entry.address,
    detail: mode === "destroy" ? "Remove prevent_destroy from its declaration and apply, then destroy." : "Declare it again, or remove prevent_destroy (declare it with prevent_destroy = false and apply) before removing it.",
  });
}
