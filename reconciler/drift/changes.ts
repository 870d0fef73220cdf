// Drift of one object: what the state recorded as applied compared with what is live now.
// Sensitive values are compared through their salted hashes, never in clear.
import { sensitiveAnywhere, type AttributeFacts } from "../../provider/kinds/attributes.js";
import { valuesEqual, type AttributeChange } from "../../provider/kinds/compare.js";
import type { Spec } from "../../provider/kinds/kind.js";
import { isSensitiveHash, sensitiveHash } from "../state/hash.js";
import type { StateEntry } from "../state/model.js";

export function driftChanges(kindFacts: Readonly<Record<string, AttributeFacts>>, entry: Pick<StateEntry, "values">, liveSpec: Spec, salt: string): AttributeChange[] {
  const changes: AttributeChange[] = [];
  for (const [name, facts] of Object.entries(kindFacts)) {
    if (facts.computed && !facts.optional) continue;
    // Counters the server moves by itself (a limit's active slots) are not drift.
    if (facts.defaultOnCreate) continue;
    if (facts.writeOnly || !(name in entry.values)) continue;
    const recorded = entry.values[name];
    const current = liveSpec[name];
    if (isSensitiveHash(recorded)) {
      // An attribute recorded as null and absent now has not drifted.
      const unchanged = sensitiveHash(salt, current ?? null).$sensitive === recorded.$sensitive || (current === undefined && recorded.$sensitive === sensitiveHash(salt, null).$sensitive);
      if (!unchanged) changes.push({ path: [name], before: recorded, after: current, forceNew: false, sensitive: true });
      continue;
    }
    if (!valuesEqual(facts, recorded, current)) changes.push({ path: [name], before: recorded, after: current, forceNew: false, sensitive: sensitiveAnywhere(facts) });
  }
  return changes;
}
