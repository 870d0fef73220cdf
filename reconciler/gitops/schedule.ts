// The drift audit (schedule, manual run): one issue per drifting stack, updated while drift
// lasts and closed when the workspace is clean; with self_heal the branch is applied first.
import type { DriftReport } from "../drift/drift.js";
import type { Checkout } from "../git/checkout.js";
import { hasErrors } from "../plan/model.js";
import { DRIFT_LABEL, isDriftIssueOf, renderDriftIssue } from "./drift-issue.js";
import type { ReconcileDeps, ReconcileResult, StackOutcome } from "./model.js";
import { isRetryableFailure, messageOf } from "./model.js";
import { applyStack, auditStack, readConfig, withCheckout } from "./stack.js";

/** Objects out of line: changed or deleted in Prefect since the last apply, or differing from the branch. */
function driftedCount(report: DriftReport): number {
  return new Set([...report.modified.map((entry) => entry.address), ...report.deleted.map((entry) => entry.address), ...report.pending.map((change) => change.address)]).size;
}

export async function onSchedule(deps: ReconcileDeps): Promise<ReconcileResult> {
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
            outcomes.push({ stack: stack.name, sha: checkout.sha, status: "failed", retryable: false, message: problems.map((d) => d.summary).join("; ") });
            continue;
          }
          if (report.clean) {
            if (issue) {
              await github.createComment(issue.number, `The workspace of stack \`${stack.name}\` matches \`${branch}\` again (\`${checkout.sha.slice(0, 12)}\`): closing.`);
              await github.updateIssue(issue.number, { state: "closed" });
            }
            outcomes.push({ stack: stack.name, sha: checkout.sha, status: "clean", drifted: 0 });
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
            outcomes.push({ stack: stack.name, sha: checkout.sha, status: "healed", drifted: 0 });
          } else outcomes.push({ stack: stack.name, sha: checkout.sha, status: "drift", drifted: driftedCount(after) });
        } catch (caught) {
          outcomes.push({ stack: stack.name, sha: checkout.sha, status: "failed", retryable: isRetryableFailure(caught), message: messageOf(caught) });
        }
      }
      return outcomes;
    };
    if (branch === deps.defaultBranch) return { outcomes: await audit(first) };
    return { outcomes: await withCheckout(deps.source, `refs/heads/${branch}`, audit) };
  });
}
