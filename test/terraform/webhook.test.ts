// The Prefect Cloud-only resource, prefect_webhook, driven by the real terraform binary (skipped,
// with a message, when none is installed) through terraform-provider-prefect against a Cloud
// workspace of the devserver: the provider configured with the official provider's `endpoint`,
// `account_id`, `workspace_id` and `api_key`; create, "No changes", an in-place update, import in
// the official id format (`id,workspace_id`), "No changes" again and destroy. The API key comes
// from a variable and never appears in terraform's output.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ACCOUNT_ID, DEFAULT_WORKSPACE_ID } from "../../devserver/index.js";
import { findTerraform, REQUIRED_PROVIDERS, runTerraform, startReattachedProvider, terraformSandbox, type ReattachedProvider, type TerraformResult, type TerraformSandbox } from "../../provider/terraform/plugin/testing/terraform-cli.js";
import { CLOUD_API_KEY, useDevServer } from "../support/devserver.js";
import { cloudWorkspace, type Workspace } from "../support/engine.js";

const terraform = findTerraform(process.env);
if (!terraform) console.warn("test/terraform/webhook.test.ts: no terraform binary on the PATH; the Terraform webhook test is skipped.");

const config = (origin: string, description: string, enabled: boolean): string => `${REQUIRED_PROVIDERS}
variable "api_key" {
  type      = string
  sensitive = true
}

provider "prefect" {
  endpoint     = ${JSON.stringify(origin)}
  account_id   = ${JSON.stringify(DEFAULT_ACCOUNT_ID)}
  workspace_id = ${JSON.stringify(DEFAULT_WORKSPACE_ID)}
  api_key      = var.api_key
}

resource "prefect_webhook" "orders" {
  name        = "tf-orders"
  description = ${JSON.stringify(description)}
  enabled     = ${enabled}
  template    = jsonencode({ event = "shop.order.created", resource = { "prefect.resource.id" = "shop.order" } })
}

output "id" {
  value = prefect_webhook.orders.id
}
`;

describe.skipIf(!terraform)("prefect_webhook with terraform-provider-prefect against a Prefect Cloud workspace", () => {
  const dev = useDevServer();
  let sandbox: TerraformSandbox;
  let provider: ReattachedProvider;
  let dir: string;
  let ws: Workspace;
  const outputs: string[] = [];

  const tf = async (...args: string[]): Promise<TerraformResult> => {
    const result = await runTerraform(sandbox, dir, [...args, "-input=false", "-no-color"], { TF_REATTACH_PROVIDERS: provider.reattach, TF_VAR_api_key: CLOUD_API_KEY });
    outputs.push(result.stdout, result.stderr);
    return result;
  };
  const said = (result: TerraformResult): string => `exit ${result.status}\n${result.stdout}\n${result.stderr}`;

  beforeAll(async () => {
    sandbox = terraformSandbox(process.env, "/nonexistent/terraform-provider-prefect");
    dir = join(sandbox.root, "cloud");
    mkdirSync(dir);
    // No PREFECT_* in the provider's environment: the connection is the provider block's alone.
    provider = await startReattachedProvider({ ...sandbox.env, PREFECT_API_URL: "", PREFECT_API_KEY: "" });
    ws = cloudWorkspace(dev.server, DEFAULT_ACCOUNT_ID, DEFAULT_WORKSPACE_ID);
  });
  afterAll(async () => {
    await provider?.stop();
  });

  it("creates, updates in place, imports and destroys a webhook, with no changes in between and the key never shown", async () => {
    writeFileSync(join(dir, "main.tf"), config(dev.server.origin, "orders", true));
    const created = await tf("apply", "-auto-approve");
    expect(created.status, said(created)).toBe(0);
    // `output` takes no -input flag.
    const id = (await runTerraform(sandbox, dir, ["output", "-raw", "id"], { TF_REATTACH_PROVIDERS: provider.reattach })).stdout.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await ws.api.get<{ name: string; enabled: boolean }>(`/webhooks/${id}`)).body).toMatchObject({ name: "tf-orders", enabled: true });
    const clean = await tf("plan", "-detailed-exitcode");
    expect(clean.status, said(clean)).toBe(0);

    writeFileSync(join(dir, "main.tf"), config(dev.server.origin, "orders, paused", false));
    const update = await tf("plan", "-detailed-exitcode");
    expect(update.status, said(update)).toBe(2);
    expect(update.stdout).toContain("1 to change");
    expect((await tf("apply", "-auto-approve")).status).toBe(0);
    expect((await ws.api.get<{ id: string; enabled: boolean; description: string }>(`/webhooks/${id}`)).body).toMatchObject({ id, enabled: false, description: "orders, paused" });

    const forgotten = await runTerraform(sandbox, dir, ["state", "rm", "prefect_webhook.orders"], { TF_REATTACH_PROVIDERS: provider.reattach });
    expect(forgotten.status, said(forgotten)).toBe(0);
    // `import` takes its options before ADDR and ID.
    const imported = await runTerraform(sandbox, dir, ["import", "-input=false", "-no-color", "prefect_webhook.orders", `${id},${DEFAULT_WORKSPACE_ID}`], { TF_REATTACH_PROVIDERS: provider.reattach, TF_VAR_api_key: CLOUD_API_KEY });
    outputs.push(imported.stdout, imported.stderr);
    expect(imported.status, said(imported)).toBe(0);
    const afterImport = await tf("plan", "-detailed-exitcode");
    expect(afterImport.status, said(afterImport)).toBe(0);

    const destroyed = await tf("destroy", "-auto-approve");
    expect(destroyed.status, said(destroyed)).toBe(0);
    expect((await ws.api.get(`/webhooks/${id}`)).status).toBe(404);
    expect(outputs.join("\n")).not.toContain(CLOUD_API_KEY);
  });
});
