// The devserver as a busy Prefect server on SQLite (`prefect-gitops-devserver --contention`), run
// through its own CLI as a user runs it, and what the benchmarks read from it around a phase: the
// requests it answered and the 503s it injected (each one a retry by the client).
import { spawn } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "./server.js";

export interface BusyDevserver {
  url: string;
  origin: string;
  stop(): Promise<void>;
}

export const BUSY_SERVER = "prefect-gitops-devserver --contention (1 write at a time, 15 ms each, 2% background 503s; idle connections closed after 5 s)";

export function startBusyDevserver(): Promise<BusyDevserver> {
  const child = spawn(process.execPath, [join(REPO_ROOT, "bin", "prefect-gitops-devserver.js"), "--port", "0", "--contention"], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the devserver exited with ${code} before it was ready:\n${out}`)));
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+\/api)/.exec(out);
      if (!match) return;
      child.removeAllListeners("exit");
      const url = match[1]!;
      resolve({
        url,
        origin: new URL(url).origin,
        stop: () =>
          new Promise((done) => {
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    });
  });
}

async function admin<T>(origin: string, path: string, method = "GET"): Promise<T> {
  const response = await fetch(origin + path, { method });
  return (await response.json()) as T;
}

async function injected503(server: BusyDevserver): Promise<number> {
  const faults = await admin<{ injected?: Record<string, number> }>(server.origin, "/_devserver/faults");
  return (faults.injected?.contention ?? 0) + (faults.injected?.["contention-background"] ?? 0);
}

export interface Counted<T> {
  result: T;
  ms: number;
  /** Every request the server answered during the run, by `METHOD /route/template` too. */
  requests: number;
  byRoute: Record<string, number>;
  /** 503s the server answered (each retried by the client). */
  serviceUnavailable: number;
}

/** Runs `run` with the server's request counters reset, and counts what it cost. */
export async function counted<T>(server: BusyDevserver, run: () => Promise<T>): Promise<Counted<T>> {
  await fetch(`${server.origin}/_devserver/requests`, { method: "DELETE" });
  const before = await injected503(server);
  const started = performance.now();
  const result = await run();
  const ms = Math.round(performance.now() - started);
  const counts = await admin<{ total: number; routes?: Record<string, number> }>(server.origin, "/_devserver/requests");
  return { result, ms, requests: counts.total, byRoute: counts.routes ?? {}, serviceUnavailable: (await injected503(server)) - before };
}
