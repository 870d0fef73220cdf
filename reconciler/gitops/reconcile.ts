// The GitOps reconcile, per event and per stack, level-based: every run starts from a fresh
// checkout of the branch (or pull request) head and the live workspace, never from what an
// event says changed. The one-shot CLI command drives it today; a long-running service can
// call `reconcile` with the events it receives, with the same ports.
//
// - pull request: plan the head (after a trust check) -> one comment per stack, a check run per stack
// - /prefect-gitops plan comment: the same for an untrusted pull request, when the commenter may
// - push to the branch: plan the merged head again, apply under the state lock, stamp versions,
//   set the commit status, comment on the merged pull request
// - schedule: drift audit per stack -> one issue per stack, self-heal when asked, closed when clean
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { isRetryable as isRetryablePrefect } from "../../provider/client/errors.js";
import { DiagnosticsError, error, type Diagnostic } from "../diagnostics.js";
import { driftReport, type DriftReport } from "../drift/drift.js";
import type { Engine } from "../engine.js";
import type { Checkout, GitSource } from "../git/checkout.js";
import { GitHubError, type GitHubPort, type Permission } from "../git/github.js";
import { hasChanges, hasErrors, type Plan } from "../plan/model.js";
import { StateLockedError, type LockHolder } from "../state/model.js";
import { renderCheckRun } from "./check-run.js";
import { parseCommentMarker, renderPlanComment, type SchedulePreviewRenderer } from "./comment.js";
import { GITOPS_CONFIG_FILE, parseGitopsConfig, type GitopsConfig, type StackConfig } from "./config.js";
import { DRIFT_LABEL, isDriftIssueOf, renderDriftIssue } from "./drift-issue.js";
import { changedDeployments, stampVersions } from "./versions.js";

export type GitopsEvent =
  | { kind: "pull_request"; number: number; action: string }
  | { kind: "command"; number: number; commenter: string; command: "plan" }
  | { kind: "push"; branch: string }
  | { kind: "schedule" };

export interface ReconcileDeps {
  github: GitHubPort;
  source: GitSource;
  /** The engine of a stack, for its directory in a checkout; a CDKTF app synthesizes within `synth`'s limits. */
  engineFor(stack: StackConfig, dir: string, synth: GitopsConfig["synth"]): Engine;
  /** The repository's default branch (the branch applied when prefect-gitops.yaml names none). */
  defaultBranch: string;
  /** Who takes the state lock, for "locked by" messages. */
  holder(operation: string): LockHolder;
  /** How long an apply waits for the state lock. @default 600000 */
  lockTimeoutMs?: number;
  log(line: string): void;
  schedulePreviews?: SchedulePreviewRenderer;
}

export type StackStatus = "planned" | "applied" | "no-changes" | "clean" | "drift" | "healed" | "waiting" | "skipped" | "failed";

export interface StackOutcome {
  stack: string;
  status: StackStatus;
  /** For failures: worth trying again later (network, 5xx, rate limits, lock held), or not (invalid configuration, auth). */
  retryable?: boolean;
  message?: string;
}

export interface ReconcileResult {
  outcomes: StackOutcome[];
  /** The whole event failed before any stack (invalid prefect-gitops.yaml, missing ref...). */
  failure?: { message: string; retryable: boolean };
}

const RANK: Record<Permission, number> = { none: 0, read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };
const WAITING_MARKER = "<!-- prefect-gitops:waiting -->";
const PLAN_COMMAND = "/prefect-gitops plan";
/** Pull request actions that change what would be planned (a merge is planned again on push). */
const PLANNED_ACTIONS = new Set(["opened", "synchronize", "reopened", "ready_for_review"]);

/** Whether a comment body is the plan command. */
export function isPlanCommand(body: string): boolean {
  return body.trim().split("\n")[0]?.trim() === PLAN_COMMAND;
}

/** Whether a failure is worth another run later. */
export function isRetryableFailure(caught: unknown): boolean {
  if (caught instanceof DiagnosticsError) return false;
  if (caught instanceof StateLockedError) return true;
  if (caught instanceof GitHubError) return caught.retryable;
  return isRetryablePrefect(caught);
}

function messageOf(caught: unknown): string {
  return caught instanceof Error ? caught.message : String(caught);
}

async function readConfig(checkout: Checkout): Promise<{ config?: GitopsConfig; diagnostics: Diagnostic[] }> {
  let text: string;
  try {
    text = await readFile(join(checkout.dir, GITOPS_CONFIG_FILE), "utf8");
  } catch {
    return { diagnostics: [error(`${GITOPS_CONFIG_FILE} is missing`, { file: GITOPS_CONFIG_FILE, line: 1, detail: "Add it at the repository root: see README's GitOps section." })] };
  }
  return parseGitopsConfig(text);
}

async function withCheckout<T>(source: GitSource, ref: string, fn: (checkout: Checkout) => Promise<T>): Promise<T> {
  const checkout = await source.checkout(ref);
  try {
    return await fn(checkout);
  } finally {
    await checkout.remove();
  }
}

/** Keep one comment (in parts) per pull request and stack: update ours in place, add missing parts, delete extra ones. */
export async function upsertStackComment(github: GitHubPort, issue: number, stack: string, parts: string[]): Promise<void> {
  const ours = new Map<number, number>();
  for (const comment of await github.comments(issue)) {
    const marker = parseCommentMarker(comment.body);
    if (marker?.stack === stack && !ours.has(marker.part)) ours.set(marker.part, comment.id);
  }
  for (const [index, body] of parts.entries()) {
    const id = ours.get(index + 1);
    if (id === undefined) await github.createComment(issue, body);
    else await github.updateComment(id, body);
  }
  for (const [part, id] of ours) if (part > parts.length) await github.deleteComment(id);
}

/** Plan one stack of a checkout: load (synthesis runs sandboxed in the engine's runner) and plan against the live workspace, read-only. */
async function planStack(stack: StackConfig, synth: GitopsConfig["synth"], checkout: Checkout, deps: ReconcileDeps): Promise<{ plan?: Plan; problems: Diagnostic[] }> {
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

async function gatePermission(deps: ReconcileDeps, baseRef: string): Promise<Permission> {
  // The trust rule comes from the base branch: a pull request cannot lower it in its own copy.
  const base = await withCheckout(deps.source, `refs/heads/${baseRef}`, readConfig).catch(() => ({ config: undefined }));
  const levels = base.config?.stacks.map((stack) => stack.options.plan_permission) ?? ["write" as const];
  return levels.reduce((strictest, level) => (RANK[level] > RANK[strictest] ? level : strictest), "write" as Permission);
}

async function onPullRequest(event: Extract<GitopsEvent, { kind: "pull_request" | "command" }>, deps: ReconcileDeps): Promise<ReconcileResult> {
  const { github } = deps;
  if (event.kind === "pull_request" && !PLANNED_ACTIONS.has(event.action)) return { outcomes: [] };
  const pull = await github.pullRequest(event.number);
  const needed = await gatePermission(deps, pull.baseRef);
  if (event.kind === "command") {
    const may = RANK[await github.permission(event.commenter)] >= RANK[needed];
    if (!may) {
      await github.createComment(event.number, `@${event.commenter} only people with ${needed} access to this repository can start a plan with \`${PLAN_COMMAND}\`.`);
      deps.log(`Ignored ${PLAN_COMMAND} from ${event.commenter}: ${needed} access needed.`);
      return { outcomes: [] };
    }
  } else {
    const trusted = !pull.fork && RANK[await github.permission(pull.author)] >= RANK[needed];
    if (!trusted) {
      const why = pull.fork ? "comes from a fork" : `was opened by someone without ${needed} access`;
      const body = `${WAITING_MARKER}\nThis pull request ${why}: its code is not run (a CDKTF app is code) until someone with ${needed} access reviews it and comments \`${PLAN_COMMAND}\`.`;
      try {
        const existing = (await github.comments(event.number)).find((comment) => comment.body.startsWith(WAITING_MARKER));
        if (existing) await github.updateComment(existing.id, body);
        else await github.createComment(event.number, body);
      } catch (caught) {
        // A fork's pull_request run gets a read-only token: the note cannot be posted, and nothing else is needed.
        if (!(caught instanceof GitHubError && caught.status === 403)) throw caught;
      }
      deps.log(`Pull request #${event.number} ${why}: waiting for ${PLAN_COMMAND}.`);
      return { outcomes: [{ stack: "*", status: "waiting" }] };
    }
  }
  return withCheckout(deps.source, `refs/pull/${event.number}/head`, async (checkout) => {
    const { config, diagnostics } = await readConfig(checkout);
    if (!config) {
      await github.createCheckRun(renderCheckRun({ stack: "configuration", stackPath: ".", sha: checkout.sha, problems: diagnostics, rootFiles: [GITOPS_CONFIG_FILE] }));
      await upsertStackComment(github, event.number, "configuration", renderPlanComment({ stack: "configuration", sha: checkout.sha, problems: diagnostics, heading: "prefect-gitops.yaml" }));
      return { outcomes: [], failure: { message: diagnostics.map((d) => d.summary).join("; "), retryable: false } };
    }
    const outcomes: StackOutcome[] = [];
    for (const stack of config.stacks) {
      try {
        const { plan, problems } = await planStack(stack, config.synth, checkout, deps);
        await upsertStackComment(github, event.number, stack.name, renderPlanComment({ stack: stack.name, sha: checkout.sha, plan, problems, schedulePreviews: deps.schedulePreviews }));
        await github.createCheckRun(renderCheckRun({ stack: stack.name, stackPath: stack.path, sha: checkout.sha, plan, problems }));
        const failed = problems.length > 0 || (plan !== undefined && hasErrors(plan));
        outcomes.push({ stack: stack.name, status: failed ? "failed" : "planned", ...(failed ? { retryable: false, message: "invalid configuration" } : {}) });
      } catch (caught) {
        outcomes.push({ stack: stack.name, status: "failed", retryable: isRetryableFailure(caught), message: messageOf(caught) });
      }
    }
    return { outcomes };
  });
}

/**
 * Apply a stack's directory in a checkout under the state lock: plan again (never a stale plan),
 * stamp the commit into changed deployments, apply. Answers the plan applied, or problems.
 */
async function applyStack(stack: StackConfig, synth: GitopsConfig["synth"], checkout: Checkout, deps: ReconcileDeps, operation: string): Promise<{ plan?: Plan; problems: Diagnostic[]; failed: string[] }> {
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

async function onPush(event: Extract<GitopsEvent, { kind: "push" }>, deps: ReconcileDeps): Promise<ReconcileResult> {
  return withCheckout(deps.source, `refs/heads/${event.branch}`, async (checkout) => {
    const { config, diagnostics } = await readConfig(checkout);
    if (!config) {
      await deps.github.setStatus(checkout.sha, { state: "failure", context: "prefect-gitops", description: `${GITOPS_CONFIG_FILE} is invalid: nothing was applied.` });
      return { outcomes: [], failure: { message: diagnostics.map((d) => `${d.file}:${d.line}: ${d.summary}`).join("; "), retryable: false } };
    }
    const branch = config.branch ?? deps.defaultBranch;
    if (event.branch !== branch) {
      deps.log(`Push to ${event.branch}: prefect-gitops applies ${branch} only.`);
      return { outcomes: [] };
    }
    const pulls = await deps.github.pullsOfCommit(checkout.sha);
    const outcomes: StackOutcome[] = [];
    for (const stack of config.stacks) {
      if (!stack.options.auto_apply) {
        outcomes.push({ stack: stack.name, status: "skipped", message: "auto_apply is off" });
        continue;
      }
      const context = `prefect-gitops/${stack.name}`;
      try {
        const { plan, problems, failed } = await applyStack(stack, config.synth, checkout, deps, `apply ${branch}@${checkout.sha.slice(0, 12)}`);
        const invalid = problems.length > 0 || (plan !== undefined && hasErrors(plan));
        const ok = !invalid && !failed.length;
        const changed = plan !== undefined && hasChanges(plan);
        const notes = invalid ? ["Nothing was applied."] : failed.length ? [`**Apply failed:** ${failed.length} error${failed.length === 1 ? "" : "s"}; what succeeded is recorded in the state and the next run finishes it.`, ...failed.map((line) => `- ${line}`)] : [changed ? "**Applied.** Changed deployments carry this commit as their version." : "Nothing to apply."];
        for (const number of pulls) await upsertStackComment(deps.github, number, stack.name, renderPlanComment({ stack: stack.name, sha: checkout.sha, plan, problems, heading: "prefect-gitops apply", notes, schedulePreviews: deps.schedulePreviews }));
        await deps.github.setStatus(checkout.sha, { state: ok ? "success" : "failure", context, description: ok ? (changed ? `Applied: +${plan!.summary.add} ~${plan!.summary.change} -${plan!.summary.destroy}` : "No changes") : invalid ? "Invalid configuration: nothing applied" : "Apply failed" });
        outcomes.push(ok ? { stack: stack.name, status: changed ? "applied" : "no-changes" } : { stack: stack.name, status: "failed", retryable: !invalid, message: invalid ? "invalid configuration" : failed.join("; ") });
      } catch (caught) {
        const retryable = isRetryableFailure(caught);
        await deps.github.setStatus(checkout.sha, { state: "error", context, description: `Not applied: ${messageOf(caught)}` }).catch(() => undefined);
        outcomes.push({ stack: stack.name, status: "failed", retryable, message: messageOf(caught) });
      }
    }
    return { outcomes };
  });
}

async function auditStack(stack: StackConfig, synth: GitopsConfig["synth"], checkout: Checkout, deps: ReconcileDeps): Promise<{ report?: DriftReport; problems: Diagnostic[] }> {
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

async function onSchedule(deps: ReconcileDeps): Promise<ReconcileResult> {
  const { github } = deps;
  const open = await github.openIssues(DRIFT_LABEL);
  return withCheckout(deps.source, `refs/heads/${deps.defaultBranch}`, async (first) => {
    const { config, diagnostics } = await readConfig(first);
    if (!config) return { outcomes: [], failure: { message: diagnostics.map((d) => `${d.file}:${d.line}: ${d.summary}`).join("; "), retryable: false } };
    const branch = config.branch ?? deps.defaultBranch;
    const audit = async (checkout: Checkout): Promise<StackOutcome[]> => {
      const outcomes: StackOutcome[] = [];
      for (const stack of config.stacks) {
        try {
          const issue = open.find((candidate) => isDriftIssueOf(candidate.body, stack.name));
          const { report, problems } = await auditStack(stack, config.synth, checkout, deps);
          if (!report) {
            outcomes.push({ stack: stack.name, status: "failed", retryable: false, message: problems.map((d) => d.summary).join("; ") });
            continue;
          }
          if (report.clean) {
            if (issue) {
              await github.createComment(issue.number, `The workspace of stack \`${stack.name}\` matches \`${branch}\` again (\`${checkout.sha.slice(0, 12)}\`): closing.`);
              await github.updateIssue(issue.number, { state: "closed" });
            }
            outcomes.push({ stack: stack.name, status: "clean" });
            continue;
          }
          let healed: "applied" | "failed" | undefined;
          let after = report;
          if (stack.options.self_heal) {
            const applied = await applyStack(stack, config.synth, checkout, deps, `self-heal ${branch}@${checkout.sha.slice(0, 12)}`);
            healed = applied.problems.length || applied.failed.length || (applied.plan && hasErrors(applied.plan)) ? "failed" : "applied";
            if (healed === "applied") after = (await auditStack(stack, config.synth, checkout, deps)).report ?? report;
          }
          const { title, body } = renderDriftIssue({ stack: stack.name, branch, sha: checkout.sha, report, healed });
          const number = issue ? (await github.updateIssue(issue.number, { body }), issue.number) : await github.createIssue({ title, body, labels: [DRIFT_LABEL] });
          if (healed === "applied" && after.clean) {
            await github.createComment(number, `Self-heal applied \`${branch}\` (\`${checkout.sha.slice(0, 12)}\`): the workspace matches again. Closing.`);
            await github.updateIssue(number, { state: "closed" });
            outcomes.push({ stack: stack.name, status: "healed" });
          } else outcomes.push({ stack: stack.name, status: "drift" });
        } catch (caught) {
          outcomes.push({ stack: stack.name, status: "failed", retryable: isRetryableFailure(caught), message: messageOf(caught) });
        }
      }
      return outcomes;
    };
    if (branch === deps.defaultBranch) return { outcomes: await audit(first) };
    return { outcomes: await withCheckout(deps.source, `refs/heads/${branch}`, audit) };
  });
}

/** Reconcile one event. Failures of single stacks come back as outcomes; only a failed checkout or GitHub call before any stack throws. */
export async function reconcile(event: GitopsEvent, deps: ReconcileDeps): Promise<ReconcileResult> {
  switch (event.kind) {
    case "pull_request":
    case "command":
      return onPullRequest(event, deps);
    case "push":
      return onPush(event, deps);
    case "schedule":
      return onSchedule(deps);
  }
}
