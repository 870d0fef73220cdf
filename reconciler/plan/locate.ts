// Phase 3 of a plan, per declared instance: find its live object. In order: through the state
// (by id); by natural key (the state's object re-created outside, a resumed create, --adopt, or
// an object Prefect made with its parent); and, for a create without natural key that a run
// left pending, by content. A live look-alike that is not owned blocks the create.
import { diffSpec } from "../../provider/kinds/compare.js";
import type { Kind, Spec } from "../../provider/kinds/kind.js";
import { containsUnknown } from "../config/evaluate.js";
import type { ResourceInstance } from "../config/resolve.js";
import { error, warning, type Diagnostic } from "../diagnostics.js";
import type { PendingCreate, StateEntry } from "../state/model.js";
import type { LiveIndex } from "./live-index.js";
import type { PlanMode } from "./model.js";

export interface LocateInput {
  instance: ResourceInstance;
  kind: Kind;
  spec: Spec;
  label: string;
  entry?: StateEntry;
  pending?: PendingCreate;
  index: LiveIndex;
  /** Whether an address is declared (an owner that is no longer declared gives its object up in destroy). */
  declared: (address: string) => boolean;
  mode: PlanMode;
  adopt: boolean;
}

export interface Located {
  object?: unknown;
  /** Found outside the state: apply records it. */
  importing: boolean;
  reason?: string;
  /** Set when the instance cannot be planned (the create is blocked, or the state disagrees). */
  blocked?: boolean;
  lookalike?: { address: string; type: string; id: string; label: string };
  diagnostics: Diagnostic[];
}

export function locateLive(input: LocateInput): Located {
  const { instance, kind, spec, entry, index } = input;
  const address = instance.address;
  const diagnostics: Diagnostic[] = [];
  if (entry && entry.type !== kind.type) {
    return { importing: false, blocked: true, diagnostics: [error("STATE_INVALID", `${address} is recorded in the state as a ${entry.type}`, { address, detail: "Remove it from the state (prefect-gitops state rm) and import it again." })] };
  }
  const inventory = index.inventory(kind.type);
  const object = entry ? inventory?.byId.get(entry.id) : undefined;
  if (entry && object === undefined && inventory?.error) diagnostics.push(warning("LIVE_READ_FAILED", `Could not read ${kind.title}s to check ${address}`, { address, detail: inventory.error }));
  if (object !== undefined) return { object, importing: false, diagnostics };

  const byKey = byNaturalKey(input);
  if (byKey) return { ...byKey, diagnostics: [...diagnostics, ...byKey.diagnostics] };
  if (!kind.identity(spec) && input.pending) {
    const match = byContent(kind, spec, input.pending, index);
    if (match !== undefined) return { object: match, importing: true, reason: "resuming an interrupted create", diagnostics };
  }
  return { importing: false, diagnostics };
}

/** The natural-key search; undefined when it found nothing to say. */
function byNaturalKey(input: LocateInput): Located | undefined {
  const { instance, kind, spec, label, entry, index } = input;
  const address = instance.address;
  const identity = declaredIdentity(kind, spec);
  if (identity === undefined) return undefined;
  const sameKey = index.withIdentity(kind, identity);
  const owner = (item: unknown) => index.ownerOf(kind, item);
  const candidate = sameKey.find((item) => owner(item) === undefined || owner(item) === address);
  const where = { file: instance.block.location.file, line: instance.block.location.line, address };
  if (candidate !== undefined) {
    const gone = entry !== undefined && !index.inventory(kind.type)?.byId.has(entry.id);
    if (input.adopt || input.pending || (kind.adoptImplicitly?.(spec) ?? false) || gone) {
      const reason = input.pending ? "resuming an interrupted create" : entry ? "re-created outside prefect-gitops; adopting it" : input.adopt ? "adopting an existing object (--adopt)" : "created by Prefect with its parent";
      return { object: candidate, importing: true, reason, diagnostics: [] };
    }
    const id = kind.idOf(candidate);
    const blocked = error("RESOURCE_EXISTS", `${label} already exists and is not managed by this state`, {
      ...where,
      detail: `It blocks the create of ${address} (id ${id}). Bring it under management with:\n  prefect-gitops import ${address} ${id}\nor plan with --adopt to take over every existing object that matches a declaration.`,
    });
    return { importing: false, blocked: true, lookalike: { address, type: kind.type, id, label }, diagnostics: [blocked] };
  }
  const takenBy = sameKey.map(owner).find((item) => item !== undefined && item !== address && (input.declared(item) || input.mode === "normal"));
  if (!takenBy) return undefined;
  const taken = error("IDENTITY_CONFLICT", `${label} is already managed as ${takenBy}`, { ...where, detail: "Two declarations name the same object. Remove one, or move the state entry (prefect-gitops state rm, then import)." });
  return { importing: false, blocked: true, diagnostics: [taken] };
}

/** A create without natural key was interrupted: the object it made, found by its content. */
function byContent(kind: Kind, spec: Spec, pending: PendingCreate, index: LiveIndex): unknown {
  // A minute of slack for clocks that disagree between this machine and the server.
  const since = Date.parse(pending.startedAt) - 60_000;
  return [...(index.inventory(kind.type)?.byId.values() ?? [])].find((candidate) => {
    if (index.ownerOf(kind, candidate) !== undefined) return false;
    const candidateSpec = kind.toSpec(candidate);
    const created = Date.parse(String(candidateSpec.created ?? ""));
    return (Number.isNaN(created) || created >= since) && diffSpec(kind, spec, candidateSpec).length === 0;
  });
}

/** The natural key of a declaration; undefined while parts of it are not known yet. */
export function declaredIdentity(kind: Kind, spec: Spec): string | undefined {
  if (!containsUnknown(spec)) return kind.identity(spec);
  try {
    const identity = kind.identity(spec);
    return identity === undefined || /\$unknown|\[object Object\]/.test(identity) ? undefined : identity;
  } catch {
    return undefined;
  }
}
