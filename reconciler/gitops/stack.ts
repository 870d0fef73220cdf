// One stack in a checkout, through the engine's public surface: plan it (read-only), apply it
// under the state lock (planned again first, versions stamped), or audit its drift. Problems of
// the configuration come back as diagnostics; anything else is thrown for the caller to sort.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { DiagnosticsError, error, type Diagnostic } from "../diagnostics.js";
import { driftReport, type DriftReport } from "../drift/drift.js";
import type { Engine } from "../engine.js";
import type { Checkout, GitSource } from "../git/checkout.js";
import { hasChanges, hasErrors, type Plan } from "../plan/model.js";
import { GITOPS_CONFIG_FILE, parseGitopsConfig, type GitopsConfig, type StackConfig } from "./config.js";
import { changedDeployments, stampVersions } from "./versions.js";
import type { ReconcileDeps } from "./model.js";

export async function readConfig(checkout: Checkout): Promise<{ config?: GitopsConfig; diagnostics: Diagnostic[] }> {
  let text: string;
  try {
    text = await readFile(join(checkout.dir, GITOPS_CONFIG_FILE), "utf8");
  } catch {
    return { diagnostics: [error("CONFIG_NOT_FOUND", `${GITOPS_CONFIG_FILE} is missing`, { file: GITOPS_CONFIG_FILE, line: 1, detail: "Add it at the repository root: see README's GitOps section." })] };
  }
  return parseGitopsConfig(text);
}

export async function withCheckout<T>(source: GitSource, ref: string, fn: (checkout: Checkout) => Promise<T>): Promise<T> {
  const checkout = await source.checkout(ref);
  try {
    return await fn(checkout);
  } finally {
    await checkout.remove();
  }
}

/** Plan one stack of a checkout: load (synthesis runs sandboxed in the engine's runner) and plan against the live workspace, read-only. */
export async function planStack(stack: StackConfig, synth: GitopsConfig["synth"], checkout: Checkout, deps: ReconcileDeps): Promise<{ plan?: Plan; problems: Diagnostic[] }> {
  const engine = deps.engineFor(stack, join(checkout.dir, stack.path), synth);
  try {
    const { warnings } = await engine.load();
    const state = await engine.openState();
    const result = await engine.plan(state);
    return { plan: { ...result.plan, diagnostics: [...warnings, ...result.plan.diagnostics] }, problems: [] };
  } catch (caught) {
    if (caught instanceof DiagnosticsError) return { problems: caught.diagnostics };
    throw caught;
  } finally {
    await engine.close();
  }
}

/**
 * Apply a stack's directory in a checkout under the state lock: plan again (never a stale plan),
 * stamp the commit into changed deployments, apply. Answers the plan applied, or problems.
 */
export async function applyStack(stack: StackConfig, synth: GitopsConfig["synth"], checkout: Checkout, deps: ReconcileDeps, operation: string): Promise<{ plan?: Plan; problems: Diagnostic[]; failed: string[] }> {
  const engine = deps.engineFor(stack, join(checkout.dir, stack.path), synth);
  try {
    const loaded = await engine.load().catch((caught: unknown) => caught);
    if (loaded instanceof DiagnosticsError) return { problems: loaded.diagnostics, failed: [] };
    if (loaded instanceof Error) throw loaded;
    const { config } = loaded as Awaited<ReturnType<Engine["load"]>>;
    const state = await engine.openState();
    const lock = await state.backend.lock(deps.holder(operation), { timeoutMs: deps.lockTimeoutMs ?? 600_000, onWait: (holder) => deps.log(`Waiting for the state lock of ${stack.name}${holder ? ` held by ${holder.who} (${holder.operation})` : ""}...`) });
    try {
      await state.reload();
      let result = await engine.plan(state);
      if (hasErrors(result.plan)) return { plan: result.plan, problems: [], failed: [] };
      if (stampVersions(config, changedDeployments(result.plan), checkout.sha).length) result = await engine.plan(state);
      if (!hasChanges(result.plan)) return { plan: result.plan, problems: [], failed: [] };
      const outcome = await engine.apply(result, state);
      return { plan: result.plan, problems: [], failed: outcome.failed.map((failure) => `${failure.address}: ${failure.error.message}`) };
    } finally {
      await lock.release();
    }
  } finally {
    await engine.close();
  }
}

export async function auditStack(stack: StackConfig, synth: GitopsConfig["synth"], checkout: Checkout, deps: ReconcileDeps): Promise<{ report?: DriftReport; problems: Diagnostic[] }> {
  const engine = deps.engineFor(stack, join(checkout.dir, stack.path), synth);
  try {
    await engine.load();
    const state = await engine.openState();
    return { report: driftReport(await engine.plan(state)), problems: [] };
  } catch (caught) {
    if (caught instanceof DiagnosticsError) return { problems: caught.diagnostics };
    throw caught;
  } finally {
    await engine.close();
  }
}
