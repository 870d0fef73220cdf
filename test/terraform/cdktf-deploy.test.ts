// `cdktf deploy` through terraform-provider-prefect, where a terraform binary is installed
// (skipped with a message otherwise). cdktf deploy is `cdktf synth` (the app command of
// cdktf.json run with CDKTF_OUTDIR) followed by `terraform init` and `terraform apply` in
// cdktf.out/stacks/<stack>; cdktf-cli itself is not a dependency (jsii, jsii-pacmak, ink and
// Sentry: far too heavy for CI), so this runs those same steps with the real terraform binary,
// the provider installed from a filesystem mirror as a user installs it.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrefectClient } from "../../provider/client/client.js";
import { resolveSettings } from "../../provider/client/settings.js";
import { findTerraform, mirrorSandbox, runTerraform, type TerraformSandbox } from "../../provider/terraform/plugin/testing/terraform-cli.js";
import { childProcessRunner } from "../../reconciler/config/cdktf.js";
import { useDevServer } from "../support/devserver.js";

const terraform = findTerraform(process.env);
if (!terraform) console.warn("test/terraform/cdktf-deploy.test.ts: no terraform binary on the PATH; cdktf deploy through the provider is not tested.");

const QUICKSTART = fileURLToPath(new URL("../../examples/quickstart", import.meta.url));
const VERSION = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
const SECRET = "https://hooks.example/T0/B0-cdktf-7a4";

describe.skipIf(!terraform)("cdktf deploy of examples/quickstart through terraform-provider-prefect", () => {
  const dev = useDevServer();
  let sandbox: TerraformSandbox;
  let stackDir: string;
  let client: PrefectClient;
  const tf = (...args: string[]) => runTerraform(sandbox, stackDir, [...args, "-input=false", "-no-color"], { PREFECT_API_URL: dev.server.url, TF_VAR_slack_webhook_url: SECRET });

  beforeAll(async () => {
    sandbox = mirrorSandbox(process.env, VERSION);
    // cdktf synth: the app command of cdktf.json, run where cdktf.json is, writing to CDKTF_OUTDIR.
    const app = (JSON.parse(readFileSync(join(QUICKSTART, "cdktf.json"), "utf8")) as { app: string }).app;
    const outdir = join(sandbox.root, "cdktf.out");
    await childProcessRunner({ PATH: process.env.PATH, HOME: process.env.HOME }).run(app, { cwd: QUICKSTART, outdir });
    stackDir = join(outdir, "stacks", "quickstart");
    client = new PrefectClient(resolveSettings({ apiUrl: dev.server.url }, { env: {}, readFile: () => undefined }));
  }, 60_000);
  afterAll(() => client?.close());

  it("applies the synthesized stack, then plans no changes", async () => {
    // The synthesized local backend names a state file beside the app (examples/quickstart):
    // keep the repository clean by pointing it into the sandbox, as a partial backend configuration.
    const init = await tf("init", `-backend-config=path=${join(sandbox.root, "quickstart.tfstate")}`);
    expect(init.status, init.stdout + init.stderr).toBe(0);
    expect(init.stdout).toContain(`Installed prefecthq/prefect v${VERSION}`);

    const applied = await tf("apply", "-auto-approve");
    expect(applied.status, applied.stdout + applied.stderr).toBe(0);
    const synthesized = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as { resource: Record<string, Record<string, unknown>> };
    const declared = Object.values(synthesized.resource).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
    expect(applied.stdout).toContain(`Apply complete! Resources: ${declared} added, 0 changed, 0 destroyed.`);
    expect(existsSync(join(sandbox.root, "quickstart.tfstate"))).toBe(true);
    const pools = await client.query<{ name: string }[]>("/work_pools/filter", {});
    expect(pools.map((pool) => pool.name)).toContain("etl-pool");

    const again = await tf("plan", "-detailed-exitcode");
    expect(again.status, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain("No changes.");
    expect(applied.stdout + again.stdout).not.toContain(SECRET);
  }, 120_000);
});
