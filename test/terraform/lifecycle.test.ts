// The real terraform binary (skipped, with a message, when none is installed) drives
// terraform-provider-prefect against a devserver on loopback: examples/hcl/main.tf unchanged
// plus a configuration with every resource type (test/terraform/lifecycle.tf.template), through
// create, "No changes", in-place updates (tags and parameters cleared), replacements, imports of
// existing objects in the official id formats, data sources, out-of-band changes and destroy.
// Terraform commands are few and each does much. They share one plugin process, reattached
// (TF_REATTACH_PROVIDERS, `terraform-provider-prefect --debug`): launched by Terraform, the
// plugin would start 3 to 5 times per command, 18 times here, about a second each on an idle
// machine. Terraform launching the plugin is covered by provider/terraform/plugin/terraform.test.ts
// and test/terraform/cdktf-deploy.test.ts.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrefectClient } from "../../provider/client/client.js";
import { resolveSettings } from "../../provider/client/settings.js";
import type { Kind, KindContext } from "../../provider/kinds/kind.js";
import { kindFor } from "../../provider/kinds/registry.js";
import { createKindContext } from "../../provider/kinds/runtime.js";
import { findTerraform, runTerraform, startReattachedProvider, terraformSandbox, type ReattachedProvider, type TerraformResult, type TerraformSandbox } from "../../provider/terraform/plugin/testing/terraform-cli.js";
import { useDevServer } from "../support/devserver.js";
import { declare } from "../support/kind-lifecycle.js";

const terraform = findTerraform(process.env);
if (!terraform) console.warn("test/terraform/lifecycle.test.ts: no terraform binary on the PATH; the end-to-end Terraform tests are skipped.");

const EXAMPLE = fileURLToPath(new URL("../../examples/hcl/main.tf", import.meta.url));
const TEMPLATE = fileURLToPath(new URL("./lifecycle.tf.template", import.meta.url));
const SECRETS = ["SECRET-ONE-7c3", "SECRET-TWO-9d1", "PRE-SECRET-5e2", "hooks.example"];

describe.skipIf(!terraform)("terraform plan/apply/import/destroy with terraform-provider-prefect", () => {
  const dev = useDevServer();
  let sandbox: TerraformSandbox;
  let provider: ReattachedProvider;
  let dir: string;
  let client: PrefectClient;
  let ctx: KindContext;
  const ids: Record<string, string> = {};
  const outputs: string[] = [];

  const create = async (type: string, declaration: Record<string, unknown>): Promise<string> => {
    const kind = kindFor(type) as Kind;
    return kind.idOf(await kind.create(ctx, declare(kind, declaration)));
  };

  const write = (version: 1 | 2): void => {
    let text = readFileSync(TEMPLATE, "utf8").replace(/^(\s*\w+\s*=\s*)(.*?)\s+# v2: (.*)$/gm, (_line, left: string, first: string, second: string) => left + (version === 2 ? second : first));
    for (const [name, id] of Object.entries(ids)) text = text.replaceAll(name, id);
    writeFileSync(join(dir, "lifecycle.tf"), text);
  };

  const tf = async (...args: string[]): Promise<TerraformResult> => {
    const result = await runTerraform(sandbox, dir, [...args, "-input=false", "-no-color"], { TF_REATTACH_PROVIDERS: provider.reattach, TF_VAR_slack_webhook_url: "https://hooks.example/T0/B0" });
    outputs.push(result.stdout, result.stderr);
    return result;
  };

  beforeAll(async () => {
    // The sandbox's plugin is a link to nothing: were Terraform to launch a plugin instead of
    // reattaching, the commands would fail, not pass slowly.
    sandbox = terraformSandbox(process.env, "/nonexistent/terraform-provider-prefect");
    dir = join(sandbox.root, "stack");
    mkdirSync(dir);
    copyFileSync(EXAMPLE, join(dir, "main.tf"));
    provider = await startReattachedProvider({ ...sandbox.env, PREFECT_API_URL: dev.server.url });
    client = new PrefectClient(resolveSettings({ apiUrl: dev.server.url }, { env: {}, readFile: () => undefined }));
    ctx = createKindContext(client);
    // What exists before Terraform manages it: one object of every type, imported by the configuration.
    const pool = "pre-pool";
    await create("prefect_work_pool", { name: pool, type: "process" });
    await create("prefect_work_queue", { work_pool_name: pool, name: "pre-queue", priority: 2 });
    ids.PRE_FLOW_ID = await create("prefect_flow", { name: "pre-flow", tags: ["pre"] });
    ids.PRE_DEPLOYMENT_ID = await create("prefect_deployment", { name: "pre", flow_id: ids.PRE_FLOW_ID, parameters: { n: 1 } });
    ids.PRE_SCHEDULE_ID = await create("prefect_deployment_schedule", { deployment_id: ids.PRE_DEPLOYMENT_ID, interval: 3600 });
    ids.PRE_BLOCK_ID = await create("prefect_block", { name: "pre-block", type_slug: "secret", data: { value: "PRE-SECRET-5e2" } });
    await create("prefect_variable", { name: "pre_var", value: 5 });
    ids.PRE_LIMIT_ID = await create("prefect_global_concurrency_limit", { name: "pre-limit", limit: 4 });
    ids.PRE_AUTOMATION_ID = await create("prefect_automation", {
      name: "pre-auto",
      trigger: { event: { posture: "Reactive", expect: ["prefect.flow-run.Crashed"], threshold: 1, within: 0 } },
      actions: [{ type: "do-nothing" }],
    });
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await provider?.stop();
  });

  it("applies examples/hcl unchanged with every type, imports, plans no changes, updates and replaces, sees out-of-band changes, destroys", async () => {
    write(1);
    const created = await tf("apply", "-auto-approve");
    expect(created.status, created.stdout + created.stderr).toBe(0);
    // 12 resources of examples/hcl, 10 declared here; 9 imported.
    expect(created.stdout).toMatch(/Apply complete! Resources: 9 imported, 22 added, 0 changed, 0 destroyed\./);
    for (const line of ['"automation_name" = "e2e-auto"', '"block_type" = "secret"', '"flow_name" = "e2e-flow"', '"limit" = 2', '"pool_type" = "process"', '"queue_priority" = 2']) expect(created.stdout).toContain(line);
    expect(created.stdout).toMatch(/"variable_tags" = toset\(\[\s*"t",\s*\]\)/);

    const clean = await tf("plan", "-detailed-exitcode");
    expect(clean.status, clean.stdout + clean.stderr).toBe(0);
    expect(clean.stdout).toContain("No changes.");

    write(2);
    const updated = await tf("apply", "-auto-approve");
    expect(updated.status, updated.stdout + updated.stderr).toBe(0);
    expect(updated.stdout).toMatch(/prefect_work_queue\.q must be replaced/);
    expect(updated.stdout).toMatch(/~ name\s+= "q1" -> "q2" # forces replacement/);
    expect(updated.stdout).toMatch(/prefect_block\.b must be replaced/);
    for (const address of ["prefect_work_pool.p", "prefect_flow.f", "prefect_deployment.d", "prefect_deployment_schedule.s", "prefect_variable.v", "prefect_global_concurrency_limit.g", "prefect_automation.a"]) {
      expect(updated.stdout).toContain(`${address} will be updated in-place`);
    }
    expect(updated.stdout).toMatch(/Apply complete! Resources: 2 added, 7 changed, 2 destroyed\./);
    expect(updated.stdout).toMatch(/"variable_tags" = toset\(\[\]\)/);

    // Out of band: a variable changed, a limit deleted. The plan shows exactly these (so the
    // updates above converged): the variable back in place, the limit created anew.
    const variable = (await client.query<{ id: string }[]>("/variables/filter", { variables: { name: { any_: ["e2e_var"] } } }))[0]!;
    await client.patch(`/variables/${variable.id}`, { value: "changed elsewhere" });
    await client.delete("/v2/concurrency_limits/e2e-gcl");
    const drift = await tf("plan", "-detailed-exitcode");
    expect(drift.status, drift.stdout + drift.stderr).toBe(2);
    expect(drift.stdout).toMatch(/prefect_variable\.v will be updated in-place[\s\S]*~ value\s+= "changed elsewhere" -> "text"/);
    expect(drift.stdout).toContain("prefect_global_concurrency_limit.g will be created");
    expect(drift.stdout).toMatch(/Plan: 1 to add, 1 to change, 0 to destroy\./);

    const destroyed = await tf("destroy", "-auto-approve");
    expect(destroyed.status, destroyed.stdout + destroyed.stderr).toBe(0);
    expect(destroyed.stdout).toMatch(/Destroy complete! Resources: 30 destroyed\./);
    expect(await client.query<unknown[]>("/work_pools/filter", {})).toEqual([]);
    expect(await client.query<unknown[]>("/variables/filter", {})).toEqual([]);
    expect(await client.query<unknown[]>("/automations/filter", {})).toEqual([]);

    // Secrets are marked sensitive: Terraform never prints them, nor does the provider.
    for (const secret of SECRETS) expect(outputs.join("\n")).not.toContain(secret);
  }, 600_000);
});
