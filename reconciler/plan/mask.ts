// How values appear in a plan: sensitive values masked (whole, or only their sensitive nested
// parts so the rest stays readable), values not known yet named, never a secret in clear.
import { factsOf, sensitiveAnywhere, type AttributeFacts } from "../../provider/kinds/attributes.js";
import { isUnknown, type AttributeChange } from "../../provider/kinds/compare.js";
import type { Kind, Spec } from "../../provider/kinds/kind.js";
import { containsUnknown } from "../config/evaluate.js";
import { KNOWN_AFTER_APPLY, SENSITIVE, type Impact, type PlannedAttributeChange } from "./model.js";

/** The facts of a kind's attributes (`attributeFactsOf`), by attribute name. */
export type KindFacts = Readonly<Record<string, AttributeFacts>>;

/** Mask a value for display: sensitive values hidden, unknown values named. */
function display(value: unknown, sensitive: boolean): unknown {
  if (isUnknown(value)) return KNOWN_AFTER_APPLY;
  if (value === undefined || value === null) return value ?? null;
  if (sensitive) return SENSITIVE;
  if (containsUnknown(value)) return KNOWN_AFTER_APPLY;
  return value;
}

/** A nested attribute whose children include sensitive ones (a pull step's access token). */
function displayNested(facts: AttributeFacts, value: unknown): unknown {
  if (facts.sensitive) return display(value, true);
  if (!facts.nested || value === null || value === undefined || isUnknown(value) || typeof value !== "object") return display(value, false);
  const maskOne = (item: unknown): unknown => {
    if (!item || typeof item !== "object" || isUnknown(item)) return display(item, false);
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(item as Record<string, unknown>)) {
      const schema = facts.nested?.[key];
      out[key] = schema ? displayNested(factsOf(schema), child) : display(child, false);
    }
    return out;
  };
  return Array.isArray(value) ? value.map(maskOne) : maskOne(value);
}

/** How an attribute's value is shown: masked whole, masked in its sensitive parts, or as it is. */
function shown(facts: AttributeFacts | undefined, value: unknown, tainted: boolean): unknown {
  if (tainted || !facts) return display(value, tainted);
  if (facts.sensitive) return display(value, true);
  return sensitiveAnywhere(facts) ? displayNested(facts, value) : display(value, false);
}

/** A spec as a plan shows it; `computedUnknown` names computed attributes a create will learn. */
export function maskSpec(kindFacts: KindFacts, spec: Spec | undefined, tainted: ReadonlySet<string>, computedUnknown = false): Record<string, unknown> | undefined {
  if (!spec) return undefined;
  const out: Record<string, unknown> = {};
  for (const [name, facts] of Object.entries(kindFacts)) {
    const value = spec[name];
    if (value === undefined) {
      if (computedUnknown && facts.computed) out[name] = KNOWN_AFTER_APPLY;
      continue;
    }
    if (facts.writeOnly) continue;
    out[name] = shown(facts, value, tainted.has(name));
  }
  return out;
}

/** Attribute changes as a plan shows them, each with its impact. */
export function maskChanges(kindFacts: KindFacts, changes: (AttributeChange & { impact?: Impact })[], tainted: ReadonlySet<string>): PlannedAttributeChange[] {
  return changes.map((change) => {
    const name = String(change.path[0]);
    const fact = kindFacts[name];
    const sensitive = change.sensitive || tainted.has(name) || (fact ? sensitiveAnywhere(fact) : false);
    const masked = (value: unknown) => (change.path.length === 1 ? shown(fact, value, tainted.has(name)) : display(value, sensitive));
    return { path: change.path, before: masked(change.before), after: masked(change.after), impact: change.impact ?? (change.forceNew ? "replace" : "update"), sensitive };
  });
}

/** A label for messages that never shows a value derived from a sensitive variable. */
export function safeLabel(kind: Kind, spec: Spec, tainted: ReadonlySet<string>): string {
  if (!tainted.size) return kind.label(spec);
  const masked: Spec = { ...spec };
  for (const name of tainted) masked[name] = SENSITIVE;
  return kind.label(masked);
}
