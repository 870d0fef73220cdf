// Running one create, update, replace or no-op step. A create records its intent durably before
// the request, and every outcome is recorded as soon as Prefect confirms it.
import type { Kind, Spec } from "../../provider/kinds/kind.js";
import { EngineError } from "../errors.js";
import { isPayloadMarker, type Step } from "../plan/model.js";
import { protectSpec, specHash } from "../state/hash.js";
import type { StateStore } from "../state/store.js";
import { entryFor, taintedOf } from "./state-entry.js";
import type { ApplyTarget, StepResult } from "./target.js";

export interface UpsertRun {
  target: ApplyTarget;
  state: StateStore;
  refreshOnly: boolean;
  now: () => Date;
  /** Results of the steps run so far, by address. */
  results: Map<string, StepResult>;
  /** Addresses replaced in this run. */
  replaced: Set<string>;
}

/** The spec a step sends: the plan's values, its markers resolved. */
export function sendSpec(run: UpsertRun, step: Step): Spec {
  if (!step.send) throw new EngineError("PLAN_INVALID", `${step.address} has nothing to send in the plan`, { address: step.address });
  const markers = Object.keys(step.send.spec).filter((name) => isPayloadMarker(step.send!.spec[name]));
  if (!markers.length) return { ...step.send.spec };
  const resolved = run.target.resolve(step, run.results);
  const spec: Spec = { ...step.send.spec };
  for (const name of markers) {
    if (resolved[name] === undefined) delete spec[name];
    else spec[name] = resolved[name];
  }
  return spec;
}

export async function runUpsert(run: UpsertRun, step: Step): Promise<string | undefined> {
  const kind = kindOf(run, step);
  if (run.refreshOnly) return runRefresh(run, step, kind);
  const spec = sendSpec(run, step);
  let live = step.id !== undefined ? liveOf(run, step) : undefined;
  let action = step.action;
  // A dependency was replaced, and Prefect may have deleted this object with it (a pool's queues).
  if (live !== undefined && (action === "no-op" || action === "update") && step.dependencies.some((dependency) => run.replaced.has(dependency))) {
    live = await kind.read(run.target.ctx, kind.idOf(live));
    if (live === undefined) action = "create";
  }
  if (action === "replace") {
    await kind.delete(run.target.ctx, kind.idOf(live), live);
    await run.state.remove(step.address);
    live = await createRecorded(run, step, kind, spec);
    run.replaced.add(step.address);
  } else if (action === "create") {
    live = await createRecorded(run, step, kind, spec);
  } else {
    // An update sends the attributes the plan found changed; a no-op records the object
    // (adopted, or refreshed) without calling Prefect.
    const changed = action === "update" ? (step.send?.changed ?? []) : [];
    if (changed.length) live = await kind.update(run.target.ctx, kind.idOf(live), spec, live, changed);
    await run.state.put(entryFor(step, kind, live, spec, run.state.salt, run.now()));
  }
  run.results.set(step.address, { live, spec });
  return kind.idOf(live);
}

async function createRecorded(run: UpsertRun, step: Step, kind: Kind, spec: Spec): Promise<unknown> {
  const tainted = taintedOf(step, kind);
  await run.state.intent({
    address: step.address,
    type: kind.type,
    // As in entryFor: a natural key or name derived from a sensitive variable stays out of the state.
    identity: tainted.size ? undefined : kind.identity(spec),
    name: typeof spec.name === "string" && !tainted.has("name") ? spec.name : undefined,
    specHash: specHash(spec, run.state.salt),
    startedAt: run.now().toISOString(),
  });
  // Durable before the request: if this run dies now, the next one looks for the object.
  await run.state.flush();
  const live = await kind.create(run.target.ctx, spec);
  await run.state.put(entryFor(step, kind, live, spec, run.state.salt, run.now()));
  return live;
}

/**
 * Refresh-only: the state takes what is live (drift accepted), nothing is sent to Prefect. An
 * owned object gone from Prefect is forgotten; a declaration never applied stays unmanaged.
 */
async function runRefresh(run: UpsertRun, step: Step, kind: Kind): Promise<string | undefined> {
  const entry = run.state.document.resources[step.address];
  const live = step.id !== undefined ? run.target.live(step.address) : undefined;
  if (live === undefined) {
    if (entry) await run.state.remove(step.address);
    return step.id;
  }
  if (!entry && !step.importing) return step.id;
  const spec = run.target.declared(step);
  await run.state.put({
    ...entryFor(step, kind, live, spec, run.state.salt, run.now()),
    appliedHash: entry?.appliedHash ?? specHash(spec, run.state.salt),
    values: protectSpec(kind, kind.toSpec(live), run.state.salt, taintedOf(step, kind)),
  });
  run.results.set(step.address, { live, spec });
  return kind.idOf(live);
}

function kindOf(run: UpsertRun, step: Step): Kind {
  const kind = run.target.kindFor(step.type);
  if (!kind) throw new EngineError("RESOURCE_TYPE_UNSUPPORTED", `${step.address}: unsupported type ${step.type}`, { address: step.address });
  return kind;
}

function liveOf(run: UpsertRun, step: Step): unknown {
  const live = run.target.live(step.address);
  if (live === undefined) throw new EngineError("PLAN_STALE", `${step.address}: the plan found ${step.label} (id ${step.id}), but this run has no live object for it; plan again`, { address: step.address });
  return live;
}
