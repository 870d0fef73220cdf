// A module resolve hook, used in a checkout only (bin/load.js): adds the export condition under
// which "prefect-gitops" resolves to its TypeScript sources instead of dist/.
import { SOURCE_CONDITION } from "./load.js";

export async function resolve(specifier, context, nextResolve) {
  const conditions = context.conditions.includes(SOURCE_CONDITION) ? context.conditions : [...context.conditions, SOURCE_CONDITION];
  return nextResolve(specifier, { ...context, conditions });
}
