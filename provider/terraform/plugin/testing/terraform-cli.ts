// Test support: run the real terraform binary against the plugin executable through a
// generated CLI configuration (dev_overrides: no registry, no init), everything in temp folders.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The executable as a package install has it. */
export const PLUGIN_BIN = fileURLToPath(new URL("../../../../bin/terraform-provider-prefect.js", import.meta.url));

/** `terraform` when one is installed (then `terraform version` answers), else undefined. */
export function findTerraform(env: Record<string, string | undefined>): string | undefined {
  const result = spawnSync("terraform", ["version"], { env: { ...env, CHECKPOINT_DISABLE: "1", TF_CLI_CONFIG_FILE: "/dev/null" }, stdio: "ignore" });
  return result.status === 0 ? "terraform" : undefined;
}

export interface TerraformSandbox {
  /** A temp folder to write configurations in. */
  root: string;
  /** The environment terraform runs with: CHECKPOINT_DISABLE, TF_CLI_CONFIG_FILE, a temp data dir. */
  env: Record<string, string | undefined>;
}

/**
 * A temp folder holding `bin/terraform-provider-prefect` (a link to `plugin`) and a CLI
 * configuration whose dev_overrides points `prefecthq/prefect` at it.
 */
export function terraformSandbox(baseEnv: Record<string, string | undefined>, plugin = PLUGIN_BIN): TerraformSandbox {
  const root = mkdtempSync(join(tmpdir(), "tf-plugin-"));
  mkdirSync(join(root, "bin"));
  symlinkSync(plugin, join(root, "bin", "terraform-provider-prefect"));
  const cliConfig = join(root, "cli.tfrc");
  writeFileSync(cliConfig, `provider_installation {\n  dev_overrides {\n    "prefecthq/prefect" = ${JSON.stringify(join(root, "bin"))}\n  }\n  direct {}\n}\n`);
  return { root, env: { ...baseEnv, CHECKPOINT_DISABLE: "1", TF_CLI_CONFIG_FILE: cliConfig, TF_IN_AUTOMATION: "1", TF_DATA_DIR: join(root, ".terraform") } };
}

/**
 * A filesystem mirror in Terraform's unpacked layout holding the plugin as version `version`,
 * and a CLI configuration installing prefecthq/prefect from it only: `terraform init` works.
 */
export function mirrorSandbox(baseEnv: Record<string, string | undefined>, version: string, plugin = PLUGIN_BIN): TerraformSandbox {
  const root = mkdtempSync(join(tmpdir(), "tf-mirror-"));
  const platform = `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;
  const dir = join(root, "mirror", "registry.terraform.io", "prefecthq", "prefect", version, platform);
  mkdirSync(dir, { recursive: true });
  symlinkSync(plugin, join(dir, "terraform-provider-prefect"));
  const cliConfig = join(root, "cli.tfrc");
  writeFileSync(
    cliConfig,
    `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(join(root, "mirror"))}\n    include = ["registry.terraform.io/prefecthq/prefect"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/prefecthq/prefect"]\n  }\n}\n`,
  );
  return { root, env: { ...baseEnv, CHECKPOINT_DISABLE: "1", TF_CLI_CONFIG_FILE: cliConfig, TF_IN_AUTOMATION: "1" } };
}

export interface TerraformResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs terraform in `cwd` (asynchronously: the test process keeps serving anything it started). */
export function runTerraform(sandbox: TerraformSandbox, cwd: string, args: string[], extraEnv: Record<string, string> = {}): Promise<TerraformResult> {
  return new Promise((resolve) => {
    // In a checkout the plugin runs through tsx, whose disk cache entries are written in place, not
    // atomically: plugin processes Terraform starts at once could read each other's half-written
    // entry (a start-up failure seen once under a full suite). Installed, the plugin runs dist/.
    const child = spawn("terraform", args, { cwd, env: { ...sandbox.env, TSX_DISABLE_CACHE: "1", ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** The `terraform { required_providers }` block naming our provider. */
export const REQUIRED_PROVIDERS = 'terraform {\n  required_providers {\n    prefect = { source = "prefecthq/prefect" }\n  }\n}\n';

export interface ReattachedProvider {
  /** The TF_REATTACH_PROVIDERS value: terraform uses this process instead of launching the plugin. */
  reattach: string;
  stop(): Promise<void>;
}

/**
 * One plugin process for many terraform commands (`terraform-provider-prefect --debug`): saves the
 * plugin's start-up, several per command, but no longer covers Terraform launching the plugin
 * (handshake, mutual TLS) nor one process per provider instance; the plugin's own tests do.
 */
export function startReattachedProvider(env: Record<string, string | undefined>, plugin = PLUGIN_BIN): Promise<ReattachedProvider> {
  const child = spawn(process.execPath, [plugin, "--debug"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  return new Promise((resolve, reject) => {
    let stdout = "";
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`terraform-provider-prefect --debug exited with ${code}:\n${stderr}`)));
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^TF_REATTACH_PROVIDERS='(.*)'$/m.exec(stdout);
      if (!match) return;
      child.removeAllListeners("exit");
      resolve({
        reattach: match[1]!,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    });
  });
}
