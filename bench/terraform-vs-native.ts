// Benchmark: the same 1,000-resource Terraform JSON configuration applied from empty and planned
// again with no changes, once by `terraform` through terraform-provider-prefect and once by the
// native engine (`prefect-gitops apply/plan`), each against a fresh busy devserver
// (`--contention`). Records wall time, the requests the server answered and the 503s it injected
// (each one retried by the client), and compares the no-change terraform plan with the official
// provider's refresh, which reads every object with one GET (1 request per resource).
//
//   node --import tsx bench/terraform-vs-native.ts [--resources 1000] [--parallelism 10] [--out terraform-vs-native]
import { loadavg } from "node:os";
import { join } from "node:path";
import { rmSync, writeFileSync } from "node:fs";
import { findTerraform, terraformSandbox } from "../provider/terraform/plugin/testing/terraform-cli.js";
import { BUSY_SERVER, counted, startBusyDevserver, type BusyDevserver } from "./support/busy-devserver.js";
import { flags, round, table, workDir, writeResults } from "./support/report.js";
import { runCommand, summaryOf, type CommandResult } from "./support/run-command.js";
import { REPO_ROOT } from "./support/server.js";
import { stack } from "./support/stack.js";

const args = flags(process.argv.slice(2));
const resources = Number(args.resources ?? 1000);
// Terraform's own default; the engine's apply runs with its default as well.
const parallelism = String(args.parallelism ?? 10);

interface Phase {
  tool: "terraform" | "native";
  phase: "apply" | "no-change plan";
  command: string;
  exitCode: number;
  ms: number;
  requests: number;
  serviceUnavailable: number;
  byRoute: Record<string, number>;
  summary: string;
}

async function measure(server: BusyDevserver, tool: Phase["tool"], phase: Phase["phase"], command: string, run: () => Promise<CommandResult>, expectedCode = 0): Promise<Phase> {
  console.log(`${tool} ${phase}...`);
  const measured = await counted(server, run);
  const { code } = measured.result;
  if (code !== expectedCode) console.error(measured.result.stdout.slice(-3000) + measured.result.stderr.slice(-3000));
  return { tool, phase, command, exitCode: code, ms: measured.ms, requests: measured.requests, serviceUnavailable: measured.serviceUnavailable, byRoute: measured.byRoute, summary: summaryOf(measured.result) };
}

function configuration(name: string): string {
  const dir = workDir(`terraform-vs-native-${resources}/${name}`);
  for (const file of ["terraform.tfstate", "terraform.tfstate.backup", "prefect-gitops.state.json", "prefect-gitops.state.json.journal"]) rmSync(join(dir, file), { force: true });
  writeFileSync(join(dir, "main.tf.json"), JSON.stringify(stack(resources), null, 1));
  return dir;
}

async function withServer<T>(run: (server: BusyDevserver) => Promise<T>): Promise<T> {
  const server = await startBusyDevserver();
  try {
    return await run(server);
  } finally {
    await server.stop();
  }
}

if (!findTerraform(process.env)) {
  console.error("bench/terraform-vs-native.ts needs the terraform binary on the PATH (tested with 1.11.4).");
  process.exit(1);
}
const loadBefore = loadavg();

const terraformPhases = await withServer(async (server) => {
  const dir = configuration("terraform");
  const sandbox = terraformSandbox({ PATH: process.env.PATH, HOME: process.env.HOME });
  const tf = (...argv: string[]) => runCommand("terraform", [...argv, "-input=false", "-no-color", `-parallelism=${parallelism}`], { ...sandbox.env, PREFECT_API_URL: server.url }, dir);
  return [
    await measure(server, "terraform", "apply", `terraform apply -auto-approve -parallelism=${parallelism}`, () => tf("apply", "-auto-approve")),
    await measure(server, "terraform", "no-change plan", `terraform plan -detailed-exitcode -parallelism=${parallelism}`, () => tf("plan", "-detailed-exitcode")),
  ];
});

const nativePhases = await withServer(async (server) => {
  const dir = configuration("native");
  const cli = (...argv: string[]) => runCommand(process.execPath, [join(REPO_ROOT, "bin", "prefect-gitops.js"), ...argv], { PREFECT_API_URL: server.url });
  return [
    await measure(server, "native", "apply", "prefect-gitops apply --auto-approve", () => cli("apply", dir, "--auto-approve")),
    await measure(server, "native", "no-change plan", "prefect-gitops plan --detailed-exitcode", () => cli("plan", dir, "--detailed-exitcode")),
  ];
});

const phases = [...terraformPhases, ...nativePhases];
const terraformPlan = terraformPhases[1]!;
// The official provider refreshes each object in state with one GET of its own.
const officialRefreshRequests = resources;
const target = { officialRefreshRequests, terraformPlanRequests: terraformPlan.requests, ratio: round(officialRefreshRequests / Math.max(1, terraformPlan.requests), 1), met: terraformPlan.requests * 10 <= officialRefreshRequests };
const results = {
  resources,
  parallelism: Number(parallelism),
  server: BUSY_SERVER,
  // The machine is shared: the 1-, 5- and 15-minute load averages before and after the runs.
  loadAverage: { before: loadBefore.map((l) => round(l, 2)), after: loadavg().map((l) => round(l, 2)) },
  phases,
  target,
  ok: phases.every((p) => p.exitCode === 0),
};
const file = writeResults(String(args.out ?? "terraform-vs-native"), results);
console.log(
  table(
    ["tool", "phase", "exit", "time (s)", "requests", "503s retried", "summary"],
    phases.map((p) => [p.tool, p.phase, p.exitCode, round(p.ms / 1000, 2), p.requests, p.serviceUnavailable, p.summary.slice(0, 70)]),
  ),
);
console.log(`no-change terraform plan: ${terraformPlan.requests} requests vs ${officialRefreshRequests} for the official provider's refresh (${target.ratio}x fewer; target 10x: ${target.met ? "met" : "missed"}); recorded in ${file}`);
if (!results.ok || !target.met) process.exitCode = 1;
