// Plans read what the stack owns (by id) or declares (by name), not the whole workspace: the
// objects the devserver answers are counted per route, with many other objects in the workspace.
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { workdir } from "../support/cli.js";
import { useDevServer } from "../support/devserver.js";
import { cli, cloudWorkspace, createLive, ok, output, ossWorkspace, readState, type Json, type Workspace } from "../support/engine.js";

const ref = (address: string, attribute: string) => `\${${address}.${attribute}}`;

/** A stack of every kind with scoped reads: pool, queue, flow, deployment with a schedule, block, variable, automation. */
function stackJson(t: string, extra: { variables?: Record<string, Json>; automations?: Record<string, Json> } = {}): Json {
  return {
    resource: {
      prefect_work_pool: { pool: { name: `${t}-pool`, type: "process" } },
      prefect_work_queue: { critical: { name: "critical", work_pool_name: ref("prefect_work_pool.pool", "name"), priority: 2 } },
      prefect_flow: { etl: { name: `${t}-etl` } },
      prefect_deployment: { nightly: { name: "nightly", flow_id: ref("prefect_flow.etl", "id"), work_pool_name: ref("prefect_work_pool.pool", "name"), work_queue_name: ref("prefect_work_queue.critical", "name"), entrypoint: "flows/etl.py:etl" } },
      prefect_deployment_schedule: { nightly: { deployment_id: ref("prefect_deployment.nightly", "id"), cron: "0 2 * * *" } },
      prefect_block: { token: { name: `${t}-token`, type_slug: "secret", data: JSON.stringify({ value: "not-a-real-token" }) } },
      prefect_variable: { retention: { name: `${t}_retention`, value: 30 }, ...extra.variables },
      prefect_automation: {
        alert: { name: `${t}-alert`, trigger: { event: { posture: "Reactive", expect: ["prefect.flow-run.Failed"] } }, actions: [{ type: "do-nothing" }] },
        ...extra.automations,
      },
    },
  };
}

const declareStack = (dir: string, document: Json) => writeFileSync(join(dir, "main.tf.json"), JSON.stringify(document, null, 2));

/** Other teams' objects: OTHERS of each kind the stack declares (deployments of one other flow). */
const OTHERS = 30;
async function crowd(ws: Workspace, t: string): Promise<void> {
  const flow = await createLive(ws, "/flows/", { name: `${t}-other-flow` });
  for (let i = 0; i < OTHERS; i++) {
    await createLive(ws, "/work_pools/", { name: `${t}-other-pool-${i}`, type: "process" });
    await createLive(ws, "/flows/", { name: `${t}-other-flow-${i}` });
    await createLive(ws, "/deployments/", { name: `other-${i}`, flow_id: flow, schedules: [{ schedule: { cron: "0 3 * * *" } }] });
    await createLive(ws, "/variables/", { name: `${t}_other_${i}`, value: i });
    await createLive(ws, "/automations/", { name: `${t}-other-${i}`, trigger: { type: "event", posture: "Reactive", expect: ["x"], threshold: 1, within: 0 }, actions: [{ type: "do-nothing" }] });
  }
}

/** Objects answered per route, the block catalog (Prefect's, the same everywhere) left out. */
/** The requests on variables' routes. */
const readRoutes = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).filter(([route, count]) => count > 0 && /variables/.test(route)));

const workspaceObjects = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).filter(([route, count]) => count > 0 && !/\/block_(types|schemas)\//.test(route)));

describe("scoped reads", () => {
  const dev = useDevServer();

  it("a no-change plan and a drift answer the stack's objects only, however many others the workspace holds", async () => {
    const ws = ossWorkspace(dev.server);
    const t = `scope${Date.now() % 100000}`;
    await crowd(ws, t);
    const dir = workdir();
    declareStack(dir, stackJson(t));
    expect((await cli(dir, ws, ["apply", "--auto-approve"])).code).toBe(0);
    for (const args of [["plan", "--detailed-exitcode"], ["drift"]]) {
      dev.server.resetRequestCounts();
      const result = await cli(dir, ws, args);
      expect(result.code, output(result)).toBe(0);
      // Each object once: a pool and its queue, a flow, a deployment (its schedule inside), a block, a variable, an automation.
      expect(workspaceObjects(dev.server.objectCounts())).toEqual({
        "POST /work_pools/filter": 1,
        "POST /work_queues/filter": 1,
        "POST /flows/filter": 1,
        "POST /deployments/filter": 1,
        "POST /block_documents/filter": 1,
        "POST /variables/filter": 1,
        "POST /automations/filter": 1,
      });
      expect(dev.server.totalRequests()).toBeLessThanOrEqual(9);
    }
  });

  it("finds an owned object re-created outside prefect-gitops by its declared name, and adopts it", async () => {
    const ws = ossWorkspace(dev.server);
    const t = `recreate${Date.now() % 100000}`;
    const dir = workdir();
    declareStack(dir, stackJson(t));
    expect((await cli(dir, ws, ["apply", "--auto-approve"])).code).toBe(0);
    const owned = readState(dir).resources["prefect_variable.retention"]!.id;
    expect((await ws.api.delete(`/variables/${owned}`)).status).toBe(204);
    const again = await createLive(ws, "/variables/", { name: `${t}_retention`, value: 30 });
    const result = await cli(dir, ws, ["plan"]);
    expect(result.stdout).toContain("re-created outside prefect-gitops; adopting it");
    expect(result.stdout).toContain(again);
    expect(result.stdout).not.toMatch(/\+ .*prefect_variable\.retention/);
  });

  it("reports a same-named object a new declaration would collide with, from the name read", async () => {
    const ws = ossWorkspace(dev.server);
    const t = `taken${Date.now() % 100000}`;
    const dir = workdir();
    declareStack(dir, stackJson(t));
    expect((await cli(dir, ws, ["apply", "--auto-approve"])).code).toBe(0);
    const taken = await createLive(ws, "/variables/", { name: `${t}_taken`, value: 1 });
    declareStack(dir, stackJson(t, { variables: { taken: { name: `${t}_taken`, value: 1 } } }));
    const drift = await cli(dir, ws, ["drift", "--json"]);
    expect(drift.code).toBe(2);
    expect((JSON.parse(drift.stdout) as { lookalikes: { address: string; id: string }[] }).lookalikes).toEqual([expect.objectContaining({ address: "prefect_variable.taken", id: taken })]);
  });

  it("reads by name the declarations whose names are made of variables, and still finds a collision", async () => {
    const ws = ossWorkspace(dev.server);
    const t = `vars${Date.now() % 100000}`;
    await crowd(ws, t);
    const taken = await createLive(ws, "/variables/", { name: `${t}_taken`, value: 1 });
    const dir = workdir();
    const stack = stackJson("${var.team}", { variables: { taken: { name: "${var.team}_taken", value: 1 } } }) as { variable?: Json };
    stack.variable = { team: { default: t } };
    declareStack(dir, stack);
    dev.server.resetRequestCounts();
    const drift = await cli(dir, ws, ["drift", "--json"]);
    expect(drift.code, output(drift)).toBe(2);
    expect((JSON.parse(drift.stdout) as { lookalikes: { address: string; id: string }[] }).lookalikes).toEqual([expect.objectContaining({ address: "prefect_variable.taken", id: taken })]);
    // Nothing else named after the team exists yet: of the crowd's objects, none is answered (read whole, each kind would answer 30 or more).
    // ("nightly" deployments and "critical" queues of the other tests' stacks are answered by name.)
    const answered = workspaceObjects(dev.server.objectCounts());
    expect(Object.keys(answered).filter((route) => !/deployments|work_queues/.test(route))).toEqual(["POST /variables/filter"]);
    expect(answered["POST /variables/filter"]).toBe(1);
  });

  it("lists a kind whole where /count shows it cheaper, and still finds the declared names; reads by name where the workspace holds more", async () => {
    const ws = cloudWorkspace(dev.server, randomUUID(), randomUUID());
    const t = `count${Date.now() % 100000}`;
    const taken = await createLive(ws, "/variables/", { name: `${t}_v7`, value: 1 });
    const dir = workdir();
    // 500 names: three pages of names, against one count and one page of the 1 variable the workspace holds.
    declareStack(dir, { resource: { prefect_variable: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`v${i}`, { name: `${t}_v${i}`, value: i }])) } });
    const lookalikes = async () => {
      const drift = await cli(dir, ws, ["drift", "--json"]);
      expect(drift.code, output(drift)).toBe(2);
      return (JSON.parse(drift.stdout) as { lookalikes: { address: string; id: string }[] }).lookalikes;
    };
    dev.server.resetRequestCounts();
    expect(await lookalikes()).toEqual([expect.objectContaining({ address: "prefect_variable.v7", id: taken })]);
    expect(readRoutes(dev.server.requestCounts())).toEqual({ "POST /variables/count": 1, "POST /variables/filter": 1 });
    // With 600 other variables the listing would answer more than the 500 wanted: read by name.
    await Promise.all(Array.from({ length: 600 }, (_, i) => createLive(ws, "/variables/", { name: `${t}_other_${i}`, value: i })));
    dev.server.resetRequestCounts();
    expect(await lookalikes()).toEqual([expect.objectContaining({ address: "prefect_variable.v7", id: taken })]);
    expect(readRoutes(dev.server.requestCounts())).toEqual({ "POST /variables/count": 1, "POST /variables/filter": 3 });
  });

  it("reads an owned automation no longer declared by its id, and plans its delete", async () => {
    const ws = ossWorkspace(dev.server);
    const t = `orphan${Date.now() % 100000}`;
    const dir = workdir();
    const extra = { automations: { old: { name: `${t}-old`, trigger: { event: { posture: "Reactive", expect: ["prefect.flow-run.Failed"] } }, actions: [{ type: "do-nothing" }] } } };
    declareStack(dir, stackJson(t, extra));
    expect((await cli(dir, ws, ["apply", "--auto-approve"])).code).toBe(0);
    const old = readState(dir).resources["prefect_automation.old"]!.id;
    declareStack(dir, stackJson(t));
    dev.server.resetRequestCounts();
    const result = await cli(dir, ws, ["plan", "--detailed-exitcode"]);
    expect(result.code, output(result)).toBe(2);
    expect(result.stdout).toContain("# prefect_automation.old will be destroyed");
    expect(dev.server.requestCounts()["GET /automations/{id}"]).toBe(1);
    await ok(ws.api.get(`/automations/${old}`), "the automation is still there after a plan");
  });
});

describe("drift --unmanaged", () => {
  const dev = useDevServer();

  it("reads every object of the declared kinds and lists those the state does not own; without it, only declared names are read", async () => {
    const ws = ossWorkspace(dev.server);
    const t = `unmanaged${Date.now() % 100000}`;
    const dir = workdir();
    writeFileSync(join(dir, "main.tf.json"), JSON.stringify({ resource: { prefect_variable: { mine: { name: `${t}_mine`, value: 1 } } } }));
    expect((await cli(dir, ws, ["apply", "--auto-approve"])).code).toBe(0);
    const other = await createLive(ws, "/variables/", { name: `${t}_other`, value: 2 });
    const scoped = await cli(dir, ws, ["drift", "--json"]);
    expect(scoped.code).toBe(0);
    expect(JSON.parse(scoped.stdout)).not.toHaveProperty("unmanaged");
    const all = await cli(dir, ws, ["drift", "--json", "--unmanaged"]);
    expect(all.code, output(all)).toBe(0);
    const report = JSON.parse(all.stdout) as { unmanaged: { type: string; id: string }[] };
    expect(report.unmanaged).toContainEqual(expect.objectContaining({ type: "prefect_variable", id: other }));
    expect(report.unmanaged.map((item) => item.id)).not.toContain(readState(dir).resources["prefect_variable.mine"]!.id);
    expect((await cli(dir, ws, ["drift", "--unmanaged"])).stdout).toContain(`${t}_other`);
  });
});
