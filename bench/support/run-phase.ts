// The parent's side of bench/support/engine-phase.ts: fork the phase's process, hand it its
// request, answer its questions about the devserver's CPU time, and return what it measured.
import { fork } from "node:child_process";
import { join } from "node:path";
import type { PhaseRequest, PhaseResult } from "./engine-phase.js";
import { BENCH_DIR, REPO_ROOT, type ServerProcess } from "./server.js";

/** Run one phase in a fresh process; with `cpuProf`, its CPU profile is written to that directory. */
export function runPhase(request: PhaseRequest, server: ServerProcess, options: { cpuProf?: string } = {}): Promise<PhaseResult> {
  const execArgv = ["--import", "tsx"];
  if (options.cpuProf) execArgv.push("--cpu-prof", "--cpu-prof-dir", options.cpuProf);
  const child = fork(join(BENCH_DIR, "support", "engine-phase.ts"), [], { execArgv, cwd: REPO_ROOT, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    child.on("message", (message: { ready?: boolean; want?: string; ok?: boolean; result?: PhaseResult; error?: string }) => {
      if (message.ready) child.send(request);
      else if (message.want === "server-cpu") void server.cpuMs().then((serverCpuMs) => child.send({ serverCpuMs }));
      else if (message.ok) resolve(message.result!);
      else reject(new Error(message.error));
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code !== 0) reject(new Error(`the ${request.args[0]} process exited with ${code}`));
    });
  });
}
