// A plan is data, and it is the program apply runs: for each resource address a step with its
// action, before/after values with sensitive values masked, attribute-level changes with their
// impacts, its dependencies and what it will send to Prefect (resolved values, or markers for
// values apply resolves: secrets, and results of earlier steps). Drift (live vs last applied)
// is apart from changes (declared vs live), and diagnostics. Renderers and apply read it;
// nothing in it is a secret, so it can be saved, printed, posted and applied later.
import type { Diagnostic } from "../diagnostics.js";

// 2: steps carry what they send and their attribute impacts.
export const PLAN_FORMAT = "prefect-gitops-plan/2";

export type Action = "create" | "update" | "replace" | "delete" | "no-op" | "forget";

/** What a masked value looks like in a plan. */
export const SENSITIVE = "(sensitive value)";
/** What an unknown value looks like in a plan. */
export const KNOWN_AFTER_APPLY = "(known after apply)";

/**
 * What an attribute change does to its object, from least to worst: `state` is recorded in the
 * state only (lifecycle.prevent_destroy), `update` is made in place, `replace` forces a new object.
 * The step's action is the worst impact of its changes (see impact.ts).
 */
export type Impact = "state" | "update" | "replace";

export interface PlannedAttributeChange {
  path: (string | number)[];
  before: unknown;
  after: unknown;
  impact: Impact;
  sensitive: boolean;
}

/** A value a saved plan cannot hold: apply asks its resolver for the attribute's value. */
export type PayloadMarker =
  /** Sensitive (declared so, or derived from a sensitive variable): resolved from the configuration at apply time. */
  | { $secret: string }
  /** Known only once the named earlier step has run (a new pool's id). */
  | { $after: string };

export function isPayloadMarker(value: unknown): value is PayloadMarker {
  return !!value && typeof value === "object" && !Array.isArray(value) && ("$secret" in value || "$after" in value) && Object.keys(value).length === 1;
}

/** What a create, update or replace sends to Prefect. */
export interface StepPayload {
  /** The declared spec, top-level attributes the plan cannot hold replaced by markers. */
  spec: Record<string, unknown>;
  /** For an update: the attributes sent (the changed ones, after lifecycle.ignore_changes). */
  changed?: string[];
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
  /** Creates, updates and replaces: what is sent to Prefect. */
  send?: StepPayload;
  /** Attributes derived from sensitive variables (kept out of the state's clear values). */
  tainted?: string[];
  /** lifecycle.prevent_destroy of the declaration, recorded in the state. */
  preventDestroy?: boolean;
  /** Steps of one group (a pool's queues, hashed) run one after another, by order. */
  serial?: { group: string; order: number };
}

/** A step of the plan: one resource address and what apply does to it. */
export type Step = ResourceChange;

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
