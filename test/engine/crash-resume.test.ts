// kill -9 in the middle of an apply, then apply again: every declared object exists exactly once
// (automations and webhooks, which have no natural key, included), the state owns each once,
// and a following plan shows no changes. The kill lands while a create is in flight: the
// server makes the object after the client died, so its answer (the id) is lost.
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { workdir } from "../support/cli.js";
import { useDevServer } from "../support/devserver.js";
import {
  automation,
  automationsNamed,
  cli,
  cloudWorkspace,
  declare,
  journalOps,
  limit,
  loadState,
  limitsNamed,
  ossWorkspace,
  output,
  ownedByState,
  readState,
  startCli,
  statePath,
  until,
  variable,
  variablesNamed,
  webhook,
  webhooksNamed,
  type Workspace,
} from "../support/engine.js";

const LATENCY_MS = 300;

describe("crash and resume", () => {
  const dev = useDevServer();
  let counter = 0;
  const unique = (base: string) => `crash-${base}-${++counter}`;

  /**
   * Start `apply` as a child process with slow creates on `routes`, kill -9 it once at least
   * `afterPuts` outcomes are recorded and a create of `inFlight` has reached the server without
   * its answer being recorded, and wait until that create has landed.
   */
  async function killMidApply(dir: string, workspace: Workspace, options: { routes: string[]; inFlight: string; afterPuts: number; args?: string[] }): Promise<void> {
    startCounting();
    dev.server.setFaults({ rules: options.routes.map((route) => ({ type: "latency" as const, ms: LATENCY_MS, route })) });
    const child = startCli(dir, workspace, ["apply", "--auto-approve", "--parallelism", "1", ...(options.args ?? [])]);
    try {
      await until(() => {
        const arrived = dev.server.requestCounts()[options.inFlight] ?? 0;
        // Creates are sent one at a time: one more arrived than recorded means one is in flight.
        return journalOps(dir, "put").length >= options.afterPuts && arrived === countPutsOf(dir, options.inFlight) + 1;
      }, `a create of ${options.inFlight} in flight (output so far: ${child.output()})`);
      child.kill("SIGKILL");
      await child.exited;
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
    expect(child.signalCode).toBe("SIGKILL");
    await answeredAll();
    dev.server.clearFaults();
  }

  /** Count requests, and the exchanges that answer them, from now on. */
  function startCounting(): void {
    dev.server.resetRequestCounts();
    dev.server.clearExchanges();
  }

  /** Wait until the server has answered every request counted, those a dead client sent included. */
  async function answeredAll(): Promise<void> {
    await until(() => dev.server.exchanges.length >= dev.server.totalRequests(), "the server to answer every request it received");
  }

  /** Outcomes recorded for the kind a create route makes. */
  function countPutsOf(dir: string, route: string): number {
    const type = route.includes("automations") ? "prefect_automation" : route.includes("webhooks") ? "prefect_webhook" : route.includes("variables") ? "prefect_variable" : "prefect_global_concurrency_limit";
    return journalOps(dir, "put").filter((change) => (change.entry as { type: string }).type === type).length;
  }

  it("resumes automations and webhooks (no natural key) without duplicates", async () => {
    const ws = cloudWorkspace(dev.server);
    const dir = workdir();
    const autos = [0, 1, 2, 3].map(() => unique("auto"));
    const hooks = [0, 1].map(() => unique("hook"));
    declare(dir, {
      automations: Object.fromEntries(autos.map((name, i) => [`a${i}`, automation(name)])),
      webhooks: Object.fromEntries(hooks.map((name, i) => [`w${i}`, webhook(name)])),
    });

    await killMidApply(dir, ws, { routes: ["POST /automations/", "POST /webhooks/"], inFlight: "POST /automations/", afterPuts: 1 });

    // Some outcomes are recorded; the create in flight is recorded as an intent only.
    const interrupted = (await loadState(dir))!;
    const owned = Object.keys(interrupted.resources).length;
    expect(owned).toBeGreaterThanOrEqual(1);
    expect(owned).toBeLessThan(6);
    expect(Object.keys(interrupted.pending)).toHaveLength(1);

    const resumed = await cli(dir, ws, ["apply", "--auto-approve"]);
    expect(resumed.code, output(resumed)).toBe(0);
    expect(resumed.stdout).toContain("(resuming an interrupted create)");

    for (const name of autos) expect(await automationsNamed(ws, name), name).toHaveLength(1);
    for (const name of hooks) expect(await webhooksNamed(ws, name), name).toHaveLength(1);
    await expectOwnedOnce(dir, ws, 6, async (address) => {
      const index = Number(address.slice(-1));
      const live = address.startsWith("prefect_automation") ? await automationsNamed(ws, autos[index]!) : await webhooksNamed(ws, hooks[index]!);
      return live[0]?.id;
    });
    const plan = await cli(dir, ws, ["plan", "--detailed-exitcode"]);
    expect(plan.code, output(plan)).toBe(0);
  });

  it("resumes variables and concurrency limits (natural keys): adopted, not blocked, not duplicated", async () => {
    const ws = ossWorkspace(dev.server);
    const dir = workdir();
    const vars = [0, 1, 2].map(() => unique("var"));
    const limits = [0, 1].map(() => unique("limit"));
    declare(dir, {
      variables: Object.fromEntries(vars.map((name, i) => [`v${i}`, variable(name, { i })])),
      limits: Object.fromEntries(limits.map((name, i) => [`l${i}`, limit(name, i + 1)])),
    });

    await killMidApply(dir, ws, { routes: ["POST /variables/", "POST /v2/concurrency_limits/"], inFlight: "POST /variables/", afterPuts: 1 });

    const resumed = await cli(dir, ws, ["apply", "--auto-approve"]);
    expect(resumed.code, output(resumed)).toBe(0);
    expect(resumed.stdout).toContain("(resuming an interrupted create)");
    expect(output(resumed)).not.toContain("already exists");

    for (const name of vars) expect(await variablesNamed(ws, name), name).toHaveLength(1);
    for (const name of limits) expect(await limitsNamed(ws, name), name).toHaveLength(1);
    await expectOwnedOnce(dir, ws, 5, async (address) => {
      const index = Number(address.slice(-1));
      const live = address.startsWith("prefect_variable") ? await variablesNamed(ws, vars[index]!) : await limitsNamed(ws, limits[index]!);
      return live[0]?.id;
    });
    const plan = await cli(dir, ws, ["plan", "--detailed-exitcode"]);
    expect(plan.code, output(plan)).toBe(0);
  });

  it("a destroy after an apply killed midway also deletes what the interrupted create made", async () => {
    const ws = cloudWorkspace(dev.server);
    const dir = workdir();
    const autos = [0, 1, 2].map(() => unique("orphan"));
    declare(dir, { automations: Object.fromEntries(autos.map((name, i) => [`a${i}`, automation(name)])), variables: { v: variable(autos[0]!, 1) } });

    await killMidApply(dir, ws, { routes: ["POST /automations/"], inFlight: "POST /automations/", afterPuts: 1 });
    expect(Object.keys((await loadState(dir))!.pending)).toHaveLength(1);

    const destroyed = await cli(dir, ws, ["destroy", "--auto-approve"]);
    expect(destroyed.code, output(destroyed)).toBe(0);
    for (const name of autos) expect(await automationsNamed(ws, name), name).toEqual([]);
    expect(await variablesNamed(ws, autos[0]!)).toEqual([]);
    const state = readState(dir);
    expect(state.resources).toEqual({});
    expect(state.pending).toEqual({});
  });

  describe("intents left by a run that died (state written as it left it)", () => {
    const ws = () => ossWorkspace(dev.server);
    /** A state owning nothing, with pending creates of these addresses started just now. */
    function stateWithIntents(dir: string, intents: { address: string; type: string; identity?: string; name?: string }[]): void {
      const pending = Object.fromEntries(intents.map((intent) => [intent.address, { ...intent, specHash: "hmac-sha256:00", startedAt: new Date(Date.now() - 1000).toISOString() }]));
      writeFileSync(statePath(dir), JSON.stringify({ version: 1, lineage: "5b3c1f0e-0000-4000-8000-000000000001", serial: 3, salt: "00112233445566778899aabbccddeeff", resources: {}, pending }));
    }

    it("destroy deletes a variable its interrupted create made, and clears an intent whose create made nothing", async () => {
      const dir = workdir();
      const [made, never] = [unique("made"), unique("never")];
      declare(dir, { variables: { made: variable(made, 1), never: variable(never, 1) } });
      await ws().api.post("/variables/", { name: made, value: 1 });
      stateWithIntents(dir, [
        { address: "prefect_variable.made", type: "prefect_variable", identity: made, name: made },
        { address: "prefect_variable.never", type: "prefect_variable", identity: never, name: never },
      ]);
      const plan = await cli(dir, ws(), ["plan", "--destroy"]);
      expect(plan.stdout).toContain("# prefect_variable.made will be destroyed");
      expect(plan.stdout).toContain("(made by an interrupted create)");
      expect(plan.stdout).toContain("# prefect_variable.never will be removed from the state");
      const result = await cli(dir, ws(), ["destroy", "--auto-approve"]);
      expect(result.code, output(result)).toBe(0);
      expect(await variablesNamed(ws(), made)).toEqual([]);
      expect(readState(dir).pending).toEqual({});
    });

    it("warns about an interrupted create whose declaration is gone, and neither deletes nor adopts what it made", async () => {
      const dir = workdir();
      const name = unique("undeclared");
      declare(dir, { variables: { other: variable(`${name}-other`, 1) } });
      await ws().api.post("/variables/", { name, value: 1 });
      stateWithIntents(dir, [{ address: "prefect_variable.gone", type: "prefect_variable", identity: name, name }]);
      const result = await cli(dir, ws(), ["apply", "--auto-approve"]);
      expect(result.code, output(result)).toBe(0);
      expect(output(result)).toContain("Warning: A create of prefect_variable.gone was interrupted at");
      expect(output(result)).toContain(`The variable it may have made ("${name}") is not managed by this state`);
      expect(await variablesNamed(ws(), name)).toHaveLength(1);
      expect(Object.keys(readState(dir).resources)).toEqual(["prefect_variable.other"]);
    });
  });

  it("resumes a destroy killed midway: everything owned is deleted once, nothing is left in the state", async () => {
    const ws = ossWorkspace(dev.server);
    const dir = workdir();
    const names = [0, 1, 2, 3].map(() => unique("gone"));
    declare(dir, { variables: Object.fromEntries(names.map((name, i) => [`v${i}`, variable(name, i)])), automations: { a: automation(names[0]!) } });
    expect((await cli(dir, ws, ["apply", "--auto-approve"])).code).toBe(0);

    startCounting();
    dev.server.setFaults({ rules: [{ type: "latency", ms: LATENCY_MS, route: "DELETE /**" }] });
    const child = startCli(dir, ws, ["destroy", "--auto-approve", "--parallelism", "1"]);
    await until(() => journalOps(dir, "remove").length >= 1 && (dev.server.requestCounts()["DELETE /variables/{id}"] ?? 0) > journalOps(dir, "remove").length - 1, "a delete in flight");
    child.kill("SIGKILL");
    await child.exited;
    await answeredAll();
    dev.server.clearFaults();
    expect(Object.keys(readState(dir).resources).length, "the snapshot still lists what the journal removed").toBeGreaterThan(0);

    const resumed = await cli(dir, ws, ["destroy", "--auto-approve"]);
    expect(resumed.code, output(resumed)).toBe(0);
    for (const name of names) expect(await variablesNamed(ws, name)).toEqual([]);
    expect(await automationsNamed(ws, names[0]!)).toEqual([]);
    expect(readState(dir).resources).toEqual({});
  });

  /** The state owns `count` addresses, each with the id of the one live object of its name. */
  async function expectOwnedOnce(dir: string, ws: Workspace, count: number, liveId: (address: string) => Promise<string | undefined>): Promise<void> {
    const owned = await ownedByState(dir, ws);
    expect(owned).toHaveLength(count);
    expect(new Set(owned.map((entry) => entry.id)).size).toBe(count);
    for (const entry of owned) expect(entry.id, entry.address).toBe(await liveId(entry.address));
    expect(readState(dir).pending).toEqual({});
  }
});
