// The state entry of an object taken over as it is (import, import --all): the live object in
// the declared shape is what counts as applied. Attributes that use a sensitive variable are
// kept as salted hashes, as apply keeps them.
import type { Kind } from "../../provider/kinds/kind.js";
import { evaluateInstance, instanceReferences, instancesByBlock, type ResolvedConfig, type ResourceInstance } from "../config/resolve.js";
import { protectSpec, specHash } from "../state/hash.js";
import type { StateEntry } from "../state/model.js";

/** The attributes of a declaration whose value comes from a sensitive variable (directly or through locals). */
export function taintedAttributes(config: ResolvedConfig, instance: ResourceInstance): Set<string> {
  // Other resources' values do not matter here: references evaluate to unknowns.
  return evaluateInstance(config, instance, { declared: () => ({ found: false }), known: () => undefined }).sensitive;
}

export function importedEntry(
  kind: Kind,
  live: unknown,
  options: { address: string; salt: string; dependencies: string[]; sensitive: ReadonlySet<string>; preventDestroy?: boolean },
): StateEntry {
  const spec = kind.toSpec(live);
  return {
    address: options.address,
    type: kind.type,
    id: kind.idOf(live),
    // A natural key derived from a sensitive variable would put the secret in the state (as apply's entries).
    identity: options.sensitive.size ? undefined : kind.identityOf(live),
    appliedHash: specHash(spec, options.salt),
    values: protectSpec(kind, spec, options.salt, options.sensitive),
    dependencies: options.dependencies,
    preventDestroy: options.preventDestroy || undefined,
    schemaVersion: kind.version,
    updatedAt: new Date().toISOString(),
  };
}

/** The entry of an object the configuration declares as `instance` (import ADDRESS ID, import --all). */
export function declaredEntry(config: ResolvedConfig, instance: ResourceInstance, kind: Kind, live: unknown, salt: string): StateEntry {
  return importedEntry(kind, live, {
    address: instance.address,
    salt,
    dependencies: [...instanceReferences(instance, instancesByBlock(config)).references],
    sensitive: taintedAttributes(config, instance),
    preventDestroy: instance.block.lifecycle.preventDestroy,
  });
}
