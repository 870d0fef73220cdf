// The GitHub the reconciler needs, as a small port over octokit: pull requests, permissions,
// comments, check runs, commit statuses and issues of one repository. Every request is retried
// when GitHub says it may be (retry.ts), and every text sent is masked: a secret the run knows
// (API keys, the token) never reaches a comment, a check run or an issue.
import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import { isRetryableGitHubFailure, retryDelayMs, type BackoffOptions } from "./retry.js";
import { maskSecrets, maskSecretsDeep } from "./mask.js";

export type Permission = "admin" | "maintain" | "write" | "triage" | "read" | "none";

export interface PullRequestInfo {
  number: number;
  headSha: string;
  headRef: string;
  baseRef: string;
  /** The head lives in another repository. */
  fork: boolean;
  author: string;
  merged: boolean;
}

export interface IssueComment {
  id: number;
  body: string;
  author: string;
}

export interface IssueInfo {
  number: number;
  body: string;
  state: "open" | "closed";
}

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "notice" | "warning" | "failure";
  title?: string;
  message: string;
}

export interface CheckRun {
  name: string;
  headSha: string;
  conclusion: "success" | "failure" | "neutral";
  title: string;
  summary: string;
  text?: string;
  annotations?: CheckAnnotation[];
}

/** What the reconciler asks of GitHub; tests and other hosts may implement it differently. */
export interface GitHubPort {
  pullRequest(number: number): Promise<PullRequestInfo>;
  permission(user: string): Promise<Permission>;
  comments(issue: number): Promise<IssueComment[]>;
  createComment(issue: number, body: string): Promise<number>;
  updateComment(id: number, body: string): Promise<void>;
  deleteComment(id: number): Promise<void>;
  createCheckRun(run: CheckRun): Promise<void>;
  setStatus(sha: string, status: { state: "success" | "failure" | "error" | "pending"; context: string; description: string }): Promise<void>;
  pullsOfCommit(sha: string): Promise<number[]>;
  openIssues(label: string): Promise<IssueInfo[]>;
  createIssue(issue: { title: string; body: string; labels: string[] }): Promise<number>;
  updateIssue(number: number, change: { body?: string; state?: "open" | "closed" }): Promise<void>;
}

/** A GitHub request that failed for good: terminal, or retryable but out of attempts. */
export class GitHubError extends Error {
  readonly code = "github_request_failed";
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "GitHubError";
  }
}

export interface GitHubAppCredentials {
  appId: string;
  /** PEM */
  privateKey: string;
  installationId: number;
}

export interface GitHubOptions {
  /** `owner/name` */
  repository: string;
  /** A token (GITHUB_TOKEN), or `app`. */
  token?: string;
  /** A GitHub App's installation: installation tokens are made from the app's private key and renewed before they expire (@octokit/auth-app). */
  app?: GitHubAppCredentials;
  /** @default https://api.github.com */
  baseUrl?: string;
  /** Attempts after the first. @default 5 */
  retries?: number;
  backoff?: BackoffOptions;
  /** Values masked in every text sent (the token is always masked). */
  secrets?: string[];
  sleep?: (ms: number) => Promise<void>;
  /** Told about each retry. */
  onRetry?: (info: { route: string; status?: number; delayMs: number; attempt: number }) => void;
  /** Told about each request sent and its answer (`status` absent: no answer), for metrics. */
  onRequest?: (info: { route: string; status?: number }) => void;
}

interface OctokitFailure {
  status?: number;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

/** Request options that are octokit's transport, not data sent to GitHub. */
const TRANSPORT_KEYS = new Set(["method", "url", "baseUrl", "headers", "request", "mediaType", "owner", "repo"]);

export function createGitHubPort(options: GitHubOptions): GitHubPort {
  const [owner, repo] = options.repository.split("/");
  if (!owner || !repo) throw new GitHubError(`"${options.repository}" is not a repository: expected owner/name (GITHUB_REPOSITORY).`, undefined, false);
  if (!options.token && !options.app) throw new GitHubError("No GitHub credentials: set GITHUB_TOKEN, or GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY and GITHUB_APP_INSTALLATION_ID.", undefined, false);
  const secrets = [options.token, options.app?.privateKey, ...(options.secrets ?? [])].filter((secret): secret is string => !!secret);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  // octokit's own log writes each failed request to the console; failures reach the caller as
  // GitHubError and retries through onRetry instead (a service logs JSON lines only).
  const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  const auth = options.app ? { authStrategy: createAppAuth, auth: { appId: options.app.appId, privateKey: options.app.privateKey, installationId: options.app.installationId } } : { auth: options.token };
  const octokit = new Octokit({ ...auth, baseUrl: options.baseUrl ?? "https://api.github.com", userAgent: "prefect-gitops", log: quiet });
  maskAndRetry(octokit, options, secrets, sleep);
  return repositoryPort(octokit, { owner, repo });
}

/** Every request: secrets masked out of what is sent, retried when GitHub says to, failures as GitHubError with secrets masked. */
function maskAndRetry(octokit: Octokit, options: GitHubOptions, secrets: string[], sleep: (ms: number) => Promise<void>): void {
  octokit.hook.wrap("request", async (request, requestOptions) => {
    const route = `${requestOptions.method} ${requestOptions.url}`;
    // Masked in place: the hooks inside this one (auth, the request itself) are bound to this
    // very options object and ignore an argument passed to them (before-after-hook's design).
    const sent = requestOptions as unknown as Record<string, unknown>;
    for (const key of Object.keys(sent)) if (!TRANSPORT_KEYS.has(key)) sent[key] = maskSecretsDeep(sent[key], secrets);
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await request(requestOptions);
        options.onRequest?.({ route, status: response.status });
        return response;
      } catch (caught) {
        const failure = caught as OctokitFailure;
        options.onRequest?.({ route, status: failure.status });
        const facts = { status: failure.status, headers: failure.response?.headers };
        const retryable = isRetryableGitHubFailure(facts);
        if (!retryable || attempt >= (options.retries ?? 5)) {
          const said = (failure.response?.data as { message?: string } | undefined)?.message;
          const message = `GitHub ${route} failed${facts.status ? ` with ${facts.status}` : ""}${said ? `: ${said}` : ""}${retryable ? ` after ${attempt + 1} attempts` : ""}.${facts.status === 401 ? " Check GITHUB_TOKEN." : facts.status === 403 && !retryable ? " The token lacks a permission (see README's GitOps permissions)." : ""}`;
          throw new GitHubError(maskSecrets(message, secrets), facts.status, retryable, { cause: caught });
        }
        const delayMs = retryDelayMs(attempt, facts, options.backoff);
        options.onRetry?.({ route, status: facts.status, delayMs, attempt: attempt + 1 });
        await sleep(delayMs);
      }
    }
  });
}

/** The GitHubPort calls, over one repository. */
function repositoryPort(octokit: Octokit, repoParams: { owner: string; repo: string }): GitHubPort {
  return {
    async pullRequest(number) {
      const { data } = await octokit.rest.pulls.get({ ...repoParams, pull_number: number });
      return {
        number,
        headSha: data.head.sha,
        headRef: data.head.ref,
        baseRef: data.base.ref,
        fork: data.head.repo?.full_name !== data.base.repo.full_name,
        author: data.user.login,
        merged: data.merged,
      };
    },
    async permission(user) {
      try {
        const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repoParams, username: user });
        return (data.role_name === "maintain" ? "maintain" : data.permission) as Permission;
      } catch (caught) {
        // GitHub answers 404 for someone who is not a collaborator at all.
        if (caught instanceof GitHubError && caught.status === 404) return "none";
        throw caught;
      }
    },
    async comments(issue) {
      const all = await octokit.paginate(octokit.rest.issues.listComments, { ...repoParams, issue_number: issue, per_page: 100 });
      return all.map((comment) => ({ id: comment.id, body: comment.body ?? "", author: comment.user?.login ?? "" }));
    },
    async createComment(issue, body) {
      const { data } = await octokit.rest.issues.createComment({ ...repoParams, issue_number: issue, body });
      return data.id;
    },
    async updateComment(id, body) {
      await octokit.rest.issues.updateComment({ ...repoParams, comment_id: id, body });
    },
    async deleteComment(id) {
      await octokit.rest.issues.deleteComment({ ...repoParams, comment_id: id });
    },
    async createCheckRun(run) {
      // GitHub takes at most 50 annotations per request; the renderer lists every problem in the text too.
      const output = { title: run.title, summary: run.summary, ...(run.text ? { text: run.text } : {}), annotations: (run.annotations ?? []).slice(0, 50) };
      await octokit.rest.checks.create({ ...repoParams, name: run.name, head_sha: run.headSha, status: "completed", conclusion: run.conclusion, output });
    },
    async setStatus(sha, status) {
      await octokit.rest.repos.createCommitStatus({ ...repoParams, sha, state: status.state, context: status.context, description: status.description.slice(0, 140) });
    },
    async pullsOfCommit(sha) {
      const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...repoParams, commit_sha: sha });
      return data.map((pull) => pull.number);
    },
    async openIssues(label) {
      const all = await octokit.paginate(octokit.rest.issues.listForRepo, { ...repoParams, labels: label, state: "open", per_page: 100 });
      return all.filter((issue) => !issue.pull_request).map((issue) => ({ number: issue.number, body: issue.body ?? "", state: issue.state as "open" | "closed" }));
    },
    async createIssue(issue) {
      const { data } = await octokit.rest.issues.create({ ...repoParams, ...issue });
      return data.number;
    },
    async updateIssue(number, change) {
      await octokit.rest.issues.update({ ...repoParams, issue_number: number, ...change });
    },
  };
}
