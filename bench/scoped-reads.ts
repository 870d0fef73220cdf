// Benchmark: what a plan costs against a server that costs like a real one (the devserver's
// real-server cost rules: prefect-recordings README, "Speed"), for a small and a large stack,
// each alone in its workspace and inside a workspace of 10,000 other objects: a no-change plan
// and a drift audit, with their requests, the objects the server answered, and time (issue #10).
//
// Each scenario gets a fresh devserver in a child process. The other objects are loaded and the
// stack applied with no cost (loading is not what is measured); then the cost rules are put on,
// and each phase runs the CLI's main() in a fresh process (bench/support/engine-phase.ts).
//
// With --installed, each phase is also run as a whole `prefect-gitops` process of the installed,
// compiled package (support/installed.ts; spawn to exit: Node.js start, module loading and all),
// `--runs` times; with --cpu-prof, those processes write CPU profiles to .work/profiles/scoped-*/.
// With --baseline DIR (another checkout, e.g. `git archive COMMIT | tar -x -C DIR` plus a
// node_modules link), DIR's package runs too, alternating with this one's.
//
//   node --import tsx bench/scoped-reads.ts [--sizes 60,1000] [--others 10000] [--runs 1] [--installed [--baseline DIR] [--no-build] [--cpu-prof]] [--quiet-wait 120] [--out scoped-reads]
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REAL_SERVER_COST } from "../devserver/faults.js";
import { waitForQuiet } from "./support/contention.js";
import type { PhaseResult } from "./support/engine-phase.js";
import { RawApi } from "./support/http.js";
import { load, objectCount, type Mix } from "./support/objects.js";
import { installPackage } from "./support/installed.js";
import { flags, median, round, table, workDir, writeResults } from "./support/report.js";
import { runCommand, type CommandResult } from "./support/run-command.js";
import { runPhase } from "./support/run-phase.js";
import { REPO_ROOT, startServerProcess, type ServerProcess } from "./support/server.js";
import { RESOURCES_PER_TEAM, stack, stackMix } from "./support/stack.js";

/** The issue's targets. */
const TARGETS = {
  /** Objects answered at most this many times the stack's own. */
  objectsPerOwn: 1.2,
  /** The crowded workspace costs at most this many times the empty one (time). */
  crowdedPerAlone: 1.2,
  /** A no-change plan of the large stack within this of the server's cost of answering the stack's objects once. */
  overServerMs: 500,
} as const;

/** The other objects: every kind the devserver keeps, as bench/devserver.ts loads them (10,000 with the default queues). */
function othersMix(total: number): Mix {
  const n = (count: number) => Math.max(1, Math.round((count * total) / 10_000));
  return { workPools: n(100), workQueues: n(300), flows: n(1000), deployments: n(2500), schedulesPerDeployment: 1, blocks: n(1000), variables: n(2500), concurrencyLimits: n(1000), automations: n(1500), webhooks: 0 };
}

interface PhaseMeasure {
  exitCode: number;
  coldMs: number;
  warmMs?: number;
  requests: number;
  byRoute: Record<string, number>;
  /** Workspace objects answered (the block type and schema catalog, which is Prefect's and the same in every workspace, apart). */
  objects: number;
  catalogObjects: number;
  objectsByRoute: Record<string, number>;
  otherCpuMs?: number;
  serverCpuMs: number;
  summary: string;
  /** With --installed: the installed CLI as a whole process, spawn to exit. */
  installed?: InstalledMeasure;
  /** With --baseline DIR: the same, for DIR's package, its runs alternating with this checkout's. */
  baseline?: InstalledMeasure;
}

interface InstalledMeasure {
  firstMs: number;
  medianMs: number;
  runsMs: number[];
  requests: number;
}

/** The installed CLI to run each phase with (--installed), and where its CPU profiles go (--cpu-prof). */
interface Installed {
  project: string;
  bin: string;
  cpuProf: boolean;
  baseline?: { project: string; bin: string };
}

/** One run of the installed CLI, spawn to exit; with --cpu-prof, its CPU profile goes to `profileDir`. */
function runInstalled(installed: Installed, args: string[], env: Record<string, string>, profileDir: string): Promise<CommandResult> {
  const nodeArgs = installed.cpuProf ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : [];
  return runCommand(process.execPath, [...nodeArgs, installed.bin, ...args], env, installed.project);
}

interface Scenario {
  resources: number;
  others: number;
  /** What the server costs to answer the stack's own objects once, by the cost rules (deployments: 8 ms each). */
  serverOwnCostMs: number;
  /** The plan before anything is applied: every declaration read by name (where /count may choose a listing). */
  firstPlan: { coldMs: number; requests: number; byRoute: Record<string, number>; installed?: InstalledMeasure; baseline?: InstalledMeasure };
  plan: PhaseMeasure;
  drift: PhaseMeasure & { reportedAsExpected: boolean };
}

/** Routes of the block catalog: Prefect's own types and schemas, not the workspace's objects. */
const CATALOG = /^\S+ \/block_(types|schemas)\//;

const sum = (values: Record<string, number>): number => Object.values(values).reduce((total, value) => total + value, 0);

async function setCost(server: ServerProcess, on: boolean): Promise<void> {
  const response = await fetch(`${server.origin}/_devserver/faults`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ rules: on ? REAL_SERVER_COST : [] }) });
  if (!response.ok) throw new Error(`could not set the cost rules: ${response.status} ${await response.text()}`);
}

async function scenario(resources: number, others: number, settings: { runs: number; quietWaitS: number; installed?: Installed }): Promise<Scenario> {
  const dir = workDir(`scoped-${resources}-${others}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "state"), { recursive: true });
  writeFileSync(join(dir, "main.tf.json"), JSON.stringify(stack(resources), null, 2) + "\n");
  const statePath = join(dir, "state", "prefect-gitops.state.json");
  const server = await startServerProcess();
  try {
    if (others) {
      const api = new RawApi(server.url, { connections: 16 });
      const loaded = await load(api, othersMix(others), { concurrency: 16, prefix: "other" });
      await api.close();
      console.log(`  ${sum(objectCount(othersMix(others)))} other objects loaded in ${Math.round(loaded.loadMs)} ms`);
    }
    const cli = async (args: string[], runs: number): Promise<PhaseResult> => {
      const full = [...args, "--state", statePath, "--no-color", dir];
      return runPhase({ args: full, env: { PREFECT_API_URL: server.url }, cwd: REPO_ROOT, origin: server.origin, runs }, server);
    };
    const measureInstalled = async (installed: Installed, args: string[], name: string): Promise<{ installed: InstalledMeasure; baseline?: InstalledMeasure }> => {
      const candidates = [{ ...installed, key: "installed" as const }, ...(installed.baseline ? [{ ...installed, ...installed.baseline, key: "baseline" as const }] : [])];
      const measures = new Map(candidates.map((candidate) => [candidate.key, { runsMs: [] as number[], requests: 0 }]));
      // Runs alternate between the two packages, so that a busier moment of the machine falls on both.
      for (let i = 0; i < Math.max(1, settings.runs); i++) {
        for (const candidate of candidates) {
          await server.resetCounts();
          const run = await runInstalled(candidate, [...args, "--state", statePath, "--no-color", dir], { PREFECT_API_URL: server.url }, join(workDir("profiles"), `${name}-${candidate.key}`));
          if (run.code !== (args[0] === "drift" ? 2 : 0)) throw new Error(`the ${candidate.key} CLI's ${args.join(" ")} exited ${run.code}: ${run.stderr.slice(-1500)}`);
          const measure = measures.get(candidate.key)!;
          if (i === 0) measure.requests = (await server.counts()).total;
          measure.runsMs.push(Math.round(run.ms));
        }
      }
      const summary = (key: "installed" | "baseline"): InstalledMeasure | undefined => {
        const measure = measures.get(key);
        return measure && { firstMs: measure.runsMs[0]!, medianMs: Math.round(median(measure.runsMs)), runsMs: measure.runsMs, requests: measure.requests };
      };
      return { installed: summary("installed")!, baseline: summary("baseline") };
    };
    await setCost(server, true);
    const first = (await cli(["plan"], 1)).runs[0]!;
    if (first.exitCode !== 0) throw new Error(`the first plan failed: ${first.stdout.slice(-1500)}\n${first.stderrTail}`);
    const firstPlan = { coldMs: Math.round(first.ms), requests: first.requests, byRoute: first.byRoute, ...(settings.installed ? await measureInstalled(settings.installed, ["plan"], `scoped-${resources}-${others}-first-plan`) : {}) };
    console.log(`  first plan (nothing applied): cold ${firstPlan.coldMs} ms, ${firstPlan.requests} requests${firstPlan.installed ? `; installed CLI ${firstPlan.installed.requests} requests` : ""}${firstPlan.baseline ? `, baseline ${firstPlan.baseline.requests}` : ""}`);
    await setCost(server, false);
    const applied = await cli(["apply", "--auto-approve"], 1);
    if (applied.runs[0]?.exitCode !== 0) throw new Error(`apply failed: ${applied.runs[0]?.stdout.slice(-1500)}\n${applied.runs[0]?.stderrTail}`);
    await setCost(server, true);

    const measure = async (args: string[], summary: (stdout: string) => string): Promise<PhaseMeasure> => {
      await waitForQuiet({ maxWaitS: settings.quietWaitS });
      // One run per process at first: the server's object counts are read after it (engine-phase resets the counters before each run).
      const cold = await cli(args, 1);
      const first = cold.runs[0]!;
      const counts = await server.counts();
      const warm = settings.runs > 1 ? await cli(args, settings.runs) : undefined;
      const measured: PhaseMeasure = {
        exitCode: first.exitCode,
        coldMs: Math.round(first.ms),
        warmMs: warm ? Math.round(median(warm.runs.slice(1).map((run) => run.ms))) : undefined,
        requests: first.requests,
        byRoute: first.byRoute,
        objects: sum(Object.fromEntries(Object.entries(counts.objects).filter(([route]) => !CATALOG.test(route)))),
        catalogObjects: sum(Object.fromEntries(Object.entries(counts.objects).filter(([route]) => CATALOG.test(route)))),
        objectsByRoute: Object.fromEntries(Object.entries(counts.objects).filter(([, count]) => count > 0)),
        otherCpuMs: first.otherCpuMs === undefined ? undefined : Math.round(first.otherCpuMs),
        serverCpuMs: Math.round(first.serverCpuMs),
        summary: summary(first.stdout),
        ...(settings.installed ? await measureInstalled(settings.installed, args, `scoped-${resources}-${others}-${args[0]}`) : {}),
      };
      if (measured.installed) console.log(`  ${args[0]!.padEnd(5)} installed CLI: first ${measured.installed.firstMs} ms, median ${measured.installed.medianMs} ms, ${measured.installed.requests} requests`);
      if (measured.baseline) console.log(`  ${args[0]!.padEnd(5)} baseline CLI:  first ${measured.baseline.firstMs} ms, median ${measured.baseline.medianMs} ms, ${measured.baseline.requests} requests`);
      console.log(`  ${args[0]!.padEnd(5)} exit ${measured.exitCode}  cold ${measured.coldMs} ms${measured.warmMs !== undefined ? `  warm ${measured.warmMs} ms` : ""}  ${measured.requests} requests  ${measured.objects} objects answered (+${measured.catalogObjects} of the block catalog)  (others' cpu ${measured.otherCpuMs ?? "?"} ms; ${measured.summary})`);
      return measured;
    };
    const lastLine = (text: string) => text.trim().split("\n").at(-1)?.trim() ?? "";
    const plan = await measure(["plan", "--detailed-exitcode"], lastLine);
    if (plan.exitCode !== 0) throw new Error(`the plan after apply is not empty: ${plan.summary}`);

    // Behind the engine's back: the first team of every ten gets a changed variable, a paused deployment, a deleted limit.
    await setCost(server, false);
    const api = new RawApi(server.url, { connections: 4 });
    const teams: string[] = [];
    for (let team = 0; team < resources / RESOURCES_PER_TEAM; team += 10) teams.push(`t${String(team).padStart(4, "0")}`);
    for (const t of teams) {
      await api.ok("PATCH", `/variables/name/${t}_retention_days`, { value: 31 });
      const deployment = await api.ok<{ id: string }>("GET", `/deployments/name/${t}-report/weekly`);
      await api.ok("PATCH", `/deployments/${deployment.id}`, { paused: true });
      await api.ok("DELETE", `/v2/concurrency_limits/${t}-warehouse`);
    }
    await api.close();
    await setCost(server, true);
    let reported = { modified: 0, deleted: 0 };
    const drift = await measure(["drift", "--json"], (stdout) => {
      const report = JSON.parse(stdout) as { modified: unknown[]; deleted: unknown[] };
      reported = { modified: report.modified.length, deleted: report.deleted.length };
      return `${reported.modified} modified, ${reported.deleted} deleted out of band`;
    });
    const reportedAsExpected = drift.exitCode === 2 && reported.modified === teams.length * 2 && reported.deleted === teams.length;
    if (!reportedAsExpected) console.warn(`  drift reported ${reported.modified} modified and ${reported.deleted} deleted (exit ${drift.exitCode}), expected ${teams.length * 2} and ${teams.length}`);

    const deployments = stackMix(resources).prefect_deployment ?? 0;
    return { resources, others, serverOwnCostMs: deployments * 8, firstPlan, plan, drift: { ...drift, reportedAsExpected } };
  } finally {
    await server.close();
  }
}

function verdicts(results: Scenario[]): Record<string, { target: string; measured: string; met: boolean }> {
  const out: Record<string, { target: string; measured: string; met: boolean }> = {};
  for (const result of results) {
    for (const phase of ["plan", "drift"] as const) {
      const ratio = result[phase].objects / result.resources;
      out[`${phase} ${result.resources} in ${result.others}: objects`] = { target: `objects answered <= ${TARGETS.objectsPerOwn} x the stack's ${result.resources}`, measured: `${result[phase].objects} (${round(ratio, 2)}x)`, met: ratio <= TARGETS.objectsPerOwn };
    }
    if (result.others) {
      const alone = results.find((candidate) => candidate.resources === result.resources && candidate.others === 0);
      if (alone) {
        for (const phase of ["plan", "drift"] as const) {
          const ratio = result[phase].coldMs / alone[phase].coldMs;
          out[`${phase} ${result.resources} in ${result.others}: time`] = { target: `<= ${TARGETS.crowdedPerAlone} x the empty workspace's ${alone[phase].coldMs} ms`, measured: `${result[phase].coldMs} ms (${round(ratio, 2)}x)`, met: ratio <= TARGETS.crowdedPerAlone };
        }
      }
    }
    if (result.resources >= 1000) {
      const over = result.plan.coldMs - result.serverOwnCostMs;
      out[`plan ${result.resources} in ${result.others}: over the server's own cost`] = { target: `<= ${TARGETS.overServerMs} ms over ${result.serverOwnCostMs} ms`, measured: `${result.plan.coldMs} ms (${over} ms over)`, met: over <= TARGETS.overServerMs };
    }
  }
  return out;
}

async function main(): Promise<void> {
  const options = flags(process.argv.slice(2));
  const sizes = String(options.sizes ?? "60,1000")
    .split(",")
    .map(Number);
  const others = Number(options.others ?? 10_000);
  const runs = Number(options.runs ?? 1);
  const quietWaitS = Number(options["quiet-wait"] ?? 120);
  const baseline = typeof options.baseline === "string" ? installPackage("scoped-baseline", { build: !options["no-build"], root: options.baseline }) : undefined;
  const installed = options.installed ? { ...installPackage("scoped-installed", { build: !options["no-build"] }), cpuProf: Boolean(options["cpu-prof"]), baseline } : undefined;
  console.log(`scoped-reads benchmark: stacks of ${sizes.join(", ")} resources, alone and with ${others} other objects; real-server cost rules on while measuring`);
  const results: Scenario[] = [];
  for (const size of sizes) {
    for (const crowd of new Set([0, others])) {
      console.log(`${size} resources, ${crowd} other objects`);
      results.push(await scenario(size, crowd, { runs, quietWaitS, installed }));
    }
  }
  const targets = verdicts(results);
  const file = writeResults(typeof options.out === "string" ? options.out : "scoped-reads", { costRules: REAL_SERVER_COST, targets, scenarios: results });
  const rows = results.flatMap((r) =>
    (["plan", "drift"] as const).map((phase) => [r.resources, r.others, phase, r[phase].coldMs, r[phase].requests, r[phase].objects, round(r[phase].objects / r.resources, 2), r.serverOwnCostMs]),
  );
  console.log(`\n${table(["resources", "other objects", "phase", "ms (cold)", "requests", "objects answered", "objects / own", "server cost of own objects ms"], rows)}`);
  for (const [name, verdict] of Object.entries(targets)) console.log(`${verdict.met ? "met   " : "MISSED"} ${name}: ${verdict.target}; measured ${verdict.measured}`);
  console.log(`\nrecorded in ${file}`);
}

await main();
