// A stack built with the constructs, synthesized as `cdktf synth` does, planned and applied by
// the engine (no Terraform binary) against a devserver; a second plan then finds nothing to do.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli, type CliResult } from "../../test/support/cli.js";
import { useDevServer } from "../../test/support/devserver.js";
import { rawApi } from "../../test/support/http.js";
import { App, TerraformStack } from "../cdk.js";
import { Deployment, PullStep } from "../kinds/deployment/construct.js";
import { Schedule } from "../kinds/deployment-schedule/construct.js";
import { WorkPool } from "../kinds/work-pool/construct.js";
import { PrefectProvider } from "./provider.js";

/** Synthesize the stack of the quickstart shape into `outdir`; answers the stack's directory. */
function synthesizeStack(outdir: string, suffix: string): string {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, "prefect");
  new PrefectProvider(stack, "prefect");

  const pool = new WorkPool(stack, "pool", {
    name: `k8s-${suffix}`,
    type: "kubernetes",
    concurrencyLimit: 10,
    baseJobTemplate: {
      job_configuration: { image: "{{ image }}", namespace: "{{ namespace }}" },
      variables: { type: "object", properties: { image: { type: "string" }, namespace: { type: "string", default: "prefect" } } },
    },
  });
  const urgent = pool.addQueue("urgent", { priority: 1, concurrencyLimit: 2, description: "pages someone" });
  pool.addQueue("default", { priority: 2 });
  const batch = pool.addQueue("batch", { priority: 3, paused: true });

  const nightly = new Deployment(stack, "nightly", {
    name: "nightly",
    flowName: `etl-${suffix}`,
    workQueue: batch,
    entrypoint: "flows/etl.py:etl",
    parameters: { full_refresh: false, tables: ["orders", "customers"], pool: pool.workPoolName },
    jobVariables: { image: "acme/etl:1.4" },
    tags: ["etl", "nightly"],
    pullSteps: [PullStep.gitClone({ repository: "https://github.com/acme/flows.git", branch: "main" }), PullStep.pipInstallRequirements()],
  });
  nightly.addSchedule(Schedule.cron("0 2 * * *"), { timezone: "Europe/Paris", slug: "nightly", parameters: { full_refresh: true } });

  const hourly = new Deployment(stack, "hourly", {
    name: "hourly",
    flowName: `etl-${suffix}`,
    workPool: pool,
    workQueue: urgent,
    parameters: { full_refresh: false },
    concurrencyLimit: 1,
  });
  hourly.addSchedule(Schedule.interval({ hours: 1 }, { anchorDate: "2025-01-01T00:15:00Z" }));

  app.synth();
  return join(outdir, "stacks", "prefect");
}

describe("constructs, end to end through the engine", () => {
  const dev = useDevServer();
  const run = (args: string[], dir: string): Promise<CliResult> => runCli([...args, "--no-color"], { cwd: dir, env: { PREFECT_API_URL: dev.server.url } });
  const show = (result: CliResult) => `${result.stdout}\n${result.stderr}`;

  const outdirs: string[] = [];
  afterAll(() => {
    for (const outdir of outdirs) rmSync(outdir, { recursive: true, force: true });
  });

  it("validates, applies, and then plans no changes", async () => {
    const outdir = mkdtempSync(join(tmpdir(), "prefect-gitops-constructs-"));
    outdirs.push(outdir);
    const dir = synthesizeStack(outdir, "e2e");
    expect(existsSync(join(dir, "cdk.tf.json"))).toBe(true);

    const validate = await run(["validate", dir], dir);
    expect(validate.code, show(validate)).toBe(0);

    const apply = await run(["apply", "--auto-approve", dir], dir);
    expect(apply.code, show(apply)).toBe(0);

    const plan = await run(["plan", "--detailed-exitcode", dir], dir);
    expect(plan.code, show(plan)).toBe(0);

    // What is live, read straight from the API rather than through the engine.
    const api = rawApi(dev.server.url);
    const flows = (await api.post<{ id: string; name: string }[]>("/flows/filter", { flows: { name: { any_: ["etl-e2e"] } } })).body;
    expect(flows).toHaveLength(1);
    const deployments = (await api.post<{ id: string; name: string; flow_id: string; work_pool_name: string; work_queue_name: string; parameters: Record<string, unknown> }[]>("/deployments/filter", {})).body;
    const byName = Object.fromEntries(deployments.map((deployment) => [deployment.name, deployment]));
    expect(byName.nightly).toMatchObject({ flow_id: flows[0]!.id, work_pool_name: "k8s-e2e", work_queue_name: "batch", parameters: { full_refresh: false, tables: ["orders", "customers"], pool: "k8s-e2e" } });
    expect(byName.hourly).toMatchObject({ flow_id: flows[0]!.id, work_pool_name: "k8s-e2e", work_queue_name: "urgent" });
    const queues = (await api.post<{ name: string; priority: number }[]>("/work_pools/k8s-e2e/queues/filter", {})).body;
    expect(Object.fromEntries(queues.map((queue) => [queue.name, queue.priority]))).toEqual({ urgent: 1, default: 2, batch: 3 });
    const schedules = (await api.get<{ schedule: Record<string, unknown> }[]>(`/deployments/${byName.nightly!.id}/schedules`)).body;
    expect(schedules.map((schedule) => schedule.schedule)).toMatchObject([{ cron: "0 2 * * *", timezone: "Europe/Paris" }]);
  });
});
