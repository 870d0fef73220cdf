// Phase 6 of a plan: prune by inventory. Objects the state owns that are no longer declared (or
// every owned object, for destroy) are deleted; those already gone are only forgotten. Nothing
// the state does not own is ever a candidate.
import { attributeFactsOf, type Kind } from "../../provider/kinds/kind.js";
import { error, type Diagnostic } from "../diagnostics.js";
import { protectSpec } from "../state/hash.js";
import type { StateDocument } from "../state/model.js";
import { refuseDeletion } from "./lifecycle.js";
import type { LiveIndex } from "./live-index.js";
import { maskSpec } from "./mask.js";
import type { DriftEntry, PlanMode, Step } from "./model.js";

export interface Pruned {
  steps: Step[];
  drift: DriftEntry[];
  diagnostics: Diagnostic[];
  /** [address, id, protected live spec] of each live object read, for the plan's fingerprint. */
  fingerprint: [string, string, unknown][];
}

export function pruneSteps(state: Pick<StateDocument, "resources" | "salt">, declared: ReadonlySet<string>, index: LiveIndex, kindFor: (type: string) => Kind | undefined, mode: PlanMode): Pruned {
  const pruned: Pruned = { steps: [], drift: [], diagnostics: [], fingerprint: [] };
  for (const entry of Object.values(state.resources)) {
    if (mode !== "destroy" && declared.has(entry.address)) continue;
    const kind = kindFor(entry.type);
    if (!kind) {
      pruned.diagnostics.push(error("STATE_INVALID", `The state holds ${entry.address} of unsupported type ${entry.type}`, { address: entry.address, detail: "Remove it with prefect-gitops state rm." }));
      continue;
    }
    const inventory = index.inventory(entry.type);
    const object = inventory?.byId.get(entry.id);
    const liveSpec = object !== undefined ? kind.toSpec(object) : undefined;
    if (liveSpec) pruned.fingerprint.push([entry.address, entry.id, protectSpec(kind, liveSpec, state.salt)]);
    const label = liveSpec ? kind.label(liveSpec) : `${kind.title} ${entry.identity ?? entry.id}`;
    const gone = object === undefined && inventory !== undefined && !inventory.error;
    const base = { address: entry.address, type: entry.type, label, id: entry.id, changes: [], replacePaths: [], dependencies: entry.dependencies };
    if (mode === "refresh-only") {
      // Gone from Prefect: a refresh forgets it, as it forgets a declared object that is gone.
      if (gone) {
        pruned.drift.push({ address: entry.address, type: entry.type, label, id: entry.id, kind: "deleted", changes: [] });
        pruned.steps.push({ ...base, action: "forget", reason: "deleted outside prefect-gitops; only the state entry is removed" });
      }
      continue;
    }
    const refused = refuseDeletion(entry, mode);
    if (refused) pruned.diagnostics.push(refused);
    pruned.steps.push({
      ...base,
      action: gone ? "forget" : "delete",
      reason: gone ? "already deleted outside prefect-gitops; only the state entry is removed" : mode === "destroy" ? "destroy" : "not in the configuration",
      before: maskSpec(attributeFactsOf(kind), liveSpec, new Set()),
    });
  }
  return pruned;
}
