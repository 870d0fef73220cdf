// `npm run bench`: run the benchmarks, each in a process of its own, and record their results in
// bench/results/. See bench/README.md.
//
//   npm run bench                          # devserver, list, engine, busy-server
//   npm run bench -- engine                # one of them
//   npm run bench -- engine --sizes 100    # flags after the names go to every script run
import { spawn } from "node:child_process";
import { join } from "node:path";
import { BENCH_DIR, REPO_ROOT } from "./support/server.js";

const BENCHMARKS = ["devserver", "list", "engine", "busy-server"] as const;
type Benchmark = (typeof BENCHMARKS)[number];

function runScript(name: Benchmark, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(BENCH_DIR, `${name}.ts`), ...args], { cwd: REPO_ROOT, stdio: "inherit" });
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const argv = process.argv.slice(2);
const firstFlag = argv.findIndex((arg) => arg.startsWith("--"));
const names = firstFlag < 0 ? argv : argv.slice(0, firstFlag);
const passed = firstFlag < 0 ? [] : argv.slice(firstFlag);
const unknown = names.filter((name) => !(BENCHMARKS as readonly string[]).includes(name));
if (unknown.length) {
  console.error(`unknown benchmark ${unknown.join(", ")}: choose from ${BENCHMARKS.join(", ")}`);
  process.exit(1);
}
const selected = (names.length ? names : BENCHMARKS) as Benchmark[];
let failed = 0;
for (const name of selected) {
  console.log(`\n=== bench/${name}.ts ${passed.join(" ")}`);
  const code = await runScript(name, passed);
  if (code !== 0) {
    console.error(`bench/${name}.ts exited with ${code}`);
    failed++;
  }
}
process.exitCode = failed ? 1 : 0;
