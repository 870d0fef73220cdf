// Real git repositories for the GitOps tests: a bare repository standing for GitHub's copy
// (pull requests are pushed to refs/pull/N/head, as GitHub keeps them), a maintainer's clone that
// commits, and the runner's clone that `reconcile --repo` fetches into (file:// remote).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const IDENTITY = ["-c", "user.name=Maintainer", "-c", "user.email=maintainer@example.com", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"];

export class TestRepo {
  readonly root = mkdtempSync(join(tmpdir(), "prefect-gitops-repo-"));
  readonly remote = join(this.root, "github.git");
  readonly work = join(this.root, "work");
  readonly runner = join(this.root, "runner");

  constructor(files: Record<string, string>) {
    this.git(this.root, ["init", "--quiet", "--bare", this.remote]);
    this.git(this.root, ["init", "--quiet", this.work]);
    this.write(files);
    this.commit("initial configuration");
    this.git(this.work, ["push", "--quiet", this.remote, "HEAD:refs/heads/main"]);
    this.git(this.root, ["clone", "--quiet", `file://${this.remote}`, this.runner]);
  }

  git(cwd: string, args: string[]): string {
    return execFileSync("git", [...IDENTITY, ...args], { cwd, encoding: "utf8", env: { PATH: process.env.PATH, HOME: this.root } }).trim();
  }

  write(files: Record<string, string | null>): void {
    for (const [name, content] of Object.entries(files)) {
      const path = join(this.work, name);
      if (content === null) rmSync(path, { force: true });
      else {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, content);
      }
    }
  }

  commit(message: string): string {
    this.git(this.work, ["add", "--all"]);
    this.git(this.work, ["commit", "--quiet", "--allow-empty", "-m", message]);
    return this.git(this.work, ["rev-parse", "HEAD"]);
  }

  /** Commit `files` on `branch` (from main) and publish it as pull request `number`'s head. */
  pullRequest(number: number, branch: string, files: Record<string, string | null>): string {
    this.git(this.work, ["checkout", "--quiet", "-B", branch, "refs/heads/main"]);
    this.write(files);
    const sha = this.commit(`change ${branch}`);
    this.git(this.work, ["push", "--quiet", "--force", this.remote, `HEAD:refs/pull/${number}/head`]);
    this.git(this.work, ["checkout", "--quiet", "main"]);
    return sha;
  }

  /** Add a commit to pull request `number` (checked out from its head). */
  updatePullRequest(number: number, branch: string, files: Record<string, string | null>): string {
    this.git(this.work, ["checkout", "--quiet", "-B", branch, `refs/heads/${branch}`]);
    this.write(files);
    const sha = this.commit(`update ${branch}`);
    this.git(this.work, ["push", "--quiet", "--force", this.remote, `HEAD:refs/pull/${number}/head`]);
    this.git(this.work, ["checkout", "--quiet", "main"]);
    return sha;
  }

  /** Merge `branch` into main with a merge commit and push main; answers the merge commit. */
  merge(branch: string): string {
    this.git(this.work, ["checkout", "--quiet", "main"]);
    this.git(this.work, ["merge", "--quiet", "--no-ff", "-m", `Merge ${branch}`, branch]);
    this.git(this.work, ["push", "--quiet", this.remote, "HEAD:refs/heads/main"]);
    return this.git(this.work, ["rev-parse", "HEAD"]);
  }

  /** Commit straight to main and push. */
  commitToMain(files: Record<string, string | null>, message: string): string {
    this.git(this.work, ["checkout", "--quiet", "main"]);
    this.write(files);
    const sha = this.commit(message);
    this.git(this.work, ["push", "--quiet", this.remote, "HEAD:refs/heads/main"]);
    return sha;
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
