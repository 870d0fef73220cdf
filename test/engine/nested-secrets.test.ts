// A nested sensitive attribute (a pull step's access token) is masked on its own in plans, so
// the rest of the attribute stays readable; the state still never holds it in clear.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { workdir } from "../support/cli.js";
import { useDevServer } from "../support/devserver.js";
import { cli, ossWorkspace, statePath } from "../support/engine.js";

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
    const ws = ossWorkspace(dev.server);
    const plan = await cli(dir, ws, ["plan"]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain("https://github.com/acme/flows.git");
    expect(plan.stdout).toContain('"access_token": "(sensitive value)"');
    expect(plan.stdout).toMatch(/pull_steps\s+= \[\]/);
    const apply = await cli(dir, ws, ["apply", "--auto-approve"]);
    expect(apply.code, apply.stderr).toBe(0);
    const json = await cli(dir, ws, ["plan", "--json"]);
    for (const text of [plan.stdout, apply.stdout, apply.stderr, json.stdout, readFileSync(statePath(dir), "utf8")]) {
      expect(text).not.toContain("ghp_NESTED_SECRET");
    }
  });
});
