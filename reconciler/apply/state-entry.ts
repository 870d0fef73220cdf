// The state entry an applied step leaves: the object's id and natural key, a hash of what was
// applied, and its values with the sensitive ones as salted hashes.
import type { Kind, Spec } from "../../provider/kinds/kind.js";
import type { Step } from "../plan/model.js";
import { protectSpec, specHash } from "../state/hash.js";
import type { StateEntry } from "../state/model.js";

export function entryFor(step: Step, kind: Kind, live: unknown, spec: Spec, salt: string, now: Date): StateEntry {
  const tainted = new Set(step.tainted ?? []);
  const merged: Spec = { ...kind.toSpec(live) };
  for (const [name, value] of Object.entries(spec)) if (value !== undefined) merged[name] = value;
  return {
    address: step.address,
    type: kind.type,
    id: kind.idOf(live),
    // A natural key derived from a sensitive variable would put the secret in the state.
    identity: tainted.size ? undefined : kind.identityOf(live),
    appliedHash: specHash(spec, salt),
    values: protectSpec(kind, merged, salt, tainted),
    dependencies: step.dependencies,
    preventDestroy: step.preventDestroy,
    schemaVersion: kind.version,
    updatedAt: now.toISOString(),
  };
}
