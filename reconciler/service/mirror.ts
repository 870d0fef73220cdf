// The service's own copy of the repository: a bare repository in the work directory with the
// remote as `origin`. Each reconcile fetches the ref it needs into it and checks it out in a
// temporary worktree (git/checkout.ts); polling asks the remote for the branch head without
// fetching anything (`git ls-remote`).
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { GitError, gitSource, type GitSource } from "../git/checkout.js";

const run = promisify(execFile);

export interface Mirror {
  dir: string;
  source: GitSource;
  /** The commit at the head of `branch` on the remote now. */
  head(branch: string): Promise<string>;
  /** The remote's default branch (its HEAD). */
  defaultBranch(): Promise<string>;
}

/**
 * `env` is git's environment (PATH, HOME). `token`, for GitHub over https, answers the token to
 * fetch with, asked before each git command (a GitHub App's installation tokens expire hourly);
 * it goes to git as an HTTP header through GIT_CONFIG_* variables, never written to disk nor
 * shown in a URL. Synthesis never sees it.
 */
export async function openMirror(workDir: string, url: string, env: Record<string, string | undefined>, token?: () => Promise<string>): Promise<Mirror> {
  const dir = join(workDir, "repository.git");
  const gitEnv = async (): Promise<Record<string, string | undefined>> => {
    if (!token || !/^https:/.test(url)) return { ...env, GIT_TERMINAL_PROMPT: "0" };
    const header = `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${await token()}`).toString("base64")}`;
    return { ...env, GIT_TERMINAL_PROMPT: "0", GIT_CONFIG_COUNT: "1", GIT_CONFIG_KEY_0: `http.${new URL(url).origin}/.extraheader`, GIT_CONFIG_VALUE_0: header };
  };
  const git = async (args: string[]) => {
    try {
      return (await run("git", ["-C", dir, ...args], { env: await gitEnv(), maxBuffer: 16 * 1024 * 1024 })).stdout.trim();
    } catch (caught) {
      const stderr = String((caught as { stderr?: string }).stderr ?? "").trim();
      throw new GitError(`git ${args[0]} failed for ${url}: ${stderr || (caught as Error).message}`, { cause: caught });
    }
  };
  if (!existsSync(dir)) {
    await mkdir(dir, { recursive: true });
    await git(["init", "--quiet", "--bare"]);
    await git(["remote", "add", "origin", url]);
  } else await git(["remote", "set-url", "origin", url]);
  // Worktrees of killed runs (SIGKILL) are pruned: their directories are gone or stale.
  await git(["worktree", "prune"]);
  return {
    dir,
    source: {
      checkout: async (ref) => gitSource(dir, await gitEnv(), "origin").checkout(ref),
      readFile: async (ref, path) => gitSource(dir, await gitEnv(), "origin").readFile(ref, path),
    },
    async head(branch) {
      const line = await git(["ls-remote", "origin", `refs/heads/${branch}`]);
      const sha = line.split(/\s+/)[0];
      if (!sha) throw new GitError(`The remote ${url} has no branch ${branch}: pass --branch with the branch prefect-gitops.yaml applies.`);
      return sha;
    },
    async defaultBranch() {
      const out = await git(["ls-remote", "--symref", "origin", "HEAD"]);
      return /^ref: refs\/heads\/(\S+)\s+HEAD/m.exec(out)?.[1] ?? "main";
    },
  };
}
