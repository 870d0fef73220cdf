// What apply needs besides the plan: a way to talk to Prefect (the kinds and their context) and
// a resolver for the values a plan does not hold (secrets, results of earlier steps).
import type { Kind, KindContext, Spec } from "../../provider/kinds/kind.js";
import type { Step } from "../plan/model.js";

/** What a step left behind: the live object and the spec it was written from. */
export interface StepResult {
  live: unknown;
  spec: Spec;
}

export interface ApplyTarget {
  ctx: KindContext;
  kindFor(type: string): Kind | undefined;
  /** The live object the plan read for a step (updates, replacements and refreshes need it). */
  live(address: string): unknown;
  /**
   * The values of the step's payload markers: secrets from the configuration's values now, and
   * values only the results of earlier steps give. Throws an EngineError when one is still unknown.
   */
  resolve(step: Step, results: ReadonlyMap<string, StepResult>): Spec;
  /** What the plan declared for a step, secrets included and values not known yet as unknowns (refresh-only records it). */
  declared(step: Step): Spec;
}
