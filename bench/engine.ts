// Benchmark: the native engine against the devserver, for stacks of 100, 1,000 and 5,000 mixed
// resources: wall time, HTTP requests and peak memory of apply from empty, of a no-change plan
// and of a drift audit, and the plan's requests compared with one request per resource (what a
// Terraform refresh sends).
//
// Each size gets a fresh devserver in a child process and a fresh state file; each phase runs
// the CLI's main() in a fresh process of its own (bench/support/engine-phase.ts), so its memory
// is its own and its first run is as cold as a CI job's.
//
//   node --import tsx bench/engine.ts [--sizes 100,1000,5000] [--runs 3] [--cpu-prof] [--quiet-wait 120] [--out engine]
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { waitForQuiet } from "./support/contention.js";
import type { PhaseResult, PhaseRun } from "./support/engine-phase.js";
import { RawApi } from "./support/http.js";
import { flags, median, mib, percentile, round, table, workDir, writeResults } from "./support/report.js";
import { runPhase } from "./support/run-phase.js";
import { REPO_ROOT, startServerProcess, type ServerProcess } from "./support/server.js";
import { RESOURCES_PER_TEAM, stack, stackMix } from "./support/stack.js";

/** The issue's targets at 1,000 resources. */
const TARGETS = { planMs: 1500, planRequests: 30, applyMs: 15_000 } as const;

interface PhaseSummary {
  phase: "apply" | "plan" | "drift";
  command: string;
  exitCode: number;
  /** The first run, in a fresh process: what a CLI invocation in CI sees (module loading excluded, see startupMs). */
  coldMs: number;
  /** Median of the runs after the first, in the same process (JIT warm); undefined with one run. */
  warmMs?: number;
  runsMs: number[];
  /** CPU time of the engine's process during the first run (its own work, whatever else the machine runs). */
  coldCpuMs: number;
  /** CPU time of the devserver's process during the first run. */
  serverCpuMs: number;
  /** 1-minute load average of the machine when each run started. */
  loadAverages: number[];
  /** CPU time other processes used during the first run (see PhaseRun.otherCpuMs): the contention it ran under. */
  otherCpuMs?: number;
  /** Idle fraction of the machine's CPUs in the second before the phase started. */
  idleBefore?: number;
  requests: number;
  byRoute: Record<string, number>;
  /** Highest RSS of the phase's process (getrusage), module loading included. */
  peakRssMiB: number;
  /** Highest heap in use sampled during the first run, and its growth over the heap at the start. */
  peakHeapUsedMiB: number;
  heapGrowthMiB: number;
  /** Node.js start and module loading before main() ran. */
  startupMs: number;
  summary: string;
}

/** Where an apply's time goes, from its progress lines on standard error (when each was written). */
interface ApplyBreakdown {
  /** From the start until the first object was being created: loading, reading live objects, planning. */
  beforeFirstCreateMs: number;
  /** From the last object created to the end: the summary and the state's last write. */
  afterLastCreateMs: number;
  /** Per type: how many, how long one create took (start to done, queueing for a slot excluded), and when the type's creates ran. */
  byType: Record<string, { count: number; medianMs: number; p90Ms: number; maxMs: number; firstStartMs: number; lastDoneMs: number }>;
}

function applyBreakdown(timeline: { ms: number; line: string }[]): ApplyBreakdown {
  const started = new Map<string, number>();
  const durations = new Map<string, number[]>();
  const spans = new Map<string, { first: number; last: number }>();
  let firstCreate = Infinity;
  let lastDone = 0;
  for (const { ms, line } of timeline) {
    const match = /^(\S+?)\.\S+: (Creating\.\.\.|Creation complete)/.exec(line);
    if (!match) continue;
    const address = line.slice(0, line.indexOf(": "));
    const type = match[1]!;
    if (match[2] === "Creating...") {
      started.set(address, ms);
      firstCreate = Math.min(firstCreate, ms);
      const span = spans.get(type) ?? { first: ms, last: ms };
      spans.set(type, { first: Math.min(span.first, ms), last: span.last });
    } else {
      const begin = started.get(address);
      if (begin !== undefined) durations.set(type, [...(durations.get(type) ?? []), ms - begin]);
      lastDone = Math.max(lastDone, ms);
      const span = spans.get(type) ?? { first: ms, last: ms };
      spans.set(type, { first: span.first, last: Math.max(span.last, ms) });
    }
  }
  const end = timeline.at(-1)?.ms ?? lastDone;
  return {
    beforeFirstCreateMs: Math.round(firstCreate),
    afterLastCreateMs: Math.round(Math.max(0, end - lastDone)),
    byType: Object.fromEntries(
      [...durations.entries()].map(([type, values]) => {
        const sorted = values.sort((a, b) => a - b);
        const span = spans.get(type)!;
        return [type, { count: sorted.length, medianMs: round(median(sorted), 1), p90Ms: round(percentile(sorted, 90), 1), maxMs: round(sorted.at(-1) ?? 0, 1), firstStartMs: Math.round(span.first), lastDoneMs: Math.round(span.last) }];
      }),
    ),
  };
}

interface SizeResult {
  resources: number;
  byType: Record<string, number>;
  apply: PhaseSummary & { breakdown: ApplyBreakdown };
  plan: PhaseSummary;
  drift: PhaseSummary & { changedOutOfBand: number; reported: { modified: number; deleted: number }; reportedAsExpected: boolean };
  /** A Terraform refresh reads each resource once: this many requests for the plan. */
  refreshRequests: number;
  planRequestsVsRefresh: string;
  devserverMemoryAfterApply: { rssMiB: number; heapUsedMiB: number };
}

function summarize(phase: PhaseSummary["phase"], args: string[], result: PhaseResult, summary: (run: PhaseRun) => string): PhaseSummary {
  const [first, ...rest] = result.runs;
  if (!first) throw new Error("no run");
  return {
    phase,
    command: `prefect-gitops ${args.join(" ")}`,
    exitCode: first.exitCode,
    coldMs: Math.round(first.ms),
    warmMs: rest.length ? Math.round(median(rest.map((run) => run.ms))) : undefined,
    runsMs: result.runs.map((run) => Math.round(run.ms)),
    coldCpuMs: Math.round(first.cpuMs),
    serverCpuMs: Math.round(first.serverCpuMs),
    loadAverages: result.runs.map((run) => round(run.loadAverage, 2)),
    otherCpuMs: first.otherCpuMs === undefined ? undefined : Math.round(first.otherCpuMs),
    requests: first.requests,
    byRoute: first.byRoute,
    peakRssMiB: mib(Math.max(result.maxRssBytes, ...result.runs.map((run) => run.peakRssBytes))),
    peakHeapUsedMiB: mib(first.peakHeapUsedBytes),
    heapGrowthMiB: mib(first.peakHeapUsedBytes - first.heapUsedAtStartBytes),
    startupMs: Math.round(result.startupMs),
    summary: summary(first),
  };
}

const lastLine = (text: string): string =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .at(-1) ?? "";

/** Change objects behind the engine's back: every tenth team loses its limit, gets a paused deployment and a changed variable. */
async function driftOutOfBand(server: ServerProcess, resources: number): Promise<{ changed: number; teams: string[] }> {
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
  return { changed: teams.length * 3, teams };
}

interface Settings {
  runs: number;
  cpuProf?: string;
  /** Wait up to this long for a quiet machine before each phase. */
  quietWaitS: number;
}

/**
 * Warm the devserver up (its first requests on each route compile the contract's validators and
 * JIT its handlers; a real Prefect server is warm), with one team's stack applied and destroyed
 * under other names and another state.
 */
async function warmUp(server: ServerProcess, dir: string): Promise<void> {
  const warm = join(dir, "warm-up");
  mkdirSync(warm, { recursive: true });
  writeFileSync(join(warm, "main.tf.json"), JSON.stringify(stack(RESOURCES_PER_TEAM, "warm"), null, 2));
  const state = join(warm, "state.json");
  for (const args of [["apply", "--auto-approve"], ["plan"], ["destroy", "--auto-approve"]]) {
    const result = await runPhase({ args: [...args, "--state", state, "--no-color", warm], env: { PREFECT_API_URL: server.url }, cwd: REPO_ROOT, origin: server.origin, runs: 1 }, server, {});
    if (result.runs[0]?.exitCode !== 0) throw new Error(`warm-up ${args.join(" ")} failed: ${result.runs[0]?.stdout.slice(-1500)}\n${result.runs[0]?.stderrTail}`);
  }
}

async function benchmarkSize(resources: number, settings: Settings): Promise<SizeResult> {
  const { runs, cpuProf } = settings;
  const dir = workDir(`engine-${resources}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "main.tf.json"), JSON.stringify(stack(resources), null, 2) + "\n");
  const statePath = join(dir, "state", "prefect-gitops.state.json");
  mkdirSync(join(dir, "state"), { recursive: true });

  const server = await startServerProcess();
  try {
    await warmUp(server, dir);
    let timeline: { ms: number; line: string }[] = [];
    const phase = async (name: PhaseSummary["phase"], args: string[], times: number, summary: (run: PhaseRun) => string): Promise<PhaseSummary> => {
      const idleBefore = await waitForQuiet({ maxWaitS: settings.quietWaitS });
      const full = [...args, "--state", statePath, "--no-color", dir];
      const prof = cpuProf ? join(cpuProf, `${resources}-${name}`) : undefined;
      const result = await runPhase({ args: full, env: { PREFECT_API_URL: server.url }, cwd: REPO_ROOT, origin: server.origin, runs: times, timeline: name === "apply" }, server, { cpuProf: prof });
      timeline = result.runs[0]?.timeline ?? [];
      const summarized = { ...summarize(name, [...args, "--state", "STATE", "DIR"], result, summary), idleBefore: idleBefore === undefined ? undefined : round(idleBefore, 2) };
      console.log(
        `  ${name.padEnd(5)} exit ${summarized.exitCode}  cold ${summarized.coldMs} ms (cpu ${summarized.coldCpuMs} ms, server cpu ${summarized.serverCpuMs} ms, others' cpu ${summarized.otherCpuMs ?? "?"} ms)${summarized.warmMs !== undefined ? `  warm ${summarized.warmMs} ms` : ""}  ${summarized.requests} requests  peak RSS ${summarized.peakRssMiB} MiB  (${summarized.summary})`,
      );
      if (summarized.exitCode === 1) throw new Error(`${name} failed:\n${result.runs[0]?.stdout.slice(-2000)}\n${result.runs[0]?.stderrTail}`);
      return summarized;
    };

    console.log(`${resources} resources (${resources / RESOURCES_PER_TEAM} teams of ${RESOURCES_PER_TEAM})`);
    const apply = { ...(await phase("apply", ["apply", "--auto-approve"], 1, (run) => lastLine(run.stdout))), breakdown: applyBreakdown(timeline) };
    if (apply.exitCode !== 0) throw new Error(`apply did not succeed: ${apply.summary}`);
    const memory = await server.memory(true);
    const plan = await phase("plan", ["plan", "--detailed-exitcode"], runs, (run) => lastLine(run.stdout));
    if (plan.exitCode !== 0) throw new Error(`the plan after apply is not empty: ${plan.summary}`);

    const drifted = await driftOutOfBand(server, resources);
    let reported = { modified: 0, deleted: 0 };
    const drift = await phase("drift", ["drift", "--json"], runs, (run) => {
      const report = JSON.parse(run.stdout) as { modified: unknown[]; deleted: unknown[] };
      reported = { modified: report.modified.length, deleted: report.deleted.length };
      return `${reported.modified} modified, ${reported.deleted} deleted out of band`;
    });
    if (drift.exitCode !== 2) throw new Error(`drift should report the out-of-band changes (exit 2), got ${drift.exitCode}`);
    // Each drifted team has a modified variable and deployment and a deleted limit.
    const asExpected = reported.modified === drifted.teams.length * 2 && reported.deleted === drifted.teams.length;
    if (!asExpected) console.warn(`  drift reported ${reported.modified} modified and ${reported.deleted} deleted, expected ${drifted.teams.length * 2} and ${drifted.teams.length}`);

    return {
      resources,
      byType: stackMix(resources),
      apply,
      plan,
      drift: { ...drift, changedOutOfBand: drifted.changed, reported, reportedAsExpected: asExpected },
      refreshRequests: resources,
      planRequestsVsRefresh: `${plan.requests} vs ${resources} (${round(resources / Math.max(1, plan.requests), 0)}x fewer)`,
      devserverMemoryAfterApply: { rssMiB: mib(memory.rss), heapUsedMiB: mib(memory.heapUsed) },
    };
  } finally {
    await server.close();
  }
}

function verdicts(results: SizeResult[]): Record<string, { target: string; measured: string; met: boolean }> | undefined {
  const at1000 = results.find((result) => result.resources === 1000);
  if (!at1000) return undefined;
  return {
    planTime: { target: `no-change plan < ${TARGETS.planMs} ms`, measured: `${at1000.plan.coldMs} ms cold, ${at1000.plan.warmMs ?? "-"} ms warm`, met: at1000.plan.coldMs < TARGETS.planMs },
    planRequests: { target: `no-change plan < ${TARGETS.planRequests} requests`, measured: `${at1000.plan.requests} requests`, met: at1000.plan.requests < TARGETS.planRequests },
    applyTime: { target: `apply from empty < ${TARGETS.applyMs} ms`, measured: `${at1000.apply.coldMs} ms`, met: at1000.apply.coldMs < TARGETS.applyMs },
  };
}

async function main(): Promise<void> {
  const options = flags(process.argv.slice(2));
  const sizes = String(options.sizes ?? "100,1000,5000")
    .split(",")
    .map(Number);
  const runs = Number(options.runs ?? 3);
  const cpuProf = options["cpu-prof"] ? workDir("profiles") : undefined;
  const quietWaitS = Number(options["quiet-wait"] ?? 120);
  console.log(`engine benchmark: ${sizes.join(", ")} resources; plan and drift ${runs} times each (first cold, then warm)${cpuProf ? `; CPU profiles in ${cpuProf}` : ""}`);
  const results: SizeResult[] = [];
  for (const size of sizes) results.push(await benchmarkSize(size, { runs, cpuProf, quietWaitS }));
  const targets = verdicts(results);
  const output = { targets, sizes: results };
  const name = typeof options.out === "string" ? options.out : "engine";
  const file = writeResults(name, output);

  const rows = results.map((r) => [
    r.resources,
    r.apply.coldMs,
    r.apply.requests,
    r.apply.peakRssMiB,
    r.plan.coldMs,
    r.plan.warmMs ?? "-",
    r.plan.requests,
    r.plan.peakRssMiB,
    r.drift.coldMs,
    r.drift.requests,
    r.drift.peakRssMiB,
    r.refreshRequests,
  ]);
  console.log(
    `\n${table(["resources", "apply ms", "apply req", "apply peak RSS MiB", "plan ms (cold)", "plan ms (warm)", "plan req", "plan peak RSS MiB", "drift ms (cold)", "drift req", "drift peak RSS MiB", "refresh req (1/resource)"], rows)}`,
  );
  if (targets) for (const [name, verdict] of Object.entries(targets)) console.log(`${verdict.met ? "met   " : "MISSED"} ${name}: ${verdict.target}; measured ${verdict.measured}`);
  console.log(`\nrecorded in ${file}`);
}

await main();
