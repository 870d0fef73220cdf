// The concrete type of a value placed in a `dynamic` slot. A value from the resource side has no
// type of its own, so it is typed as Terraform types a JSON document: arrays as tuples, objects as
// objects, and null or unknown as "dynamic" (a null or unknown of no particular type).
import { UNKNOWN, type TfValue } from "../contract.js";
import type { CtyType } from "./cty-type.js";

export function inferType(value: TfValue): CtyType {
  if (value === null || value === UNKNOWN) return "dynamic";
  switch (typeof value) {
    case "string":
      return "string";
    case "number":
      return "number";
    case "boolean":
      return "bool";
  }
  if (Array.isArray(value)) return { tuple: value.map(inferType) };
  return { object: Object.fromEntries(Object.entries(value).map(([name, v]) => [name, inferType(v)])) };
}
