// reconcile --event NAME: the one-shot GitOps run for a CI runner. Reads GitHub's event payload
// (GITHUB_EVENT_PATH), the repository (GITHUB_REPOSITORY) and its token (GITHUB_TOKEN), and
// reconciles every stack of prefect-gitops.yaml for that event (reconciler/gitops/reconcile.ts).
// Each stack's connection comes from the variables it names; CDKTF apps synthesize in a child
// process that sees none of them.
import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join, posix, resolve } from "node:path";
import { childProcessRunner } from "../config/cdktf.js";
import { Engine } from "../engine.js";
import { gitSource } from "../git/checkout.js";
import { createGitHubPort } from "../git/github.js";
import { connectionVariables, type StackConfig } from "../gitops/config.js";
import { linkInstalledDependencies } from "../gitops/dependencies.js";
import { defaultBranchOf, eventFromPayload, type EventName } from "../gitops/event.js";
import type { ReconcileDeps } from "../gitops/model.js";
import { reconcile } from "../gitops/reconcile.js";
import { planSchedulePreviews } from "../gitops/schedule-previews.js";
import { EXIT_ERROR, EXIT_OK, type CommandContext } from "./context.js";
import { reportFailure } from "./run.js";

export interface ReconcileFlags {
  event: EventName;
  /** The git checkout to fetch from. @default the working directory */
  repo?: string;
  remote?: string;
  /** The repository's default branch (when the payload does not name it). */
  branch?: string;
}

/** What a stack's engine sees of the environment: TF_VAR_* values only (never the runner's own PREFECT_* settings). */
function engineEnvironment(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => name.startsWith("TF_VAR_")));
}

/** A variable the run needs is not set: terminal, the workflow must set it. */
export class MissingVariableError extends Error {
  readonly code = "missing_variable";
  constructor(
    readonly variable: string,
    why: string,
  ) {
    super(`${variable} is not set: ${why}`);
    this.name = "MissingVariableError";
  }
}

function required(env: Record<string, string | undefined>, name: string, why: string): string {
  const value = env[name];
  if (!value) throw new MissingVariableError(name, why);
  return value;
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
    // Values of variables named as credentials (keys, tokens, secrets, passwords, auth strings),
    // TF_VAR_* values and URLs carrying a password: masked in all that is published.
    const secrets = Object.entries(env)
      .filter(([name]) => name.startsWith("TF_VAR_") || /KEY|TOKEN|SECRET|PASSWORD|AUTH|CREDENTIAL/i.test(name))
      .map(([, value]) => value)
      .filter((value): value is string => !!value && !/^https?:\/\/[^@]*$/.test(value));
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
      holder: (operation) => ({ who: `prefect-gitops@${env.GITHUB_REPOSITORY ?? hostname()}${env.GITHUB_RUN_ID ? ` run ${env.GITHUB_RUN_ID}` : ""}`, pid: process.pid, host: hostname(), operation, since: new Date().toISOString() }),
      log: (line) => ctx.err(line),
      schedulePreviews: planSchedulePreviews(),
      // --lock-timeout when given; otherwise an apply waits up to 10 minutes for another run's.
      ...(ctx.options.lockTimeoutMs > 0 ? { lockTimeoutMs: ctx.options.lockTimeoutMs } : {}),
      engineFor: (stack: StackConfig, dir: string, limits) => {
        for (const name of connectionVariables(stack).slice(0, 1)) required(env, name, `stack "${stack.name}" reads its API URL from it (prefect-gitops.yaml): set it in the workflow step's env from a repository secret.`);
        linkInstalledDependencies(repoDir, resolve(dir, posix.relative(stack.path, ".")), stack.path);
        return new Engine({
          dir,
          backend: stack.state.backend,
          stateName: stack.state.name ?? stack.name,
          statePath: stack.state.path ? join(repoDir, stack.state.path) : undefined,
          env: engineEnvironment(env),
          runner: childProcessRunner(gitEnv, { timeoutMs: limits.timeout_seconds * 1000, memoryMb: limits.memory_mb }),
          connection: {
            apiUrl: env[stack.workspace.api_url_env],
            ...(stack.workspace.api_key_env ? { apiKey: env[stack.workspace.api_key_env] } : {}),
            ...(stack.workspace.auth_string_env ? { authString: env[stack.workspace.auth_string_env] } : {}),
          },
        });
      },
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
