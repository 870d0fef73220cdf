// plan, apply and destroy.
import { resolve } from "node:path";
import type { ApplyEvent } from "../apply/apply.js";
import { formatDiagnostic, type Diagnostic } from "../diagnostics.js";
import { codeLine, EngineError, errorJson, type ErrorCode, type ErrorJson } from "../errors.js";
import { hasChanges, hasErrors, type Action, type PlanMode, type PlanSummary } from "../plan/model.js";
import { renderOutputs, renderPlanText } from "../plan/render-text.js";
import { EXIT_CHANGES, EXIT_ERROR, EXIT_OK, engineFor, type CommandContext } from "./context.js";
import { guarded, readSavedPlan, staleness, withEngine, withLock, writeSavedPlan } from "./run.js";

export interface PlanFlags {
  json?: boolean;
  out?: string;
  detailedExitcode?: boolean;
  refreshOnly?: boolean;
  destroy?: boolean;
  adopt?: boolean;
}

export async function planCommand(ctx: CommandContext, dirArg: string | undefined, flags: PlanFlags): Promise<number> {
  return withEngine({ ...ctx, json: flags.json }, dirArg, async (engine) => {
    const { warnings } = await engine.load();
    const state = await engine.openState();
    const mode: PlanMode = flags.destroy ? "destroy" : flags.refreshOnly ? "refresh-only" : "normal";
    const result = await withLock(ctx, state, "plan", () => engine.plan(state, { mode, adopt: flags.adopt }));
    const plan = { ...result.plan, diagnostics: [...warnings, ...result.plan.diagnostics] };
    if (flags.json) ctx.out(JSON.stringify(plan, null, 2));
    else ctx.out(renderPlanText(plan, ctx.style));
    if (hasErrors(plan)) return EXIT_ERROR;
    if (flags.out) {
      await writeSavedPlan(resolve(ctx.cwd, flags.out), plan, flags.adopt ?? false);
      if (!flags.json) ctx.out(`\nSaved the plan to ${flags.out}. Apply exactly this plan with:\n  prefect-gitops apply --plan ${flags.out}${dirArg ? ` ${dirArg}` : ""}`);
    }
    if (flags.detailedExitcode && hasChanges(plan)) return EXIT_CHANGES;
    return EXIT_OK;
  });
}

export interface ApplyFlags {
  /** Print only a JSON outcome on stdout (progress stays on stderr). */
  json?: boolean;
  autoApprove?: boolean;
  plan?: string;
  parallelism?: number;
  adopt?: boolean;
  destroy?: boolean;
  refreshOnly?: boolean;
}

const VERB: Record<Action, [string, string]> = {
  create: ["Creating...", "Creation complete"],
  update: ["Modifying...", "Modifications complete"],
  replace: ["Replacing...", "Replacement complete"],
  delete: ["Destroying...", "Destruction complete"],
  forget: ["Removing from the state...", "Removed from the state"],
  "no-op": ["Importing...", "Import complete"],
};

/** `apply --json`: what happened, every failure with its code, every skipped object with why. */
export interface ApplyJson {
  status: "applied" | "no-changes" | "invalid" | "failed";
  summary: PlanSummary;
  diagnostics: Diagnostic[];
  failed: ErrorJson[];
  skipped: { address: string; code: ErrorCode; because: string }[];
}

function progress(ctx: CommandContext, skipped: ApplyJson["skipped"]) {
  return (event: ApplyEvent): void => {
    if (event.type === "skipped") skipped.push({ address: event.address, code: event.code, because: event.because });
    const [starting, finished] = VERB[event.action];
    switch (event.type) {
      case "start":
        ctx.err(`${ctx.style.bold(event.address)}: ${starting}`);
        break;
      case "done":
        ctx.err(`${ctx.style.bold(event.address)}: ${finished} after ${(event.durationMs / 1000).toFixed(1)}s${event.id ? ` [id=${event.id}]` : ""}`);
        break;
      case "failed":
        ctx.err(ctx.style.red(`${event.address}: ${event.error.message}`));
        break;
      case "skipped":
        ctx.err(ctx.style.yellow(`${event.address}: skipped because ${event.because}`));
        break;
    }
  };
}

export async function applyCommand(ctx: CommandContext, dirArg: string | undefined, flags: ApplyFlags): Promise<number> {
  // A saved plan knows the directory it was made from; an explicit DIR still wins.
  const saved = flags.plan ? await readSavedPlan(resolve(ctx.cwd, flags.plan)).catch((caught: unknown) => caught as Error) : undefined;
  const dir = resolve(ctx.cwd, dirArg ?? (saved && !(saved instanceof Error) ? saved.dir : "."));
  const engine = engineFor(ctx, dir);
  const json = { ...ctx, json: flags.json };
  // With --json, stdout carries only the JSON outcome.
  const say = flags.json ? () => {} : (text: string) => ctx.out(text);
  return guarded(json, engine, async () => {
    if (saved instanceof Error) throw saved;
    const { warnings } = await engine.load();
    const state = await engine.openState();
    const operation = flags.destroy ? "destroy" : "apply";
    return withLock(ctx, state, operation, async () => {
      const skipped: ApplyJson["skipped"] = [];
      const done = (status: ApplyJson["status"], failed: ErrorJson[] = []): number => {
        if (flags.json) ctx.out(JSON.stringify({ status, summary: plan.summary, diagnostics: plan.diagnostics, failed, skipped } satisfies ApplyJson, null, 2));
        return status === "applied" || status === "no-changes" ? EXIT_OK : EXIT_ERROR;
      };
      const mode: PlanMode = saved?.mode ?? (flags.destroy ? "destroy" : flags.refreshOnly ? "refresh-only" : "normal");
      const result = await engine.plan(state, { mode, adopt: saved?.options.adopt ?? flags.adopt });
      const plan = { ...result.plan, diagnostics: [...warnings, ...result.plan.diagnostics] };
      if (saved) {
        const why = staleness(saved, plan);
        if (why) {
          throw new EngineError("PLAN_STALE", `the saved plan ${flags.plan} is stale: ${why} since it was made.\nNothing was changed. Run \`prefect-gitops plan --out FILE\` again and apply the new plan.`);
        }
        for (const diagnostic of plan.diagnostics.filter((d) => d.severity === "warning")) ctx.err(ctx.style.yellow(formatDiagnostic(diagnostic)));
      } else {
        say(renderPlanText(plan, ctx.style));
      }
      if (hasErrors(plan)) {
        if (saved) say(renderPlanText(plan, ctx.style));
        return done("invalid");
      }
      if (!hasChanges(plan)) {
        if (saved) say("No changes. Your Prefect workspace matches the configuration.");
        return done("no-changes");
      }
      if (!saved && !flags.autoApprove) {
        const question = flags.destroy
          ? "Do you really want to destroy every object this state owns? Only 'yes' will be accepted to confirm."
          : "Do you want to perform these actions? Only 'yes' will be accepted to approve.";
        if (!ctx.confirm) {
          throw new EngineError(
            "APPROVAL_REQUIRED",
            "apply needs approval, and there is no terminal to ask on.\nReview the plan and run again with --auto-approve, or apply a saved plan: prefect-gitops plan --out plan.json, then prefect-gitops apply --plan plan.json.",
          );
        }
        if (!(await ctx.confirm(`\n${question}\n  Enter a value: `))) {
          throw new EngineError("APPROVAL_REQUIRED", "Apply cancelled. Only 'yes' approves; nothing was changed.");
        }
      }
      // A saved plan is run as saved: the planning just made only resolves its secrets and references.
      const outcome = await engine.apply(result, state, { plan: saved, parallelism: flags.parallelism, onEvent: progress(ctx, skipped) });
      const { add, change, destroy, import: imported } = plan.summary;
      if (outcome.failed.length) {
        say(ctx.style.red(`\nApply failed: ${outcome.failed.length} error${outcome.failed.length === 1 ? "" : "s"}${outcome.skipped.length ? `, ${outcome.skipped.length} skipped` : ""}. What succeeded is recorded in the state; run apply again to finish.`));
        for (const failure of outcome.failed) ctx.err(ctx.style.red(`Error: ${failure.address}: ${failure.error.message}`) + ctx.style.dim(`\n  ${codeLine(failure.error.code, failure.error.retryable)}`));
        return done("failed", outcome.failed.map((failure) => errorJson(failure.error, { address: failure.address })));
      }
      const verb = flags.destroy ? "Destroy" : "Apply";
      say(ctx.style.bold(ctx.style.green(`\n${verb} complete! Resources: ${imported ? `${imported} imported, ` : ""}${add} added, ${change} changed, ${destroy} destroyed.`)));
      const outputs = flags.destroy || flags.json ? "" : renderOutputs(await engine.outputs(state), ctx.style);
      if (outputs) say(`\n${outputs}`);
      return done("applied");
    });
  });
}
