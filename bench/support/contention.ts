// How busy the machine is apart from the benchmark: timings on a shared 2-core machine mean
// little when other processes take the CPUs, so every run records the CPU time the whole
// machine used (Linux /proc/stat), and a benchmark can wait for a quiet moment first.
import { existsSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc/stat (USER_HZ, 100 on Linux). */
const TICK_MS = 10;

export interface CpuSnapshot {
  busyMs: number;
  idleMs: number;
}

/** CPU time the whole machine spent busy and idle since boot, summed over all CPUs; undefined off Linux. */
export function machineCpu(): CpuSnapshot | undefined {
  if (!existsSync("/proc/stat")) return undefined;
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
  const [, user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).map(Number);
  return { busyMs: (user + nice + system + irq + softirq + steal) * TICK_MS, idleMs: (idle + iowait) * TICK_MS };
}

/** Busy CPU time of the machine between two snapshots. */
export function busyBetween(before: CpuSnapshot | undefined, after: CpuSnapshot | undefined): number | undefined {
  return before && after ? after.busyMs - before.busyMs : undefined;
}

/** The fraction of the machine's CPU time that was idle over the next `ms`. */
export async function idleFraction(ms = 1000): Promise<number | undefined> {
  const before = machineCpu();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = machineCpu();
  if (!before || !after) return undefined;
  const busy = after.busyMs - before.busyMs;
  const idle = after.idleMs - before.idleMs;
  return idle / Math.max(1, busy + idle);
}

/**
 * Wait until the machine has been at least `threshold` idle for `seconds` consecutive seconds,
 * or `maxWaitS` passed; answers the idle fraction of the last second measured.
 */
export async function waitForQuiet(options: { threshold?: number; seconds?: number; maxWaitS?: number } = {}): Promise<number | undefined> {
  const threshold = options.threshold ?? 0.85;
  const needed = options.seconds ?? 3;
  const deadline = Date.now() + (options.maxWaitS ?? 0) * 1000;
  let quiet = 0;
  let last: number | undefined;
  for (;;) {
    last = await idleFraction(1000);
    if (last === undefined) return undefined;
    quiet = last >= threshold ? quiet + 1 : 0;
    if (quiet >= needed || Date.now() >= deadline) return last;
  }
}
