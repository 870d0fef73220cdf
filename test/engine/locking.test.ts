// The state lock between processes (file backend): a second run waits or fails with "state
// locked by ..." naming the holder, --lock-timeout bounds the wait, a run that waited plans
// against the state the holder left (no duplicates), and a dead holder's lock is taken over.
import { spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { workdir } from "../support/cli.js";
import { useDevServer } from "../support/devserver.js";
import {
  automation,
  automationsNamed,
  cli,
  declare,
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

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.on("close", resolve));
  return child.pid!;
}

describe("state lock", () => {
  const dev = useDevServer();
  const ws = (): Workspace => ossWorkspace(dev.server);
  let counter = 0;
  const unique = (base: string) => `lock-${base}-${++counter}`;

  it("a second run fails at once with 'state locked by' naming the holder, waits with --lock-timeout, then plans against the holder's state", async () => {
    const dir = workdir();
    const names = [1, 2, 3, 4, 5].map(() => unique("auto"));
    declare(dir, { automations: Object.fromEntries(names.map((name, i) => [`a${i}`, automation(name)])) });
    // Each create takes 400 ms, one at a time: the holder keeps the lock for two seconds.
    dev.server.setFaults({ rules: [{ type: "latency", ms: 400, route: "POST /automations/" }] });
    try {
      const holder = startCli(dir, ws(), ["apply", "--auto-approve", "--parallelism", "1"], { USER: "alice" });
      await until(() => existsSync(`${statePath(dir)}.lock`), "the first apply to take the lock");
      // This process waits for the other one (long enough timeout), and starts waiting at once.
      const waiter = cli(dir, ws(), ["apply", "--auto-approve", "--lock-timeout", "30s"], { USER: "bob" });

      // No waiting: refused at once, the holder named.
      const refused = await cli(dir, ws(), ["plan", "--lock-timeout", "0"], { USER: "carol" });
      expect(refused.code, output(refused)).toBe(1);
      expect(refused.stderr).toContain(`state locked by alice@${hostname()} (pid ${holder.pid}) running "apply" since`);
      expect(refused.stderr).toContain("raise --lock-timeout");

      // A short timeout: waits, says for whom, then gives up.
      const started = performance.now();
      const timedOut = await cli(dir, ws(), ["apply", "--auto-approve", "--lock-timeout", "300ms"], { USER: "carol" });
      expect(timedOut.code).toBe(1);
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);
      expect(timedOut.stderr).toContain(`Waiting for the state lock held by alice@${hostname()} (apply since`);
      expect(timedOut.stderr).toContain("state locked by alice@");

      // The waiter plans once the holder is done, from the state it left: nothing to do.
      const [first, second] = [await holder.exited, await waiter];
      expect(first, holder.output()).toBe(0);
      expect(second.code, output(second)).toBe(0);
      expect(second.stderr).toContain("Waiting for the state lock held by alice@");
      expect(second.stdout).toContain("No changes.");
    } finally {
      dev.server.clearFaults();
    }
    for (const name of names) expect(await automationsNamed(ws(), name), name).toHaveLength(1);
    const owned = await ownedByState(dir, ws());
    expect(owned.map((entry) => entry.address)).toEqual(["prefect_automation.a0", "prefect_automation.a1", "prefect_automation.a2", "prefect_automation.a3", "prefect_automation.a4"]);
    expect(new Set(owned.map((entry) => entry.id)).size).toBe(5);
    expect(existsSync(`${statePath(dir)}.lock`), "the lock is released").toBe(false);
  });

  it("drift neither takes nor waits for the lock", async () => {
    const dir = workdir();
    declare(dir, { variables: { v: variable(unique("v"), 1) } });
    expect((await cli(dir, ws(), ["apply", "--auto-approve"])).code).toBe(0);
    writeFileSync(`${statePath(dir)}.lock`, JSON.stringify({ who: "ci@build-agent-7", pid: 4242, host: "build-agent-7", operation: "apply", since: new Date().toISOString(), token: "t" }));
    const drift = await cli(dir, ws(), ["drift"]);
    expect(drift.code, output(drift)).toBe(0);
    expect(existsSync(`${statePath(dir)}.lock`)).toBe(true);
  });

  it("never takes over the lock of a holder on another host: it names it and fails", async () => {
    const dir = workdir();
    declare(dir, { variables: { v: variable(unique("v"), 1) } });
    writeFileSync(`${statePath(dir)}.lock`, JSON.stringify({ who: "ci@build-agent-7", pid: 4242, host: "build-agent-7", operation: "apply", since: "2026-01-02T03:04:05.000Z", token: "t" }));
    const result = await cli(dir, ws(), ["apply", "--auto-approve", "--lock-timeout", "200ms"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('state locked by ci@build-agent-7 (pid 4242) running "apply" since 2026-01-02T03:04:05.000Z');
    expect(await variablesNamed(ws(), "v")).toEqual([]);
  });

  it("takes over at once the lock of a holder on this host that is dead (kill -9)", async () => {
    const dir = workdir();
    const name = unique("v");
    declare(dir, { variables: { v: variable(name, 1) } });
    const pid = await deadPid();
    writeFileSync(`${statePath(dir)}.lock`, JSON.stringify({ who: "alice@here", pid, host: hostname(), operation: "apply", since: new Date().toISOString(), token: "dead" }));
    const result = await cli(dir, ws(), ["apply", "--auto-approve", "--lock-timeout", "0"]);
    expect(result.code, output(result)).toBe(0);
    expect(await variablesNamed(ws(), name)).toHaveLength(1);
    expect(existsSync(`${statePath(dir)}.lock`)).toBe(false);
  });

  it("releases the lock when an apply fails", async () => {
    const dir = workdir();
    const name = unique("v");
    // Prefect refuses variable values over 5000 characters.
    declare(dir, { variables: { ok: variable(name, 1), big: variable(`${name}-big`, "x".repeat(6000)) } });
    const failed = await cli(dir, ws(), ["apply", "--auto-approve"]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain("What succeeded is recorded in the state; run apply again to finish.");
    expect(existsSync(`${statePath(dir)}.lock`)).toBe(false);
    declare(dir, { variables: { ok: variable(name, 1) } });
    const again = await cli(dir, ws(), ["plan", "--detailed-exitcode", "--lock-timeout", "0"]);
    expect(again.code, output(again)).toBe(0);
  });
});
