// CLI start-up (issue #12): how long the installed, compiled `prefect-gitops` takes for
// `--version`, `--help` and `validate examples/hcl`, median of N runs each, one process per run,
// with `node -e 0` as the floor and the checkout's sources-through-tsx path for comparison.
// Counts the HTTP requests each makes to PREFECT_API_URL (a counting server): none is expected.
//
//   npm run bench:cli-startup -- [--runs 21] [--no-build] [--quiet-wait 120] [--out NAME]
import { createServer } from "node:http";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { busyBetween, machineCpu, waitForQuiet } from "./support/contention.js";
import { installPackage } from "./support/installed.js";
import { median, percentile, round, table, writeResults } from "./support/report.js";
import { runCommand } from "./support/run-command.js";
import { REPO_ROOT } from "./support/server.js";

const { values: flags } = parseArgs({
  options: { runs: { type: "string", default: "21" }, "no-build": { type: "boolean", default: false }, "quiet-wait": { type: "string", default: "120" }, out: { type: "string", default: "cli-startup" } },
});
const RUNS = Number(flags.runs);

/** The targets of issue #12, in ms (median). */
const TARGETS: Record<string, number> = { "--version": 150, "--help": 150, "validate examples/hcl": 400 };

const { project, bin: installedBin } = installPackage("cli-startup", { build: !flags["no-build"] });

let requests = 0;
const server = createServer((request, response) => {
  requests += 1;
  response.writeHead(404).end();
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const address = server.address();
const apiUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/api`;

const env = { PREFECT_API_URL: apiUrl };
const cases: { name: string; args: string[]; compiled: boolean }[] = [
  { name: "node -e 0 (floor)", args: ["-e", "0"], compiled: false },
  { name: "--version", args: [installedBin, "--version"], compiled: true },
  { name: "--help", args: [installedBin, "--help"], compiled: true },
  { name: "validate examples/hcl", args: [installedBin, "validate", join(REPO_ROOT, "examples", "hcl")], compiled: true },
  { name: "--version from sources (checkout, tsx)", args: [join(REPO_ROOT, "bin", "prefect-gitops.js"), "--version"], compiled: false },
];

/** One run's wall time, in ms; asynchronous, so that the counting server answers if the CLI asks. */
async function timed(name: string, args: string[]): Promise<number> {
  const run = await runCommand(process.execPath, args, env, project);
  if (run.code !== 0) throw new Error(`${name} exited ${run.code}: ${run.stderr}`);
  return run.ms;
}

const idle = await waitForQuiet({ maxWaitS: Number(flags["quiet-wait"]) });
const results = [];
for (const c of cases) {
  requests = 0;
  const times: number[] = [];
  const before = machineCpu();
  for (let i = 0; i < RUNS + 1; i++) {
    const ms = await timed(c.name, c.args);
    if (i > 0) times.push(ms); // the first run warms the file system cache
  }
  const sorted = [...times].sort((a, b) => a - b);
  const target = TARGETS[c.name];
  const entry = { case: c.name, runs: RUNS, medianMs: round(median(times)), p90Ms: round(percentile(sorted, 90)), minMs: round(sorted[0]!), targetMs: target, meetsTarget: target === undefined ? undefined : median(times) <= target, requests, machineBusyCpuMs: busyBetween(before, machineCpu()), wallMsAllRuns: round(times.reduce((a, b) => a + b, 0)) };
  results.push(entry);
}
server.close();

console.log(table(["case", "median ms", "p90 ms", "min ms", "target ms", "requests"], results.map((r) => [r.case, r.medianMs, r.p90Ms, r.minMs, r.targetMs ?? "", r.requests])));
console.log(`idle before measuring: ${idle === undefined ? "unknown" : `${Math.round(idle * 100)}%`}`);
console.log(`wrote ${writeResults(flags.out!, { idleBeforeMeasuring: idle, cases: results })}`);
