// A nested sensitive attribute (a pull step's access token) is masked on its own in plans, so
// the rest of the attribute stays readable; the state still never holds it in clear.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, workdir } from "../support/cli.js";
import { useDevServer } from "../support/devserver.js";

describe("nested sensitive attributes", () => {
  const dev = useDevServer();

  it("mask only the secret part of a pull step", async () => {
    const dir = workdir({
      "main.tf": `
resource "prefect_flow" "f" {
  name = "nested-secret-flow"
}
resource "prefect_deployment" "d" {
  name    = "d"
  flow_id = prefect_flow.f.id
  pull_steps = [
    { type = "git_clone", repository = "https://github.com/acme/flows.git", branch = "main", access_token = "ghp_NESTED_SECRET" }
  ]
}
resource "prefect_deployment" "none" {
  name    = "none"
  flow_id = prefect_flow.f.id
}
`,
    });
    const env = { PREFECT_API_URL: dev.server.url };
    const plan = await runCli(["plan", "--no-color"], { cwd: dir, env });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain("https://github.com/acme/flows.git");
    expect(plan.stdout).toContain('"access_token": "(sensitive value)"');
    expect(plan.stdout).toMatch(/pull_steps\s+= \[\]/);
    const apply = await runCli(["apply", "--auto-approve", "--no-color"], { cwd: dir, env });
    expect(apply.code, apply.stderr).toBe(0);
    const json = await runCli(["plan", "--json"], { cwd: dir, env });
    for (const text of [plan.stdout, apply.stdout, apply.stderr, json.stdout, readFileSync(join(dir, "prefect-gitops.state.json"), "utf8")]) {
      expect(text).not.toContain("ghp_NESTED_SECRET");
    }
  });
});
