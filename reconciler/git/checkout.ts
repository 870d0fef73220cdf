// Checking out what a reconcile reads, with the git CLI: a ref (a branch head, a pull
// request's head) is fetched from the remote into the local repository and checked out in a
// temporary worktree of its own, so the workflow's own checkout is never changed and two
// stacks or two events never share a tree. Level-based: a branch is read at its head now, not
// at the commit an event named.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** git failed (a missing ref, no repository, no network). */
export class GitError extends Error {
  readonly code = "git_failed";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "GitError";
  }
}

export interface Checkout {
  dir: string;
  sha: string;
  /** Remove the worktree. */
  remove(): Promise<void>;
}

export interface GitSource {
  /** Fetch `ref` (`refs/heads/main`, `refs/pull/7/head`) and check it out in a new temporary worktree. */
  checkout(ref: string): Promise<Checkout>;
  /** Fetch `ref` and read one file of it, without checking the tree out. */
  readFile(ref: string, path: string): Promise<string>;
}

async function git(repoDir: string, args: string[], env: Record<string, string | undefined>, { trim = true } = {}): Promise<string> {
  try {
    const { stdout } = await run("git", ["-C", repoDir, ...args], { env: { ...env, GIT_TERMINAL_PROMPT: "0" }, maxBuffer: 16 * 1024 * 1024 });
    return trim ? stdout.trim() : stdout;
  } catch (caught) {
    const stderr = String((caught as { stderr?: string }).stderr ?? "").trim();
    throw new GitError(`git ${args[0]} failed in ${repoDir}: ${stderr || (caught as Error).message}`, { cause: caught });
  }
}

/**
 * The repository at `repoDir` (the workflow's checkout), fetching from `remote`. `env` is git's
 * environment (PATH, HOME; the credentials actions/checkout configured live in the repository's
 * config, not in it).
 */
export function gitSource(repoDir: string, env: Record<string, string | undefined>, remote = "origin"): GitSource {
  // A ref of its own per fetch: two reconciles in one repository (a service) never race on it.
  const fetchRef = async (ref: string): Promise<string> => {
    const local = `refs/prefect-gitops/${randomUUID()}`;
    await git(repoDir, ["fetch", "--no-tags", "--quiet", remote, `+${ref}:${local}`], env);
    return local;
  };
  return {
    async readFile(ref, path) {
      const local = await fetchRef(ref);
      try {
        return await git(repoDir, ["show", `${local}:${path}`], env, { trim: false });
      } finally {
        await git(repoDir, ["update-ref", "-d", local], env).catch(() => undefined);
      }
    },
    async checkout(ref) {
      const local = await fetchRef(ref);
      const sha = await git(repoDir, ["rev-parse", `${local}^{commit}`], env);
      const dir = await mkdtemp(join(tmpdir(), "prefect-gitops-checkout-"));
      await git(repoDir, ["worktree", "add", "--detach", "--force", dir, sha], env);
      return {
        dir,
        sha,
        async remove() {
          await git(repoDir, ["worktree", "remove", "--force", dir], env).catch(() => undefined);
          await git(repoDir, ["update-ref", "-d", local], env).catch(() => undefined);
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  };
}
