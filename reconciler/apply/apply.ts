// Executing a plan: it runs the plan's steps as they are, and never loads the configuration or
// diffs again. Creates, updates and replacements go in dependency waves (parallel within a
// wave, a kind's serial groups one after another), then deletions in reverse dependency order.
// Each create is recorded as an intent before it is sent and each outcome as soon as it
// succeeds, so a run killed at any point is resumed by the next one without duplicates. A
// failed step's dependents are skipped.
import pLimit from "p-limit";
import { waves, type DependencyGraph } from "../plan/graph.js";
import { kindOrder } from "../plan/kind-order.js";
import type { Plan, Step } from "../plan/model.js";
import type { StateStore } from "../state/store.js";
import { EngineError, toEngineError, type ErrorCode } from "../errors.js";
import type { ApplyTarget } from "./target.js";
import { runUpsert, type UpsertRun } from "./upsert.js";

export type { ApplyTarget, StepResult } from "./target.js";

export type ApplyEvent =
  | { type: "start"; address: string; action: Step["action"]; label: string }
  | { type: "done"; address: string; action: Step["action"]; label: string; id?: string; durationMs: number }
  | { type: "failed"; address: string; action: Step["action"]; label: string; error: EngineError }
  | { type: "skipped"; address: string; action: Step["action"]; label: string; because: string; code: ErrorCode };

export interface ApplyOptions {
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

type Operation = (step: Step) => Promise<string | undefined>;

export async function applyPlan(plan: Plan, target: ApplyTarget, state: StateStore, options: ApplyOptions = {}): Promise<ApplyResult> {
  const limit = pLimit(Math.max(1, options.parallelism ?? 10));
  const result: ApplyResult = { done: [], failed: [], skipped: [] };
  const failed = new Set<string>();
  const emit = options.onEvent ?? (() => {});
  const byAddress = new Map(plan.changes.map((step) => [step.address, step]));
  const order = kindOrder((address) => byAddress.get(address)?.type);
  const run: UpsertRun = { target, state, refreshOnly: plan.mode === "refresh-only", now: options.now ?? (() => new Date()), results: new Map(), replaced: new Set() };

  const runOne = async (step: Step, operation: Operation, blockers: string[]): Promise<void> => {
    const blocked = blockers.find((address) => failed.has(address));
    if (blocked) {
      failed.add(step.address);
      result.skipped.push(step.address);
      emit({ type: "skipped", address: step.address, action: step.action, label: step.label, because: `${blocked} failed`, code: "DEPENDENCY_FAILED" });
      return;
    }
    const started = performance.now();
    const quiet = step.action === "no-op" && !step.importing;
    if (!quiet) emit({ type: "start", address: step.address, action: step.action, label: step.label });
    try {
      const id = await operation(step);
      result.done.push(step.address);
      if (!quiet) emit({ type: "done", address: step.address, action: step.action, label: step.label, id: id ?? step.id, durationMs: Math.round(performance.now() - started) });
    } catch (caught) {
      const error = toEngineError(caught, { address: step.address });
      failed.add(step.address);
      result.failed.push({ address: step.address, error });
      emit({ type: "failed", address: step.address, action: step.action, label: step.label, error });
    }
  };

  await state.begin();
  // Every declared object goes through the upsert waves (a no-op refreshes its state entry
  // without calling Prefect); removals run afterwards in reverse dependency order.
  const isRemoval = (step: Step) => step.action === "delete" || step.action === "forget";
  for (const wave of waves(upsertGraph(plan.changes.filter((step) => !isRemoval(step))), order)) {
    await Promise.all(inSerialGroups(wave.map((address) => byAddress.get(address)!), (step) => limit(() => runOne(step, (item) => runUpsert(run, item), step.dependencies))));
    await state.flush();
  }
  const removals = removalGraph(plan.changes.filter(isRemoval));
  for (const wave of waves(removals, (a, b) => -order(a, b))) {
    await Promise.all(wave.map((address) => limit(() => runOne(byAddress.get(address)!, (step) => remove(target, state, step), [...(removals.get(address) ?? [])]))));
    await state.flush();
  }
  await state.save();
  return result;
}

/** Creates, updates and replacements: dependencies first. */
function upsertGraph(steps: Step[]): DependencyGraph {
  return new Map(steps.map((step) => [step.address, new Set(step.dependencies)]));
}

/** Deletions: whatever refers to an object goes before it (edges point at the dependents). */
function removalGraph(steps: Step[]): DependencyGraph {
  const graph: DependencyGraph = new Map(steps.map((step) => [step.address, new Set<string>()]));
  for (const step of steps) for (const dependency of step.dependencies) graph.get(dependency)?.add(step.address);
  return graph;
}

/** Run a wave: steps of one serial group (a pool's queues) as a chain in their order, the rest at once. */
function inSerialGroups(wave: Step[], run: (step: Step) => Promise<void>): Promise<void>[] {
  const chains = new Map<string, Step[]>();
  const parallel: Step[] = [];
  for (const step of wave) {
    if (!step.serial) parallel.push(step);
    else chains.set(step.serial.group, [...(chains.get(step.serial.group) ?? []), step]);
  }
  const chain = async (steps: Step[]) => {
    for (const step of steps.sort((a, b) => a.serial!.order - b.serial!.order || a.address.localeCompare(b.address))) await run(step);
  };
  return [...parallel.map(run), ...[...chains.values()].map(chain)];
}

async function remove(target: ApplyTarget, state: StateStore, step: Step): Promise<string | undefined> {
  const kind = target.kindFor(step.type);
  if (!kind) throw new EngineError("RESOURCE_TYPE_UNSUPPORTED", `unsupported type ${step.type}`, { address: step.address });
  if (step.action === "delete" && step.id) await kind.delete(target.ctx, step.id);
  await state.remove(step.address);
  return step.id;
}
