// Under devserver fault injection (server errors and 429 with Retry-After on 30% of requests,
// latency, dropped connections before and after the server handled the request) apply
// converges, makes no duplicate (automations and webhooks have no natural key), and a second
// plan shows no changes. Seeds make the faults repeatable.
import { describe, expect, it } from "vitest";
import type { FaultConfig } from "../../devserver/index.js";
import { workdir } from "../support/cli.js";
import { useDevServer } from "../support/devserver.js";
import {
  automation,
  automationsNamed,
  cli,
  cloudWorkspace,
  declare,
  limit,
  limitsNamed,
  output,
  ownedByState,
  variable,
  variablesNamed,
  webhook,
  webhooksNamed,
  type Declarations,
  type Workspace,
} from "../support/engine.js";

/**
 * 30% answered 502/503/504 or 429 (Retry-After 0.2 s), all delayed, some connections cut. No
 * 500s: a real 500 is a deterministic refusal (a Proactive trigger's ISO `within`, recordings
 * README) that Prefect's client does not repeat, and neither do we.
 */
const hostile = (seed: number): FaultConfig => ({
  seed,
  rules: [
    { type: "latency", ms: 5, jitterMs: 20 },
    { type: "error", ratio: 0.15, statuses: [502, 503, 504] },
    { type: "rate-limit", ratio: 0.18, retryAfter: 0.2 },
    { type: "drop", ratio: 0.1, phase: "either" },
  ],
});

describe("fault injection", () => {
  const dev = useDevServer();
  let counter = 0;
  const unique = (base: string) => `fault-${base}-${++counter}`;

  /** Set the faults through the admin route, which also resets the counts of faults injected. */
  async function setFaults(config: FaultConfig): Promise<void> {
    const response = await fetch(`${dev.server.origin}/_devserver/faults`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(config) });
    expect(response.status).toBe(200);
  }

  function stack(names: string[]): Declarations {
    return {
      variables: Object.fromEntries(names.map((name, i) => [`v${i}`, variable(name, { i })])),
      limits: Object.fromEntries(names.slice(0, 2).map((name, i) => [`l${i}`, limit(name, i + 1)])),
      automations: Object.fromEntries(names.map((name, i) => [`a${i}`, automation(name)])),
      webhooks: Object.fromEntries(names.slice(0, 2).map((name, i) => [`w${i}`, webhook(name)])),
    };
  }

  async function expectEachOnce(ws: Workspace, names: string[]): Promise<void> {
    for (const name of names) {
      expect(await variablesNamed(ws, name), `variable ${name}`).toHaveLength(1);
      expect(await automationsNamed(ws, name), `automation ${name}`).toHaveLength(1);
    }
    for (const name of names.slice(0, 2)) {
      expect(await limitsNamed(ws, name), `limit ${name}`).toHaveLength(1);
      expect(await webhooksNamed(ws, name), `webhook ${name}`).toHaveLength(1);
    }
  }

  it.each([7, 19, 23])("apply converges without duplicates, and a second plan shows no changes (seed %i)", async (seed) => {
    const ws = cloudWorkspace(dev.server);
    const dir = workdir();
    const names = [0, 1, 2].map(() => unique(`s${seed}`));
    declare(dir, stack(names));

    await setFaults(hostile(seed));
    try {
      const apply = await cli(dir, ws, ["apply", "--auto-approve"]);
      expect(apply.code, output(apply)).toBe(0);
      expect(apply.stdout).toContain("Apply complete! Resources: 10 added, 0 changed, 0 destroyed.");
      // Faults of every kind were really served during the run.
      const injected = dev.server.injectedFaults();
      expect(injected.error, JSON.stringify(injected)).toBeGreaterThan(0);
      expect(injected["rate-limit"], JSON.stringify(injected)).toBeGreaterThan(0);
      expect(injected.drop, JSON.stringify(injected)).toBeGreaterThan(0);

      const plan = await cli(dir, ws, ["plan", "--detailed-exitcode"]);
      expect(plan.code, output(plan)).toBe(0);
      expect(plan.stdout).toContain("No changes.");
    } finally {
      dev.server.clearFaults();
    }
    await expectEachOnce(ws, names);
    const owned = await ownedByState(dir, ws);
    expect(owned).toHaveLength(10);
    expect(new Set(owned.map((entry) => entry.id)).size).toBe(10);
  });

  it("updates and destroys converge under faults too", async () => {
    const ws = cloudWorkspace(dev.server);
    const dir = workdir();
    const names = [0, 1, 2].map(() => unique("upd"));
    declare(dir, stack(names));
    expect((await cli(dir, ws, ["apply", "--auto-approve"])).code).toBe(0);

    const changed = stack(names);
    for (const block of Object.values(changed.variables!)) block.value = "changed";
    for (const block of Object.values(changed.automations!)) block.enabled = false;
    for (const block of Object.values(changed.webhooks!)) block.description = "changed";
    declare(dir, changed);
    await setFaults(hostile(5));
    try {
      const update = await cli(dir, ws, ["apply", "--auto-approve"]);
      expect(update.code, output(update)).toBe(0);
      expect(update.stdout).toContain("0 added, 8 changed, 0 destroyed");
      expect((await cli(dir, ws, ["plan", "--detailed-exitcode"])).code).toBe(0);

      const destroy = await cli(dir, ws, ["destroy", "--auto-approve"]);
      expect(destroy.code, output(destroy)).toBe(0);
    } finally {
      dev.server.clearFaults();
    }
    for (const name of names) {
      expect(await variablesNamed(ws, name)).toEqual([]);
      expect(await automationsNamed(ws, name)).toEqual([]);
    }
    for (const name of names.slice(0, 2)) expect(await webhooksNamed(ws, name)).toEqual([]);
    expect(await ownedByState(dir, ws)).toEqual([]);
  });

  it("waits at least as long as Retry-After says before repeating a rate-limited request", async () => {
    const ws = cloudWorkspace(dev.server);
    const dir = workdir();
    declare(dir, { variables: { v: variable(unique("slow"), 1) } });
    // Seed 8: the first attempt is rate-limited, the second goes through.
    await setFaults({ seed: 8, rules: [{ type: "rate-limit", ratio: 0.5, retryAfter: 0.4, route: "POST /variables/filter" }] });
    try {
      const plan = await cli(dir, ws, ["plan", "--log-level", "debug"]);
      expect(plan.code, output(plan)).toBe(0);
      const waits = [...plan.stderr.matchAll(/debug: retrying POST \/variables\/filter in (\d+) ms/g)].map((match) => Number(match[1]));
      expect(waits.length, plan.stderr).toBeGreaterThan(0);
      for (const wait of waits) expect(wait).toBeGreaterThanOrEqual(400);
    } finally {
      dev.server.clearFaults();
    }
  });

  it("creates an automation once when the connection drops after the server made it", async () => {
    const ws = cloudWorkspace(dev.server);
    const dir = workdir();
    const names = [0, 1, 2, 3].map(() => unique("drop"));
    declare(dir, { automations: Object.fromEntries(names.map((name, i) => [`a${i}`, automation(name)])), webhooks: { w: webhook(names[0]!) } });
    // Every other create is made, then its answer is lost.
    await setFaults({ seed: 9, rules: [{ type: "drop", ratio: 0.5, phase: "after", route: "^POST /(automations|webhooks)/$" }] });
    try {
      const apply = await cli(dir, ws, ["apply", "--auto-approve"]);
      expect(apply.code, output(apply)).toBe(0);
      expect(dev.server.injectedFaults().drop).toBeGreaterThan(0);
    } finally {
      dev.server.clearFaults();
    }
    for (const name of names) expect(await automationsNamed(ws, name), name).toHaveLength(1);
    expect(await webhooksNamed(ws, names[0]!)).toHaveLength(1);
    expect((await cli(dir, ws, ["plan", "--detailed-exitcode"])).code).toBe(0);
  });
});
