// Pull requests: a trust check first (forks and authors without the permission are not
// synthesized until someone allowed comments the plan command), then a plan of the head per
// stack, published as one comment and one check run per stack.
import { GitHubError, type Permission } from "../git/github.js";
import { hasErrors } from "../plan/model.js";
import { renderCheckRun } from "./check-run.js";
import { renderPlanComment } from "./comment.js";
import { GITOPS_CONFIG_FILE, parseGitopsConfig } from "./config.js";
import type { GitopsEvent, ReconcileDeps, ReconcileResult, StackOutcome } from "./model.js";
import { isRetryableFailure, messageOf } from "./model.js";
import { applyAndPublish } from "./push.js";
import { planStack, readConfig, withCheckout } from "./stack.js";
import { listOncePerIssue, upsertStackComment } from "./publish.js";

const RANK: Record<Permission, number> = { none: 0, read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };
const WAITING_MARKER = "<!-- prefect-gitops:waiting -->";
const PLAN_COMMAND = "/prefect-gitops plan";
const APPLY_COMMAND = "/prefect-gitops apply";
/** Pull request actions that change what would be planned (a merge is planned again on push). */
const PLANNED_ACTIONS = new Set(["opened", "synchronize", "reopened", "ready_for_review"]);

/** The command a comment body starts with: `/prefect-gitops plan` or `/prefect-gitops apply`. */
export function commandOf(body: string): "plan" | "apply" | undefined {
  const first = body.trim().split("\n")[0]?.trim();
  return first === PLAN_COMMAND ? "plan" : first === APPLY_COMMAND ? "apply" : undefined;
}

async function gatePermission(deps: ReconcileDeps, baseRef: string): Promise<{ needed: Permission; applyFromPullRequest: Set<string> }> {
  // The trust rules come from the base branch: a pull request cannot lower them in its own copy.
  // Only its prefect-gitops.yaml is read (no worktree); missing or invalid, the defaults hold.
  const text = await deps.source.readFile(`refs/heads/${baseRef}`, GITOPS_CONFIG_FILE).catch(() => undefined);
  const { config } = text === undefined ? { config: undefined } : parseGitopsConfig(text);
  const levels = config?.stacks.map((stack) => stack.options.plan_permission) ?? ["write" as const];
  const needed = levels.reduce((strictest, level) => (RANK[level] > RANK[strictest] ? level : strictest), "write" as Permission);
  return { needed, applyFromPullRequest: new Set(config?.stacks.filter((stack) => stack.options.apply_from_pull_request).map((stack) => stack.name) ?? []) };
}

/** `/prefect-gitops apply`: the pull request's head applied, for the stacks whose base-branch configuration allows it. */
async function applyPullRequest(number: number, allowed: Set<string>, deps: ReconcileDeps): Promise<ReconcileResult> {
  return withCheckout(deps.source, `refs/pull/${number}/head`, async (checkout) => {
    const { config, diagnostics } = await readConfig(checkout);
    if (!config) return { outcomes: [], failure: { message: diagnostics.map((d) => d.summary).join("; "), retryable: false } };
    const listComments = listOncePerIssue(deps.github);
    const outcomes: StackOutcome[] = [];
    const refused: string[] = [];
    for (const stack of config.stacks) {
      if (!allowed.has(stack.name)) {
        refused.push(stack.name);
        outcomes.push({ stack: stack.name, status: "skipped", message: "apply_from_pull_request is off on the base branch" });
        continue;
      }
      outcomes.push(await applyAndPublish(stack, config.synth, checkout, deps, { operation: `apply pull request #${number}@${checkout.sha.slice(0, 12)}`, pulls: [number], listComments }));
    }
    if (refused.length) await deps.github.createComment(number, `\`${APPLY_COMMAND}\` did not apply ${refused.map((name) => `\`${name}\``).join(", ")}: \`apply_from_pull_request\` is off for ${refused.length === 1 ? "it" : "them"} in the base branch's ${GITOPS_CONFIG_FILE}. They are applied when the pull request is merged.`);
    return { outcomes };
  });
}

export async function onPullRequest(event: Extract<GitopsEvent, { kind: "pull_request" | "command" }>, deps: ReconcileDeps): Promise<ReconcileResult> {
  const { github } = deps;
  if (event.kind === "pull_request" && !PLANNED_ACTIONS.has(event.action)) return { outcomes: [] };
  const pull = await github.pullRequest(event.number);
  const { needed, applyFromPullRequest } = await gatePermission(deps, pull.baseRef);
  if (event.kind === "command") {
    const command = event.command === "apply" ? APPLY_COMMAND : PLAN_COMMAND;
    const may = RANK[await github.permission(event.commenter)] >= RANK[needed];
    if (!may) {
      await github.createComment(event.number, `@${event.commenter} only people with ${needed} access to this repository can start \`${command}\`.`);
      deps.log(`Ignored ${command} from ${event.commenter}: ${needed} access needed.`);
      return { outcomes: [] };
    }
    if (event.command === "apply") return applyPullRequest(event.number, applyFromPullRequest, deps);
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
    const listComments = listOncePerIssue(github);
    const outcomes: StackOutcome[] = [];
    for (const stack of config.stacks) {
      try {
        const { plan, problems } = await planStack(stack, config.synth, checkout, deps);
        await upsertStackComment(github, event.number, stack.name, renderPlanComment({ stack: stack.name, sha: checkout.sha, plan, problems, schedulePreviews: deps.schedulePreviews }), listComments);
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
