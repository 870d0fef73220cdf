// Every command of the CLI end to end, over HTTP against the devserver: what it prints, what it
// changes (and what it must not), and its exit code.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../reconciler/cli.js";
import { CLI_BIN, mutatingRequests, workdir } from "../support/cli.js";
import { useDevServer } from "../support/devserver.js";
import {
  automation,
  automationsNamed,
  cli,
  createLive,
  declare,
  limit,
  limitsNamed,
  liveAutomation,
  ossWorkspace,
  output,
  ownedByState,
  readState,
  statePath,
  variable,
  until,
  variablesNamed,
  type Json,
  type Workspace,
} from "../support/engine.js";

/** util-linux `script` gives a child process a terminal, so that it asks for approval. */
const hasScript = spawnSync("script", ["--version"], { stdio: "ignore" }).status === 0;

/** Run the CLI on a terminal, answering its question with `answer`. */
async function onTerminal(dir: string, env: Record<string, string>, args: string[], answer: string): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, CLI_BIN, ...args, "--no-color"].map((part) => `'${part}'`).join(" ");
  const child = spawn("script", ["-qfec", command, "/dev/null"], { cwd: dir, env: { PATH: process.env.PATH, HOME: process.env.HOME, CHECKPOINT_DISABLE: "1", TERM: "dumb", ...env } });
  let text = "";
  child.stdout.on("data", (chunk: Buffer) => (text += chunk.toString()));
  const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
  await until(() => text.includes("Enter a value:"), `the approval question (output so far: ${text})`);
  child.stdin.write(`${answer}\r`);
  return { code: await closed, output: text };
}

describe("commands", () => {
  /** When each variable create was answered (performance.now()). */
  const createsAnswered: number[] = [];
  const dev = useDevServer({ onExchange: (exchange) => void (exchange.method === "POST" && exchange.template === "/variables/" && createsAnswered.push(performance.now())) });
  const ws = (): Workspace => ossWorkspace(dev.server);
  let counter = 0;
  /** A name unique within this file's devserver. */
  const unique = (base: string) => `cmd-${base}-${++counter}`;

  describe("validate", () => {
    it("accepts a valid configuration offline: exit 0, no request sent", async () => {
      const dir = workdir();
      declare(dir, { variables: { a: variable(unique("a"), 1) }, limits: { l: limit(unique("l"), 2) } });
      dev.server.resetRequestCounts();
      const result = await cli(dir, ws(), ["validate"]);
      expect(result.code, output(result)).toBe(0);
      expect(result.stdout).toContain("Success! The configuration is valid (2 resources).");
      expect(dev.server.totalRequests()).toBe(0);
    });

    it("prints a machine-readable verdict with --json, and exits 1 for an invalid configuration", async () => {
      const dir = workdir();
      declare(dir, { variables: { a: variable("Not Valid", 1) } });
      const result = await cli(dir, ws(), ["validate", "--json"]);
      expect(result.code, output(result)).toBe(1);
      const verdict = JSON.parse(result.stdout) as { valid: boolean; resources: number; diagnostics: { severity: string; address?: string }[] };
      expect(verdict.valid).toBe(false);
      expect(verdict.resources).toBe(1);
      expect(verdict.diagnostics).toContainEqual(expect.objectContaining({ severity: "error", address: "prefect_variable.a" }));
    });

    it("needs no connection at all", async () => {
      const dir = workdir();
      declare(dir, { variables: { a: variable(unique("a"), 1) } });
      const result = await cli(dir, { ...ws(), env: {} }, ["validate"]);
      expect(result.code, output(result)).toBe(0);
    });
  });

  describe("plan", () => {
    it("shows what apply would do, changes nothing and exits 0 even with changes", async () => {
      const dir = workdir();
      const name = unique("v");
      declare(dir, { variables: { v: variable(name, { a: 1 }) }, limits: { l: limit(name, 3) } });
      dev.server.resetRequestCounts();
      const result = await cli(dir, ws(), ["plan"]);
      expect(result.code, output(result)).toBe(0);
      expect(result.stdout).toContain("# prefect_variable.v will be created");
      expect(result.stdout).toContain("# prefect_global_concurrency_limit.l will be created");
      expect(result.stdout).toContain("Plan: 2 to add, 0 to change, 0 to destroy.");
      expect(mutatingRequests(dev.server.requestCounts())).toEqual({});
      expect(await variablesNamed(ws(), name)).toEqual([]);
      expect(existsSync(statePath(dir)), "a plan writes no state").toBe(false);
    });

    it("--detailed-exitcode: 2 with changes, 0 without, 1 on errors", async () => {
      const dir = workdir();
      const name = unique("v");
      declare(dir, { variables: { v: variable(name, 1) } });
      expect((await cli(dir, ws(), ["plan", "--detailed-exitcode"])).code).toBe(2);
      expect((await cli(dir, ws(), ["apply", "--auto-approve"])).code).toBe(0);
      const clean = await cli(dir, ws(), ["plan", "--detailed-exitcode"]);
      expect(clean.code, output(clean)).toBe(0);
      expect(clean.stdout).toContain("No changes.");
      declare(dir, { variables: { v: variable("Bad Name", 1) } });
      expect((await cli(dir, ws(), ["plan", "--detailed-exitcode"])).code).toBe(1);
    });

    it("--json prints the plan as data: actions, masked values, attribute changes and the summary", async () => {
      const dir = workdir();
      const name = unique("v");
      declare(dir, { variables: { v: variable(name, 1), w: variable(`${name}-w`, "x") } });
      expect((await cli(dir, ws(), ["apply", "--auto-approve"])).code).toBe(0);
      declare(dir, { variables: { v: variable(name, 2), n: variable(`${name}-n`, true) } });
      const result = await cli(dir, ws(), ["plan", "--json"]);
      expect(result.code, output(result)).toBe(0);
      const plan = JSON.parse(result.stdout) as { format: string; mode: string; summary: Json; changes: { address: string; action: string; changes: { path: string[]; before: unknown; after: unknown }[] }[] };
      expect(plan.format).toBe("prefect-gitops-plan/2");
      expect(plan.mode).toBe("normal");
      expect(plan.summary).toEqual({ add: 1, change: 1, destroy: 1, import: 0 });
      const byAddress = Object.fromEntries(plan.changes.map((change) => [change.address, change]));
      expect(byAddress["prefect_variable.v"]?.action).toBe("update");
      expect(byAddress["prefect_variable.v"]?.changes).toEqual([expect.objectContaining({ path: ["value"], before: 1, after: 2 })]);
      expect(byAddress["prefect_variable.n"]?.action).toBe("create");
      expect(byAddress["prefect_variable.w"]?.action).toBe("delete");
    });

    it("--out saves the plan and says how to apply it", async () => {
      const dir = workdir();
      declare(dir, { variables: { v: variable(unique("v"), 1) } });
      const result = await cli(dir, ws(), ["plan", "--out", "tfplan.json"]);
      expect(result.code, output(result)).toBe(0);
      expect(result.stdout).toContain("Saved the plan to tfplan.json");
      expect(result.stdout).toContain("prefect-gitops apply --plan tfplan.json");
      const saved = JSON.parse(readFileSync(join(dir, "tfplan.json"), "utf8")) as { format: string; changes: unknown[] };
      expect(saved.format).toBe("prefect-gitops-plan/2");
      expect(saved.changes).toHaveLength(1);
    });

    it("does not save a plan that has errors", async () => {
      const dir = workdir();
      declare(dir, { variables: { v: variable("Bad Name", 1) } });
      const result = await cli(dir, ws(), ["plan", "--out", "tfplan.json"]);
      expect(result.code).toBe(1);
      expect(existsSync(join(dir, "tfplan.json"))).toBe(false);
    });

    it("--refresh-only reports changes made outside prefect-gitops and plans no change to Prefect", async () => {
      const dir = workdir();
      const name = unique("v");
      declare(dir, { variables: { v: variable(name, "declared") } });
      expect((await cli(dir, ws(), ["apply", "--auto-approve"])).code).toBe(0);
      const [live] = await variablesNamed(ws(), name);
      await ws().api.patch(`/variables/${live!.id}`, { value: "changed by hand" });

      const result = await cli(dir, ws(), ["plan", "--refresh-only", "--detailed-exitcode"]);
      expect(result.code, output(result)).toBe(2);
      expect(result.stdout).toContain("# prefect_variable.v has changed");
      expect(result.stdout).toContain('"declared" -> "changed by hand"');
      expect(result.stdout).not.toContain("will be updated");
    });

    it("--destroy plans the deletion of everything the state owns, and nothing else", async () => {
      const dir = workdir();
      const name = unique("v");
      declare(dir, { variables: { v: variable(name, 1) }, limits: { l: limit(name, 1) } });
      expect((await cli(dir, ws(), ["apply", "--auto-approve"])).code).toBe(0);
      const result = await cli(dir, ws(), ["plan", "--destroy", "--json"]);
      expect(result.code, output(result)).toBe(0);
      const plan = JSON.parse(result.stdout) as { mode: string; changes: { address: string; action: string }[] };
      expect(plan.mode).toBe("destroy");
      expect(plan.changes.map((change) => [change.address, change.action]).sort()).toEqual([
        ["prefect_global_concurrency_limit.l", "delete"],
        ["prefect_variable.v", "delete"],
      ]);
      expect(await variablesNamed(ws(), name)).toHaveLength(1);
    });
  });

  describe("apply", () => {
    it("refuses without --auto-approve when there is no terminal to ask on, and changes nothing", async () => {
      const dir = workdir();
      const name = unique("v");
      declare(dir, { variables: { v: variable(name, 1) } });
      dev.server.resetRequestCounts();
      const result = await cli(dir, ws(), ["apply"]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("apply needs approval, and there is no terminal to ask on");
      expect(result.stderr).toContain("--auto-approve");
      expect(mutatingRequests(dev.server.requestCounts())).toEqual({});
      expect(await variablesNamed(ws(), name)).toEqual([]);
    });

    it("--auto-approve makes Prefect match, records what it owns, and a second plan shows no changes", async () => {
      const dir = workdir();
      const name = unique("all");
      declare(dir, { variables: { v: variable(name, [1, 2]) }, limits: { l: limit(name, 4) }, automations: { a: automation(name) } });
      const result = await cli(dir, ws(), ["apply", "--auto-approve"]);
      expect(result.code, output(result)).toBe(0);
      expect(result.stdout).toContain("Apply complete! Resources: 3 added, 0 changed, 0 destroyed.");
      expect(result.stderr).toMatch(/prefect_automation\.a: Creation complete after [\d.]+s \[id=[0-9a-f-]{36}\]/);
      expect((await variablesNamed(ws(), name))[0]?.value).toEqual([1, 2]);
      expect((await limitsNamed(ws(), name))[0]?.limit).toBe(4);
      expect(await automationsNamed(ws(), name)).toHaveLength(1);
      expect((await ownedByState(dir, ws())).map((entry) => entry.address)).toEqual(["prefect_automation.a", "prefect_global_concurrency_limit.l", "prefect_variable.v"]);
      const again = await cli(dir, ws(), ["plan", "--detailed-exitcode"]);
      expect(again.code, output(again)).toBe(0);
    });

    it("updates in place and deletes what is no longer declared", async () => {
      const dir = workdir();
      const name = unique("v");
      declare(dir, { variables: { keep: variable(name, 1), drop: variable(`${name}-drop`, 1) } });
      expect((await cli(dir, ws(), ["apply", "--auto-approve"])).code).toBe(0);
      const [before] = await variablesNamed(ws(), name);
      declare(dir, { variables: { keep: variable(name, 2, { tags: ["b", "a"] }) } });
      const result = await cli(dir, ws(), ["apply", "--auto-approve"]);
      expect(result.code, output(result)).toBe(0);
      expect(result.stdout).toContain("Apply complete! Resources: 0 added, 1 changed, 1 destroyed.");
      const [after] = await variablesNamed(ws(), name);
      expect(after?.id).toBe(before?.id);
      expect(after?.value).toBe(2);
      expect([...(after?.tags ?? [])].sort()).toEqual(["a", "b"]);
      expect(await variablesNamed(ws(), `${name}-drop`)).toEqual([]);
    });

    it("creates in dependency waves and deletes in reverse, whatever the kinds' usual order (HCL configuration)", async () => {
      const name = unique("dep");
      const dir = workdir({
        "main.tf": [
          `resource "prefect_global_concurrency_limit" "pool" {\n  name  = "${name}"\n  limit = 2\n}`,
          `resource "prefect_variable" "pool_id" {\n  name  = "${name}-id"\n  value = prefect_global_concurrency_limit.pool.id\n}`,
        ].join("\n"),
      });
      const plan = await cli(dir, ws(), ["plan"]);
      expect(plan.stdout).toMatch(/\+ value\s+= \(known after apply\)/);
      dev.server.clearExchanges();
      const result = await cli(dir, ws(), ["apply", "--auto-approve"]);
      expect(result.code, output(result)).toBe(0);
      const writes = () => dev.server.exchanges.filter((exchange) => exchange.method !== "GET" && !exchange.path.endsWith("/filter")).map((exchange) => `${exchange.method} ${exchange.template}`);
      expect(writes()).toEqual(["POST /v2/concurrency_limits/", "POST /variables/"]);
      const [limitLive] = await limitsNamed(ws(), name);
      expect((await variablesNamed(ws(), `${name}-id`))[0]?.value).toBe(limitLive!.id);

      dev.server.clearExchanges();
      const destroy = await cli(dir, ws(), ["destroy", "--auto-approve"]);
      expect(destroy.code, output(destroy)).toBe(0);
      expect(writes()).toEqual(["DELETE /variables/{id}", "DELETE /v2/concurrency_limits/{id_or_name}"]);
    });

    it("records what succeeded when some objects fail, skips their dependents, and the next apply finishes without duplicates", async () => {
      const dir = workdir();
      const name = unique("partial");
      const blocks = (bad: boolean) => ({
        variables: {
          ok: variable(name, 1),
          bad: variable(`${name}-bad`, bad ? "x".repeat(6000) : "fixed"),
          after: variable(`${name}-after`, "${prefect_variable.bad.id}"),
        },
        automations: { a: automation(name) },
      });
      declare(dir, blocks(true));
      const failed = await cli(dir, ws(), ["apply", "--auto-approve"]);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain("prefect_variable.bad: POST /variables/ was refused (422)");
      expect(failed.stderr).toContain("prefect_variable.after: skipped because prefect_variable.bad failed");
      expect(failed.stdout).toContain("Apply failed: 1 error, 1 skipped.");
      expect(Object.keys(readState(dir).resources).sort()).toEqual(["prefect_automation.a", "prefect_variable.ok"]);

      declare(dir, blocks(false));
      const finished = await cli(dir, ws(), ["apply", "--auto-approve"]);
      expect(finished.code, output(finished)).toBe(0);
      expect(finished.stdout).toContain("Apply complete! Resources: 2 added, 0 changed, 0 destroyed.");
      expect(await automationsNamed(ws(), name)).toHaveLength(1);
      expect((await variablesNamed(ws(), `${name}-after`))[0]?.value).toBe((await variablesNamed(ws(), `${name}-bad`))[0]?.id);
    });

    it("--parallelism 1 runs one operation at a time; the default runs a wave in parallel", async () => {
      const names = [1, 2, 3, 4].map(() => unique("par"));
      const LATENCY = 150;
      /** Answer times of the creates, from first to last. */
      const spanOfCreates = async (args: string[]) => {
        const dir = workdir();
        declare(dir, { variables: Object.fromEntries(names.map((name, i) => [`v${i}`, variable(`${name}-${args.length}`, i)])) });
        createsAnswered.length = 0;
        const result = await cli(dir, ws(), ["apply", "--auto-approve", ...args]);
        expect(result.code, output(result)).toBe(0);
        expect(createsAnswered).toHaveLength(4);
        return { gaps: createsAnswered.slice(1).map((at, i) => at - createsAnswered[i]!), span: createsAnswered.at(-1)! - createsAnswered[0]! };
      };
      dev.server.setFaults({ rules: [{ type: "latency", ms: LATENCY, route: "POST /variables/" }] });
      try {
        // One at a time: each create is sent after the previous one was answered, and waits LATENCY.
        const serial = await spanOfCreates(["--parallelism", "1"]);
        for (const gap of serial.gaps) expect(gap).toBeGreaterThanOrEqual(LATENCY - 5);
        // In parallel: all four are answered well within what one after another would take.
        const parallel = await spanOfCreates([]);
        expect(parallel.span).toBeLessThan(3 * LATENCY);
      } finally {
        dev.server.clearFaults();
      }
    });

    it("rejects a --parallelism that is not a whole number >= 1", async () => {
      const dir = workdir();
      declare(dir, { variables: { v: variable(unique("v"), 1) } });
      const result = await cli(dir, ws(), ["apply", "--auto-approve", "--parallelism", "0"]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("expected a whole number >= 1");
    });

    it("--refresh-only records what is live in the state without changing Prefect", async () => {
      const dir = workdir();
      const name = unique("v");
      declare(dir, { variables: { v: variable(name, "declared") } });
      expect((await cli(dir, ws(), ["apply", "--auto-approve"])).code).toBe(0);
      const [live] = await variablesNamed(ws(), name);
      await ws().api.patch(`/variables/${live!.id}`, { value: "by hand" });

      dev.server.resetRequestCounts();
      const result = await cli(dir, ws(), ["apply", "--refresh-only", "--auto-approve"]);
      expect(result.code, output(result)).toBe(0);
      expect(mutatingRequests(dev.server.requestCounts())).toEqual({});
      expect(readState(dir).resources["prefect_variable.v"]?.values.value).toBe("by hand");
      // Drift is accepted; the difference from the configuration remains for a normal apply.
      const plan = await cli(dir, ws(), ["plan", "--json"]);
      const parsed = JSON.parse(plan.stdout) as { drift: unknown[]; changes: { action: string }[] };
      expect(parsed.drift).toEqual([]);
      expect(parsed.changes.map((change) => change.action)).toEqual(["update"]);
    });

    it("--refresh-only forgets an object deleted outside prefect-gitops and creates nothing", async () => {
      const dir = workdir();
      const name = unique("v");
      declare(dir, { variables: { gone: variable(name, 1), kept: variable(`${name}-kept`, 1) } });
      expect((await cli(dir, ws(), ["apply", "--auto-approve"])).code).toBe(0);
      const [live] = await variablesNamed(ws(), name);
      await ws().api.delete(`/variables/${live!.id}`);
      // A declaration never applied is not created by a refresh either.
      declare(dir, { variables: { gone: variable(name, 1), kept: variable(`${name}-kept`, 1), fresh: variable(`${name}-fresh`, 1) } });

      dev.server.resetRequestCounts();
      const result = await cli(dir, ws(), ["apply", "--refresh-only", "--auto-approve"]);
      expect(result.code, output(result)).toBe(0);
      expect(mutatingRequests(dev.server.requestCounts())).toEqual({});
      expect(Object.keys(readState(dir).resources)).toEqual(["prefect_variable.kept"]);
      expect(await variablesNamed(ws(), `${name}-fresh`)).toEqual([]);
    });

    it("--refresh-only also forgets an owned object no longer declared once it is gone from Prefect, and deletes nothing", async () => {
      const dir = workdir();
      const name = unique("v");
      declare(dir, { variables: { gone: variable(name, 1), stays: variable(`${name}-stays`, 1), kept: variable(`${name}-kept`, 1) } });
      expect((await cli(dir, ws(), ["apply", "--auto-approve"])).code).toBe(0);
      const [live] = await variablesNamed(ws(), name);
      await ws().api.delete(`/variables/${live!.id}`);
      declare(dir, { variables: { kept: variable(`${name}-kept`, 1) } });

      dev.server.resetRequestCounts();
      const result = await cli(dir, ws(), ["apply", "--refresh-only", "--auto-approve"]);
      expect(result.code, output(result)).toBe(0);
      expect(mutatingRequests(dev.server.requestCounts())).toEqual({});
      // Undeclared but still live: still owned, for the next apply to delete.
      expect(Object.keys(readState(dir).resources).sort()).toEqual(["prefect_variable.kept", "prefect_variable.stays"]);
      expect(await variablesNamed(ws(), `${name}-stays`)).toHaveLength(1);
    });
  });

  describe.skipIf(!hasScript)("approval on a terminal", () => {
    it("asks before applying: anything but 'yes' cancels and changes nothing, 'yes' applies", async () => {
      const dir = workdir();
      const name = unique("ask");
      declare(dir, { variables: { v: variable(name, 1) } });
      const [cancelled, approved] = await Promise.all([onTerminal(dir, ws().env, ["apply"], "no"), (async () => {
        const other = workdir();
        declare(other, { variables: { v: variable(`${name}-yes`, 1) } });
        return onTerminal(other, ws().env, ["apply"], "yes");
      })()]);
      expect(cancelled.output).toContain("Do you want to perform these actions? Only 'yes' will be accepted to approve.");
      expect(cancelled.code, cancelled.output).toBe(1);
      expect(cancelled.output).toContain("Apply cancelled.");
      expect(await variablesNamed(ws(), name)).toEqual([]);
      expect(approved.code, approved.output).toBe(0);
      expect(approved.output).toContain("Apply complete! Resources: 1 added");
      expect(await variablesNamed(ws(), `${name}-yes`)).toHaveLength(1);
    });
  });

  describe("destroy", () => {
    it("refuses without --auto-approve when not interactive, then deletes exactly what the state owns", async () => {
      const dir = workdir();
      const name = unique("d");
      declare(dir, { variables: { v: variable(name, 1) }, automations: { a: automation(name) } });
      expect((await cli(dir, ws(), ["apply", "--auto-approve"])).code).toBe(0);
      const bystander = await createLive(ws(), "/variables/", { name: `${name}-bystander`, value: 1 });

      const refused = await cli(dir, ws(), ["destroy"]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("there is no terminal to ask on");
      expect(await variablesNamed(ws(), name)).toHaveLength(1);

      const result = await cli(dir, ws(), ["destroy", "--auto-approve"]);
      expect(result.code, output(result)).toBe(0);
      expect(result.stdout).toContain("Destroy complete! Resources: 0 added, 0 changed, 2 destroyed.");
      expect(await variablesNamed(ws(), name)).toEqual([]);
      expect(await automationsNamed(ws(), name)).toEqual([]);
      expect((await variablesNamed(ws(), `${name}-bystander`)).map((item) => item.id)).toEqual([bystander]);
      expect(readState(dir).resources).toEqual({});

      const again = await cli(dir, ws(), ["destroy", "--auto-approve"]);
      expect(again.code, output(again)).toBe(0);
      expect(again.stdout).toContain("No changes.");
    });
  });

  describe("import", () => {
    it("brings an existing object under management without changing it", async () => {
      const dir = workdir();
      const name = unique("imp");
      const id = await createLive(ws(), "/variables/", { name, value: "live value" });
      declare(dir, { variables: { v: variable(name, "live value") } });
      dev.server.resetRequestCounts();
      const result = await cli(dir, ws(), ["import", "prefect_variable.v", id]);
      expect(result.code, output(result)).toBe(0);
      expect(result.stdout).toContain(`Import successful! prefect_variable.v now manages variable "${name}" (id ${id}).`);
      expect(mutatingRequests(dev.server.requestCounts())).toEqual({});
      expect(await ownedByState(dir, ws())).toEqual([expect.objectContaining({ address: "prefect_variable.v", id })]);
      const plan = await cli(dir, ws(), ["plan", "--detailed-exitcode"]);
      expect(plan.code, output(plan)).toBe(0);
    });

    it("refuses an undeclared address, an unknown id, and an address already managed", async () => {
      const dir = workdir();
      const name = unique("imp");
      const id = await createLive(ws(), "/variables/", { name, value: 1 });
      declare(dir, { variables: { v: variable(name, 1) } });

      const undeclared = await cli(dir, ws(), ["import", "prefect_variable.other", id]);
      expect(undeclared.code).toBe(1);
      expect(undeclared.stderr).toContain("prefect_variable.other is not declared in the configuration");

      const missing = await cli(dir, ws(), ["import", "prefect_variable.v", "00000000-0000-4000-8000-000000000000"]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain("there is no variable with id 00000000-0000-4000-8000-000000000000");

      expect((await cli(dir, ws(), ["import", "prefect_variable.v", id])).code).toBe(0);
      const twice = await cli(dir, ws(), ["import", "prefect_variable.v", id]);
      expect(twice.code).toBe(1);
      expect(twice.stderr).toContain(`prefect_variable.v is already managed (id ${id})`);

      const noArgs = await cli(dir, ws(), ["import"]);
      expect(noArgs.code).toBe(1);
      expect(noArgs.stderr).toContain("import needs an ADDRESS and an ID");
    });

    it("imports an automation, which has no natural key, by its id", async () => {
      const dir = workdir();
      const name = unique("imp-auto");
      const id = await createLive(ws(), "/automations/", liveAutomation(name));
      declare(dir, { automations: { a: automation(name) } });
      const result = await cli(dir, ws(), ["import", "prefect_automation.a", id]);
      expect(result.code, output(result)).toBe(0);
      const plan = await cli(dir, ws(), ["plan", "--detailed-exitcode"]);
      expect(plan.code, output(plan)).toBe(0);
      expect(await automationsNamed(ws(), name)).toHaveLength(1);
    });
  });

  describe("state", () => {
    it("list, show and rm: rm forgets an object without deleting it", async () => {
      const dir = workdir();
      const name = unique("st");
      declare(dir, { variables: { v: variable(name, { nested: true }) }, limits: { l: limit(name, 2) } });
      expect((await cli(dir, ws(), ["apply", "--auto-approve"])).code).toBe(0);
      const [live] = await variablesNamed(ws(), name);

      const list = await cli(dir, ws(), ["state", "list"]);
      expect(list.code).toBe(0);
      expect(list.stdout.split("\n")).toEqual([expect.stringMatching(/^prefect_global_concurrency_limit\.l\t[0-9a-f-]{36}$/), `prefect_variable.v\t${live!.id}`]);

      const show = await cli(dir, ws(), ["state", "show", "prefect_variable.v"]);
      expect(show.code).toBe(0);
      expect(show.stdout).toContain('resource "prefect_variable" "v" {');
      expect(show.stdout).toContain(`name    = "${name}"`);
      const shown = JSON.parse((await cli(dir, ws(), ["state", "show", "prefect_variable.v", "--json"])).stdout) as { id: string; values: Json };
      expect(shown.id).toBe(live!.id);
      expect(shown.values.value).toEqual({ nested: true });

      const unknown = await cli(dir, ws(), ["state", "show", "prefect_variable.nope"]);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain("prefect_variable.nope is not in the state");

      dev.server.resetRequestCounts();
      const rm = await cli(dir, ws(), ["state", "rm", "prefect_variable.v"]);
      expect(rm.code, output(rm)).toBe(0);
      expect(rm.stdout).toContain(`Removed prefect_variable.v from`);
      expect(rm.stdout).toContain("still exists in Prefect and is no longer managed");
      expect(mutatingRequests(dev.server.requestCounts())).toEqual({});
      expect(await variablesNamed(ws(), name)).toHaveLength(1);
      expect((await ownedByState(dir, ws())).map((entry) => entry.address)).toEqual(["prefect_global_concurrency_limit.l"]);
      // No longer owned: the declaration is now blocked by the object it used to manage.
      const plan = await cli(dir, ws(), ["plan"]);
      expect(plan.code).toBe(1);
      expect(output(plan)).toContain(`prefect-gitops import prefect_variable.v ${live!.id}`);
    });

    it("state list says there is no state yet, and exits 0", async () => {
      const dir = workdir();
      declare(dir, { variables: { v: variable(unique("v"), 1) } });
      const result = await cli(dir, ws(), ["state", "list"]);
      expect(result.code).toBe(0);
      expect(result.stderr).toContain("No state at");
    });
  });

  describe("global options", () => {
    it("--state FILE keeps the state there instead of beside the configuration", async () => {
      const dir = workdir();
      declare(dir, { variables: { v: variable(unique("v"), 1) } });
      const elsewhere = join(workdir(), "nested", "stack.state.json");
      const result = await cli(dir, ws(), ["apply", "--auto-approve", "--state", elsewhere]);
      expect(result.code, output(result)).toBe(0);
      expect(existsSync(elsewhere)).toBe(true);
      expect(existsSync(statePath(dir))).toBe(false);
      expect(Object.keys(readState(dir, elsewhere).resources)).toEqual(["prefect_variable.v"]);
      expect((await cli(dir, ws(), ["plan", "--detailed-exitcode", "--state", elsewhere])).code).toBe(0);
    });

    it("colors output on a terminal, and --no-color turns it off", async () => {
      const dir = workdir();
      declare(dir, { variables: { v: variable(unique("v"), 1) } });
      const run = async (args: string[]) => {
        const out: string[] = [];
        const code = await main(args, { out: (text) => out.push(text), err: (text) => out.push(text), env: ws().env, cwd: dir, interactive: false, colors: true });
        expect(code).toBe(0);
        return out.join("\n");
      };
      expect(await run(["plan"])).toContain("\u001b[");
      expect(await run(["plan", "--no-color"])).not.toContain("\u001b[");
    });

    it("--log-level debug logs every request on stderr", async () => {
      const dir = workdir();
      declare(dir, { variables: { v: variable(unique("v"), 1) } });
      const quiet = await cli(dir, ws(), ["plan"]);
      expect(quiet.stderr).not.toContain("debug:");
      const result = await cli(dir, ws(), ["plan", "--log-level", "debug"]);
      expect(result.code, output(result)).toBe(0);
      expect(result.stderr).toMatch(/debug: POST \/variables\/filter -> 200 \(\d+ ms, attempt 1\)/);
    });

    it("needs an API key for a Prefect Cloud URL, and says how to give one", async () => {
      const dir = workdir();
      declare(dir, { variables: { v: variable(unique("v"), 1) } });
      const result = await cli(dir, { ...ws(), env: { PREFECT_API_URL: dev.server.cloudUrl() } }, ["plan"]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("addresses a Prefect Cloud workspace, which needs an API key: set PREFECT_API_KEY or the provider block's api_key");
    });

    it("rejects an unknown --backend and an unknown command", async () => {
      const dir = workdir();
      declare(dir, { variables: { v: variable(unique("v"), 1) } });
      const backend = await cli(dir, ws(), ["plan", "--backend", "s3"]);
      expect(backend.code).toBe(1);
      expect(backend.stderr).toContain("Allowed choices are file, workspace");
      expect((await cli(dir, ws(), ["deploy"])).code).toBe(1);
    });
  });
});

