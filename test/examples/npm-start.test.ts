// `npm start` (`prefect-gitops quickstart`) as a person runs it: a real child process, first
// with nothing set up (it starts its own devserver and supplies the quickstart's secret), then
// against a server given in PREFECT_API_URL, keeping its state in the working directory.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCliProcess, workdir } from "../support/cli.js";
import { useDevServer } from "../support/devserver.js";
import { output } from "../support/engine.js";
import { rawApi } from "../support/http.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** An environment without Prefect settings: no profile either, whatever the machine has. */
const bare = (cwd: string): Record<string, string> => ({ PREFECT_PROFILES_PATH: join(cwd, "no-profiles.toml") });

/** The four steps, in order, each with what it must show. */
function expectTheWholeStory(stdout: string): void {
  const steps = [
    "1. Plan: what the quickstart stack declares",
    "Plan: 12 to add, 0 to change, 0 to destroy.",
    "2. Apply",
    "Apply complete! Resources: 12 added, 0 changed, 0 destroyed.",
    "3. Plan again: nothing left to do",
    "No changes.",
    "4. Drift audit",
    "No drift",
    "What to try next",
  ];
  let from = 0;
  for (const step of steps) {
    const at = stdout.indexOf(step, from);
    expect(at, `"${step}" after position ${from} in:\n${stdout}`).toBeGreaterThanOrEqual(0);
    from = at + step.length;
  }
  expect(stdout).toContain("+ resource \"prefect_work_pool\" \"pool\"");
  expect(stdout).toContain("prefect_automation.backfill-on-failure");
  expect(stdout).toContain("More stacks:");
}

describe("npm start", () => {
  const dev = useDevServer();

  it("with no PREFECT_API_URL, starts a devserver, plans, applies, plans no changes, finds no drift and says what to try next", async () => {
    const cwd = workdir();
    const result = await runCliProcess(["quickstart"], { cwd, env: bare(cwd) });
    expect(result.code, output(result)).toBe(0);
    expect(result.stdout).toContain("No PREFECT_API_URL is set, so a local Prefect-compatible devserver was started for this run.");
    expect(result.stdout).toContain("TF_VAR_slack_webhook_url is not set, so the secret block \"etl-alerts\" gets a placeholder value");
    expectTheWholeStory(result.stdout);
    // Even a placeholder secret is masked in the plan, never shown.
    expect(result.stdout).toMatch(/\+ data\s+= \(sensitive value\)/);
    expect(result.stdout).not.toContain("hooks.slack.com/services/T000");
    // Its state went with the devserver, not into the working directory.
    expect(existsSync(join(cwd, ".prefect-gitops"))).toBe(false);
  });

  it("with PREFECT_API_URL, applies there and keeps its state in ./.prefect-gitops; run again, it finds nothing to do", async () => {
    const cwd = workdir();
    const secret = "https://hooks.slack.com/services/T1/B1/quickstartTestSecret";
    const env = { ...bare(cwd), PREFECT_API_URL: dev.server.url, TF_VAR_slack_webhook_url: secret };
    const first = await runCliProcess(["quickstart"], { cwd, env });
    expect(first.code, output(first)).toBe(0);
    expect(first.stdout).toContain("Using PREFECT_API_URL from the environment.");
    expect(first.stdout).not.toContain("placeholder");
    expectTheWholeStory(first.stdout);

    const statePath = join(cwd, ".prefect-gitops", "quickstart.state.json");
    const state = JSON.parse(readFileSync(statePath, "utf8")) as { target: string; resources: Record<string, { id: string }> };
    expect(state.target).toBe(dev.server.url);
    expect(Object.keys(state.resources)).toHaveLength(12);
    expect(readFileSync(statePath, "utf8")).not.toContain(secret);

    // The objects are on the server, the secret given in the environment with them.
    const api = rawApi(dev.server.url);
    expect((await api.get<Json>("/work_pools/etl-pool")).body).toMatchObject({ name: "etl-pool", type: "process" });
    const block = await api.get<Json>(`/block_documents/${state.resources["prefect_block.slack"]!.id}?include_secrets=true`);
    expect(block.body.data).toEqual({ value: secret });

    const again = await runCliProcess(["quickstart"], { cwd, env });
    expect(again.code, output(again)).toBe(0);
    expect(again.stdout).toContain("Apply complete! Resources: 0 added, 0 changed, 0 destroyed.");
    expect(again.stdout.match(/No changes\./g)).toHaveLength(2);
  });
});
