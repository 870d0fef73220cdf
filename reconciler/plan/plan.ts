// Building a plan: evaluate every instance in dependency order against what is known, find its
// live object (through the state, or by natural key), diff declared against live with each
// attribute's rules, and decide the action. Pure: the live objects are read beforehand.
import { factsOf, sensitiveAnywhere, type AttributeFacts } from "../../provider/kinds/attributes.js";
import { diffSpec, isUnknown, valuesEqual, withRecordedValues, type AttributeChange } from "../../provider/kinds/compare.js";
import { attributeFactsOf, suggest, type Kind, type Spec } from "../../provider/kinds/kind.js";
import { KIND_ORDER } from "../../provider/kinds/registry.js";
import { checkDeclaration } from "../../provider/kinds/validate.js";
import { containsUnknown, firstUnknown } from "../config/evaluate.js";
import { evaluateInstance, instanceReferences, type InstanceValues, type ResolvedConfig, type ResourceInstance } from "../config/resolve.js";
import { error, warning, type Diagnostic } from "../diagnostics.js";
import { canonicalJson, isSensitiveHash, protectSpec, sensitiveHash, sha256 } from "../state/hash.js";
import type { StateDocument, StateEntry } from "../state/model.js";
import { findCycle, topologicalOrder, type DependencyGraph } from "./graph.js";
import { KNOWN_AFTER_APPLY, PLAN_FORMAT, SENSITIVE, summarize, type DriftEntry, type Plan, type PlanMode, type PlannedAttributeChange, type ResourceChange } from "./model.js";

/** The live objects of each kind, read in bulk before planning. */
export interface LiveInventory {
  kinds: Map<string, { byId: Map<string, unknown>; error?: string }>;
}

export interface PlanInput {
  config: ResolvedConfig;
  kindFor: (type: string) => Kind | undefined;
  knownTypes: string[];
  state: StateDocument;
  /** Whether `state` was read from the backend (false: a new, unsaved state). @default true */
  stateExists?: boolean;
  live: LiveInventory;
  mode: PlanMode;
  /** Take over live objects that match a declaration's natural key but are not in the state. */
  adopt: boolean;
  /** The target serves Prefect Cloud features. */
  cloud: boolean;
  /** The Cloud account and workspace the provider addresses (per-resource overrides must match). */
  cloudIds?: { accountId: string; workspaceId: string };
  target: string;
  now: Date;
}

/** What apply needs to know about each declared instance beyond the plan's masked values. */
export interface PlannedInstance {
  instance: ResourceInstance;
  kind: Kind;
  /** The declared spec; attributes not known yet are unknown markers. */
  spec: Spec;
  /** Attributes tainted by sensitive variables. */
  tainted: Set<string>;
  live?: unknown;
  dependencies: string[];
}

export interface PlanResult {
  plan: Plan;
  instances: Map<string, PlannedInstance>;
  /** Live objects that match a declaration's natural key but are not owned (they block its create). */
  lookalikes: { address: string; type: string; id: string; label: string }[];
  /** Kinds that could not be read, and why. */
  unchecked: { type: string; reason: string }[];
}

/** The facts of a kind's attributes (`attributeFactsOf`), by attribute name. */
type KindFacts = Readonly<Record<string, AttributeFacts>>;

/** Mask a value for display: sensitive values hidden, unknown values named. */
function display(value: unknown, sensitive: boolean): unknown {
  if (isUnknown(value)) return KNOWN_AFTER_APPLY;
  if (value === undefined || value === null) return value ?? null;
  if (sensitive) return SENSITIVE;
  if (containsUnknown(value)) return KNOWN_AFTER_APPLY;
  return value;
}

/**
 * A nested attribute whose children include sensitive ones (a pull step's access token): only
 * those children are masked, so the rest stays readable in the plan.
 */
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

function maskSpec(kindFacts: KindFacts, spec: Spec | undefined, tainted: ReadonlySet<string>, computedUnknown = false): Record<string, unknown> | undefined {
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

function maskChanges(kindFacts: KindFacts, changes: AttributeChange[], tainted: ReadonlySet<string>): PlannedAttributeChange[] {
  return changes.map((change) => {
    const name = String(change.path[0]);
    const fact = kindFacts[name];
    const sensitive = change.sensitive || tainted.has(name) || (fact ? sensitiveAnywhere(fact) : false);
    const masked = (value: unknown) => (change.path.length === 1 ? shown(fact, value, tainted.has(name)) : display(value, sensitive));
    return { path: change.path, before: masked(change.before), after: masked(change.after), forceNew: change.forceNew, sensitive };
  });
}

/** What dependents may know about an object that exists: its live values, with what is declared and known over them. */
export function knownValuesOf(liveSpec: Spec, spec: Spec): Record<string, unknown> {
  const known: Record<string, unknown> = { ...liveSpec };
  for (const [name, value] of Object.entries(spec)) if (value !== undefined && !isUnknown(value)) known[name] = value;
  return known;
}

/** The diff, with `lifecycle.ignore_changes` applied. */
export function plannedDiff(kind: Kind, spec: Spec, liveSpec: Spec | undefined, ignore: string[] | "all"): AttributeChange[] {
  const changes = diffSpec(kind, spec, liveSpec);
  if (!liveSpec) return changes;
  if (ignore === "all") return [];
  return changes.filter((change) => !ignore.includes(String(change.path[0])));
}

/** Compare what the state recorded as applied with what is live now (drift). */
function driftChanges(kindFacts: KindFacts, entry: StateEntry, liveSpec: Spec, salt: string): AttributeChange[] {
  const changes: AttributeChange[] = [];
  for (const [name, facts] of Object.entries(kindFacts)) {
    if (facts.computed && !facts.optional) continue;
    // Counters the server moves by itself (a limit's active slots) are not drift.
    if (facts.defaultOnCreate) continue;
    if (facts.writeOnly || !(name in entry.values)) continue;
    const recorded = entry.values[name];
    const current = liveSpec[name];
    if (isSensitiveHash(recorded)) {
      if (sensitiveHash(salt, current ?? null).$sensitive !== recorded.$sensitive && !(current === undefined && recorded.$sensitive === sensitiveHash(salt, null).$sensitive)) {
        changes.push({ path: [name], before: recorded, after: current, forceNew: false, sensitive: true });
      }
      continue;
    }
    if (!valuesEqual(facts, recorded, current)) changes.push({ path: [name], before: recorded, after: current, forceNew: false, sensitive: sensitiveAnywhere(facts) });
  }
  return changes;
}

/** Order within a wave: the architecture's kind order, then address. */
export function kindOrder(typeOf: (address: string) => string | undefined) {
  return (a: string, b: string): number => {
    const rank = (address: string) => {
      const index = KIND_ORDER.indexOf(typeOf(address) ?? "");
      return index < 0 ? KIND_ORDER.length : index;
    };
    return rank(a) - rank(b) || a.localeCompare(b);
  };
}

/** Build the plan. Problems become diagnostics in the plan; the plan is never thrown away half-made. */
export function buildPlan(input: PlanInput): PlanResult {
  const { config, state, live, mode } = input;
  const diagnostics: Diagnostic[] = [];
  const changes: ResourceChange[] = [];
  const drift: DriftEntry[] = [];
  const planned = new Map<string, PlannedInstance>();
  const fingerprintParts: [string, string, unknown][] = [];
  const lookalikes: PlanResult["lookalikes"] = [];

  // Which instances exist, by block; unknown types are refused here with a suggestion.
  const byBlock = new Map<string, ResourceInstance[]>();
  const instances = new Map<string, ResourceInstance>();
  for (const instance of config.instances) {
    const kind = input.kindFor(instance.type);
    if (!kind) {
      diagnostics.push(
        error(`Unsupported resource type ${instance.type}`, {
          file: instance.block.location.file,
          line: instance.block.location.line,
          address: instance.address,
          detail: `The engine manages ${input.knownTypes.join(", ")}.${suggest(instance.type, input.knownTypes)}`,
        }),
      );
      continue;
    }
    if (kind.cloudOnly && !input.cloud && mode !== "destroy") {
      diagnostics.push(
        error(`${instance.type} needs Prefect Cloud`, {
          file: instance.block.location.file,
          line: instance.block.location.line,
          address: instance.address,
          detail: "Point the provider at a Prefect Cloud workspace (endpoint with account_id and workspace_id, or a .../api/accounts/ID/workspaces/ID URL).",
        }),
      );
    }
    const key = `${instance.type}.${instance.name}`;
    byBlock.set(key, [...(byBlock.get(key) ?? []), instance]);
    instances.set(instance.address, instance);
  }

  // The dependency graph between instances.
  const graph: DependencyGraph = new Map();
  for (const instance of instances.values()) {
    const { references, problems } = instanceReferences(instance, byBlock);
    diagnostics.push(...problems);
    graph.set(instance.address, new Set([...references].filter((address) => instances.has(address))));
  }
  const cycle = findCycle(graph);
  if (cycle) {
    const first = instances.get(cycle[0] ?? "");
    diagnostics.push(
      error("The resources refer to each other in a cycle", {
        file: first?.block.location.file,
        line: first?.block.location.line,
        address: cycle[0],
        detail: `${cycle.join(" -> ")}\nBreak the cycle: one of these must not refer to the next.`,
      }),
    );
  }

  // Live objects indexed by natural key, and which ids the state already owns.
  const identityIndex = new Map<string, Map<string, unknown[]>>();
  const ownedIds = new Map<string, string>();
  for (const entry of Object.values(state.resources)) ownedIds.set(`${entry.type}:${entry.id}`, entry.address);
  const indexFor = (kind: Kind): Map<string, unknown[]> => {
    let index = identityIndex.get(kind.type);
    if (!index) {
      index = new Map();
      for (const object of live.kinds.get(kind.type)?.byId.values() ?? []) {
        const identity = kind.identityOf(object);
        if (identity !== undefined) index.set(identity, [...(index.get(identity) ?? []), object]);
      }
      identityIndex.set(kind.type, index);
    }
    return index;
  };

  const declaredValues = new Map<string, Record<string, unknown>>();
  const knownValues = new Map<string, Record<string, unknown>>();
  const failed = new Set<string>();
  const values: InstanceValues = {
    declared(address, attribute) {
      const declared = declaredValues.get(address);
      if (!declared || !(attribute in declared)) return { found: false };
      return { found: true, value: declared[attribute] };
    },
    known: (address) => knownValues.get(address),
  };

  // Destroy looks only at creates an interrupted run left pending: what they made is deleted too.
  const recovering = (address: string) => mode === "destroy" && state.pending[address] !== undefined && state.resources[address] === undefined;
  if (mode === "destroy") for (const entry of Object.values(state.resources)) knownValues.set(entry.address, entry.values);
  const order = cycle ? [] : topologicalOrder(graph, kindOrder((address) => instances.get(address)?.type)).filter((address) => mode !== "destroy" || recovering(address));
  for (const address of order) {
    const instance = instances.get(address)!;
    const kind = input.kindFor(instance.type)!;
    const dependencies = [...(graph.get(address) ?? [])];
    const evaluated = evaluateInstance(config, instance, values);
    diagnostics.push(...evaluated.diagnostics);
    if (evaluated.diagnostics.length || dependencies.some((dependency) => failed.has(dependency))) {
      failed.add(address);
      continue;
    }
    declaredValues.set(address, evaluated.attributes);

    // Validate with stand-ins for unknown values, then put the unknowns back.
    const facts = attributeFactsOf(kind);
    const checked = checkDeclaration(kind, evaluated.attributes, isUnknown);
    const raw = evaluated.attributes;
    const unknownAttributes = new Map<string, string>();
    for (const name of checked.pending) unknownAttributes.set(name, firstUnknown(evaluated.attributes[name])?.$unknown ?? `${address}.${name}`);
    if (!checked.spec) {
      for (const issue of checked.issues) {
        const attribute = issue.path.join(".");
        const top = String(issue.path[0] ?? "");
        const value = evaluated.attributes[top];
        const fact = facts[top];
        const sensitive = (fact ? sensitiveAnywhere(fact) : false) || evaluated.sensitive.has(top);
        const message = sensitive ? SENSITIVE_ISSUE : issue.message;
        diagnostics.push(
          error(`Invalid ${attribute || "declaration"} for ${safeLabel(kind, { ...raw } as Spec, evaluated.sensitive)}`, {
            file: instance.block.location.file,
            line: instance.block.attributeLines[top] ?? instance.block.location.line,
            address,
            attribute: attribute || undefined,
            expression: top && value !== undefined && !sensitive && !unknownAttributes.has(top) ? JSON.stringify(value) : undefined,
            detail: `${attribute ? `${attribute} ` : ""}${message}.`,
          }),
        );
      }
      failed.add(address);
      continue;
    }
    const spec: Spec = { ...checked.spec };
    for (const [name, ref] of unknownAttributes) spec[name] = { $unknown: ref };
    const label = safeLabel(kind, spec, evaluated.sensitive);
    // account_id/workspace_id on a resource may only repeat the provider's workspace: one run
    // talks to one workspace. Once checked they say nothing more than the provider does.
    let wrongWorkspace = false;
    for (const [attribute, expected] of [["account_id", input.cloudIds?.accountId], ["workspace_id", input.cloudIds?.workspaceId]] as const) {
      const declaredId = spec[attribute];
      if (typeof declaredId !== "string") continue;
      if (!expected || declaredId.toLowerCase() !== expected.toLowerCase()) {
        diagnostics.push(
          error(`${attribute} of ${address} differs from the provider's`, {
            file: instance.block.location.file,
            line: instance.block.attributeLines[attribute] ?? instance.block.location.line,
            address,
            attribute,
            expression: JSON.stringify(declaredId),
            detail: expected
              ? `The provider addresses ${attribute.replace("_id", "")} ${expected}; one run manages one workspace. Remove ${attribute}, or put this resource in a configuration whose provider addresses that workspace.`
              : `The provider does not address a Prefect Cloud workspace. Remove ${attribute}, or set account_id and workspace_id on the provider "prefect" block.`,
          }),
        );
        wrongWorkspace = true;
      }
      delete spec[attribute];
    }
    if (wrongWorkspace) {
      failed.add(address);
      continue;
    }

    // Find the live object: through the state, a resumed create, or the natural key.
    const entry = state.resources[address];
    const inventory = live.kinds.get(kind.type);
    let object: unknown;
    let importing = false;
    let reason: string | undefined;
    if (entry && entry.type !== kind.type) {
      diagnostics.push(error(`${address} is recorded in the state as a ${entry.type}`, { address, detail: "Remove it from the state (prefect-gitops state rm) and import it again." }));
      failed.add(address);
      continue;
    }
    if (entry) {
      object = inventory?.byId.get(entry.id);
      if (object === undefined && inventory?.error) {
        diagnostics.push(warning(`Could not read ${kind.title}s to check ${address}`, { address, detail: inventory.error }));
      }
    }
    const ownerOf = (liveObject: unknown) => ownedIds.get(`${kind.type}:${kind.idOf(liveObject)}`);
    const pendingCreate = state.pending[address];
    const identity = declaredIdentity(kind, spec);
    if (object === undefined && identity !== undefined) {
      const sameKey = indexFor(kind).get(identity) ?? [];
      const candidate = sameKey.find((item) => ownerOf(item) === undefined || ownerOf(item) === address);
      const takenBy = sameKey.map(ownerOf).find((owner) => owner !== undefined && owner !== address && (instances.has(owner) || mode === "normal"));
      if (candidate !== undefined) {
        if (input.adopt || pendingCreate || (kind.adoptImplicitly?.(spec) ?? false) || (entry && !inventory?.byId.has(entry.id))) {
          object = candidate;
          importing = true;
          reason = pendingCreate ? "resuming an interrupted create" : entry ? "re-created outside prefect-gitops; adopting it" : input.adopt ? "adopting an existing object (--adopt)" : "created by Prefect with its parent";
        } else {
          const id = kind.idOf(candidate);
          lookalikes.push({ address, type: kind.type, id, label });
          diagnostics.push(
            error(`${label} already exists and is not managed by this state`, {
              code: "blocked_by_existing",
              file: instance.block.location.file,
              line: instance.block.location.line,
              address,
              detail: `It blocks the create of ${address} (id ${id}). Bring it under management with:\n  prefect-gitops import ${address} ${id}\nor plan with --adopt to take over every existing object that matches a declaration.`,
            }),
          );
          failed.add(address);
          continue;
        }
      } else if (takenBy) {
        diagnostics.push(
          error(`${label} is already managed as ${takenBy}`, {
            file: instance.block.location.file,
            line: instance.block.location.line,
            address,
            detail: "Two declarations name the same object. Remove one, or move the state entry (prefect-gitops state rm, then import).",
          }),
        );
        failed.add(address);
        continue;
      }
    }
    if (object === undefined && !kind.identity(spec) && pendingCreate) {
      // A create without natural key was interrupted: find the object it made by its content.
      const since = Date.parse(pendingCreate.startedAt) - 60_000;
      const match = [...(inventory?.byId.values() ?? [])].find((candidate) => {
        if (ownerOf(candidate) !== undefined) return false;
        const candidateSpec = kind.toSpec(candidate);
        const created = Date.parse(String(candidateSpec.created ?? ""));
        return (Number.isNaN(created) || created >= since) && diffSpec(kind, spec, candidateSpec).length === 0;
      });
      if (match !== undefined) {
        object = match;
        importing = true;
        reason = "resuming an interrupted create";
      }
    }

    if (mode === "destroy") {
      // A pending create (see `recovering`): delete what it made, or clear the intent when it made nothing.
      const made = object !== undefined;
      if (!made && containsUnknown(spec)) {
        diagnostics.push(
          warning(`Could not tell whether the interrupted create of ${address} made a ${kind.title}`, {
            address,
            detail: `Its declaration refers to objects not known now. Look for ${label} in Prefect and delete it if it exists.`,
          }),
        );
        continue;
      }
      changes.push({
        address,
        type: kind.type,
        label,
        action: made ? "delete" : "forget",
        id: made ? kind.idOf(object) : undefined,
        reason: made ? "made by an interrupted create" : "an interrupted create made nothing; its intent is cleared",
        before: made ? maskSpec(facts, kind.toSpec(object), evaluated.sensitive) : undefined,
        changes: [],
        replacePaths: [],
        dependencies,
      });
      if (made) fingerprintParts.push([address, kind.idOf(object), protectSpec(kind, kind.toSpec(object), state.salt)]);
      continue;
    }

    // Values Prefect does not store (data_wo_version) come from what the state recorded.
    const liveSpec = object !== undefined ? withRecordedValues(kind, kind.toSpec(object), entry?.values) : undefined;
    if (entry && object === undefined && inventory && !inventory.error) {
      drift.push({ address, type: kind.type, label, id: entry.id, kind: "deleted", changes: [] });
      reason ??= "deleted outside prefect-gitops";
    }
    if (entry && liveSpec) {
      const driftFound = driftChanges(facts, entry, liveSpec, state.salt);
      if (driftFound.length) drift.push({ address, type: kind.type, label, id: entry.id, kind: "modified", changes: maskChanges(facts, driftFound, evaluated.sensitive) });
    }
    if (object !== undefined) fingerprintParts.push([address, kind.idOf(object), protectSpec(kind, liveSpec!, state.salt)]);

    const attributeChanges = plannedDiff(kind, spec, liveSpec, instance.block.lifecycle.ignoreChanges);
    // Changes Prefect cannot make in place become replacements, with the kind's reason.
    if (liveSpec && kind.replacementReasons && mode !== "refresh-only") {
      for (const forced of kind.replacementReasons(spec, liveSpec)) {
        const change = attributeChanges.find((candidate) => candidate.path.join(".") === forced.path.join("."));
        if (!change) continue;
        change.forceNew = true;
        reason = reason ? `${reason}; ${forced.reason}` : forced.reason;
      }
    }
    const replacePaths = attributeChanges.filter((change) => change.forceNew).map((change) => change.path);
    let action: ResourceChange["action"];
    if (mode === "refresh-only") action = "no-op";
    else if (object === undefined) action = "create";
    else if (replacePaths.length) action = "replace";
    else if (attributeChanges.length) action = "update";
    else action = "no-op";
    // prevent_destroy is honoured from the state once a declaration is removed, so a change of
    // it alone must reach the state: an update that sends nothing to Prefect.
    const protectionChanges: PlannedAttributeChange[] = [];
    const protect = instance.block.lifecycle.preventDestroy;
    if (mode === "normal" && entry && object !== undefined && Boolean(entry.preventDestroy) !== protect) {
      protectionChanges.push({ path: ["lifecycle", "prevent_destroy"], before: !protect, after: protect, forceNew: false, sensitive: false });
      if (action === "no-op") {
        action = "update";
        reason ??= "only lifecycle.prevent_destroy changed: the state records it, Prefect is not called";
      }
    }
    if (action === "replace" && instance.block.lifecycle.preventDestroy) {
      diagnostics.push(
        error(`${address} has lifecycle.prevent_destroy, but the plan replaces it`, {
          file: instance.block.location.file,
          line: instance.block.location.line,
          address,
          detail: `Changing ${replacePaths.map((path) => path.join(".")).join(", ")} forces a replacement. Revert that change, or remove prevent_destroy first.`,
        }),
      );
    }

    // What later instances may know about this one.
    if (liveSpec && action !== "replace") knownValues.set(address, knownValuesOf(liveSpec, spec));

    const tainted = evaluated.sensitive;
    changes.push({
      address,
      type: kind.type,
      label,
      action,
      id: object !== undefined ? kind.idOf(object) : undefined,
      importing: importing || undefined,
      reason,
      before: maskSpec(facts, liveSpec, tainted),
      after: action === "no-op" ? maskSpec(facts, liveSpec, tainted) : maskSpec(facts, action === "update" ? { ...liveSpec, ...definedOnly(spec) } : spec, tainted, action !== "update"),
      changes: mode === "refresh-only" ? [] : [...maskChanges(facts, attributeChanges, tainted), ...protectionChanges],
      replacePaths,
      dependencies,
    });
    planned.set(address, { instance, kind, spec, tainted, live: object, dependencies });
  }

  // Two declarations of one object would fight over it.
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
      error(`${safeLabel(item.kind, item.spec, item.tainted)} is declared twice`, {
        file: item.instance.block.location.file,
        line: item.instance.block.location.line,
        address,
        detail: `${first} and ${address} declare the same ${item.kind.title}. Keep one of them.`,
      }),
    );
  }

  // Objects the state owns that are no longer declared (or everything, for destroy).
  const declared = new Set(mode === "destroy" ? [] : instances.keys());
  for (const entry of Object.values(state.resources)) {
    if (declared.has(entry.address)) continue;
    const kind = input.kindFor(entry.type);
    if (!kind) {
      diagnostics.push(error(`The state holds ${entry.address} of unsupported type ${entry.type}`, { address: entry.address, detail: "Remove it with prefect-gitops state rm." }));
      continue;
    }
    const inventory = live.kinds.get(entry.type);
    const object = inventory?.byId.get(entry.id);
    const liveSpec = object !== undefined ? kind.toSpec(object) : undefined;
    if (object !== undefined) fingerprintParts.push([entry.address, entry.id, protectSpec(kind, liveSpec!, state.salt)]);
    const label = liveSpec ? kind.label(liveSpec) : `${kind.title} ${entry.identity ?? entry.id}`;
    if (mode === "refresh-only") {
      // Gone from Prefect: a refresh forgets it, as it forgets a declared object that is gone.
      if (object === undefined && inventory && !inventory.error) {
        drift.push({ address: entry.address, type: entry.type, label, id: entry.id, kind: "deleted", changes: [] });
        changes.push({ address: entry.address, type: entry.type, label, action: "forget", id: entry.id, reason: "deleted outside prefect-gitops; only the state entry is removed", changes: [], replacePaths: [], dependencies: entry.dependencies });
      }
      continue;
    }
    if (entry.preventDestroy) {
      diagnostics.push(
        error(`${entry.address} has lifecycle.prevent_destroy, but the plan deletes it`, {
          address: entry.address,
          detail: mode === "destroy" ? "Remove prevent_destroy from its declaration and apply, then destroy." : "Declare it again, or remove prevent_destroy (declare it with prevent_destroy = false and apply) before removing it.",
        }),
      );
    }
    const gone = object === undefined && inventory !== undefined && !inventory.error;
    changes.push({
      address: entry.address,
      type: entry.type,
      label,
      action: gone ? "forget" : "delete",
      id: entry.id,
      reason: gone ? "already deleted outside prefect-gitops; only the state entry is removed" : mode === "destroy" ? "destroy" : "not in the configuration",
      before: maskSpec(attributeFactsOf(kind), liveSpec, new Set()),
      changes: [],
      replacePaths: [],
      dependencies: entry.dependencies,
    });
  }

  // An interrupted create whose declaration is gone: what it made is not owned, so it is neither
  // deleted nor adopted; say so rather than forget it.
  for (const pendingCreate of Object.values(state.pending)) {
    if (instances.has(pendingCreate.address) || state.resources[pendingCreate.address]) continue;
    const title = input.kindFor(pendingCreate.type)?.title ?? pendingCreate.type;
    diagnostics.push(
      warning(`A create of ${pendingCreate.address} was interrupted at ${pendingCreate.startedAt}, and it is no longer declared`, {
        address: pendingCreate.address,
        detail: `The ${title} it may have made${pendingCreate.name ? ` ("${pendingCreate.name}")` : ""} is not managed by this state, so it is neither deleted nor adopted. Declare ${pendingCreate.address} again and apply to resume the create, or look for it in Prefect and delete it.`,
      }),
    );
  }

  // Refuse to empty the workspace by accident.
  const owned = Object.keys(state.resources).length;
  const deleting = changes.filter((change) => change.action === "delete" || change.action === "forget").length;
  if (mode === "normal" && owned > 0 && deleting === owned && !changes.some((change) => change.action !== "delete" && change.action !== "forget")) {
    diagnostics.push(
      error(`The plan would delete every object the state owns (${owned})`, {
        detail: "That is refused outside destroy: if the configuration is empty by mistake, fix it; to delete everything, run `prefect-gitops destroy`.",
      }),
    );
  }
  if (cycle === undefined && mode !== "destroy" && failed.size === 0 && diagnostics.length === 0 && config.instances.length === 0 && owned === 0) {
    diagnostics.push(warning("Nothing is declared and nothing is owned", { detail: "Add resources to the configuration." }));
  }

  fingerprintParts.sort(([a], [b]) => a.localeCompare(b));
  const plan: Plan = {
    format: PLAN_FORMAT,
    mode,
    createdAt: input.now.toISOString(),
    dir: config.model.dir,
    configHash: config.hash,
    liveFingerprint: sha256(canonicalJson(fingerprintParts)),
    // A new state gets a random lineage that is never saved by a plan: a saved plan made before
    // the first apply must still match the new state the apply starts.
    stateLineage: input.stateExists === false ? "" : state.lineage,
    stateSerial: state.serial,
    target: input.target,
    changes,
    drift,
    diagnostics,
    summary: summarize(changes),
  };
  const unchecked = [...live.kinds.entries()].filter(([, inventory]) => inventory.error).map(([type, inventory]) => ({ type, reason: inventory.error ?? "" }));
  return { plan, instances: planned, lookalikes, unchecked };
}

/** A label for messages that never shows a value derived from a sensitive variable. */
export function safeLabel(kind: Kind, spec: Spec, tainted: ReadonlySet<string>): string {
  if (!tainted.size) return kind.label(spec);
  const masked: Spec = { ...spec };
  for (const name of tainted) masked[name] = SENSITIVE;
  return kind.label(masked);
}

const SENSITIVE_ISSUE =
  "is not valid. Its value is sensitive (a sensitive attribute, or derived from a sensitive variable), so it is not shown: check it against what this attribute allows";

function definedOnly(spec: Spec): Spec {
  return Object.fromEntries(Object.entries(spec).filter(([, value]) => value !== undefined));
}

/** The natural key of a declaration; undefined while parts of it are not known yet. */
function declaredIdentity(kind: Kind, spec: Spec): string | undefined {
  if (!containsUnknown(spec)) return kind.identity(spec);
  try {
    const identity = kind.identity(spec);
    return identity === undefined || /\$unknown|\[object Object\]/.test(identity) ? undefined : identity;
  } catch {
    return undefined;
  }
}
