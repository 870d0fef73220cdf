// --backend workspace: the state lives in the Prefect workspace itself (a block document) and
// its lock is a global concurrency limit held under a lease. End to end: apply, plan, state
// commands and lock contention between two processes.
import { existsSync } from "node:fs";
import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { workdir } from "../support/cli.js";
import { useDevServer } from "../support/devserver.js";
import {
  automation,
  automationsNamed,
  cli,
  declare,
  limit,
  ossWorkspace,
  output,
  ownedByState,
  startCli,
  statePath,
  until,
  variable,
  variablesNamed,
  type Workspace,
} from "../support/engine.js";

interface StateBlock {
  data: { state: { serial: number; resources: Record<string, { id: string; values: Record<string, unknown> }> } };
}

describe("workspace backend", () => {
  const dev = useDevServer();
  const ws = (): Workspace => ossWorkspace(dev.server);
  let counter = 0;
  const unique = (base: string) => `wsb-${base}-${++counter}`;
  const backend = (stateName: string) => ["--backend", "workspace", "--state-name", stateName];

  async function stateBlock(stateName: string): Promise<StateBlock | undefined> {
    const response = await ws().api.get<StateBlock>(`/block_types/slug/prefect-gitops-state/block_documents/name/prefect-gitops-state-${stateName}`);
    return response.status === 200 ? response.body : undefined;
  }

  it("applies with the state kept in the workspace; plan, drift and state list read it back", async () => {
    const dir = workdir();
    const name = unique("v");
    const stateName = unique("state");
    declare(dir, { variables: { v: variable(name, 1) }, limits: { l: limit(name, 2) }, automations: { a: automation(name) } });

    const apply = await cli(dir, ws(), ["apply", "--auto-approve", ...backend(stateName)]);
    expect(apply.code, output(apply)).toBe(0);
    expect(existsSync(statePath(dir)), "no local state file").toBe(false);
    const block = await stateBlock(stateName);
    expect(Object.keys(block!.data.state.resources).sort()).toEqual(["prefect_automation.a", "prefect_global_concurrency_limit.l", "prefect_variable.v"]);
    expect(block!.data.state.resources["prefect_variable.v"]!.id).toBe((await variablesNamed(ws(), name))[0]!.id);

    const plan = await cli(dir, ws(), ["plan", "--detailed-exitcode", ...backend(stateName)]);
    expect(plan.code, output(plan)).toBe(0);
    expect((await cli(dir, ws(), ["drift", ...backend(stateName)])).code).toBe(0);
    expect((await ownedByState(dir, ws(), backend(stateName))).map((entry) => entry.address)).toHaveLength(3);
    // The lock's own objects (a concurrency limit and a holder variable) are not managed objects.
    const lockLimit = await ws().api.get(`/v2/concurrency_limits/prefect-gitops-lock-${stateName}`);
    expect(lockLimit.status).toBe(200);
    expect(plan.stdout).not.toContain("prefect-gitops-lock");

    // Another state name in the same workspace is another state.
    const other = await cli(dir, ws(), ["plan", ...backend(unique("other"))]);
    expect(other.code).toBe(1);
    expect(other.stdout).toContain("already exists and is not managed by this state");

    const destroy = await cli(dir, ws(), ["destroy", "--auto-approve", ...backend(stateName)]);
    expect(destroy.code, output(destroy)).toBe(0);
    expect(await variablesNamed(ws(), name)).toEqual([]);
    expect((await stateBlock(stateName))!.data.state.resources).toEqual({});
    expect((await ws().api.get(`/v2/concurrency_limits/prefect-gitops-lock-${stateName}`)).status, "destroy leaves the lock alone").toBe(200);
  });

  it("a second process fails with 'state locked by' naming the holder, or waits for it and then finds nothing to do", async () => {
    const dir = workdir();
    const stateName = unique("state");
    const names = [0, 1, 2, 3].map(() => unique("auto"));
    declare(dir, { automations: Object.fromEntries(names.map((name, i) => [`a${i}`, automation(name)])) });
    dev.server.setFaults({ rules: [{ type: "latency", ms: 500, route: "POST /automations/" }] });
    try {
      const holder = startCli(dir, ws(), ["apply", "--auto-approve", "--parallelism", "1", ...backend(stateName)], { USER: "alice" });
      await until(async () => (await ws().api.get(`/variables/name/prefect-gitops-lock-${stateName}`)).status === 200, `the first apply to take the lock (${holder.output()})`);
      // This process waits for the other one, starting at once.
      const waiting = cli(dir, ws(), ["apply", "--auto-approve", "--lock-timeout", "30s", ...backend(stateName)], { USER: "bob" });

      const refused = await cli(dir, ws(), ["plan", "--lock-timeout", "0", ...backend(stateName)], { USER: "carol" });
      expect(refused.code, output(refused)).toBe(1);
      expect(refused.stderr).toContain(`state locked by alice@${hostname()} (pid ${holder.pid}) running "apply" since`);
      expect(refused.stderr).toContain(`concurrency limit prefect-gitops-lock-${stateName}`);

      expect(await holder.exited, holder.output()).toBe(0);
      const waited = await waiting;
      expect(waited.code, output(waited)).toBe(0);
      expect(waited.stderr).toContain("Waiting for the state lock held by alice@");
      expect(waited.stdout).toContain("No changes.");
    } finally {
      dev.server.clearFaults();
    }
    for (const name of names) expect(await automationsNamed(ws(), name), name).toHaveLength(1);
    expect(await ownedByState(dir, ws(), backend(stateName))).toHaveLength(4);
    // Released: the next run takes the lock at once.
    expect((await cli(dir, ws(), ["plan", "--detailed-exitcode", "--lock-timeout", "0", ...backend(stateName)])).code).toBe(0);
    expect((await ws().api.get(`/variables/name/prefect-gitops-lock-${stateName}`)).status, "the holder record is removed").toBe(404);
  });

  it("keeps sensitive values out of the state block, as salted hashes", async () => {
    const dir = workdir();
    const stateName = unique("state");
    const secret = "workspace-backend-secret-42";
    declare(dir, { inputs: { token: { type: "string", sensitive: true } }, variables: { v: variable(unique("v"), "${var.token}") } });
    expect((await cli(dir, ws(), ["apply", "--auto-approve", ...backend(stateName)], { TF_VAR_token: secret })).code).toBe(0);
    const block = await stateBlock(stateName);
    expect(JSON.stringify(block)).not.toContain(secret);
    expect(block!.data.state.resources["prefect_variable.v"]!.values.value).toEqual({ $sensitive: expect.stringMatching(/^hmac-sha256:/) });
  });
});
