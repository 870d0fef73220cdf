// The real terraform binary, where one is installed: the HCL example is valid HCL in
// Terraform's canonical format (terraform's own parser and formatter, not hcl2json).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/cli.js";

function terraformBinary(): string | undefined {
  for (const candidate of ["terraform", "/usr/local/bin/terraform"]) {
    try {
      execFileSync(candidate, ["version"], { stdio: "ignore", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
      return candidate;
    } catch {
      continue;
    }
  }
  return undefined;
}

const terraform = terraformBinary();
if (!terraform) console.warn("test/examples/terraform.test.ts: no terraform binary on this machine; the tests that drive it are skipped.");

describe.skipIf(!terraform)("examples checked by the terraform binary", () => {
  it("examples/hcl is valid HCL in Terraform's canonical format (terraform fmt -check)", () => {
    const config = join(mkdtempSync(join(tmpdir(), "tf-cli-")), "terraformrc");
    writeFileSync(config, "");
    const result = spawnSync(terraform!, ["fmt", "-check", "-diff", "-recursive", join(REPO_ROOT, "examples", "hcl")], {
      encoding: "utf8",
      env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_CLI_CONFIG_FILE: config },
    });
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
  });
});
