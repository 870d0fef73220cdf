// The concrete type of a value placed in a `dynamic` slot. A list or map that came from Terraform
// keeps the type it came with (a `list(string)` variable must go back as one, or Terraform finds
// the plan differs from the configuration); any other value is typed as Terraform types a JSON
// document: arrays as tuples, objects as objects, null or unknown as "dynamic".
import { UNKNOWN, type TfValue } from "../contract.js";
import type { CtyType } from "./cty-type.js";

/** The concrete types of decoded dynamic values, by the array or object the decoder made. */
const decodedTypes = new WeakMap<object, CtyType>();

export function rememberType(value: TfValue, type: CtyType): TfValue {
  if (value !== null && typeof value === "object") decodedTypes.set(value, type);
  return value;
}

export function inferType(value: TfValue): CtyType {
  if (value === null || value === UNKNOWN) return "dynamic";
  if (typeof value === "object") {
    const remembered = decodedTypes.get(value);
    if (remembered) return remembered;
  }
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
