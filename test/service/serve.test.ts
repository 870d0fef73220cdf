// The GitOps service end to end: `startService` (what `prefect-gitops serve` runs) against a
// devserver workspace, the GitHub simulator (every answer checked against GitHub's OpenAPI) and a
// real git repository, with webhook deliveries from GitHub's examples, signed as GitHub signs.
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService, type RunningService, type ServiceOptions } from "../../reconciler/service.js";
import { CLOUD_API_KEY, useDevServer } from "../support/devserver.js";
import { cloudWorkspace, type Workspace } from "../support/engine.js";
import { useGitHubSimulator } from "../github/use-simulator.js";
import { issueCommentEvent, pullRequestEvent, pushEvent, type Delivery, type RepoFacts } from "../github/webhooks.js";
import { devStackYaml } from "../gitops/fixtures.js";
import { TestRepo } from "../gitops/repo.js";

const WEBHOOK_SECRET = "whsec-serve-0123456789";
const FACTS: RepoFacts = { owner: "acme", repo: "prefect-config", defaultBranch: "main" };
const stack = (greeting: string) => `provider "prefect" {}

resource "prefect_variable" "greeting" {
  name  = "serve-greeting"
  value = "${greeting}"
}

resource "prefect_work_pool" "pool" {
  name = "serve-pool"
  type = "process"
}
`;

describe("prefect-gitops serve", () => {
  const dev = useDevServer();
  const sim = useGitHubSimulator({ repository: `${FACTS.owner}/${FACTS.repo}` });
  let repo: TestRepo;
  let ws: Workspace;
  const lines: string[] = [];
  const services: RunningService[] = [];
  const work = mkdtempSync(join(tmpdir(), "prefect-gitops-serve-test-"));
  let service: RunningService;

  const start = async (source: ServiceOptions["source"], log: string[] = lines): Promise<RunningService> => {
    const started = await startService({
      source,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PREFECT_DEV_API_URL: ws.url, PREFECT_DEV_API_KEY: CLOUD_API_KEY },
      // The tests drive the polls themselves (tick()); only the one at start runs on its own.
      intervalMs: 3_600_000,
      listen: { host: "127.0.0.1", port: 0 },
      workDir: mkdtempSync(join(work, "service-")),
      write: (line) => log.push(line),
      retry: { baseMs: 20, capMs: 100 },
    });
    services.push(started);
    return started;
  };
  const github = (): ServiceOptions["source"] => ({ kind: "github", repository: `${FACTS.owner}/${FACTS.repo}`, token: sim.token, apiUrl: sim.url, cloneUrl: `file://${repo.remote}`, webhookSecret: WEBHOOK_SECRET });
  const post = (target: RunningService, delivery: Delivery, headers: Record<string, string | undefined> = {}, id: string = randomUUID()) =>
    fetch(`${target.url}/webhooks/github`, {
      method: "POST",
      headers: Object.fromEntries(Object.entries({ "content-type": "application/json", "x-github-event": delivery.event, "x-github-delivery": id, "x-hub-signature-256": delivery.signature, ...headers }).filter(([, value]) => value !== undefined)) as Record<string, string>,
      body: delivery.body,
    });
  const variable = async () => (await ws.api.get<{ value: unknown; id: string }>("/variables/name/serve-greeting")).body;
  const status = async (target: RunningService) => (await (await fetch(`${target.url}/status`)).json()) as { stacks: { stack: string; lastCommit?: string; lastApplied?: { sha: string; status: string }; drifted?: number; lastError?: unknown }[]; lastPoll?: { head?: string } };
  const metrics = async (target: RunningService) => (await fetch(`${target.url}/metrics`)).text();

  beforeAll(async () => {
    ws = cloudWorkspace(dev.server, randomUUID(), randomUUID());
    repo = new TestRepo({ "prefect-gitops.yaml": devStackYaml(), "stacks/dev/main.tf": stack("hello") });
    service = await start(github());
  });
  afterAll(async () => {
    for (const running of services) await running.close();
    repo.remove();
    rmSync(work, { recursive: true, force: true });
  });

  it("at start applies the branch head and becomes ready; /healthz, /readyz, /status and /metrics answer", async () => {
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    await service.idle();
    expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
    expect((await variable()).value).toBe("hello");
    const head = repo.git(repo.work, ["rev-parse", "main"]);
    expect((await status(service)).stacks).toEqual([expect.objectContaining({ stack: "dev", lastCommit: head, lastApplied: expect.objectContaining({ sha: head, status: "applied" }), drifted: 0 })]);
    const text = await metrics(service);
    expect(text).toMatch(/^prefect_gitops_reconciles_total\{event="push",outcome="applied"\} 1$/m);
    expect(text).toMatch(/^prefect_gitops_reconciles_total\{event="schedule",outcome="clean"\} 1$/m);
    expect(text).toMatch(/^prefect_gitops_drifted_objects\{stack="dev"\} 0$/m);
    expect(text).toMatch(/^prefect_gitops_last_success_timestamp_seconds\{stack="dev"\} \d+/m);
    expect(text).toMatch(/^prefect_gitops_api_requests_total\{api="prefect",status="2xx"\} \d+/m);
    expect(text).toMatch(/^prefect_gitops_reconcile_duration_seconds_count\{event="push"\} 1$/m);
    expect(text).toMatch(/^prefect_gitops_process_resident_memory_bytes \d+/m);
  });

  it("a bad or missing signature is answered 401 and nothing happens; an oversized body 413", async () => {
    const requests = sim.log.length;
    const delivery = await pushEvent(FACTS, { branch: "main", after: "0".repeat(40) }, "not-the-secret-at-all");
    expect((await post(service, delivery)).status).toBe(401);
    expect((await post(service, delivery, { "x-hub-signature-256": undefined })).status).toBe(401);
    const big = { ...delivery, body: JSON.stringify({ padding: "x".repeat(1024 * 1024 + 1) }) };
    expect((await post(service, big)).status).toBe(413);
    await service.idle();
    expect(sim.log.length, "nothing was asked of GitHub").toBe(requests);
    expect(await metrics(service)).toMatch(/^prefect_gitops_webhook_deliveries_total\{result="unauthorized"\} 2$/m);
  });

  it("a pull request webhook posts the plan comment and check run", async () => {
    const head = repo.pullRequest(1, "feature", { "stacks/dev/main.tf": stack("hello, service") });
    sim.pulls.set(1, { number: 1, headSha: head, headRef: "feature", baseRef: "main", author: "alice", fork: false, merged: false });
    sim.permissions.set("alice", "write");
    const answer = await post(service, await pullRequestEvent(FACTS, { number: 1, action: "opened", headSha: head, author: "alice", fork: false }, WEBHOOK_SECRET));
    expect(answer.status).toBe(202);
    await service.idle();
    expect(sim.commentsOf(1)).toEqual([expect.objectContaining({ body: expect.stringContaining("0 to add, 1 to change, 0 to destroy") })]);
    expect(sim.checkRuns.at(-1)).toMatchObject({ name: "prefect-gitops / dev", head_sha: head, conclusion: "success" });
    expect((await variable()).value, "a plan changes nothing").toBe("hello");
  });

  it("a push webhook applies the merge; the same delivery again is ignored", async () => {
    const merged = repo.merge("feature");
    sim.commitPulls.set(merged, [1]);
    const delivery = await pushEvent(FACTS, { branch: "main", after: merged }, WEBHOOK_SECRET);
    const id = randomUUID();
    expect((await post(service, delivery, {}, id)).status).toBe(202);
    const again = await post(service, delivery, {}, id);
    expect([again.status, ((await again.json()) as { result: string }).result]).toEqual([200, "duplicate"]);
    await service.idle();
    expect((await variable()).value).toBe("hello, service");
    expect(sim.statuses.filter((entry) => entry.sha === merged)).toEqual([expect.objectContaining({ state: "success", context: "prefect-gitops/dev" })]);
    expect(sim.commentsOf(1)[0]!.body).toContain("**Applied.**");
    expect((await status(service)).stacks[0]!.lastApplied).toMatchObject({ sha: merged, status: "applied" });
    expect(await metrics(service)).toMatch(/^prefect_gitops_reconciles_total\{event="push",outcome="applied"\} 2$/m);
  });

  it("GitHub 403 rate limits past the port's own retries, and Prefect rate limits: retried with backoff, then success", async () => {
    const head = repo.updatePullRequest(1, "feature", { "stacks/dev/main.tf": stack("hello, retries") });
    sim.pulls.get(1)!.headSha = head;
    // The port tries 6 times; the 7th answer fails the event, which the service runs again.
    sim.faults.push({ method: "GET", template: "/repos/{owner}/{repo}/pulls/{pull_number}", status: 403, headers: { "retry-after": "0" }, times: 7 });
    dev.server.setFaults({ rules: [{ type: "rate-limit", ratio: 0.3, retryAfter: 0 }], seed: 11 });
    try {
      expect((await post(service, await pullRequestEvent(FACTS, { number: 1, action: "synchronize", headSha: head, author: "alice", fork: false }, WEBHOOK_SECRET))).status).toBe(202);
      await service.idle();
    } finally {
      dev.server.setFaults({ rules: [] });
    }
    expect(sim.checkRuns.at(-1)).toMatchObject({ head_sha: head, conclusion: "success" });
    expect(sim.commentsOf(1)[0]!.body).toContain("hello, retries");
    expect(lines.some((line) => JSON.parse(line).msg === "retryable failure: trying again")).toBe(true);
    const text = await metrics(service);
    expect(text).toMatch(/^prefect_gitops_reconcile_retries_total\{event="pull_request"\} 1$/m);
    expect(text).toMatch(/^prefect_gitops_api_requests_total\{api="github",status="4xx"\} [1-9]/m);
  });

  it("the interval audit counts drift; a plain git remote service and this one, one workspace: one applies, the other finds it done", async () => {
    const { id } = await variable();
    expect((await ws.api.patch(`/variables/${id}`, { value: "changed by hand" })).status).toBe(204);
    await service.tick();
    expect((await status(service)).stacks[0]!.drifted).toBe(1);
    expect(await metrics(service)).toMatch(/^prefect_gitops_drifted_objects\{stack="dev"\} 1$/m);
    expect(sim.issues.filter((issue) => issue.state === "open")).toHaveLength(1);

    const plainLines: string[] = [];
    const plain = await start({ kind: "git", url: `file://${repo.remote}` }, plainLines);
    await plain.idle();
    repo.commitToMain({ "stacks/dev/main.tf": stack("hello, replicas") }, "replicas");
    await Promise.all([service.tick(), plain.tick()]);
    expect((await variable()).value).toBe("hello, replicas");
    const applied = [await status(service), await status(plain)].map((report) => report.stacks[0]!.lastApplied!.status);
    expect(applied.sort()).toEqual(["applied", "no-changes"]);
    expect((await ws.api.post<unknown[]>("/variables/filter", { variables: { name: { any_: ["serve-greeting"] } } })).body).toHaveLength(1);
    expect((await status(plain)).stacks[0]!.drifted).toBe(0);
  });

  it("as a GitHub App: installation tokens made from the app's private key (a signed JWT), then used for every request", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    sim.installApp("424242", publicKey, 77);
    const appLines: string[] = [];
    const before = sim.log.length;
    const app = await start({ kind: "github", repository: `${FACTS.owner}/${FACTS.repo}`, app: { appId: "424242", privateKey, installationId: 77 }, apiUrl: sim.url, cloneUrl: `file://${repo.remote}` }, appLines);
    await app.idle();
    const requests = sim.log.slice(before);
    expect(requests[0], requests.join("\n")).toBe("POST /app/installations/{installation_id}/access_tokens -> 201");
    expect(requests.filter((line) => line.includes("access_tokens")), "the token is cached, not made per request").toHaveLength(1);
    expect(requests.slice(1).every((line) => / -> 2\d\d$/.test(line)), requests.join("\n")).toBe(true);
    expect(sim.installationTokens.size).toBe(1);
    expect((await status(app)).stacks[0]).toMatchObject({ lastApplied: { status: "no-changes" }, drifted: 0 });
    const all = appLines.join("\n");
    expect(all).not.toContain(privateKey.split("\n")[1]);
    for (const token of sim.installationTokens) expect(all).not.toContain(token);
  });

  it("/prefect-gitops apply on a pull request: refused without the permission, applied where the base branch allows it", async () => {
    repo.commitToMain({ "prefect-gitops.yaml": devStackYaml("    options:\n      apply_from_pull_request: true\n") }, "allow applying pull requests");
    const head = repo.pullRequest(2, "hotfix", { "stacks/dev/main.tf": stack("hello, from a pull request") });
    sim.pulls.set(2, { number: 2, headSha: head, headRef: "hotfix", baseRef: "main", author: "alice", fork: false, merged: false });
    const command = (author: string) => issueCommentEvent(FACTS, { number: 2, body: "/prefect-gitops apply", author }, WEBHOOK_SECRET);
    expect((await post(service, await command("mallory"))).status).toBe(202);
    await service.idle();
    expect(sim.commentsOf(2).at(-1)!.body).toContain("only people with write access");
    expect((await variable()).value).not.toBe("hello, from a pull request");

    expect((await post(service, await command("alice"))).status).toBe(202);
    await service.idle();
    expect((await variable()).value).toBe("hello, from a pull request");
    expect(sim.commentsOf(2).at(-1)!.body).toMatch(/prefect-gitops apply[^]*\*\*Applied\.\*\*/);
    expect(sim.statuses.at(-1)).toMatchObject({ sha: head, state: "success", context: "prefect-gitops/dev" });
  });

  it("never logs a token, key or secret, and every log line is JSON", async () => {
    expect(lines.length).toBeGreaterThan(5);
    const all = lines.join("\n");
    for (const secret of [sim.token, WEBHOOK_SECRET, CLOUD_API_KEY]) expect(all).not.toContain(secret);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ level: expect.any(String), time: expect.any(String), msg: expect.any(String) });
    expect(sim.bodies.join("\n")).not.toContain(CLOUD_API_KEY);
  });
});
