// A local GitHub: the REST routes the reconciler uses, over real HTTP on loopback, holding one
// repository's pull requests, comments, check runs, statuses and issues in memory. Answers are
// built from GitHub's documented examples and every answer (and every request body) is checked
// against GitHub's OpenAPI description: a violation is recorded and fails the test.
import { createPublicKey, createVerify, randomBytes, type KeyObject } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { githubContract } from "./openapi.js";

export interface SimPull {
  number: number;
  headSha: string;
  headRef: string;
  baseRef: string;
  author: string;
  fork: boolean;
  merged: boolean;
}
export interface SimComment {
  id: number;
  issue: number;
  body: string;
  author: string;
}
export interface SimIssue {
  number: number;
  title: string;
  body: string;
  labels: string[];
  state: "open" | "closed";
}
export interface SimCheckRun {
  id: number;
  name: string;
  head_sha: string;
  conclusion: string;
  output: { title: string; summary: string; text?: string; annotations?: { path: string; start_line: number; annotation_level: string; message: string }[] };
}
export interface SimStatus {
  sha: string;
  state: string;
  context: string;
  description: string;
}
/** An answer to give instead of the real one, to the next requests of a route. */
export interface Fault {
  method: string;
  /** The route template, e.g. `/repos/{owner}/{repo}/issues/{issue_number}/comments`. */
  template: string;
  status: number;
  headers?: Record<string, string>;
  times: number;
}

// GitHub's examples are free-form JSON picked apart field by field here; what leaves the
// simulator is checked against GitHub's schema, which is the type check that matters.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const ROUTES: [method: string, template: string][] = [
  ["POST", "/app/installations/{installation_id}/access_tokens"],
  ["GET", "/repos/{owner}/{repo}/pulls/{pull_number}"],
  ["GET", "/repos/{owner}/{repo}/collaborators/{username}/permission"],
  ["GET", "/repos/{owner}/{repo}/issues/{issue_number}/comments"],
  ["POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments"],
  ["PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}"],
  ["DELETE", "/repos/{owner}/{repo}/issues/comments/{comment_id}"],
  ["POST", "/repos/{owner}/{repo}/check-runs"],
  ["POST", "/repos/{owner}/{repo}/statuses/{sha}"],
  ["GET", "/repos/{owner}/{repo}/commits/{commit_sha}/pulls"],
  ["GET", "/repos/{owner}/{repo}/issues"],
  ["POST", "/repos/{owner}/{repo}/issues"],
  ["PATCH", "/repos/{owner}/{repo}/issues/{issue_number}"],
];

function match(method: string, path: string): { template: string; params: Record<string, string> } | undefined {
  for (const [routeMethod, template] of ROUTES) {
    if (routeMethod !== method) continue;
    const names: string[] = [];
    const pattern = new RegExp("^" + template.replace(/\{(\w+)\}/g, (_all, name: string) => (names.push(name), "([^/]+)")) + "$");
    const found = pattern.exec(path);
    if (found) return { template, params: Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(found[index + 1]!)])) };
  }
  return undefined;
}

export class GitHubSimulator {
  readonly owner: string;
  readonly repo: string;
  readonly token: string;
  readonly pulls = new Map<number, SimPull>();
  readonly permissions = new Map<string, string>();
  readonly comments: SimComment[] = [];
  readonly issues: SimIssue[] = [];
  readonly checkRuns: SimCheckRun[] = [];
  readonly statuses: SimStatus[] = [];
  /** Which pull requests a commit belongs to (merge commits). */
  readonly commitPulls = new Map<string, number[]>();
  readonly faults: Fault[] = [];
  /** Every request, as `METHOD template -> status`. */
  readonly log: string[] = [];
  /** Answers or requests outside GitHub's description. */
  readonly violations: string[] = [];
  /** Every request body received (to prove no secret was sent). */
  readonly bodies: string[] = [];
  /** A GitHub App that may act here: its id, its public key (the JWT's signature is checked) and its installation. */
  app?: { id: string; publicKey: KeyObject; installationId: number };
  /** Installation tokens issued to the app: valid for the other routes like the token. */
  readonly installationTokens = new Set<string>();
  private nextId = 1000;
  private server = createServer((req, res) => void this.handle(req, res));
  url = "";

  constructor(options: { repository?: string; token?: string } = {}) {
    [this.owner, this.repo] = (options.repository ?? "acme/prefect-config").split("/") as [string, string];
    this.token = options.token ?? "ghs_simulatedtoken0123456789";
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  commentsOf(issue: number): SimComment[] {
    return this.comments.filter((comment) => comment.issue === issue);
  }

  private user(login: string): Record<string, unknown> {
    const user = githubContract().example<{ user: Record<string, unknown> }>("issue-comment").user;
    return { ...user, login, id: login.length * 7919, node_id: `U_${login}`, url: `https://api.github.com/users/${encodeURIComponent(login)}`, html_url: `https://github.com/${encodeURIComponent(login)}` };
  }

  private commentBody(comment: SimComment): Record<string, unknown> {
    const base = githubContract().example("issue-comment");
    return { ...base, id: comment.id, node_id: `IC_${comment.id}`, body: comment.body, user: this.user(comment.author), issue_url: `https://api.github.com/repos/${this.owner}/${this.repo}/issues/${comment.issue}` };
  }

  private issueBody(issue: SimIssue): Record<string, unknown> {
    const base = githubContract().example("issue");
    const label = (base.labels as Record<string, unknown>[])[0]!;
    return { ...base, id: issue.number * 31, number: issue.number, title: issue.title, body: issue.body, state: issue.state, labels: issue.labels.map((name) => ({ ...label, name })), pull_request: undefined, closed_at: issue.state === "closed" ? new Date().toISOString() : null };
  }

  private pullBody(pull: SimPull, simple = false): Record<string, unknown> {
    const base = githubContract().example<Json>(simple ? "pull-request-simple-items" : "pull-request");
    const item = simple ? base[0] : base;
    const baseRepo = { ...item.base.repo, full_name: `${this.owner}/${this.repo}`, name: this.repo };
    const headRepo = pull.fork ? { ...item.head.repo, full_name: `${pull.author}/${this.repo}`, name: this.repo } : baseRepo;
    return {
      ...item,
      number: pull.number,
      id: pull.number * 97,
      requested_teams: [],
      user: this.user(pull.author),
      merged: simple ? undefined : pull.merged,
      head: { ...item.head, sha: pull.headSha, ref: pull.headRef, label: `${pull.author}:${pull.headRef}`, repo: headRepo },
      base: { ...item.base, ref: pull.baseRef, repo: baseRepo },
    };
  }

  /** A GitHub App's JWT (RS256, signed with its private key, iss = the app id, at most 10 minutes) for an installation token. */
  private issueInstallationToken(req: IncomingMessage, installationId: number, send: (status: number, body?: unknown) => void): void {
    const jwt = /^bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1] ?? "";
    const [header, payload, signature] = jwt.split(".");
    const claims = payload ? (JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { iss?: unknown; iat?: number; exp?: number }) : {};
    const now = Date.now() / 1000;
    const signed = !!this.app && !!signature && createVerify("RSA-SHA256").update(`${header}.${payload}`).verify(this.app.publicKey, Buffer.from(signature, "base64url"));
    if (!signed || String(claims.iss) !== this.app!.id || !claims.exp || claims.exp < now || claims.exp - (claims.iat ?? 0) > 660) return send(401, { message: "A JSON web token could not be decoded", documentation_url: "https://docs.github.com/rest" });
    if (installationId !== this.app!.installationId) return send(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
    const token = `ghs_${randomBytes(18).toString("hex")}`;
    this.installationTokens.add(token);
    const base = githubContract().example<Record<string, unknown>>("installation-token");
    send(201, { ...base, token, expires_at: new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z") });
  }

  /** Let a GitHub App with this public key act on the repository through `installationId`. */
  installApp(id: string, publicKeyPem: string, installationId: number): void {
    this.app = { id, publicKey: createPublicKey(publicKeyPem), installationId };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", this.url);
    const method = req.method ?? "GET";
    const found = match(method, url.pathname);
    const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      this.log.push(`${method} ${found?.template ?? url.pathname} -> ${status}`);
      if (found && status < 300) for (const problem of githubContract().response(method, found.template, status, body)) this.violations.push(`${method} ${found.template} -> ${status}: ${problem}`);
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    if (found?.template === "/app/installations/{installation_id}/access_tokens") return this.issueInstallationToken(req, Number(found.params.installation_id), send);
    const bearer = /^(?:token|bearer) (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
    if (bearer !== this.token && !this.installationTokens.has(bearer ?? "")) return send(401, { message: "Bad credentials", documentation_url: "https://docs.github.com/rest" });
    if (!found) return send(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
    const { template, params } = found;
    if (params.owner !== this.owner || params.repo !== this.repo) return send(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
    const fault = this.faults.find((candidate) => candidate.method === method && candidate.template === template && candidate.times > 0);
    if (fault) {
      fault.times--;
      return send(fault.status, { message: fault.status === 403 ? "You have exceeded a secondary rate limit." : "Server Error", documentation_url: "https://docs.github.com/rest" }, fault.headers);
    }
    const body: Json = text ? JSON.parse(text) : {};
    if (text) {
      this.bodies.push(text);
      for (const problem of githubContract().request(method, template, body)) this.violations.push(`request ${method} ${template}: ${problem}`);
    }
    const notFound = () => send(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
    switch (`${method} ${template}`) {
      case "GET /repos/{owner}/{repo}/pulls/{pull_number}": {
        const pull = this.pulls.get(Number(params.pull_number));
        return pull ? send(200, this.pullBody(pull)) : notFound();
      }
      case "GET /repos/{owner}/{repo}/collaborators/{username}/permission": {
        const permission = this.permissions.get(params.username!);
        if (!permission) return notFound();
        const base = githubContract().example<Json>("repository-collaborator-permission-response-if-user-has-admin-permissions");
        return send(200, { ...base, permission: permission === "maintain" ? "write" : permission, role_name: permission, user: { ...base.user, ...this.user(params.username!), role_name: permission } });
      }
      case "GET /repos/{owner}/{repo}/issues/{issue_number}/comments":
        return send(200, this.commentsOf(Number(params.issue_number)).map((comment) => this.commentBody(comment)));
      case "POST /repos/{owner}/{repo}/issues/{issue_number}/comments": {
        const comment = { id: this.nextId++, issue: Number(params.issue_number), body: String(body.body), author: "github-actions[bot]" };
        this.comments.push(comment);
        return send(201, this.commentBody(comment));
      }
      case "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}": {
        const comment = this.comments.find((candidate) => candidate.id === Number(params.comment_id));
        if (!comment) return notFound();
        comment.body = String(body.body);
        return send(200, this.commentBody(comment));
      }
      case "DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}": {
        const at = this.comments.findIndex((candidate) => candidate.id === Number(params.comment_id));
        if (at < 0) return notFound();
        this.comments.splice(at, 1);
        return send(204);
      }
      case "POST /repos/{owner}/{repo}/check-runs": {
        const run: SimCheckRun = { id: this.nextId++, name: body.name, head_sha: body.head_sha, conclusion: body.conclusion, output: body.output };
        this.checkRuns.push(run);
        const base = githubContract().example<Json>("check-run-example-of-completed-conclusion");
        return send(201, { ...base, id: run.id, name: run.name, head_sha: run.head_sha, conclusion: run.conclusion, output: { ...base.output, title: body.output?.title ?? null, summary: body.output?.summary ?? null, text: body.output?.text ?? null, annotations_count: body.output?.annotations?.length ?? 0 } });
      }
      case "POST /repos/{owner}/{repo}/statuses/{sha}": {
        const status = { sha: params.sha!, state: body.state, context: body.context, description: body.description };
        this.statuses.push(status);
        return send(201, { ...githubContract().example<Json>("status"), state: status.state, context: status.context, description: status.description, id: this.nextId++ });
      }
      case "GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls":
        return send(200, (this.commitPulls.get(params.commit_sha!) ?? []).map((number) => this.pullBody(this.pulls.get(number)!, true)));
      case "GET /repos/{owner}/{repo}/issues": {
        const state = url.searchParams.get("state") ?? "open";
        const labels = url.searchParams.get("labels")?.split(",") ?? [];
        const chosen = this.issues.filter((issue) => (state === "all" || issue.state === state) && labels.every((label) => issue.labels.includes(label)));
        return send(200, chosen.map((issue) => this.issueBody(issue)));
      }
      case "POST /repos/{owner}/{repo}/issues": {
        const issue: SimIssue = { number: this.nextId++, title: body.title, body: body.body ?? "", labels: body.labels ?? [], state: "open" };
        this.issues.push(issue);
        return send(201, this.issueBody(issue));
      }
      case "PATCH /repos/{owner}/{repo}/issues/{issue_number}": {
        const issue = this.issues.find((candidate) => candidate.number === Number(params.issue_number));
        if (!issue) return notFound();
        if (body.body !== undefined) issue.body = body.body;
        if (body.state) issue.state = body.state;
        return send(200, this.issueBody(issue));
      }
    }
    return notFound();
  }
}
