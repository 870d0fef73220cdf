// The step of one declared object once its live object is located: drift against the last
// apply, the attribute impacts and the action, the lifecycle rules, and what it will send.
import { withRecordedValues } from "../../provider/kinds/compare.js";
import { attributeFactsOf, type Kind, type Spec } from "../../provider/kinds/kind.js";
import type { ResourceInstance } from "../config/resolve.js";
import type { Diagnostic } from "../diagnostics.js";
import { driftChanges } from "../drift/changes.js";
import type { StateEntry } from "../state/model.js";
import type { Declared } from "./declare.js";
import { attributeImpacts, rollUp } from "./impact.js";
import { protectionChange, refuseReplacement } from "./lifecycle.js";
import type { Located } from "./locate.js";
import { maskChanges, maskSpec } from "./mask.js";
import type { DriftEntry, PlanMode, Step } from "./model.js";
import { payloadOf, serialOf } from "./payload.js";

export interface DeclaredStep {
  step: Step;
  drift: DriftEntry[];
  diagnostics: Diagnostic[];
  /** The live spec the step was planned against (with values only the state records). */
  liveSpec?: Spec;
}

export function declaredStep(instance: ResourceInstance, kind: Kind, declared: Declared, located: Located, entry: StateEntry | undefined, mode: PlanMode, salt: string, dependencies: string[], readable: boolean): DeclaredStep {
  const { address } = instance;
  const { spec, tainted, label } = declared;
  const facts = attributeFactsOf(kind);
  const drift: DriftEntry[] = [];
  let reason = located.reason;
  // Values Prefect does not store (data_wo_version) come from what the state recorded.
  const liveSpec = located.object !== undefined ? withRecordedValues(kind, kind.toSpec(located.object), entry?.values) : undefined;
  if (entry && !liveSpec && readable) {
    drift.push({ address, type: kind.type, label, id: entry.id, kind: "deleted", changes: [] });
    reason ??= "deleted outside prefect-gitops";
  }
  if (entry && liveSpec) {
    const found = driftChanges(facts, entry, liveSpec, salt);
    if (found.length) drift.push({ address, type: kind.type, label, id: entry.id, kind: "modified", changes: maskChanges(facts, found, tainted) });
  }

  const impacts = attributeImpacts(kind, spec, liveSpec, instance.block.lifecycle.ignoreChanges, mode);
  for (const why of impacts.reasons) reason = reason ? `${reason}; ${why}` : why;
  const protection = protectionChange(mode, entry, liveSpec !== undefined, instance.block.lifecycle.preventDestroy);
  const action = rollUp(liveSpec !== undefined, [...impacts.changes.map((change) => change.impact), ...(protection ? [protection.impact] : [])], mode);
  if (action === "update" && !impacts.changes.length) reason ??= "only lifecycle.prevent_destroy changed: the state records it, Prefect is not called";
  const replacePaths = impacts.changes.filter((change) => change.impact === "replace").map((change) => change.path);
  const refused = refuseReplacement(instance, action, replacePaths);

  const changed = [...new Set(impacts.changes.map((change) => String(change.path[0])))];
  const step: Step = {
    address,
    type: kind.type,
    label,
    action,
    id: located.object !== undefined ? kind.idOf(located.object) : undefined,
    importing: located.importing || undefined,
    reason,
    before: maskSpec(facts, liveSpec, tainted),
    after: action === "no-op" ? maskSpec(facts, liveSpec, tainted) : maskSpec(facts, action === "update" ? { ...liveSpec, ...definedOnly(spec) } : spec, tainted, action !== "update"),
    changes: mode === "refresh-only" ? [] : [...maskChanges(facts, impacts.changes, tainted), ...(protection ? [protection] : [])],
    replacePaths,
    dependencies,
    send: payloadOf(kind, spec, tainted, action === "update" ? changed : undefined),
    tainted: tainted.size ? [...tainted].sort() : undefined,
    preventDestroy: instance.block.lifecycle.preventDestroy || undefined,
    serial: serialOf(kind, spec),
  };
  return { step, drift, diagnostics: refused ? [refused] : [], liveSpec };
}

function definedOnly(spec: Spec): Spec {
  return Object.fromEntries(Object.entries(spec).filter(([, value]) => value !== undefined));
}
