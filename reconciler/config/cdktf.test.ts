import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { childProcessRunner, synthesisEnvironment } from "./cdktf.js";

const RUNNER_ENV = {
  PATH: "/usr/bin:/bin",
  HOME: "/home/runner",
  LANG: "C.UTF-8",
  PREFECT_API_KEY: "pnu_secret",
  PREFECT_PROD_API_URL: "https://api.prefect.cloud/api/accounts/a/workspaces/w",
  GITHUB_TOKEN: "ghs_secret",
  WEBHOOK_SECRET: "whsec",
  TF_VAR_password: "hunter2",
  AWS_SECRET_ACCESS_KEY: "aws",
};

test.each([
  ["keeps what finding programs needs", "PATH", "/usr/bin:/bin"],
  ["keeps HOME", "HOME", "/home/runner"],
  ["drops Prefect keys", "PREFECT_API_KEY", undefined],
  ["drops Prefect URLs under any name", "PREFECT_PROD_API_URL", undefined],
  ["drops the GitHub token", "GITHUB_TOKEN", undefined],
  ["drops webhook secrets", "WEBHOOK_SECRET", undefined],
  ["drops TF_VAR values (the engine resolves them)", "TF_VAR_password", undefined],
  ["drops names nobody thought of", "AWS_SECRET_ACCESS_KEY", undefined],
  ["points the app at the output directory", "CDKTF_OUTDIR", "/out"],
  ["limits the heap", "NODE_OPTIONS", "--max-old-space-size=512"],
])("synthesis environment %s", (_name, variable, expected) => {
  expect(synthesisEnvironment(RUNNER_ENV, "/out", { memoryMb: 512 })[variable]).toBe(expected);
});

test("a synthesis that runs too long is stopped, children included, and says how to fix it", async () => {
  const cwd = mkdtempSync(join(tmpdir(), "prefect-gitops-synth-"));
  const runner = childProcessRunner({ PATH: process.env.PATH }, { timeoutMs: 300 });
  const started = Date.now();
  await expect(runner.run("sleep 30 & sleep 30", { cwd, outdir: join(cwd, "out") })).rejects.toThrow(/longer than 0 s[^]*synth\.timeout_seconds/);
  expect(Date.now() - started).toBeLessThan(5000);
});

test("the app sees only the allowlist", async () => {
  const cwd = mkdtempSync(join(tmpdir(), "prefect-gitops-synth-"));
  const runner = childProcessRunner({ PATH: process.env.PATH, PREFECT_API_KEY: "pnu_secret" });
  await expect(runner.run('test -z "$PREFECT_API_KEY" && test -n "$CDKTF_OUTDIR"', { cwd, outdir: join(cwd, "out") })).resolves.toBeUndefined();
});
