// Shared plumbing of the commands: the lock around a run, error reporting, saved plans.
import { readFile, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { resolve } from "node:path";
import { PrefectError } from "../../provider/client/errors.js";
import { DiagnosticsError, formatDiagnostic, type Diagnostic } from "../diagnostics.js";
import { codeLine, EngineError, errorCode, errorJson, type ErrorJson } from "../errors.js";
import type { Engine, EngineOptions } from "../engine.js";
import { PLAN_FORMAT, type Plan } from "../plan/model.js";
import type { LockHolder, StateLock } from "../state/model.js";
import type { StateStore } from "../state/store.js";
import { EXIT_ERROR, engineFor, logs, type CommandContext } from "./context.js";

export function lockHolder(ctx: CommandContext, operation: string): LockHolder {
  const host = hostname();
  return { who: `${ctx.env.USER ?? ctx.env.USERNAME ?? "someone"}@${host}`, pid: process.pid, host, operation, since: new Date().toISOString() };
}

/** Hold the state lock while `fn` runs. */
export async function withLock<T>(ctx: CommandContext, state: StateStore, operation: string, fn: () => Promise<T>): Promise<T> {
  let told = false;
  const lock: StateLock = await state.backend.lock(lockHolder(ctx, operation), {
    timeoutMs: ctx.options.lockTimeoutMs,
    onWait: (holder) => {
      if (told) return;
      told = true;
      ctx.err(ctx.style.yellow(`Waiting for the state lock${holder ? ` held by ${holder.who} (${holder.operation} since ${holder.since})` : ""}...`));
    },
  });
  try {
    await state.reload();
    return await fn();
  } finally {
    await lock.release();
  }
}

/** A failed command's --json output: the error (code, retryable, message, address) and, for invalid input, every diagnostic. */
export interface FailureJson {
  error: ErrorJson;
  diagnostics?: Diagnostic[];
}

export function failureJson(caught: unknown): FailureJson {
  return { error: errorJson(caught), ...(caught instanceof DiagnosticsError ? { diagnostics: caught.diagnostics } : {}) };
}

/** Print an error the way a person can act on (and as JSON on stdout with --json), and answer the exit code. */
export function reportFailure(ctx: CommandContext, caught: unknown): number {
  if (ctx.json) ctx.out(JSON.stringify(failureJson(caught), null, 2));
  if (caught instanceof DiagnosticsError) {
    for (const diagnostic of caught.diagnostics.filter((d) => d.severity === "error")) ctx.err(ctx.style.red(formatDiagnostic(diagnostic)) + "\n");
  } else {
    const error = caught instanceof Error ? caught : new Error(String(caught));
    ctx.err(ctx.style.red(`Error: ${error.message}`));
    ctx.err(ctx.style.dim(`  ${codeLine(errorCode(caught))}`));
    // Expected failures: their message says what to do, a stack would add nothing.
    const expected = caught instanceof EngineError || caught instanceof PrefectError;
    if (!expected && logs(ctx, "debug") && error.stack) ctx.err(ctx.style.dim(error.stack));
  }
  return EXIT_ERROR;
}

/** Run a command body with the engine closed afterwards and failures reported. */
export async function guarded(ctx: CommandContext, engine: Engine, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (caught) {
    return reportFailure(ctx, caught);
  } finally {
    await engine.close();
  }
}

/** `guarded`, with the engine of DIR (default: the working directory). */
export function withEngine(ctx: CommandContext, dirArg: string | undefined, body: (engine: Engine) => Promise<number>, extra?: Pick<EngineOptions, "allowEmpty" | "offline">): Promise<number> {
  const engine = engineFor(ctx, resolve(ctx.cwd, dirArg ?? "."), extra);
  return guarded(ctx, engine, () => body(engine));
}

export interface SavedPlan extends Plan {
  options: { adopt: boolean };
}

export async function writeSavedPlan(path: string, plan: Plan, adopt: boolean): Promise<void> {
  const saved: SavedPlan = { ...plan, options: { adopt } };
  await writeFile(path, JSON.stringify(saved, null, 2) + "\n");
}

export async function readSavedPlan(path: string): Promise<SavedPlan> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, "utf8"));
  } catch (caught) {
    throw new EngineError("PLAN_INVALID", `${path} is not a saved plan: ${(caught as Error).message}. Save one with \`prefect-gitops plan --out ${path}\`.`, { cause: caught });
  }
  if (!parsed || typeof parsed !== "object" || (parsed as Plan).format !== PLAN_FORMAT) {
    throw new EngineError("PLAN_INVALID", `${path} is not a saved plan of this version (expected format ${PLAN_FORMAT}). Make a new one with \`prefect-gitops plan --out ${path}\`.`);
  }
  return parsed as SavedPlan;
}

/** Why a saved plan no longer applies, or undefined when it still does. */
export function staleness(saved: SavedPlan, fresh: Plan): string | undefined {
  if (saved.target !== fresh.target) return `it was made for ${saved.target}, not ${fresh.target}`;
  if (saved.configHash !== fresh.configHash) return "the configuration (files or variable values) changed";
  if (saved.stateLineage !== fresh.stateLineage) {
    if (!saved.stateLineage) return "a state was created (another apply ran)";
    if (!fresh.stateLineage) return "the state was removed";
    return "the state was replaced (another lineage)";
  }
  if (saved.stateSerial !== fresh.stateSerial) return `the state changed (serial ${saved.stateSerial} -> ${fresh.stateSerial}): another apply ran`;
  if (saved.liveFingerprint !== fresh.liveFingerprint) return "the live objects changed in Prefect";
  const actions = (plan: Plan) => plan.changes.map((change) => `${change.address}:${change.action}:${change.importing ? "import" : ""}`).join("\n");
  if (actions(saved) !== actions(fresh)) return "the planned actions differ";
  return undefined;
}
