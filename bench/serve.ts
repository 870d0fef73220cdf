// `prefect-gitops serve` as a real process, against a devserver process and the GitHub
// simulator: webhook received -> pull request comment posted, and merge (push webhook) ->
// applied, for the quickstart's objects (examples/hcl/main.tf, the quickstart written as
// Terraform: 12 resources); the service's memory with N stacks (each its own workspace); the
// requests sent to GitHub per reconcile.
//
//   npm run bench:serve -- [--stacks 1,10] [--quiet-wait 120] [--out NAME]
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { GitHubSimulator } from "../test/github/simulator.js";
import { pullRequestEvent, pushEvent, type Delivery, type RepoFacts } from "../test/github/webhooks.js";
import { TestRepo } from "../test/gitops/repo.js";
import { busyBetween, machineCpu, waitForQuiet } from "./support/contention.js";
import { mib, round, table, workDir, writeResults } from "./support/report.js";
import { REPO_ROOT, startServerProcess } from "./support/server.js";

const { values: flags } = parseArgs({
  options: { stacks: { type: "string", default: "1,10" }, "quiet-wait": { type: "string", default: "120" }, out: { type: "string", default: "serve" } },
});
const TARGETS = { commentMs: 3_000, appliedMs: 15_000, rssMiB: 300 };
const SECRET = "whsec-bench-0123456789";
const FACTS: RepoFacts = { owner: "acme", repo: "prefect-config", defaultBranch: "main" };
const QUICKSTART = readFileSync(join(REPO_ROOT, "examples", "hcl", "main.tf"), "utf8");

const yaml = (stacks: number) =>
  `version: 1\nstacks:\n` +
  Array.from({ length: stacks }, (_unused, index) => `  - name: s${index}\n    path: stacks/s${index}\n    workspace:\n      api_url_env: PREFECT_S${index}_API_URL\n      api_key_env: PREFECT_S${index}_API_KEY\n`).join("");

interface Status {
  queued: number;
  stacks: { stack: string; lastApplied?: { sha: string; status: string }; lastAudit?: unknown; lastPlan?: unknown; lastError?: { message: string } }[];
}

async function until<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function measure(stacks: number) {
  const devserver = await startServerProcess();
  const sim = await new GitHubSimulator({ repository: `${FACTS.owner}/${FACTS.repo}` }).start();
  const files: Record<string, string> = { "prefect-gitops.yaml": yaml(stacks) };
  for (let index = 0; index < stacks; index++) files[`stacks/s${index}/main.tf`] = QUICKSTART;
  const repo = new TestRepo(files);
  const env: Record<string, string> = { PATH: process.env.PATH!, HOME: process.env.HOME!, CHECKPOINT_DISABLE: "1", GITHUB_TOKEN: sim.token, GITHUB_API_URL: sim.url, PREFECT_GITOPS_WEBHOOK_SECRET: SECRET, TF_VAR_slack_webhook_url: "https://hooks.slack.com/services/T000/B000/bench" };
  const origin = new URL(devserver.cloudUrl).origin;
  for (let index = 0; index < stacks; index++) {
    env[`PREFECT_S${index}_API_URL`] = `${origin}/api/accounts/${randomUUID()}/workspaces/${randomUUID()}`;
    env[`PREFECT_S${index}_API_KEY`] = "pnu_bench_key";
  }
  const child = spawn(process.execPath, [join(REPO_ROOT, "bin", "prefect-gitops.js"), "serve", "--repo", `${FACTS.owner}/${FACTS.repo}`, "--clone-url", `file://${repo.remote}`, "--listen", "127.0.0.1:0", "--interval", "1h", "--work-dir", workDir(`serve-${stacks}-${Date.now()}`)], { env, stdio: ["ignore", "pipe", "inherit"] });
  let peakRss = 0;
  const sampler = setInterval(() => {
    try {
      const kib = Number(readFileSync(`/proc/${child.pid}/status`, "utf8").match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
      peakRss = Math.max(peakRss, kib * 1024);
    } catch {
      // The process is gone.
    }
  }, 50);
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let buffered = "";
      child.stdout!.on("data", (chunk: Buffer) => {
        buffered += chunk.toString("utf8");
        for (const line of buffered.split("\n").slice(0, -1)) {
          const entry = JSON.parse(line) as { msg: string; url?: string };
          if (entry.msg === "prefect-gitops serve started") resolve(entry.url!);
        }
        buffered = buffered.slice(buffered.lastIndexOf("\n") + 1);
      });
      child.once("exit", (code) => reject(new Error(`serve exited with ${code}`)));
    });
    const status = async () => (await (await fetch(`${url}/status`)).json()) as Status;
    const settled = async (done: (report: Status) => boolean) => {
      const report = await status();
      return report.queued === 0 && done(report) ? report : undefined;
    };
    const githubRequests = () => sim.log.length;

    // Start: the head applied, every stack audited.
    const startedAt = performance.now();
    const atStart = await until(() => settled((report) => report.stacks.length === stacks && report.stacks.every((stack) => stack.lastAudit !== undefined)), "the first apply and audit");
    const errors = atStart.stacks.filter((stack) => stack.lastError).map((stack) => `${stack.stack}: ${stack.lastError!.message}`);
    if (errors.length) throw new Error(`the first reconcile failed:\n${errors.join("\n")}`);
    const startMs = performance.now() - startedAt;
    const startRequests = githubRequests();

    const post = (delivery: Delivery) => fetch(`${url}/webhooks/github`, { method: "POST", headers: { "content-type": "application/json", "x-github-event": delivery.event, "x-github-delivery": randomUUID(), "x-hub-signature-256": delivery.signature }, body: delivery.body });

    // A pull request changing stack s0: webhook received -> its comment posted.
    const head = repo.pullRequest(1, "feature", { "stacks/s0/main.tf": QUICKSTART.replace("Run the backfill deployment when the nightly one fails", "Run the backfill when the nightly run fails") });
    sim.pulls.set(1, { number: 1, headSha: head, headRef: "feature", baseRef: "main", author: "alice", fork: false, merged: false });
    sim.permissions.set("alice", "write");
    const prDelivery = await pullRequestEvent(FACTS, { number: 1, action: "opened", headSha: head, author: "alice", fork: false }, SECRET);
    let before = githubRequests();
    let sent = performance.now();
    await post(prDelivery);
    await until(async () => (sim.commentsOf(1).length ? true : undefined), "the pull request comment");
    const commentMs = performance.now() - sent;
    await until(() => settled((report) => report.stacks.every((stack) => stack.lastPlan !== undefined)), "the plan finished");
    const prRequests = githubRequests() - before;

    // The merge: push webhook received -> every stack applied at the merge commit.
    const merged = repo.merge("feature");
    sim.commitPulls.set(merged, [1]);
    const pushDelivery = await pushEvent(FACTS, { branch: "main", after: merged }, SECRET);
    before = githubRequests();
    sent = performance.now();
    await post(pushDelivery);
    await until(() => settled((report) => report.stacks.every((stack) => stack.lastApplied?.sha === merged)), "the merge applied");
    const appliedMs = performance.now() - sent;
    const pushRequests = githubRequests() - before;
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const rssNow = Number(/^prefect_gitops_process_resident_memory_bytes (\d+)/m.exec(metrics)?.[1] ?? 0);
    if (sim.violations.length) throw new Error(`outside GitHub's API description:\n${sim.violations.join("\n")}`);
    return {
      stacks,
      resourcesPerStack: 12,
      startMs: round(startMs),
      startGithubRequests: startRequests,
      commentMs: round(commentMs),
      pullRequestGithubRequests: prRequests,
      appliedMs: round(appliedMs),
      pushGithubRequests: pushRequests,
      rssMiB: mib(rssNow),
      peakRssMiB: mib(peakRss),
    };
  } finally {
    clearInterval(sampler);
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
    await sim.close();
    await devserver.close();
    repo.remove();
  }
}

const idle = await waitForQuiet({ maxWaitS: Number(flags["quiet-wait"]) });
const cpuBefore = machineCpu();
const runs = [];
for (const stacks of flags.stacks.split(",").map(Number)) runs.push(await measure(stacks));
const results = { idleAtStart: idle, machineBusyCpuMs: busyBetween(cpuBefore, machineCpu()), targets: TARGETS, runs };
console.log(table(["stacks", "start ms", "GitHub req (start)", "webhook->comment ms", "GitHub req (PR)", "merge->applied ms", "GitHub req (push)", "RSS MiB", "peak RSS MiB"], runs.map((run) => [run.stacks, run.startMs, run.startGithubRequests, run.commentMs, run.pullRequestGithubRequests, run.appliedMs, run.pushGithubRequests, run.rssMiB, run.peakRssMiB])));
console.log(`written to ${writeResults(flags.out, results)}`);
