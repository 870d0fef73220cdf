// TfPath (attribute names and element indexes) -> the protocol's AttributePath, walked by the
// value's type so each step is the right kind: attribute names into objects, integer keys into
// lists and tuples, string keys into maps. A path stops before a set element: set elements have
// no index in Terraform, which then points at the whole set.
import type { TfPath } from "./contract.js";
import type { CtyType } from "./codec/cty-type.js";

export type StepMessage = { attribute_name: string } | { element_key_string: string } | { element_key_int: number };

export function attributePathSteps(path: TfPath, type: CtyType): StepMessage[] {
  const steps: StepMessage[] = [];
  let current: CtyType = type;
  for (const step of path) {
    if (typeof current === "string") break;
    if ("object" in current && typeof step === "string" && Object.hasOwn(current.object, step)) {
      steps.push({ attribute_name: step });
      current = current.object[step]!;
    } else if ("list" in current && typeof step === "number") {
      steps.push({ element_key_int: step });
      current = current.list;
    } else if ("tuple" in current && typeof step === "number" && step < current.tuple.length) {
      steps.push({ element_key_int: step });
      current = current.tuple[step]!;
    } else if ("map" in current && typeof step === "string") {
      steps.push({ element_key_string: step });
      current = current.map;
    } else {
      break;
    }
  }
  return steps;
}
