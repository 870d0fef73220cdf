// The real terraform binary (skipped when none is installed) loads the plugin executable through
// dev_overrides, with Terraform's default automatic mutual TLS, and sees what schema-export makes.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { KIND_SCHEMAS } from "../../kinds/schemas.js";
import { createResourceProvider } from "../resources/index.js";
import { providerSchemaJson, PROVIDER_SOURCE } from "../schema-export.js";
import { findTerraform, mirrorSandbox, REQUIRED_PROVIDERS, runTerraform, terraformSandbox, type TerraformSandbox } from "./testing/terraform-cli.js";

const terraform = findTerraform(process.env);
if (!terraform) console.warn("provider/terraform/plugin/terraform.test.ts: no terraform binary on the PATH; the tests that drive it are skipped.");

const EXAMPLE = fileURLToPath(new URL("../../../examples/hcl", import.meta.url));

describe.skipIf(!terraform)("terraform with terraform-provider-prefect", { timeout: 180_000 }, () => {
  let sandbox: TerraformSandbox;
  beforeAll(() => {
    // TF_DISABLE_PLUGIN_TLS unset: the default, mutual TLS.
    const env = { ...process.env };
    delete env.TF_DISABLE_PLUGIN_TLS;
    sandbox = terraformSandbox(env);
  });

  const configDir = (name: string, hcl: string): string => {
    const dir = join(sandbox.root, name);
    mkdirSync(dir);
    writeFileSync(join(dir, "main.tf"), REQUIRED_PROVIDERS + hcl);
    return dir;
  };

  test("`terraform providers schema -json` prints the schema export", async () => {
    const result = await runTerraform(sandbox, configDir("schema", ""), ["providers", "schema", "-json"]);
    expect(result.status, result.stderr).toBe(0);
    const printed = JSON.parse(result.stdout);
    const served = createResourceProvider({ env: {}, log: () => {} }).schemas();
    expect(printed).toEqual(served);
    // What the resource side serves for resources and the provider block is the schema export itself.
    const exported = providerSchemaJson(KIND_SCHEMAS).provider_schemas[PROVIDER_SOURCE]!;
    expect(printed.provider_schemas[PROVIDER_SOURCE].resource_schemas).toEqual(exported.resource_schemas);
    expect(printed.provider_schemas[PROVIDER_SOURCE].provider).toEqual(exported.provider);
  });

  test("`terraform validate` passes on examples/hcl", async () => {
    const dir = join(sandbox.root, "hcl");
    cpSync(EXAMPLE, dir, { recursive: true });
    const result = await runTerraform(sandbox, dir, ["validate", "-no-color"]);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain("The configuration is valid");
  });

  test("`terraform validate` shows the kind's rule on the attribute's line", async () => {
    const dir = configDir("invalid", 'resource "prefect_work_pool" "p" {\n  name = "prefect-reserved"\n  type = "process"\n}\n');
    const result = await runTerraform(sandbox, dir, ["validate", "-no-color"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/on main\.tf line 7, in resource "prefect_work_pool" "p":\s+7:\s+name = "prefect-reserved"/);
  });

  test("`terraform init` installs it from a filesystem mirror, and `terraform validate` runs it", async () => {
    const { version } = JSON.parse(readFileSync(fileURLToPath(new URL("../../../package.json", import.meta.url)), "utf8")) as { version: string };
    const mirror = mirrorSandbox(sandbox.env, version);
    const dir = join(mirror.root, "config");
    mkdirSync(dir);
    writeFileSync(join(dir, "main.tf"), REQUIRED_PROVIDERS + 'resource "prefect_variable" "v" {\n  name  = "x"\n  value = "1"\n}\n');
    const init = await runTerraform(mirror, dir, ["init", "-no-color"]);
    expect(init.status, init.stdout + init.stderr).toBe(0);
    expect(init.stdout).toContain(`Installed prefecthq/prefect v${version}`);
    const validate = await runTerraform(mirror, dir, ["validate", "-no-color"]);
    expect(validate.status, validate.stdout + validate.stderr).toBe(0);
  });

  test("with TF_LOG=trace, no sensitive value reaches Terraform's log", async () => {
    const secret = "pnu_never-in-a-log-4e1f";
    const dir = configDir(
      "secrets",
      `provider "prefect" {\n  api_key = "${secret}"\n}\nresource "prefect_block" "b" {\n  name      = "s"\n  type_slug = "secret"\n  data      = jsonencode({ value = "${secret}" })\n}\n`,
    );
    const logPath = join(dir, "trace.log");
    const result = await runTerraform(sandbox, dir, ["validate", "-no-color"], { TF_LOG: "trace", TF_LOG_PATH: logPath });
    expect(result.status, result.stdout + result.stderr).toBe(0);
    const log = readFileSync(logPath, "utf8");
    // The plugin did run and log: the calls that carried the secret are in the log, the secret is not.
    expect(log).toContain("ValidateResourceConfig prefect_block");
    expect(log).not.toContain(secret);
    expect(result.stdout + result.stderr).not.toContain(secret);
  });
});
