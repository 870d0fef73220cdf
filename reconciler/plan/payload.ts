// What a step sends to Prefect, as data a saved plan can hold: every top-level attribute the
// plan cannot hold is a marker apply resolves (a secret from the configuration at apply time,
// a value known only once an earlier step ran). Serial groups are hashed: a name may be secret.
import { sensitiveAnywhere, type AttributeFacts } from "../../provider/kinds/attributes.js";
import { attributeFactsOf, type Kind, type Spec } from "../../provider/kinds/kind.js";
import { firstUnknown } from "../config/evaluate.js";
import { sha256 } from "../state/hash.js";
import { isPayloadMarker, type Step, type StepPayload } from "./model.js";

/** Whether the kind's own facts keep an attribute out of a plan (write-only, or sensitive anywhere inside). */
export function heldAsSecret(fact: AttributeFacts | undefined): boolean {
  return fact !== undefined && (fact.writeOnly || sensitiveAnywhere(fact));
}

export function payloadOf(kind: Kind, spec: Spec, tainted: ReadonlySet<string>, changed?: string[]): StepPayload {
  const facts = attributeFactsOf(kind);
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(spec)) {
    if (value === undefined) continue;
    if (tainted.has(name) || heldAsSecret(facts[name])) out[name] = { $secret: name };
    else {
      const pending = firstUnknown(value);
      out[name] = pending ? { $after: pending.$unknown } : value;
    }
  }
  return changed ? { spec: out, changed } : { spec: out };
}

/** Whether apply must ask its resolver before sending the step. */
export function hasMarkers(payload: StepPayload): boolean {
  return Object.values(payload.spec).some(isPayloadMarker);
}

/** Whether apply must evaluate the step's declaration again (values only earlier steps give). */
export function awaitsResults(payload: StepPayload): boolean {
  return Object.values(payload.spec).some((value) => isPayloadMarker(value) && "$after" in value);
}

/** A kind's serial group (a pool's queues run one after another), kept free of names. */
export function serialOf(kind: Kind, spec: Spec): Step["serial"] {
  const serial = kind.serialization?.(spec);
  return serial ? { group: sha256(`${kind.type}:${serial.group}`).slice(0, 16), order: serial.order } : undefined;
}
