// Phase 4 of a plan: each attribute change gets an impact, and the step's action is the worst
// of them (the aws-cdk diff model): computing it is apart from rendering it.
import { diffSpec, type AttributeChange } from "../../provider/kinds/compare.js";
import type { Kind, Spec } from "../../provider/kinds/kind.js";
import type { Action, Impact, PlanMode } from "./model.js";

export type ImpactedChange = AttributeChange & { impact: Impact };

/** Least to worst. */
const SEVERITY: readonly Impact[] = ["state", "update", "replace"];

/** The diff, with `lifecycle.ignore_changes` applied. */
export function plannedDiff(kind: Kind, spec: Spec, liveSpec: Spec | undefined, ignore: string[] | "all"): AttributeChange[] {
  const changes = diffSpec(kind, spec, liveSpec);
  if (!liveSpec) return changes;
  if (ignore === "all") return [];
  return changes.filter((change) => !ignore.includes(String(change.path[0])));
}

/**
 * The declared-vs-live changes with their impacts: a force-new attribute replaces, and so does a
 * change Prefect cannot make in place (the kind's replacementReasons, which also say why).
 */
export function attributeImpacts(kind: Kind, spec: Spec, liveSpec: Spec | undefined, ignore: string[] | "all", mode: PlanMode): { changes: ImpactedChange[]; reasons: string[] } {
  const forced = liveSpec && kind.replacementReasons && mode !== "refresh-only" ? kind.replacementReasons(spec, liveSpec) : [];
  const same = (a: (string | number)[], b: (string | number)[]) => a.join(".") === b.join(".");
  const changes = plannedDiff(kind, spec, liveSpec, ignore).map((change): ImpactedChange => ({ ...change, impact: change.forceNew || forced.some((item) => same(item.path, change.path)) ? "replace" : "update" }));
  const reasons = forced.filter((item) => changes.some((change) => same(item.path, change.path))).map((item) => item.reason);
  return { changes, reasons };
}

/** The worst impact, or undefined for none. */
export function worstImpact(impacts: readonly Impact[]): Impact | undefined {
  return impacts.reduce<Impact | undefined>((worst, impact) => (worst === undefined || SEVERITY.indexOf(impact) > SEVERITY.indexOf(worst) ? impact : worst), undefined);
}

/** A declared object's action: created when there is no live object, else its worst impact. */
export function rollUp(exists: boolean, impacts: readonly Impact[], mode: PlanMode): Action {
  if (mode === "refresh-only") return "no-op";
  if (!exists) return "create";
  const worst = worstImpact(impacts);
  if (worst === "replace") return "replace";
  // A state-only change is an update that sends nothing to Prefect.
  return worst ? "update" : "no-op";
}
