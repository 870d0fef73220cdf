// Phase 7 of a plan: the guards over the whole plan. Two declarations of one object, an
// interrupted create whose declaration is gone, a plan that would empty the workspace, and a
// configuration that declares nothing.
import type { Kind, Spec } from "../../provider/kinds/kind.js";
import type { ResourceInstance } from "../config/resolve.js";
import { error, warning, type Diagnostic } from "../diagnostics.js";
import type { StateDocument } from "../state/model.js";
import { declaredIdentity } from "./locate.js";
import { safeLabel } from "./mask.js";
import type { PlanMode, Step } from "./model.js";

export interface PlannedDeclaration {
  instance: ResourceInstance;
  kind: Kind;
  spec: Spec;
  tainted: ReadonlySet<string>;
}

/** Two declarations of one object (same kind and natural key) would fight over it. */
export function duplicateDeclarations(planned: ReadonlyMap<string, PlannedDeclaration>): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const byIdentity = new Map<string, string>();
  for (const [address, item] of planned) {
    const identity = declaredIdentity(item.kind, item.spec);
    if (identity === undefined) continue;
    const key = `${item.kind.type}:${identity}`;
    const first = byIdentity.get(key);
    if (!first) {
      byIdentity.set(key, address);
      continue;
    }
    diagnostics.push(
      error("CONFIG_DUPLICATE", `${safeLabel(item.kind, item.spec, item.tainted)} is declared twice`, {
        file: item.instance.block.location.file,
        line: item.instance.block.location.line,
        address,
        detail: `${first} and ${address} declare the same ${item.kind.title}. Keep one of them.`,
      }),
    );
  }
  return diagnostics;
}

/**
 * An interrupted create whose declaration is gone: what it made is not owned, so it is neither
 * deleted nor adopted; say so rather than forget it.
 */
export function orphanedIntents(state: Pick<StateDocument, "resources" | "pending">, declared: ReadonlySet<string>, kindFor: (type: string) => Kind | undefined): Diagnostic[] {
  return Object.values(state.pending)
    .filter((pending) => !declared.has(pending.address) && !state.resources[pending.address])
    .map((pending) => {
      const title = kindFor(pending.type)?.title ?? pending.type;
      return warning("CREATE_INTERRUPTED", `A create of ${pending.address} was interrupted at ${pending.startedAt}, and it is no longer declared`, {
        address: pending.address,
        detail: `The ${title} it may have made${pending.name ? ` ("${pending.name}")` : ""} is not managed by this state, so it is neither deleted nor adopted. Declare ${pending.address} again and apply to resume the create, or look for it in Prefect and delete it.`,
      });
    });
}

/** Refuse to empty the workspace by accident: outside destroy, a plan may not delete everything owned and do nothing else. */
export function emptiesWorkspace(mode: PlanMode, owned: number, steps: readonly Step[]): Diagnostic | undefined {
  const removal = (step: Step) => step.action === "delete" || step.action === "forget";
  if (mode !== "normal" || owned === 0 || steps.filter(removal).length !== owned || steps.some((step) => !removal(step))) return undefined;
  return error("DESTROY_ALL_REFUSED", `The plan would delete every object the state owns (${owned})`, {
    detail: "That is refused outside destroy: if the configuration is empty by mistake, fix it; to delete everything, run `prefect-gitops destroy`.",
  });
}

/** A configuration that declares nothing, with nothing owned, is most likely a mistake worth a word. */
export function nothingDeclared(mode: PlanMode, declared: number, owned: number, clean: boolean): Diagnostic | undefined {
  if (mode === "destroy" || !clean || declared > 0 || owned > 0) return undefined;
  return warning("CONFIG_EMPTY", "Nothing is declared and nothing is owned", { detail: "Add resources to the configuration." });
}
