// A workspace made by Prefect's own CLI (`prefect work-pool create`, `prefect deploy --all`),
// brought under management: the devserver makes what a real server made from the CLI's own
// requests, `import --all` turns it into configuration and state, and the next plan and drift
// are clean.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareBodies, IdMap } from "../conformance/compare.js";
import { readRecordingLines, RECORDINGS_DIR } from "../conformance/recordings.js";
import { workdir } from "../support/cli.js";
import { useDevServer } from "../support/devserver.js";
import { cli, ok, ossWorkspace, output, readState } from "../support/engine.js";
import { makePrefectDeployWorkspace, PREFECT_DEPLOY_FIXTURES, PREFECT_DEPLOY_POOL, prefectDeployWorkspace } from "../support/prefect-deploy.js";

type Named = { name: string };
const byName = <T extends Named>(items: T[]): T[] => [...items].sort((a, b) => a.name.localeCompare(b.name));

describe("a workspace made by prefect deploy", () => {
  const dev = useDevServer();

  it("is made by the devserver from the CLI's requests as the real server made it", async () => {
    const ws = ossWorkspace(dev.server);
    expect(await makePrefectDeployWorkspace(ws.url)).toEqual([]);
    const recorded = prefectDeployWorkspace();
    const listed = {
      work_pools: await ok<Named[]>(ws.api.post("/work_pools/filter", { work_pools: { name: { any_: [PREFECT_DEPLOY_POOL] } } }), "pools"),
      work_queues: await ok<Named[]>(ws.api.post(`/work_pools/${PREFECT_DEPLOY_POOL}/queues/filter`, {}), "queues"),
      flows: await ok<Named[]>(ws.api.post("/flows/filter", {}), "flows"),
      deployments: await ok<Named[]>(ws.api.post("/deployments/filter", {}), "deployments"),
      automations: await ok<Named[]>(ws.api.post("/automations/filter", {}), "automations"),
      concurrency_limits: await ok<Named[]>(ws.api.post("/v2/concurrency_limits/filter", {}), "limits"),
    };
    // The listing was recorded in another run than the CLI's requests: its ids pair anew.
    const ids = new IdMap();
    for (const [kind, live] of Object.entries(listed)) {
      const expected = byName((recorded as unknown as Record<string, Named[]>)[kind]!);
      expect(compareBodies(expected, byName(live), ids, `$.${kind}`), kind).toEqual([]);
    }
  });

  it("is imported by import --all, after which plan and drift show nothing to do", async () => {
    const dir = workdir();
    // A Cloud-style workspace of its own, so the other test's objects are not in it.
    const ws = ossWorkspace(dev.server);
    const fresh = { ...ws, url: dev.server.cloudUrl("8c2a9a3e-1d3c-4f55-9a7b-0a0a0a0a0a01", "8c2a9a3e-1d3c-4f55-9a7b-0a0a0a0a0a02") };
    const env = { PREFECT_API_URL: fresh.url, PREFECT_API_KEY: "pnu_devserver_test_key" };
    expect(await makePrefectDeployWorkspace(fresh.url)).toEqual([]);

    const imported = await cli(dir, { ...fresh, env }, ["import", "--all", dir]);
    expect(imported.code, output(imported)).toBe(0);
    const config = readFileSync(join(dir, "imported.tf.json"), "utf8");
    for (const name of [PREFECT_DEPLOY_POOL, "etl-nightly", "report-weekly", "report-weekly__automation_1", "0 2 * * *", "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9"]) expect(config).toContain(name);
    // The deployment's own limit (`deployment:<id>`) is the deployment's concurrency_limit, not a resource.
    expect(config).not.toContain("deployment:");
    expect(Object.keys(readState(dir).resources ?? {}).length).toBeGreaterThanOrEqual(9);

    const plan = await cli(dir, { ...fresh, env }, ["plan", dir, "--detailed-exitcode"]);
    expect(plan.code, output(plan)).toBe(0);
    const drift = await cli(dir, { ...fresh, env }, ["drift", dir]);
    expect(drift.code, output(drift)).toBe(0);
  });

  const shared = join(RECORDINGS_DIR, "prefect-deploy-workspace.json");
  it.skipIf(!existsSync(shared))("fixtures are the recordings as they are in ../shared", () => {
    expect(readFileSync(join(PREFECT_DEPLOY_FIXTURES, "workspace.json"), "utf8")).toBe(readFileSync(shared, "utf8"));
    const recordedWrites = readRecordingLines(join(RECORDINGS_DIR, "prefect-cli.jsonl"));
    const fixture = readRecordingLines(join(PREFECT_DEPLOY_FIXTURES, "cli-writes.jsonl"));
    expect(fixture).toEqual(fixture.map((write) => recordedWrites.find((line) => line.seq === write.seq)));
  });
});
