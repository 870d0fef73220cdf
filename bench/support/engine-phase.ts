// One phase of the engine benchmark (apply, plan or drift), in a process of its own: the CLI's
// `main(argv, io)` runs in this process (no CLI binary, no terminal), `runs` times in a row.
// The first run is cold (a fresh process, as in CI); the next ones are warm. Each run is timed,
// its HTTP requests are read from the devserver's counters (admin routes, which are not counted
// themselves), and memory is sampled every few milliseconds. The result goes to the parent over IPC.
import { loadavg } from "node:os";
import { main } from "../../reconciler/cli.js";
import { busyBetween, machineCpu } from "./contention.js";

export interface PhaseRequest {
  /** CLI arguments. */
  args: string[];
  /** `PREFECT_API_URL` and whatever else the CLI should see. */
  env: Record<string, string>;
  cwd: string;
  /** The devserver's origin, for its request counters. */
  origin: string;
  runs: number;
  /** Memory sampling interval. @default 5 */
  sampleMs?: number;
  /** Keep every line written to standard error with the time it was written (apply's progress events). */
  timeline?: boolean;
}

export interface PhaseRun {
  exitCode: number;
  /** Wall time of `main()`. */
  ms: number;
  /** CPU time (user + system) this process used during the run: the engine's own work. */
  cpuMs: number;
  /** CPU time the devserver process used during the run. */
  serverCpuMs: number;
  /** The machine's 1-minute load average when the run started. */
  loadAverage: number;
  /**
   * CPU time other processes (neither this one nor the devserver) used during the run, summed
   * over the machine's CPUs: near 0 on a quiet machine; comparable with `ms` means the run
   * competed for the CPUs and its wall time is inflated.
   */
  otherCpuMs?: number;
  requests: number;
  byRoute: Record<string, number>;
  /** Highest RSS and heap in use sampled during the run, and the heap when it started. */
  peakRssBytes: number;
  peakHeapUsedBytes: number;
  heapUsedAtStartBytes: number;
  /** The command's standard output (the plan, the drift report...). */
  stdout: string;
  /** The last lines of its standard error. */
  stderrTail: string;
  /** With `timeline`: each line of standard error and when it was written, in ms since the run started. */
  timeline?: { ms: number; line: string }[];
}

export interface PhaseResult {
  runs: PhaseRun[];
  /** Highest RSS of the process over its life (getrusage), loading included. */
  maxRssBytes: number;
  /** From the start of this process (before Node.js loaded the modules) to the first run. */
  startupMs: number;
}

async function counters(origin: string): Promise<{ total: number; routes: Record<string, number> }> {
  const response = await fetch(`${origin}/_devserver/requests`);
  return (await response.json()) as { total: number; routes: Record<string, number> };
}

async function resetCounters(origin: string): Promise<void> {
  await fetch(`${origin}/_devserver/requests`, { method: "DELETE" });
}

/** Ask the parent (which owns the devserver process) for the server's CPU time so far. */
function serverCpuMs(): Promise<number> {
  return new Promise((resolve) => {
    const listener = (message: { serverCpuMs?: number }) => {
      if (message.serverCpuMs === undefined) return;
      process.off("message", listener);
      resolve(message.serverCpuMs);
    };
    process.on("message", listener);
    process.send?.({ want: "server-cpu" });
  });
}

async function runPhase(request: PhaseRequest): Promise<PhaseResult> {
  const startupMs = performance.now();
  const runs: PhaseRun[] = [];
  for (let i = 0; i < request.runs; i++) {
    await resetCounters(request.origin);
    const stdout: string[] = [];
    const stderr: string[] = [];
    const timeline: { ms: number; line: string }[] = [];
    const heapUsedAtStartBytes = process.memoryUsage().heapUsed;
    let peakRssBytes = 0;
    let peakHeapUsedBytes = 0;
    const sample = (): void => {
      const usage = process.memoryUsage();
      peakRssBytes = Math.max(peakRssBytes, usage.rss);
      peakHeapUsedBytes = Math.max(peakHeapUsedBytes, usage.heapUsed);
    };
    const loadAverage = loadavg()[0] ?? 0;
    const serverCpuBefore = await serverCpuMs();
    const sampler = setInterval(sample, request.sampleMs ?? 5);
    const machineBefore = machineCpu();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const exitCode = await main(request.args, {
      out: (text) => stdout.push(text),
      err: (text) => {
        stderr.push(text);
        if (request.timeline) timeline.push({ ms: performance.now() - started, line: text });
      },
      env: { CHECKPOINT_DISABLE: "1", ...request.env },
      cwd: request.cwd,
      interactive: false,
      colors: false,
    });
    const ms = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const machineBusy = busyBetween(machineBefore, machineCpu());
    sample();
    clearInterval(sampler);
    const serverCpu = (await serverCpuMs()) - serverCpuBefore;
    const counts = await counters(request.origin);
    runs.push({
      exitCode,
      ms,
      cpuMs: (cpu.user + cpu.system) / 1000,
      serverCpuMs: serverCpu,
      loadAverage,
      otherCpuMs: machineBusy === undefined ? undefined : Math.max(0, machineBusy - (cpu.user + cpu.system) / 1000 - serverCpu),
      requests: counts.total,
      byRoute: counts.routes,
      peakRssBytes,
      peakHeapUsedBytes,
      heapUsedAtStartBytes,
      stdout: stdout.join("\n"),
      stderrTail: stderr.slice(-20).join("\n"),
      timeline: request.timeline ? timeline : undefined,
    });
  }
  return { runs, maxRssBytes: process.resourceUsage().maxRSS * 1024, startupMs };
}

process.once("message", (request: PhaseRequest) => {
  runPhase(request).then(
    (result) => process.send?.({ ok: true, result }, () => process.exit(0)),
    (error: unknown) => process.send?.({ ok: false, error: (error as Error).stack ?? String(error) }, () => process.exit(1)),
  );
});
process.send?.({ ready: true });
