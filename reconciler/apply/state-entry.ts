// The state entry an applied step leaves: the object's id and natural key, a hash of what was
// applied, and its values with the sensitive ones as salted hashes.
import { attributeFactsOf, type Kind, type Spec } from "../../provider/kinds/kind.js";
import { isPayloadMarker, type Step } from "../plan/model.js";
import { heldAsSecret } from "../plan/payload.js";
import { protectSpec, specHash } from "../state/hash.js";
import type { StateEntry } from "../state/model.js";

/**
 * Attributes derived from sensitive variables: the step's own list, and any attribute the plan
 * could only hold as a secret although the kind does not call it sensitive (a hand-made plan).
 */
export function taintedOf(step: Step, kind: Kind): Set<string> {
  const facts = attributeFactsOf(kind);
  const secret = Object.entries(step.send?.spec ?? {}).filter(([name, value]) => isPayloadMarker(value) && "$secret" in value && !heldAsSecret(facts[name]));
  return new Set([...(step.tainted ?? []), ...secret.map(([name]) => name)]);
}

export function entryFor(step: Step, kind: Kind, live: unknown, spec: Spec, salt: string, now: Date): StateEntry {
  const tainted = taintedOf(step, kind);
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
