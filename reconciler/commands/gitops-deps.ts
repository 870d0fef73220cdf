// What the one-shot `reconcile` and the long-running `serve` share: the secrets a run masks, and
// the engine factory of a stack (its connection from the variables prefect-gitops.yaml names, a
// CDKTF app run in a child process whose environment holds no credential).
import { hostname } from "node:os";
import { join, posix, resolve } from "node:path";
import type { ClientEvent } from "../../provider/client/client.js";
import { childProcessRunner } from "../config/cdktf.js";
import { Engine } from "../engine.js";
import { connectionVariables, type GitopsConfig, type StackConfig } from "../gitops/config.js";
import { linkInstalledDependencies } from "../gitops/dependencies.js";
import type { ReconcileDeps } from "../gitops/model.js";
import type { LockHolder } from "../state/model.js";

/** A variable the run needs is not set: terminal, the workflow or the service must set it. */
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

export function required(env: Record<string, string | undefined>, name: string, why: string): string {
  const value = env[name];
  if (!value) throw new MissingVariableError(name, why);
  return value;
}

/**
 * Values of variables named as credentials (keys, tokens, secrets, passwords, auth strings),
 * TF_VAR_* values: masked in all that is published or logged. URLs without a password are not
 * secrets (and masking them would garble every message naming the workspace).
 */
export function secretsOf(env: Record<string, string | undefined>): string[] {
  return Object.entries(env)
    .filter(([name]) => name.startsWith("TF_VAR_") || /KEY|TOKEN|SECRET|PASSWORD|AUTH|CREDENTIAL/i.test(name))
    .map(([, value]) => value)
    .filter((value): value is string => !!value && !/^https?:\/\/[^@]*$/.test(value));
}

/** What a stack's engine sees of the environment: TF_VAR_* values only (never the runner's own PREFECT_* settings). */
function engineEnvironment(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => name.startsWith("TF_VAR_")));
}

export function lockHolder(who: string, operation: string): LockHolder {
  return { who, pid: process.pid, host: hostname(), operation, since: new Date().toISOString() };
}

/**
 * The engine of a stack in a checkout. `repoDir` is where the installed node_modules live (the
 * workflow's checkout, or nothing for a service's cache); `statePath`s of file backends are
 * relative to it.
 */
export function stackEngineFactory(env: Record<string, string | undefined>, repoDir: string, onClientEvent?: (event: ClientEvent) => void): ReconcileDeps["engineFor"] {
  const gitEnv = { PATH: env.PATH, HOME: env.HOME };
  return (stack: StackConfig, dir: string, limits: GitopsConfig["synth"]) => {
    for (const name of connectionVariables(stack).slice(0, 1)) required(env, name, `stack "${stack.name}" reads its API URL from it (prefect-gitops.yaml): set it in the environment from a secret.`);
    linkInstalledDependencies(repoDir, resolve(dir, posix.relative(stack.path, ".")), stack.path);
    return new Engine({
      dir,
      backend: stack.state.backend,
      stateName: stack.state.name ?? stack.name,
      statePath: stack.state.path ? join(repoDir, stack.state.path) : undefined,
      env: engineEnvironment(env),
      ...(onClientEvent ? { client: { onEvent: onClientEvent } } : {}),
      runner: childProcessRunner(gitEnv, { timeoutMs: limits.timeout_seconds * 1000, memoryMb: limits.memory_mb }),
      connection: {
        apiUrl: env[stack.workspace.api_url_env],
        ...(stack.workspace.api_key_env ? { apiKey: env[stack.workspace.api_key_env] } : {}),
        ...(stack.workspace.auth_string_env ? { authString: env[stack.workspace.auth_string_env] } : {}),
      },
    });
  };
}
