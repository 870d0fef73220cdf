// Benchmark: the engine against a busy server. A real Prefect server on SQLite answers 503 to
// writes that overlap others (and now and then anyway) and closes connections idle for 5 s; the
// devserver does the same with `--contention` (see devserver/faults.ts). This applies a stack
// from empty, then plans it again, each as a CLI process of its own, and records: whether every
// operation succeeded, whether any object was made twice, how many 503s the server answered
// (each one a retry by the client), requests and time.
//
//   node --import tsx bench/busy-server.ts [--resources 1000] [--parallelism 10] [--out busy-server]
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { RawApi } from "./support/http.js";
import { BUSY_SERVER, counted, startBusyDevserver, type BusyDevserver } from "./support/busy-devserver.js";
import { runCommand, summaryOf } from "./support/run-command.js";
import { flags, round, table, workDir, writeResults } from "./support/report.js";
import { REPO_ROOT } from "./support/server.js";
import { stack, stackMix } from "./support/stack.js";

const args = flags(process.argv.slice(2));
const resources = Number(args.resources ?? 1000);
const parallelism = args.parallelism === undefined ? undefined : String(args.parallelism);

interface Phase {
  command: string;
  exitCode: number;
  ms: number;
  requests: number;
  /** 503s the server answered (each retried by the client). */
  serviceUnavailable: number;
  summary: string;
}

const runCli = (argv: string[], env: Record<string, string>) => runCommand(process.execPath, [join(REPO_ROOT, "bin", "prefect-gitops.js"), ...argv], env);

async function phase(server: BusyDevserver, name: string, argv: string[]): Promise<Phase> {
  const { result: run, ms, requests, serviceUnavailable } = await counted(server, () => runCli(argv, { PREFECT_API_URL: server.url }));
  const summary = summaryOf(run);
  if (run.code !== 0 && name !== "plan") console.error(run.stderr.slice(-4000));
  return { command: `prefect-gitops ${argv.join(" ")}`, exitCode: run.code, ms, requests, serviceUnavailable, summary };
}

/** Objects per kind in the workspace, and the declared names found more than once. */
async function duplicates(server: BusyDevserver): Promise<{ counts: Record<string, number>; duplicated: string[] }> {
  const api = new RawApi(server.url);
  const lists: Record<string, [string, unknown, string]> = {
    prefect_work_pool: ["/work_pools/filter", {}, "name"],
    prefect_flow: ["/flows/filter", {}, "name"],
    prefect_deployment: ["/deployments/filter", {}, "id"],
    prefect_block: ["/block_documents/filter", { block_documents: { is_anonymous: { eq_: false } } }, "name"],
    prefect_variable: ["/variables/filter", {}, "name"],
    prefect_global_concurrency_limit: ["/v2/concurrency_limits/filter", {}, "name"],
    prefect_automation: ["/automations/filter", {}, "name"],
  };
  const counts: Record<string, number> = {};
  const duplicated: string[] = [];
  try {
    for (const [type, [path, body, key]] of Object.entries(lists)) {
      const items: Record<string, unknown>[] = [];
      for (let offset = 0; ; offset += 200) {
        const page = await api.ok<Record<string, unknown>[]>("POST", path, { ...(body as object), limit: 200, offset });
        items.push(...page);
        if (page.length < 200) break;
      }
      // Deployments are unique per flow and name: count by both.
      const keys = items.map((item) => (type === "prefect_deployment" ? `${String(item.flow_id)}/${String(item.name)}` : String(item[key])));
      counts[type] = items.filter((item) => !String(item.name).startsWith("deployment:")).length;
      const seen = new Set<string>();
      for (const itemKey of keys) {
        if (seen.has(itemKey)) duplicated.push(`${type} ${itemKey}`);
        seen.add(itemKey);
      }
    }
  } finally {
    await api.close();
  }
  return { counts, duplicated };
}

const dir = workDir(`busy-server-${resources}`);
rmSync(join(dir, "prefect-gitops.state.json"), { force: true });
rmSync(join(dir, "prefect-gitops.state.json.journal"), { force: true });
writeFileSync(join(dir, "main.tf.json"), JSON.stringify(stack(resources), null, 1));
const server = await startBusyDevserver();
try {
  const extra = parallelism ? ["--parallelism", parallelism] : [];
  const apply = await phase(server, "apply", ["apply", dir, "--auto-approve", ...extra]);
  const { counts, duplicated } = await duplicates(server);
  const plan = await phase(server, "plan", ["plan", dir, "--detailed-exitcode"]);
  const declared = stackMix(resources);
  const missing = Object.entries(counts).filter(([type, count]) => count < (declared[type] ?? 0)).map(([type, count]) => `${type}: ${count} of ${declared[type]}`);
  const results = {
    resources,
    server: BUSY_SERVER,
    apply,
    plan,
    objects: counts,
    duplicated,
    missing,
    ok: apply.exitCode === 0 && plan.exitCode === 0 && duplicated.length === 0 && missing.length === 0,
  };
  const file = writeResults(String(args.out ?? "busy-server"), results);
  console.log(
    table(
      ["phase", "exit", "time (s)", "requests", "503s retried", "summary"],
      [apply, plan].map((p) => [p.command.split(" ")[1] ?? "", p.exitCode, round(p.ms / 1000, 2), p.requests, p.serviceUnavailable, p.summary.slice(0, 80)]),
    ),
  );
  console.log(`duplicates: ${duplicated.length}; missing: ${missing.length ? missing.join(", ") : "none"}; recorded in ${file}`);
  if (!results.ok) process.exitCode = 1;
} finally {
  await server.stop();
}
