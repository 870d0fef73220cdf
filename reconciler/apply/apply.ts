// Executing a plan: creates, updates and replacements in dependency waves (parallel within a
// wave), then deletions in reverse dependency order. Each create is recorded as an intent
// before it is sent and each outcome as soon as it succeeds, so a run killed at any point is
// resumed by the next one without duplicates. A failed object's dependents are skipped.
import pLimit from "p-limit";
import { withRecordedValues } from "../../provider/kinds/compare.js";
import { parseSpec, type Kind, type KindContext, type Spec } from "../../provider/kinds/kind.js";
import { firstUnknown } from "../config/evaluate.js";
import { evaluateInstance, type InstanceValues, type ResolvedConfig } from "../config/resolve.js";
import { EngineError, toEngineError, type ErrorCode } from "../errors.js";
import { waves, type DependencyGraph } from "../plan/graph.js";
import type { Plan, ResourceChange } from "../plan/model.js";
import { kindOrder, knownValuesOf, plannedDiff, type PlannedInstance } from "../plan/plan.js";
import { protectSpec, specHash } from "../state/hash.js";
import type { StateEntry } from "../state/model.js";
import type { StateStore } from "../state/store.js";

export type ApplyEvent =
  | { type: "start"; address: string; action: ResourceChange["action"]; label: string }
  | { type: "done"; address: string; action: ResourceChange["action"]; label: string; id?: string; durationMs: number }
  | { type: "failed"; address: string; action: ResourceChange["action"]; label: string; error: EngineError }
  | { type: "skipped"; address: string; action: ResourceChange["action"]; label: string; because: string; code: ErrorCode };

export interface ApplyInput {
  plan: Plan;
  config: ResolvedConfig;
  /** Planned instances of the same plan (from buildPlan). */
  instances: Map<string, PlannedInstance>;
  kindFor: (type: string) => Kind | undefined;
  ctx: KindContext;
  state: StateStore;
  /** Operations in flight at once within a wave. @default 10 */
  parallelism?: number;
  onEvent?: (event: ApplyEvent) => void;
  now?: () => Date;
}

export interface ApplyResult {
  /** Addresses per outcome. */
  done: string[];
  /** Each failure as an EngineError: its code, whether retrying may help, the address, the cause. */
  failed: { address: string; error: EngineError }[];
  skipped: string[];
}


/** Everything declared and live known about applied objects, for evaluating dependents. */
function knownFrom(kind: Kind, live: unknown, spec: Spec): Record<string, unknown> {
  return knownValuesOf(kind.toSpec(live), spec);
}

export async function applyPlan(input: ApplyInput): Promise<ApplyResult> {
  const { plan, config, state, ctx } = input;
  const now = input.now ?? (() => new Date());
  const limit = pLimit(Math.max(1, input.parallelism ?? 10));
  const result: ApplyResult = { done: [], failed: [], skipped: [] };
  const failed = new Set<string>();
  const emit = input.onEvent ?? (() => {});

  const changeByAddress = new Map(plan.changes.map((change) => [change.address, change]));
  // What dependents may know: objects that stay, with their live values.
  const known = new Map<string, Record<string, unknown>>();
  for (const [address, planned] of input.instances) {
    const change = changeByAddress.get(address);
    if (planned.live !== undefined && change && change.action !== "replace") known.set(address, knownFrom(planned.kind, planned.live, planned.spec));
  }
  const declared = new Map<string, Record<string, unknown>>();
  const values: InstanceValues = {
    declared(address, attribute) {
      const attributes = declared.get(address);
      return attributes && attribute in attributes ? { found: true, value: attributes[attribute] } : { found: false };
    },
    known: (address) => known.get(address),
  };

  // Every declared object goes through the upsert waves (a no-op refreshes its state entry
  // without calling Prefect); deletions run afterwards in reverse dependency order.
  const isRemoval = (change: ResourceChange) => change.action === "delete" || change.action === "forget";
  const upserts = plan.changes.filter((change) => !isRemoval(change));
  const removals = plan.changes.filter(isRemoval);

  const entryFor = (planned: PlannedInstance, live: unknown, spec: Spec): StateEntry => {
    const { kind } = planned;
    const liveSpec = kind.toSpec(live);
    const merged: Spec = { ...liveSpec };
    for (const [name, value] of Object.entries(spec)) if (value !== undefined) merged[name] = value;
    return {
      address: planned.instance.address,
      type: kind.type,
      id: kind.idOf(live),
      // A natural key derived from a sensitive variable would put the secret in the state.
      identity: planned.tainted.size ? undefined : kind.identityOf(live),
      appliedHash: specHash(spec, state.salt),
      values: protectSpec(kind, merged, state.salt, planned.tainted),
      dependencies: planned.dependencies,
      preventDestroy: planned.instance.block.lifecycle.preventDestroy || undefined,
      schemaVersion: kind.version,
      updatedAt: now().toISOString(),
    };
  };

  /** Evaluate the instance again now that everything it refers to exists. */
  const desiredSpec = (planned: PlannedInstance): Spec => {
    const evaluated = evaluateInstance(config, planned.instance, values);
    if (evaluated.diagnostics.length) throw new EngineError(evaluated.diagnostics[0]!.code, evaluated.diagnostics.map((d) => `${d.summary}${d.detail ? `: ${d.detail}` : ""}`).join("; "), { address: planned.instance.address });
    declared.set(planned.instance.address, evaluated.attributes);
    for (const [name, value] of Object.entries(evaluated.attributes)) {
      const pending = firstUnknown(value);
      if (pending) throw new EngineError("DEPENDENCY_FAILED", `${name} is still unknown (it depends on ${pending.$unknown}, which was not created)`, { address: planned.instance.address, attribute: name });
    }
    const parsed = parseSpec(planned.kind, evaluated.attributes);
    if (!parsed.ok) throw new EngineError("ATTRIBUTE_INVALID", parsed.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "), { address: planned.instance.address, attribute: parsed.issues[0]?.path.join(".") });
    // Checked against the provider's workspace at plan time; they add nothing to the spec.
    delete parsed.spec.account_id;
    delete parsed.spec.workspace_id;
    return parsed.spec;
  };

  /**
   * Refresh-only: the state takes what is live (drift accepted), nothing is sent to Prefect. An
   * owned object gone from Prefect is forgotten; a declaration never applied stays unmanaged.
   */
  const runRefresh = async (change: ResourceChange, planned: PlannedInstance): Promise<string | undefined> => {
    const { kind } = planned;
    const entry = state.document.resources[change.address];
    if (planned.live === undefined) {
      if (entry) await state.remove(change.address);
      return change.id;
    }
    if (!entry && !change.importing) return change.id;
    const liveSpec = kind.toSpec(planned.live);
    await state.put({
      ...entryFor(planned, planned.live, planned.spec),
      appliedHash: entry?.appliedHash ?? specHash(planned.spec, state.salt),
      values: protectSpec(kind, liveSpec, state.salt, planned.tainted),
    });
    known.set(change.address, knownFrom(kind, planned.live, planned.spec));
    return kind.idOf(planned.live);
  };

  const runUpsert = async (change: ResourceChange): Promise<string | undefined> => {
    const planned = input.instances.get(change.address);
    if (!planned) {
      throw new EngineError("PLAN_INVALID", `${change.address} is in the plan but not in the configuration`, { address: change.address });
    }
    if (plan.mode === "refresh-only") return runRefresh(change, planned);
    const { kind } = planned;
    const spec = desiredSpec(planned);
    let live = planned.live;
    let action = change.action;
    // A dependency was replaced, and Prefect may have deleted this object with it (a pool's queues).
    if (live !== undefined && (action === "no-op" || action === "update") && planned.dependencies.some((dependency) => replaced.has(dependency))) {
      live = await kind.read(ctx, kind.idOf(live));
      if (live === undefined) action = "create";
    }
    switch (action) {
      case "replace": {
        await kind.delete(ctx, kind.idOf(live), live);
        await state.remove(change.address);
        live = await createRecorded(planned, spec);
        replaced.add(change.address);
        break;
      }
      case "create":
        live = await createRecorded(planned, spec);
        break;
      case "update": {
        const liveSpec = withRecordedValues(kind, kind.toSpec(live), state.document.resources[change.address]?.values);
        const changed = plannedDiff(kind, spec, liveSpec, planned.instance.block.lifecycle.ignoreChanges);
        const names = [...new Set(changed.map((item) => String(item.path[0])))];
        if (names.length) live = await kind.update(ctx, kind.idOf(live), spec, live, names);
        await state.put(entryFor(planned, live, spec));
        break;
      }
      default:
        // no-op: record the object (adopted, or refreshed) without calling Prefect.
        await state.put(entryFor(planned, live, spec));
        break;
    }
    known.set(change.address, knownFrom(kind, live, spec));
    return kind.idOf(live);
  };

  const createRecorded = async (planned: PlannedInstance, spec: Spec): Promise<unknown> => {
    const { kind } = planned;
    await state.intent({
      address: planned.instance.address,
      type: kind.type,
      // As in entryFor: a natural key or name derived from a sensitive variable stays out of the state.
      identity: planned.tainted.size ? undefined : kind.identity(spec),
      name: typeof spec.name === "string" && !planned.tainted.has("name") ? spec.name : undefined,
      specHash: specHash(spec, state.salt),
      startedAt: now().toISOString(),
    });
    // Durable before the request: if this run dies now, the next one looks for the object.
    await state.flush();
    const live = await kind.create(ctx, spec);
    await state.put(entryFor(planned, live, spec));
    return live;
  };

  const replaced = new Set<string>();

  const runOne = async (change: ResourceChange, operation: (change: ResourceChange) => Promise<string | undefined>, blockers: string[]): Promise<void> => {
    const blocked = blockers.find((address) => failed.has(address));
    if (blocked) {
      failed.add(change.address);
      result.skipped.push(change.address);
      emit({ type: "skipped", address: change.address, action: change.action, label: change.label, because: `${blocked} failed`, code: "DEPENDENCY_FAILED" });
      return;
    }
    const started = performance.now();
    const quiet = change.action === "no-op" && !change.importing;
    if (!quiet) emit({ type: "start", address: change.address, action: change.action, label: change.label });
    try {
      const id = await operation(change);
      result.done.push(change.address);
      if (!quiet) emit({ type: "done", address: change.address, action: change.action, label: change.label, id: id ?? change.id, durationMs: Math.round(performance.now() - started) });
    } catch (caught) {
      const error = toEngineError(caught, { address: change.address });
      failed.add(change.address);
      result.failed.push({ address: change.address, error });
      emit({ type: "failed", address: change.address, action: change.action, label: change.label, error });
    }
  };

  await state.begin();

  // Creates, updates and replacements: dependencies first.
  const upsertGraph: DependencyGraph = new Map(upserts.map((change) => [change.address, new Set(change.dependencies)]));
  const typeOf = (address: string) => changeByAddress.get(address)?.type;
  for (const wave of waves(upsertGraph, kindOrder(typeOf))) {
    // Objects a kind wants written one at a time (a pool's queues) run as a chain per group.
    const chains = new Map<string, { order: number; address: string }[]>();
    const parallel: string[] = [];
    for (const address of wave) {
      const planned = input.instances.get(address);
      const serial = planned?.kind.serialization?.(planned.spec);
      if (!serial) parallel.push(address);
      else chains.set(`${planned!.kind.type}:${serial.group}`, [...(chains.get(`${planned!.kind.type}:${serial.group}`) ?? []), { order: serial.order, address }]);
    }
    const runAddress = (address: string) => {
      const change = changeByAddress.get(address)!;
      return limit(() => runOne(change, runUpsert, change.dependencies));
    };
    await Promise.all([
      ...parallel.map(runAddress),
      ...[...chains.values()].map(async (chain) => {
        for (const item of chain.sort((a, b) => a.order - b.order || a.address.localeCompare(b.address))) await runAddress(item.address);
      }),
    ]);
    await state.flush();
  }

  // Deletions: whatever refers to an object goes before it.
  const removalGraph: DependencyGraph = new Map(removals.map((change) => [change.address, new Set<string>()]));
  for (const change of removals) {
    for (const dependency of change.dependencies) removalGraph.get(dependency)?.add(change.address);
  }
  for (const wave of waves(removalGraph, (a, b) => -kindOrder(typeOf)(a, b))) {
    await Promise.all(
      wave.map((address) => {
        const change = changeByAddress.get(address)!;
        const dependents = [...(removalGraph.get(address) ?? [])];
        return limit(() =>
          runOne(
            change,
            async () => {
              const kind = input.kindFor(change.type);
              if (!kind) throw new EngineError("RESOURCE_TYPE_UNSUPPORTED", `unsupported type ${change.type}`, { address: change.address });
              if (change.action === "delete" && change.id) await kind.delete(ctx, change.id);
              await state.remove(change.address);
              return change.id;
            },
            dependents,
          ),
        );
      }),
    );
    await state.flush();
  }

  await state.save();
  return result;
}
