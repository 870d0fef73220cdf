// Building a plan, in named phases (each a module with its own tests): index the instances and
// their dependency graph; then, per instance in dependency order, evaluate and validate the
// declaration, locate its live object, and make its step (drift, impacts and action, lifecycle,
// what it sends); then prune by inventory and run the guards. Pure: the live objects are read
// beforehand, and problems become diagnostics in the plan, which is never thrown away half-made.
import { isUnknown } from "../../provider/kinds/compare.js";
import type { Kind, Spec } from "../../provider/kinds/kind.js";
import type { InstanceValues, ResolvedConfig, ResourceInstance } from "../config/resolve.js";
import type { Diagnostic } from "../diagnostics.js";
import { canonicalJson, protectSpec, sha256 } from "../state/hash.js";
import type { StateDocument } from "../state/model.js";
import { declareInstance } from "./declare.js";
import { declaredStep } from "./declared-step.js";
import { topologicalOrder } from "./graph.js";
import { duplicateDeclarations, emptiesWorkspace, nothingDeclared, orphanedIntents } from "./guards.js";
import { indexInstances, type IndexedInstances } from "./instances.js";
import { kindOrder } from "./kind-order.js";
import { LiveIndex, type LiveInventory } from "./live-index.js";
import { locateLive } from "./locate.js";
import { PLAN_FORMAT, summarize, type DriftEntry, type Plan, type PlanMode, type Step } from "./model.js";
import { pruneSteps } from "./prune.js";
import { recoveryStep } from "./recover.js";

export type { LiveInventory };

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

/** What the plan knows about each declared instance beyond the plan's data: its values, secrets included, and its live object. */
export interface PlannedInstance {
  instance: ResourceInstance;
  kind: Kind;
  /** The evaluated attributes, before validation (what dependents' expressions see). */
  attributes: Record<string, unknown>;
  /** The declared spec; attributes not known yet are unknown markers. */
  spec: Spec;
  /** Attributes tainted by sensitive variables. */
  tainted: Set<string>;
  live?: unknown;
  /** What dependents may know of it before apply runs: its live values under the declared ones (absent when it is created or replaced). */
  known?: Record<string, unknown>;
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

/** What the per-instance phases gather. */
interface Run {
  input: PlanInput;
  indexed: IndexedInstances;
  index: LiveIndex;
  diagnostics: Diagnostic[];
  steps: Step[];
  drift: DriftEntry[];
  fingerprint: [string, string, unknown][];
  lookalikes: PlanResult["lookalikes"];
  planned: Map<string, PlannedInstance>;
  failed: Set<string>;
  declaredValues: Map<string, Record<string, unknown>>;
  knownValues: Map<string, Record<string, unknown>>;
  values: InstanceValues;
}

export function buildPlan(input: PlanInput): PlanResult {
  const indexed = indexInstances(input.config.instances, input);
  const run = startRun(input, indexed);
  for (const address of evaluationOrder(run)) planInstance(run, address);
  const owned = Object.keys(input.state.resources).length;
  const pruned = pruneSteps(input.state, new Set(indexed.instances.keys()), run.index, input.kindFor, input.mode);
  const steps = [...run.steps, ...pruned.steps];
  const clean = !indexed.cycle && run.failed.size === 0 && run.diagnostics.length === 0;
  const diagnostics = [
    ...run.diagnostics,
    ...duplicateDeclarations(run.planned),
    ...pruned.diagnostics,
    ...orphanedIntents(input.state, new Set(indexed.instances.keys()), input.kindFor),
    ...[emptiesWorkspace(input.mode, owned, steps)].filter((d) => d !== undefined),
  ];
  const idle = nothingDeclared(input.mode, input.config.instances.length, owned, clean && diagnostics.length === 0);
  if (idle) diagnostics.push(idle);
  const plan = assemble(input, steps, [...run.drift, ...pruned.drift], diagnostics, [...run.fingerprint, ...pruned.fingerprint]);
  const unchecked = [...input.live.kinds.entries()].filter(([, inventory]) => inventory.error).map(([type, inventory]) => ({ type, reason: inventory.error ?? "" }));
  return { plan, instances: run.planned, lookalikes: run.lookalikes, unchecked };
}

function startRun(input: PlanInput, indexed: IndexedInstances): Run {
  const declaredValues = new Map<string, Record<string, unknown>>();
  const knownValues = new Map<string, Record<string, unknown>>();
  // Destroy evaluates only pending creates (see evaluationOrder): the rest is known from the state.
  if (input.mode === "destroy") for (const entry of Object.values(input.state.resources)) knownValues.set(entry.address, entry.values);
  const values: InstanceValues = {
    declared(address, attribute) {
      const declared = declaredValues.get(address);
      return declared && attribute in declared ? { found: true, value: declared[attribute] } : { found: false };
    },
    known: (address) => knownValues.get(address),
  };
  const empty = { diagnostics: [...indexed.diagnostics], steps: [], drift: [], fingerprint: [], lookalikes: [], planned: new Map(), failed: new Set<string>() };
  return { input, indexed, index: new LiveIndex(input.live, input.state), ...empty, declaredValues, knownValues, values };
}

/** Dependencies first; destroy looks only at creates an interrupted run left pending (what they made is deleted too). */
function evaluationOrder(run: Run): string[] {
  const { indexed, input } = run;
  if (indexed.cycle) return [];
  const recovering = (address: string) => input.state.pending[address] !== undefined && input.state.resources[address] === undefined;
  return topologicalOrder(indexed.graph, kindOrder((address) => indexed.instances.get(address)?.type)).filter((address) => input.mode !== "destroy" || recovering(address));
}

function planInstance(run: Run, address: string): void {
  const { input } = run;
  const instance = run.indexed.instances.get(address)!;
  const kind = input.kindFor(instance.type)!;
  const dependencies = [...(run.indexed.graph.get(address) ?? [])];
  const declaration = declareInstance(input.config, instance, kind, run.values, input.cloudIds, dependencies.some((dependency) => run.failed.has(dependency)));
  run.diagnostics.push(...declaration.diagnostics);
  if (declaration.ok || declaration.attributes) run.declaredValues.set(address, declaration.ok ? declaration.declared.attributes : declaration.attributes!);
  if (!declaration.ok) {
    run.failed.add(address);
    return;
  }
  const { spec, tainted, label } = declaration.declared;
  const entry = input.state.resources[address];
  const located = locateLive({ instance, kind, spec, label, entry, pending: input.state.pending[address], index: run.index, declared: (item) => run.indexed.instances.has(item), mode: input.mode, adopt: input.adopt });
  run.diagnostics.push(...located.diagnostics);
  if (located.lookalike) run.lookalikes.push(located.lookalike);
  if (located.blocked) {
    run.failed.add(address);
    return;
  }
  if (input.mode === "destroy") {
    const recovered = recoveryStep(address, kind, spec, label, tainted, located, dependencies);
    run.diagnostics.push(...recovered.diagnostics);
    if (recovered.step) run.steps.push(recovered.step);
    if (located.object !== undefined) run.fingerprint.push([address, kind.idOf(located.object), protectSpec(kind, kind.toSpec(located.object), input.state.salt)]);
    return;
  }
  const inventory = run.index.inventory(kind.type);
  const made = declaredStep(instance, kind, declaration.declared, located, entry, input.mode, input.state.salt, dependencies, inventory !== undefined && !inventory.error);
  run.diagnostics.push(...made.diagnostics);
  run.drift.push(...made.drift);
  run.steps.push(made.step);
  if (made.liveSpec) run.fingerprint.push([address, kind.idOf(located.object), protectSpec(kind, made.liveSpec, input.state.salt)]);
  const known = made.liveSpec && made.step.action !== "replace" ? knownValuesOf(made.liveSpec, spec) : undefined;
  // What later instances may know about this one.
  if (known) run.knownValues.set(address, known);
  run.planned.set(address, { instance, kind, attributes: declaration.declared.attributes, spec, tainted, live: located.object, known, dependencies });
}

function assemble(input: PlanInput, steps: Step[], drift: DriftEntry[], diagnostics: Diagnostic[], fingerprint: [string, string, unknown][]): Plan {
  fingerprint.sort(([a], [b]) => a.localeCompare(b));
  return {
    format: PLAN_FORMAT,
    mode: input.mode,
    createdAt: input.now.toISOString(),
    dir: input.config.model.dir,
    configHash: input.config.hash,
    liveFingerprint: sha256(canonicalJson(fingerprint)),
    // A new state gets a random lineage that is never saved by a plan: a saved plan made before
    // the first apply must still match the new state the apply starts.
    stateLineage: input.stateExists === false ? "" : input.state.lineage,
    stateSerial: input.state.serial,
    target: input.target,
    changes: steps,
    drift,
    diagnostics,
    summary: summarize(steps),
  };
}

/** What dependents may know about an object that exists: its live values, with what is declared and known over them. */
export function knownValuesOf(liveSpec: Spec, spec: Spec): Record<string, unknown> {
  const known: Record<string, unknown> = { ...liveSpec };
  for (const [name, value] of Object.entries(spec)) if (value !== undefined && !isUnknown(value)) known[name] = value;
  return known;
}
