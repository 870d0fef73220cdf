// The resolver apply asks for what a plan does not hold, made from a planning of the same
// configuration (for a saved plan: the planning its staleness check just made, so the values
// are the configuration's now). Secrets come from that planning's declared values; a value only
// earlier steps' results give is found by evaluating the declaration again with those results.
import { parseSpec, type Kind } from "../../provider/kinds/kind.js";
import type { ApplyTarget, StepResult } from "../apply/target.js";
import { firstUnknown } from "../config/evaluate.js";
import { EngineError } from "../errors.js";
import { evaluateInstance, type InstanceValues, type ResolvedConfig } from "../config/resolve.js";
import type { Step } from "./model.js";
import { awaitsResults } from "./payload.js";
import { knownValuesOf, type PlanResult } from "./plan.js";

export function planResolver(config: ResolvedConfig, result: Pick<PlanResult, "instances">, ctx: ApplyTarget["ctx"], kindFor: (type: string) => Kind | undefined): ApplyTarget {
  const planned = (step: Step) => {
    const item = result.instances.get(step.address);
    if (!item) throw new EngineError("PLAN_INVALID", `${step.address} is in the plan but not in the configuration`, { address: step.address });
    return item;
  };
  const reevaluated = new Map<string, Record<string, unknown>>();

  const valuesAfter = (results: ReadonlyMap<string, StepResult>): InstanceValues => ({
    declared(address, attribute) {
      const attributes = reevaluated.get(address) ?? (results.has(address) ? result.instances.get(address)?.attributes : undefined);
      return attributes && attribute in attributes ? { found: true, value: attributes[attribute] } : { found: false };
    },
    known(address) {
      const done = results.get(address);
      const item = result.instances.get(address);
      // Before it runs: what the planning knew (objects that stay, with their live values).
      if (!done) return item?.known;
      return item ? knownValuesOf(item.kind.toSpec(done.live), done.spec) : undefined;
    },
  });

  return {
    ctx,
    kindFor,
    live: (address) => result.instances.get(address)?.live,
    declared: (step) => planned(step).spec,
    resolve(step, results) {
      const item = planned(step);
      if (!step.send || !awaitsResults(step.send)) return item.spec;
      // Evaluate the instance again now that everything it refers to exists.
      const evaluated = evaluateInstance(config, item.instance, valuesAfter(results));
      if (evaluated.diagnostics.length) throw new EngineError(evaluated.diagnostics[0]!.code, evaluated.diagnostics.map((d) => `${d.summary}${d.detail ? `: ${d.detail}` : ""}`).join("; "), { address: step.address });
      reevaluated.set(step.address, evaluated.attributes);
      for (const [name, value] of Object.entries(evaluated.attributes)) {
        const pending = firstUnknown(value);
        if (pending) throw new EngineError("DEPENDENCY_FAILED", `${name} is still unknown (it depends on ${pending.$unknown}, which was not created)`, { address: step.address, attribute: name });
      }
      const parsed = parseSpec(item.kind, evaluated.attributes);
      if (!parsed.ok) throw new EngineError("ATTRIBUTE_INVALID", parsed.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "), { address: step.address, attribute: parsed.issues[0]?.path.join(".") });
      // Checked against the provider's workspace at plan time; they add nothing to the spec.
      delete parsed.spec.account_id;
      delete parsed.spec.workspace_id;
      return parsed.spec;
    },
  };
}
