// Destroy recovery: destroy looks at the creates an interrupted run left pending (declared, not
// yet owned) and deletes what they made, or clears the intent when they made nothing.
import { attributeFactsOf, type Kind, type Spec } from "../../provider/kinds/kind.js";
import { containsUnknown } from "../config/evaluate.js";
import { warning, type Diagnostic } from "../diagnostics.js";
import type { Located } from "./locate.js";
import { maskSpec } from "./mask.js";
import type { Step } from "./model.js";

export function recoveryStep(address: string, kind: Kind, spec: Spec, label: string, tainted: ReadonlySet<string>, located: Located, dependencies: string[]): { step?: Step; diagnostics: Diagnostic[] } {
  const made = located.object !== undefined;
  if (!made && containsUnknown(spec)) {
    return {
      diagnostics: [
        warning("CREATE_INTERRUPTED", `Could not tell whether the interrupted create of ${address} made a ${kind.title}`, {
          address,
          detail: `Its declaration refers to objects not known now. Look for ${label} in Prefect and delete it if it exists.`,
        }),
      ],
    };
  }
  const step: Step = {
    address,
    type: kind.type,
    label,
    action: made ? "delete" : "forget",
    id: made ? kind.idOf(located.object) : undefined,
    reason: made ? "made by an interrupted create" : "an interrupted create made nothing; its intent is cleared",
    before: made ? maskSpec(attributeFactsOf(kind), kind.toSpec(located.object), tainted) : undefined,
    changes: [],
    replacePaths: [],
    dependencies,
  };
  return { step, diagnostics: [] };
}
