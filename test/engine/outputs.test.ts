// Outputs: shown after apply and by `output`, from what the state records; sensitive outputs
// (declared so, using a sensitive variable, or holding a sensitive attribute) are never shown.
import { describe, expect, it } from "vitest";
import { workdir } from "../support/cli.js";
import { useDevServer } from "../support/devserver.js";
import { cli, ossWorkspace } from "../support/engine.js";

const CONFIG = `
variable "token" {
  type      = string
  sensitive = true
}
resource "prefect_work_pool" "pool" {
  name = "outputs-pool"
  type = "process"
}
resource "prefect_block" "secret" {
  name      = "outputs-secret"
  type_slug = "secret"
  data      = jsonencode({ value = var.token })
}
output "pool_id" {
  value = prefect_work_pool.pool.id
}
output "pool" {
  value = { name = prefect_work_pool.pool.name, type = prefect_work_pool.pool.type }
}
output "token_prefix" {
  value = "Bearer \${var.token}"
}
output "block_data" {
  value = prefect_block.secret.data
}
output "declared_sensitive" {
  value     = prefect_work_pool.pool.name
  sensitive = true
}
`;

describe("outputs", () => {
  const dev = useDevServer();

  it("are shown after apply and by `output`, never revealing a sensitive value", async () => {
    const dir = workdir({ "main.tf": CONFIG });
    const run = (args: string[]) => cli(dir, ossWorkspace(dev.server), args, { TF_VAR_token: "tok-SECRET-42" });
    const apply = await run(["apply", "--auto-approve"]);
    expect(apply.code, apply.stderr).toBe(0);
    const id = /prefect_work_pool\.pool: Creation complete after [\d.]+s \[id=([0-9a-f-]+)\]/.exec(apply.stderr)?.[1];
    expect(id).toBeDefined();
    expect(apply.stdout).toContain("Outputs:");
    expect(apply.stdout).toContain(`pool_id            = "${id}"`);
    expect(apply.stdout).toMatch(/pool\s+= \{"name":"outputs-pool","type":"process"\}/);
    expect(apply.stdout).toMatch(/token_prefix\s+= \(sensitive value\)/);
    expect(apply.stdout).toMatch(/block_data\s+= \(sensitive value\)/);
    expect(apply.stdout).toMatch(/declared_sensitive\s+= \(sensitive value\)/);

    expect((await run(["output", "pool_id"])).stdout).toBe(id);
    const json = JSON.parse((await run(["output", "--json"])).stdout);
    expect(json.pool).toEqual({ value: { name: "outputs-pool", type: "process" }, sensitive: false });
    expect(json.token_prefix).toEqual({ value: null, sensitive: true });
    const missing = await run(["output", "nope"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no output named "nope"');
    for (const result of [apply, await run(["output"]), await run(["output", "--json"])]) {
      expect(`${result.stdout}${result.stderr}`).not.toContain("tok-SECRET-42");
    }
  });

  it("validate needs no secret values: variables without one are known later", async () => {
    const dir = workdir({ "main.tf": CONFIG });
    const result = await cli(dir, { ...ossWorkspace(dev.server), env: {} }, ["validate"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("Success! The configuration is valid (2 resources).");
  });
});
