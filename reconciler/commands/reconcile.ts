// reconcile --event NAME: the one-shot GitOps run for a CI runner. Reads GitHub's event payload
// (GITHUB_EVENT_PATH), the repository (GITHUB_REPOSITORY) and its token (GITHUB_TOKEN), and
// reconciles every stack of prefect-gitops.yaml for that event (reconciler/gitops/reconcile.ts).
// Each stack's connection comes from the variables it names; CDKTF apps synthesize in a child
// process that sees none of them.
import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import { resolve } from "node:path";
import { gitSource } from "../git/checkout.js";
import { createGitHubPort } from "../git/github.js";
import { defaultBranchOf, eventFromPayload, type EventName } from "../gitops/event.js";
import type { ReconcileDeps } from "../gitops/model.js";
import { reconcile } from "../gitops/reconcile.js";
import { planSchedulePreviews } from "../gitops/schedule-previews.js";
import { EXIT_ERROR, EXIT_OK, type CommandContext } from "./context.js";
import { lockHolder, required, secretsOf, stackEngineFactory } from "./gitops-deps.js";
import { reportFailure } from "./run.js";

export interface ReconcileFlags {
  event: EventName;
  /** The git checkout to fetch from. @default the working directory */
  repo?: string;
  remote?: string;
  /** The repository's default branch (when the payload does not name it). */
  branch?: string;
}

export async function reconcileCommand(ctx: CommandContext, flags: ReconcileFlags): Promise<number> {
  try {
    const { env } = ctx;
    const payloadPath = required(env, "GITHUB_EVENT_PATH", "it names the file holding GitHub's event payload (GitHub Actions sets it).");
    const payload: unknown = JSON.parse(await readFile(resolve(ctx.cwd, payloadPath), "utf8"));
    const event = eventFromPayload(flags.event, payload);
    if (!event) {
      ctx.out(`Nothing to do for this ${flags.event} event.`);
      return EXIT_OK;
    }
    const token = required(env, "GITHUB_TOKEN", "pass the workflow's token (env: GITHUB_TOKEN: ${{ github.token }}).");
    const repository = required(env, "GITHUB_REPOSITORY", "it names the repository as owner/name (GitHub Actions sets it).");
    const secrets = secretsOf(env);
    const github = createGitHubPort({
      repository,
      token,
      baseUrl: env.GITHUB_API_URL,
      secrets,
      onRetry: ({ route, status, delayMs, attempt }) => ctx.err(`GitHub ${route} answered ${status ?? "nothing"}: retry ${attempt} in ${delayMs} ms`),
    });
    const repoDir = resolve(ctx.cwd, flags.repo ?? ".");
    const gitEnv = { PATH: env.PATH, HOME: env.HOME };
    const deps: ReconcileDeps = {
      github,
      source: gitSource(repoDir, gitEnv, flags.remote),
      defaultBranch: flags.branch ?? defaultBranchOf(payload) ?? env.GITHUB_REF_NAME ?? "main",
      holder: (operation) => lockHolder(`prefect-gitops@${env.GITHUB_REPOSITORY ?? hostname()}${env.GITHUB_RUN_ID ? ` run ${env.GITHUB_RUN_ID}` : ""}`, operation),
      log: (line) => ctx.err(line),
      schedulePreviews: planSchedulePreviews(),
      // --lock-timeout when given; otherwise an apply waits up to 10 minutes for another run's.
      ...(ctx.options.lockTimeoutMs > 0 ? { lockTimeoutMs: ctx.options.lockTimeoutMs } : {}),
      engineFor: stackEngineFactory(env, repoDir),
    };
    const result = await reconcile(event, deps);
    if (result.failure) ctx.err(ctx.style.red(`Error: ${result.failure.message}`));
    for (const outcome of result.outcomes) {
      const line = `${outcome.stack}: ${outcome.status}${outcome.message ? `: ${outcome.message}` : ""}${outcome.status === "failed" ? (outcome.retryable ? " (retryable: run again later)" : " (fix it, then run again)") : ""}`;
      if (outcome.status === "failed") ctx.err(ctx.style.red(line));
      else ctx.out(line);
    }
    return result.failure || result.outcomes.some((outcome) => outcome.status === "failed") ? EXIT_ERROR : EXIT_OK;
  } catch (caught) {
    return reportFailure(ctx, caught);
  }
}
