// examples/gitops-repo: its prefect-gitops.yaml is valid, every stack it names exists and
// validates offline, and its workflow runs the action on the four triggers with the variables
// the stacks name.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { connectionVariables, parseGitopsConfig } from "../../reconciler/gitops/config.js";
import { REPO_ROOT, runCli, workdir } from "../support/cli.js";

const EXAMPLE = join(REPO_ROOT, "examples", "gitops-repo");

describe("examples/gitops-repo", () => {
  const { config, diagnostics } = parseGitopsConfig(readFileSync(join(EXAMPLE, "prefect-gitops.yaml"), "utf8"));

  it("declares valid stacks", () => {
    expect(diagnostics).toEqual([]);
    expect(config?.stacks.map((stack) => stack.name)).toEqual(["dev", "prod"]);
  });

  it("the plain Terraform stack validates offline", async () => {
    const result = await runCli(["validate", join(EXAMPLE, "stacks", "prod")], { cwd: EXAMPLE });
    expect(result.code, result.stderr).toBe(0);
  });

  it("the workflow plans pull requests, takes the plan command, applies pushes to the branch and audits on a schedule, with every variable the stacks name", () => {
    const workflow = parse(readFileSync(join(EXAMPLE, ".github", "workflows", "prefect-gitops.yml"), "utf8")) as {
      on: Record<string, unknown>;
      permissions: Record<string, string>;
      jobs: { reconcile: { steps: { uses?: string; env?: Record<string, string> }[] } };
    };
    expect(Object.keys(workflow.on).sort()).toEqual(["issue_comment", "pull_request", "push", "schedule", "workflow_dispatch"]);
    expect(workflow.on.push).toEqual({ branches: [config!.branch] });
    expect(workflow.permissions).toMatchObject({ "pull-requests": "write", issues: "write", checks: "write", statuses: "write", contents: "read" });
    const step = workflow.jobs.reconcile.steps.find((candidate) => candidate.uses?.includes("prefect-gitops"));
    expect(Object.keys(step?.env ?? {}).sort()).toEqual(config!.stacks.flatMap(connectionVariables).sort());
  });

  it("action.yml runs action/main.js, which runs the CLI's reconcile with the action's inputs", () => {
    const action = parse(readFileSync(join(REPO_ROOT, "action.yml"), "utf8")) as { runs: { using: string; main: string }; inputs: Record<string, unknown> };
    expect(action.runs).toEqual({ using: "node20", main: "action/main.js" });
    expect(Object.keys(action.inputs).sort()).toEqual(["event", "github-token", "working-directory"]);
    const dir = workdir();
    writeFileSync(join(dir, "event.json"), JSON.stringify({ ref: "refs/tags/v1.0.0" }));
    // GitHub passes inputs as INPUT_<NAME>; a tag push asks for nothing, so no token or repository is needed.
    const run = spawnSync(process.execPath, [join(REPO_ROOT, action.runs.main)], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, INPUT_EVENT: "push", "INPUT_WORKING-DIRECTORY": dir, GITHUB_EVENT_PATH: join(dir, "event.json"), CHECKPOINT_DISABLE: "1" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("Nothing to do for this push event.");
  });
});
