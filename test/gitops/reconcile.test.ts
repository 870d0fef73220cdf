// GitOps one-shot mode end to end: `prefect-gitops reconcile --event ...` as a GitHub Actions
// runner runs it, against a devserver workspace, a real git repository (file:// remote) and the
// GitHub simulator, with webhook payloads from GitHub's examples, checked and signed.
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type CliResult } from "../support/cli.js";
import { CLOUD_API_KEY, useDevServer } from "../support/devserver.js";
import { cloudWorkspace, type Workspace } from "../support/engine.js";
import { useGitHubSimulator } from "../github/use-simulator.js";
import { issueCommentEvent, pullRequestEvent, pushEvent, type Delivery, type RepoFacts } from "../github/webhooks.js";
import { devStackYaml } from "./fixtures.js";
import { TestRepo } from "./repo.js";

const WEBHOOK_SECRET = "whsec-test-0123456789";
const FACTS: RepoFacts = { owner: "acme", repo: "prefect-config", defaultBranch: "main" };

const gitopsYaml = (selfHeal = false) => devStackYaml(`    options:\n      self_heal: ${selfHeal}\n`);

const stack = (greeting: string, extra = "") => `provider "prefect" {}

resource "prefect_variable" "greeting" {
  name  = "gitops-greeting"
  value = "${greeting}"
}

resource "prefect_work_pool" "pool" {
  name = "gitops-pool"
  type = "process"
}

resource "prefect_flow" "etl" {
  name = "gitops-etl"
}

resource "prefect_deployment" "nightly" {
  name           = "nightly"
  flow_id        = prefect_flow.etl.id
  work_pool_name = prefect_work_pool.pool.name
  entrypoint     = "flows/etl.py:etl"
}
${extra}`;

/** A CDKTF app (cdktf.json + a script): it records the environment it ran with, to prove what it could see. */
const snoopingApp = (sentinel: string) => ({
  "stacks/dev/main.tf": null,
  "stacks/dev/cdktf.json": JSON.stringify({ app: "node synth.mjs" }),
  "stacks/dev/synth.mjs": `import { mkdirSync, writeFileSync } from "node:fs";
import { value } from "snoop-helper";
const names = Object.keys(process.env).sort();
writeFileSync(${JSON.stringify(sentinel)}, JSON.stringify(names));
mkdirSync(process.env.CDKTF_OUTDIR + "/stacks/dev", { recursive: true });
writeFileSync(process.env.CDKTF_OUTDIR + "/stacks/dev/cdk.tf.json", JSON.stringify({
  resource: { prefect_variable: { greeting: { name: "gitops-greeting", value } } },
}));
`,
});

describe("prefect-gitops reconcile (one-shot, GitHub Actions)", () => {
  const dev = useDevServer();
  const sim = useGitHubSimulator({ repository: `${FACTS.owner}/${FACTS.repo}` });
  let repo: TestRepo;
  let ws: Workspace;
  const events = mkdtempSync(join(tmpdir(), "prefect-gitops-events-"));
  const sentinel = join(events, "synthesized-env.json");

  beforeAll(() => {
    repo = new TestRepo({ "prefect-gitops.yaml": gitopsYaml(), "stacks/dev/main.tf": stack("hello") });
  });
  afterAll(() => {
    repo.remove();
    rmSync(events, { recursive: true, force: true });
  });

  async function reconcile(event: string, delivery: Delivery | { payload: unknown }, extraEnv: Record<string, string> = {}): Promise<CliResult> {
    ws ??= cloudWorkspace(dev.server, randomUUID(), randomUUID());
    const path = join(events, `${randomUUID()}.json`);
    writeFileSync(path, "body" in delivery ? delivery.body : JSON.stringify(delivery.payload));
    return runCli(["reconcile", "--event", event, "--repo", repo.runner], {
      cwd: repo.runner,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        GITHUB_EVENT_PATH: path,
        GITHUB_TOKEN: sim.token,
        GITHUB_REPOSITORY: `${FACTS.owner}/${FACTS.repo}`,
        GITHUB_API_URL: sim.url,
        GITHUB_REF_NAME: "main",
        PREFECT_DEV_API_URL: ws.url,
        PREFECT_DEV_API_KEY: CLOUD_API_KEY,
        ...extraEnv,
      },
    });
  }
  const said = (result: CliResult) => `exit ${result.code}\n${result.stdout}\n${result.stderr}`;
  const variable = async () => (await ws.api.get<{ value: unknown; id: string }>("/variables/name/gitops-greeting")).body;

  it("PR opened: plans the head, posts one comment for the stack and a successful check run, changes nothing", async () => {
    const head = repo.pullRequest(1, "feature", { "stacks/dev/main.tf": stack("hello, world") });
    sim.pulls.set(1, { number: 1, headSha: head, headRef: "feature", baseRef: "main", author: "alice", fork: false, merged: false });
    sim.permissions.set("alice", "write");
    const result = await reconcile("pull_request", await pullRequestEvent(FACTS, { number: 1, action: "opened", headSha: head, author: "alice", fork: false }, WEBHOOK_SECRET));
    expect(result.code, said(result)).toBe(0);
    const comments = sim.commentsOf(1);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toMatch(/^<!-- prefect-gitops:plan stack=dev part=1 -->/);
    expect(comments[0]!.body).toContain("4 to add, 0 to change, 0 to destroy");
    expect(comments[0]!.body).toContain("`+4 ~0 -0 -/+0`");
    expect(comments[0]!.body).toContain("<details><summary>Plan details</summary>");
    expect(comments[0]!.body).toContain(head.slice(0, 12));
    expect(sim.checkRuns).toEqual([expect.objectContaining({ name: "prefect-gitops / dev", head_sha: head, conclusion: "success" })]);
    expect((await ws.api.get("/variables/name/gitops-greeting")).status, "a plan changes nothing").toBe(404);
    expect(sim.bodies.join("\n")).not.toContain(CLOUD_API_KEY);
    expect(sim.bodies.join("\n")).not.toContain(sim.token);
  });

  it("PR updated: the same comment is updated in place, not a new one", async () => {
    const head = repo.updatePullRequest(1, "feature", { "stacks/dev/main.tf": stack("hello, GitOps") });
    sim.pulls.get(1)!.headSha = head;
    const result = await reconcile("pull_request", await pullRequestEvent(FACTS, { number: 1, action: "synchronize", headSha: head, author: "alice", fork: false }, WEBHOOK_SECRET));
    expect(result.code, said(result)).toBe(0);
    const comments = sim.commentsOf(1);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain(head.slice(0, 12));
    expect(comments[0]!.body).toContain("hello, GitOps");
    expect(sim.log.filter((line) => line.startsWith("PATCH /repos/{owner}/{repo}/issues/comments/"))).toHaveLength(1);
  });

  it("PR adding a schedule: the comment lists its next 5 runs in its time zone", async () => {
    const schedule = `
resource "prefect_deployment_schedule" "morning" {
  deployment_id = prefect_deployment.nightly.id
  cron          = "0 9 * * *"
  timezone      = "America/New_York"
}
`;
    const head = repo.pullRequest(7, "schedule", { "stacks/dev/main.tf": stack("hello", schedule) });
    sim.pulls.set(7, { number: 7, headSha: head, headRef: "schedule", baseRef: "main", author: "alice", fork: false, merged: false });
    const result = await reconcile("pull_request", await pullRequestEvent(FACTS, { number: 7, action: "opened", headSha: head, author: "alice", fork: false }, WEBHOOK_SECRET));
    expect(result.code, said(result)).toBe(0);
    const [comment] = sim.commentsOf(7);
    expect(comment!.body).toContain("cron `0 9 * * *` in America/New_York");
    expect(comment!.body.match(/T09:00:00-0[45]:00\[America\/New_York\]/g)).toHaveLength(5);
  });

  it("PR from a fork: nothing is synthesized until someone with write access comments /prefect-gitops plan", async () => {
    const head = repo.pullRequest(2, "fork-change", snoopingApp(sentinel));
    sim.pulls.set(2, { number: 2, headSha: head, headRef: "fork-change", baseRef: "main", author: "mallory", fork: true, merged: false });
    const before = sim.checkRuns.length;
    const opened = await reconcile("pull_request", await pullRequestEvent(FACTS, { number: 2, action: "opened", headSha: head, author: "mallory", fork: true }, WEBHOOK_SECRET));
    expect(opened.code, said(opened)).toBe(0);
    expect(existsSync(sentinel), "the fork's code did not run").toBe(false);
    expect(sim.checkRuns.length).toBe(before);
    expect(sim.commentsOf(2)).toEqual([expect.objectContaining({ body: expect.stringContaining("comes from a fork") })]);

    // The fork's author cannot start it.
    const self = await reconcile("issue_comment", await issueCommentEvent(FACTS, { number: 2, body: "/prefect-gitops plan", author: "mallory" }, WEBHOOK_SECRET));
    expect(self.code, said(self)).toBe(0);
    expect(existsSync(sentinel)).toBe(false);

    // The app's dependencies come from the workflow's own install, linked into the PR's checkout.
    mkdirSync(join(repo.runner, "stacks/dev/node_modules/snoop-helper"), { recursive: true });
    writeFileSync(join(repo.runner, "stacks/dev/node_modules/snoop-helper/package.json"), JSON.stringify({ name: "snoop-helper", type: "module", exports: "./index.js" }));
    writeFileSync(join(repo.runner, "stacks/dev/node_modules/snoop-helper/index.js"), 'export const value = "from-app";\n');
    sim.permissions.set("maria", "maintain");
    const command = await reconcile("issue_comment", await issueCommentEvent(FACTS, { number: 2, body: "/prefect-gitops plan", author: "maria" }, WEBHOOK_SECRET), { TF_VAR_token: "tfvar-secret-value" });
    expect(command.code, said(command)).toBe(0);
    const seen = JSON.parse(readFileSync(sentinel, "utf8")) as string[];
    expect(seen.filter((name) => /PREFECT|GITHUB|TOKEN|KEY|SECRET|TF_VAR/.test(name))).toEqual([]);
    expect(seen).toContain("CDKTF_OUTDIR");
    expect(sim.checkRuns.at(-1)).toMatchObject({ name: "prefect-gitops / dev", head_sha: head, conclusion: "success" });
    expect(sim.commentsOf(2).some((comment) => comment.body.includes("from-app"))).toBe(true);
  });

  it("invalid configuration on a PR: a failing check with annotations on the file and line, nothing applied", async () => {
    const broken = stack("hello", `\nresource "prefect_variable" "bad" {\n  name = "gitops-bad"\n  valeu = 1\n}\n`);
    const head = repo.pullRequest(3, "broken", { "stacks/dev/main.tf": broken });
    sim.pulls.set(3, { number: 3, headSha: head, headRef: "broken", baseRef: "main", author: "alice", fork: false, merged: false });
    const result = await reconcile("pull_request", await pullRequestEvent(FACTS, { number: 3, action: "opened", headSha: head, author: "alice", fork: false }, WEBHOOK_SECRET));
    expect(result.code, said(result)).toBe(1);
    const run = sim.checkRuns.at(-1)!;
    expect(run).toMatchObject({ name: "prefect-gitops / dev", head_sha: head, conclusion: "failure" });
    const line = broken.split("\n").findIndex((text) => text.includes("valeu")) + 1;
    expect(run.output.annotations).toContainEqual(expect.objectContaining({ path: "stacks/dev/main.tf", start_line: line, annotation_level: "failure" }));
    expect(sim.commentsOf(3)[0]!.body).toContain("error");

    const yamlHead = repo.pullRequest(4, "broken-yaml", { "prefect-gitops.yaml": gitopsYaml().replace("api_key_env: PREFECT_DEV_API_KEY", "api_key: pnu_literal") });
    sim.pulls.set(4, { number: 4, headSha: yamlHead, headRef: "broken-yaml", baseRef: "main", author: "alice", fork: false, merged: false });
    const yaml = await reconcile("pull_request", await pullRequestEvent(FACTS, { number: 4, action: "opened", headSha: yamlHead, author: "alice", fork: false }, WEBHOOK_SECRET));
    expect(yaml.code, said(yaml)).toBe(1);
    expect(sim.checkRuns.at(-1)!.output.annotations).toContainEqual(expect.objectContaining({ path: "prefect-gitops.yaml", start_line: 7, annotation_level: "failure" }));
    expect((await ws.api.get("/variables/name/gitops-greeting")).status, "nothing applied").toBe(404);
  });

  it("merge: plans the merged head again, applies under the state lock, comments on the PR, sets the status, versions carry the SHA", async () => {
    const merged = repo.merge("feature");
    sim.commitPulls.set(merged, [1]);
    sim.pulls.get(1)!.merged = true;
    dev.server.clearExchanges();
    const result = await reconcile("push", await pushEvent(FACTS, { branch: "main", after: merged }, WEBHOOK_SECRET));
    expect(result.code, said(result)).toBe(0);
    expect((await variable()).value).toBe("hello, GitOps");
    const deployments = (await ws.api.post<{ name: string; version: string | null }[]>("/deployments/filter", { deployments: { name: { any_: ["nightly"] } } })).body;
    expect(deployments.map((deployment) => deployment.version)).toEqual([merged]);
    expect(sim.statuses.at(-1)).toMatchObject({ sha: merged, state: "success", context: "prefect-gitops/dev" });
    expect(sim.commentsOf(1)).toHaveLength(1);
    expect(sim.commentsOf(1)[0]!.body).toMatch(/prefect-gitops apply[^]*\*\*Applied\.\*\*/);
    expect(dev.server.exchanges.some((exchange) => exchange.method === "POST" && /concurrency_limits\/increment-with-lease/.test(exchange.path)), "the state lock was taken").toBe(true);
  });

  it("drift: a manual change opens one issue; a fix closes it; with self_heal the audit corrects it and says so", async () => {
    const { id } = await variable();
    expect((await ws.api.patch(`/variables/${id}`, { value: "changed by hand" })).status).toBe(204);
    const schedule = { payload: { schedule: "17 * * * *" } };
    const first = await reconcile("schedule", schedule);
    expect(first.code, said(first)).toBe(0);
    const open = sim.issues.filter((issue) => issue.state === "open");
    expect(open).toHaveLength(1);
    expect(open[0]!.labels).toEqual(["prefect-gitops-drift"]);
    expect(open[0]!.body).toContain("prefect_variable.greeting");
    expect(open[0]!.body).toContain("changed by hand");
    // Again: the same issue is updated, not a second one opened.
    expect((await reconcile("schedule", schedule)).code).toBe(0);
    expect(sim.issues).toHaveLength(1);

    // The fix: apply the branch again (a push), then the next audit closes the issue.
    const pushed = await reconcile("push", await pushEvent(FACTS, { branch: "main", after: repo.git(repo.work, ["rev-parse", "HEAD"]) }, WEBHOOK_SECRET));
    expect(pushed.code, said(pushed)).toBe(0);
    expect((await reconcile("schedule", schedule)).code).toBe(0);
    expect(sim.issues[0]!.state).toBe("closed");

    // self_heal: the audit applies the branch itself, records it in a new issue and closes it.
    repo.commitToMain({ "prefect-gitops.yaml": gitopsYaml(true) }, "self-heal dev");
    expect((await ws.api.patch(`/variables/${id}`, { value: "changed again" })).status).toBe(204);
    const healed = await reconcile("schedule", schedule);
    expect(healed.code, said(healed)).toBe(0);
    expect((await variable()).value).toBe("hello, GitOps");
    expect(sim.issues).toHaveLength(2);
    expect(sim.issues[1]).toMatchObject({ state: "closed", body: expect.stringContaining("**Self-heal:** the branch was applied") });
  });

  it("GitHub 5xx and secondary rate limits: retried with backoff, then the run succeeds", async () => {
    sim.faults.push(
      { method: "GET", template: "/repos/{owner}/{repo}/pulls/{pull_number}", status: 502, times: 2 },
      { method: "POST", template: "/repos/{owner}/{repo}/check-runs", status: 403, headers: { "retry-after": "0" }, times: 1 },
    );
    const head = sim.pulls.get(1)!.headSha;
    const before = sim.checkRuns.length;
    const result = await reconcile("pull_request", await pullRequestEvent(FACTS, { number: 1, action: "synchronize", headSha: head, author: "alice", fork: false }, WEBHOOK_SECRET));
    expect(result.code, said(result)).toBe(0);
    expect(sim.log.filter((line) => line.startsWith("GET /repos/{owner}/{repo}/pulls/{pull_number}")).slice(-3)).toEqual([
      "GET /repos/{owner}/{repo}/pulls/{pull_number} -> 502",
      "GET /repos/{owner}/{repo}/pulls/{pull_number} -> 502",
      "GET /repos/{owner}/{repo}/pulls/{pull_number} -> 200",
    ]);
    expect(sim.checkRuns.length).toBe(before + 1);
    expect(result.stderr).toMatch(/answered 403: retry 1 in 0 ms/);
  });
});
