// UpgradeResourceState: a state as Terraform stored it (JSON) in today's shape. Every schema
// version so far has the attributes of today's (the official provider's v0 -> v1 changes kept
// attribute names), so upgrading is decoding: attributes missing become null, attributes no
// longer in the schema are dropped, and `dynamic` values lose the {"value", "type"} wrapper
// Terraform stores them in.
import { isObject } from "../../kinds/compare.js";
import type { Kind } from "../../kinds/kind.js";
import type { TfDiagnostic, TfObject, TfValue } from "../plugin/contract.js";
import { attributesOf } from "./values.js";

const isWrappedDynamic = (value: unknown): value is { value: unknown; type: unknown } => isObject(value) && Object.keys(value).sort().join(",") === "type,value";

export function upgradeState(kind: Kind, version: number, stored: Record<string, unknown>): { state: TfObject | null; diagnostics: TfDiagnostic[] } {
  if (version > kind.version) {
    return {
      state: null,
      diagnostics: [{ severity: "error", summary: `${kind.type} state is newer than this provider`, detail: `The state was written by schema version ${version}; this provider knows version ${kind.version}. Use a newer provider.` }],
    };
  }
  const state: TfObject = {};
  for (const [name, facts] of attributesOf(kind)) {
    const value = stored[name];
    state[name] = value === undefined ? null : facts.tfType === "dynamic" && isWrappedDynamic(value) ? (value.value as TfValue) : (value as TfValue);
  }
  return { state, diagnostics: [] };
}
