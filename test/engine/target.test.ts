// The engine's whole cycle against the API target: the devserver by default, or the server
// named by PREFECT_TEST_API_URL (and PREFECT_TEST_API_KEY), where it proves the engine against a
// real Prefect. Names are unique to the run, so a shared server is left as it was found.
import { describe, expect, it } from "vitest";
import { runCli, workdir } from "../support/cli.js";
import { useApiTarget } from "../support/target.js";

/** The quickstart's shape with run-unique names: every kind an OSS server serves. */
function stack(name: (base: string) => string): string {
  return `
variable "secret" {
  type      = string
  sensitive = true
}
resource "prefect_work_pool" "pool" {
  name = "${name("e2e-pool")}"
  type = "process"
}
resource "prefect_work_queue" "default" {
  name           = "default"
  work_pool_name = prefect_work_pool.pool.name
}
resource "prefect_work_queue" "critical" {
  name           = "critical"
  work_pool_name = prefect_work_pool.pool.name
  priority       = 2
}
resource "prefect_flow" "flow" {
  name = "${name("e2e-flow")}"
}
resource "prefect_deployment" "a" {
  name            = "a"
  flow_id         = prefect_flow.flow.id
  work_pool_name  = prefect_work_pool.pool.name
  work_queue_name = prefect_work_queue.critical.name
  parameters      = jsonencode({ x = 1 })
  tags            = ["e2e"]
}
resource "prefect_deployment" "b" {
  name           = "b"
  flow_id        = prefect_flow.flow.id
  work_pool_name = prefect_work_pool.pool.name
}
resource "prefect_deployment_schedule" "a" {
  deployment_id = prefect_deployment.a.id
  cron          = "0 3 * * *"
  timezone      = "UTC"
}
resource "prefect_block" "secret" {
  name      = "${name("e2e-secret")}"
  type_slug = "secret"
  data      = jsonencode({ value = var.secret })
}
resource "prefect_variable" "v" {
  name  = "${name("e2e_var").replace(/-/g, "_")}"
  value = { on = true }
}
resource "prefect_global_concurrency_limit" "l" {
  name  = "${name("e2e-limit")}"
  limit = 3
}
resource "prefect_automation" "rerun" {
  name = "${name("e2e-automation")}"
  trigger = {
    event = {
      posture       = "Reactive"
      expect        = ["prefect.flow-run.Failed"]
      match_related = jsonencode({ "prefect.resource.id" = "prefect.deployment.\${prefect_deployment.a.id}" })
    }
  }
  actions = [{ type = "run-deployment", source = "selected", deployment_id = prefect_deployment.b.id }]
}
`;
}

describe("the engine against the API target", () => {
  const target = useApiTarget();

  it("applies every OSS kind, plans clean, audits clean, and destroys only what it made", async () => {
    const dir = workdir({ "main.tf": stack((base) => target.name(base)) });
    const env: Record<string, string | undefined> = { PREFECT_API_URL: target.url, PREFECT_API_KEY: target.apiKey, TF_VAR_secret: "e2e-secret-value" };
    const apply = await runCli(["apply", "--auto-approve", "--no-color"], { cwd: dir, env });
    expect(apply.code, `${apply.stdout}\n${apply.stderr}`).toBe(0);
    expect(apply.stdout).toContain("Apply complete! Resources: 11 added, 0 changed, 0 destroyed.");

    const plan = await runCli(["plan", "--detailed-exitcode", "--no-color"], { cwd: dir, env });
    expect(plan.code, plan.stdout).toBe(0);
    const drift = await runCli(["drift", "--no-color"], { cwd: dir, env });
    expect(drift.code, drift.stdout).toBe(0);

    const destroy = await runCli(["destroy", "--auto-approve", "--no-color"], { cwd: dir, env });
    expect(destroy.code, `${destroy.stdout}\n${destroy.stderr}`).toBe(0);
    expect(destroy.stdout).toContain("Destroy complete! Resources: 0 added, 0 changed, 11 destroyed.");
    for (const result of [apply, plan, drift, destroy]) expect(`${result.stdout}${result.stderr}`).not.toContain("e2e-secret-value");
  });
});
