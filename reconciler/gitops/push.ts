// A push to the branch: its head is planned again and applied per stack under the state lock,
// the commit gets a status per stack and the merged pull request the result.
import { hasChanges, hasErrors } from "../plan/model.js";
import { renderPlanComment } from "./comment.js";
import type { Checkout } from "../git/checkout.js";
import { GITOPS_CONFIG_FILE, type GitopsConfig, type StackConfig } from "./config.js";
import type { GitopsEvent, ReconcileDeps, ReconcileResult, StackOutcome } from "./model.js";
import { isRetryableFailure, messageOf } from "./model.js";
import { applyStack, readConfig, withCheckout } from "./stack.js";
import { listOncePerIssue, upsertStackComment, type CommentLister } from "./publish.js";

export async function onPush(event: Extract<GitopsEvent, { kind: "push" }>, deps: ReconcileDeps): Promise<ReconcileResult> {
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
    const listComments = listOncePerIssue(deps.github);
    const outcomes: StackOutcome[] = [];
    for (const stack of config.stacks) {
      if (!stack.options.auto_apply) {
        outcomes.push({ stack: stack.name, status: "skipped", message: "auto_apply is off" });
        continue;
      }
      outcomes.push(await applyAndPublish(stack, config.synth, checkout, deps, { operation: `apply ${branch}@${checkout.sha.slice(0, 12)}`, pulls, listComments }));
    }
    return { outcomes };
  });
}

/**
 * Apply one stack of a checkout under the state lock and publish the result: the commit's
 * status `prefect-gitops/STACK`, and the stack's comment on each pull request in `pulls`
 * (their comments read through `listComments`, shared by the stacks of one reconcile).
 */
export async function applyAndPublish(stack: StackConfig, synth: GitopsConfig["synth"], checkout: Checkout, deps: ReconcileDeps, how: { operation: string; pulls: number[]; listComments: CommentLister }): Promise<StackOutcome> {
  const context = `prefect-gitops/${stack.name}`;
  try {
    const { plan, problems, failed } = await applyStack(stack, synth, checkout, deps, how.operation);
    const invalid = problems.length > 0 || (plan !== undefined && hasErrors(plan));
    const ok = !invalid && !failed.length;
    const changed = plan !== undefined && hasChanges(plan);
    const notes = invalid ? ["Nothing was applied."] : failed.length ? [`**Apply failed:** ${failed.length} error${failed.length === 1 ? "" : "s"}; what succeeded is recorded in the state and the next run finishes it.`, ...failed.map((line) => `- ${line}`)] : [changed ? "**Applied.** Changed deployments carry this commit as their version." : "Nothing to apply."];
    for (const number of how.pulls) await upsertStackComment(deps.github, number, stack.name, renderPlanComment({ stack: stack.name, sha: checkout.sha, plan, problems, heading: "prefect-gitops apply", notes, schedulePreviews: deps.schedulePreviews }), how.listComments);
    await deps.github.setStatus(checkout.sha, { state: ok ? "success" : "failure", context, description: ok ? (changed ? `Applied: +${plan!.summary.add} ~${plan!.summary.change} -${plan!.summary.destroy}` : "No changes") : invalid ? "Invalid configuration: nothing applied" : "Apply failed" });
    return ok ? { stack: stack.name, sha: checkout.sha, status: changed ? "applied" : "no-changes" } : { stack: stack.name, sha: checkout.sha, status: "failed", retryable: !invalid, message: invalid ? "invalid configuration" : failed.join("; ") };
  } catch (caught) {
    await deps.github.setStatus(checkout.sha, { state: "error", context, description: `Not applied: ${messageOf(caught)}` }).catch(() => undefined);
    return { stack: stack.name, sha: checkout.sha, status: "failed", retryable: isRetryableFailure(caught), message: messageOf(caught) };
  }
}
