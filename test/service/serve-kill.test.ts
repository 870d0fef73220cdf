// `prefect-gitops serve` as a real process (the command line, the lazy command, stdout JSON logs)
// killed with SIGKILL in the middle of an apply, then started again on the same work directory:
// it converges at once, with no duplicate of objects Prefect cannot find by name (automations).
import { type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { spawnCli } from "../support/cli.js";
import { CLOUD_API_KEY, useDevServer } from "../support/devserver.js";
import { cloudWorkspace, until } from "../support/engine.js";
import { devStackYaml } from "../gitops/fixtures.js";
import { TestRepo } from "../gitops/repo.js";

const AUTOMATIONS = 4;
// The pool is created in the first wave, the automations in a later one: the kill lands between.
const stack = () =>
  `resource "prefect_work_pool" "pool" {
  name = "serve-kill-pool"
  type = "process"
}
` +
  Array.from(
    { length: AUTOMATIONS },
    (_unused, index) => `resource "prefect_automation" "a${index}" {
  name = "serve-kill-${index}"
  trigger = {
    event = {
      posture = "Reactive"
      expect  = ["prefect.flow-run.Failed"]
    }
  }
  actions = [{ type = "do-nothing" }]
}
`,
  ).join("\n");

// The file backend: a lock left by a killed process on this host is taken over at once (its pid
// is gone); the workspace backend's lease would keep the restart waiting a minute.
const GITOPS_YAML = devStackYaml(`    state:\n      backend: file\n      path: state/dev.json\n`);

interface Serving {
  child: ChildProcess;
  lines: string[];
  url: Promise<string>;
}

function serve(repoUrl: string, workDir: string, env: Record<string, string>): Serving {
  const child = spawnCli(["serve", "--repo", repoUrl, "--listen", "127.0.0.1:0", "--interval", "1h", "--work-dir", workDir], { cwd: workDir, env });
  const lines: string[] = [];
  let buffered = "";
  const url = new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      const parts = buffered.split("\n");
      buffered = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        const entry = JSON.parse(line) as { msg: string; url?: string };
        if (entry.msg === "prefect-gitops serve started") resolve(entry.url!);
      }
    });
    child.once("exit", (code) => reject(new Error(`serve exited with ${code}: ${lines.join("\n")}`)));
  });
  child.stderr!.on("data", (chunk: Buffer) => lines.push(chunk.toString("utf8")));
  return { child, lines, url };
}

describe("prefect-gitops serve killed mid-apply", () => {
  const dev = useDevServer();
  const repo = new TestRepo({ "prefect-gitops.yaml": GITOPS_YAML, "stacks/dev/main.tf": stack() });
  const workDir = mkdtempSync(join(tmpdir(), "prefect-gitops-serve-kill-"));
  const running: ChildProcess[] = [];
  afterAll(() => {
    for (const child of running) child.kill("SIGKILL");
    repo.remove();
    rmSync(workDir, { recursive: true, force: true });
  });

  it("SIGKILL while creating: the restarted service finishes the apply without duplicates, and SIGTERM stops it cleanly", async () => {
    const ws = cloudWorkspace(dev.server, randomUUID(), randomUUID());
    const env = { PREFECT_DEV_API_URL: ws.url, PREFECT_DEV_API_KEY: CLOUD_API_KEY };
    const automations = async () => (await ws.api.post<{ name: string }[]>("/automations/filter", {})).body.filter((automation) => automation.name.startsWith("serve-kill-"));
    // The automations' creates are slow: the kill lands while they are in flight.
    dev.server.setFaults({ rules: [{ type: "latency", ms: 1500, route: "POST /automations/" }] });
    const first = serve(`file://${repo.remote}`, workDir, env);
    running.push(first.child);
    await first.url;
    await until(() => dev.server.exchanges.some((exchange) => exchange.method === "POST" && exchange.path.endsWith("/work_pools/") && exchange.status < 300), "the pool created", 30_000);
    first.child.kill("SIGKILL");
    await new Promise((resolve) => first.child.once("exit", resolve));
    const before = (await automations()).length;
    expect(before, "killed mid-apply").toBeLessThan(AUTOMATIONS);
    dev.server.setFaults({ rules: [] });

    const second = serve(`file://${repo.remote}`, workDir, env);
    running.push(second.child);
    const url = await second.url;
    await until(async () => ((await (await fetch(`${url}/readyz`)).status) === 200), "the restarted service ready", 30_000);
    const names = (await automations()).map((automation) => automation.name).sort();
    expect(names).toEqual(Array.from({ length: AUTOMATIONS }, (_unused, index) => `serve-kill-${index}`));
    const stackStatus = async () => ((await (await fetch(`${url}/status`)).json()) as { stacks: { lastApplied?: { status: string }; lastAudit?: unknown; drifted?: number }[] }).stacks[0];
    expect(await stackStatus()).toMatchObject({ lastApplied: { status: "applied" } });
    // The audit after the apply finds the workspace as declared.
    await until(async () => (await stackStatus())?.lastAudit !== undefined, "the drift audit", 30_000);
    expect(await stackStatus()).toMatchObject({ drifted: 0 });

    second.child.kill("SIGTERM");
    expect(await new Promise((resolve) => second.child.once("exit", resolve))).toBe(0);
    expect(second.lines.some((line) => line.includes("prefect-gitops serve stopped"))).toBe(true);
    expect(second.lines.join("\n")).not.toContain(CLOUD_API_KEY);
  });
});
