// A plan is data: for each resource address an action, before/after values with sensitive
// values masked, attribute-level changes with the paths that force replacement, drift (live vs
// last applied) apart from changes (declared vs live), and diagnostics. Renderers and apply
// read it; nothing in it is a secret, so it can be saved, printed and posted.
import type { Diagnostic } from "../diagnostics.js";

export const PLAN_FORMAT = "prefect-gitops-plan/1";

export type Action = "create" | "update" | "replace" | "delete" | "no-op" | "forget";

/** What a masked value looks like in a plan. */
export const SENSITIVE = "(sensitive value)";
/** What an unknown value looks like in a plan. */
export const KNOWN_AFTER_APPLY = "(known after apply)";

export interface PlannedAttributeChange {
  path: (string | number)[];
  before: unknown;
  after: unknown;
  forceNew: boolean;
  sensitive: boolean;
}

export interface ResourceChange {
  address: string;
  type: string;
  /** `work pool "etl"` */
  label: string;
  action: Action;
  /** The live object's id (absent for creates). */
  id?: string;
  /** The object exists but is not in the state yet: apply records it (`--adopt`, import, or a resumed create). */
  importing?: boolean;
  /** Why: "not in the configuration", "deleted outside prefect-gitops", "resuming an interrupted create". */
  reason?: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  changes: PlannedAttributeChange[];
  /** Attribute paths whose change forces the replacement. */
  replacePaths: (string | number)[][];
  /** Addresses this object refers to: created/updated after them, deleted before them. */
  dependencies: string[];
}

export interface DriftEntry {
  address: string;
  type: string;
  label: string;
  id: string;
  kind: "modified" | "deleted";
  changes: PlannedAttributeChange[];
}

export type PlanMode = "normal" | "destroy" | "refresh-only";

export interface PlanSummary {
  add: number;
  change: number;
  destroy: number;
  import: number;
}

export interface Plan {
  format: typeof PLAN_FORMAT;
  mode: PlanMode;
  createdAt: string;
  /** The configuration directory the plan was made from. */
  dir: string;
  /** Hash of the configuration files and variable values (a saved plan is refused when it changed). */
  configHash: string;
  /** Hash of the live objects the plan was computed against (a saved plan is refused when they changed). */
  liveFingerprint: string;
  /** The state the plan was made from; empty when there was no state yet. */
  stateLineage: string;
  stateSerial: number;
  /** The API the plan targets (base URL). */
  target: string;
  changes: ResourceChange[];
  drift: DriftEntry[];
  diagnostics: Diagnostic[];
  summary: PlanSummary;
}

export function hasChanges(plan: Plan): boolean {
  return plan.changes.some((change) => change.action !== "no-op" || change.importing) || (plan.mode === "refresh-only" && plan.drift.length > 0);
}

export function hasErrors(plan: Plan): boolean {
  return plan.diagnostics.some((diagnostic) => diagnostic.severity === "error");
}

export function summarize(changes: ResourceChange[]): PlanSummary {
  const summary: PlanSummary = { add: 0, change: 0, destroy: 0, import: 0 };
  for (const change of changes) {
    if (change.importing) summary.import++;
    if (change.action === "create") summary.add++;
    else if (change.action === "update") summary.change++;
    else if (change.action === "delete") summary.destroy++;
    else if (change.action === "replace") {
      summary.add++;
      summary.destroy++;
    }
  }
  return summary;
}
