// Start the devserver in a child process (bench/support/devserver-process.ts) and talk to it
// over IPC: request counters, memory, shutdown.
import { fork, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ServerMemory, ServerRequest } from "./devserver-process.js";

export const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");
export const REPO_ROOT = join(BENCH_DIR, "..");

export interface RequestCounts {
  total: number;
  routes: Record<string, number>;
  /** Objects answered per route (items of a list or page, 1 for one object). */
  objects: Record<string, number>;
}

export interface ServerProcess {
  /** `http://127.0.0.1:PORT/api` */
  readonly url: string;
  readonly origin: string;
  /** The default Cloud workspace's API URL. */
  readonly cloudUrl: string;
  readonly pid: number;
  counts(): Promise<RequestCounts>;
  resetCounts(): Promise<void>;
  /** The server's memory; after a full GC when `gc` (the child runs with --expose-gc). */
  memory(gc?: boolean): Promise<ServerMemory>;
  /** CPU time (user + system) the server process has used so far, in ms. */
  cpuMs(): Promise<number>;
  close(): Promise<void>;
}

type Body<T extends ServerRequest["type"]> = T extends "counts" ? RequestCounts : T extends "memory" ? ServerMemory : T extends "cpu" ? number : null;

/** A devserver in its own Node.js process, with --expose-gc so its retained heap can be measured. */
export async function startServerProcess(options: { dataDir?: string } = {}): Promise<ServerProcess> {
  const args = options.dataDir ? ["--data-dir", options.dataDir] : [];
  const child: ChildProcess = fork(join(BENCH_DIR, "support", "devserver-process.ts"), args, {
    execArgv: ["--import", "tsx", "--expose-gc"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    cwd: REPO_ROOT,
  });
  const pending = new Map<number, (body: unknown) => void>();
  let nextId = 1;
  const ready = new Promise<{ url: string; origin: string; cloudUrl: string }>((resolve, reject) => {
    pending.set(0, (body) => resolve(body as { url: string; origin: string; cloudUrl: string }));
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the devserver process exited with ${code} before it was ready`)));
  });
  child.on("message", (message: { id: number; body: unknown }) => {
    const resolve = pending.get(message.id);
    pending.delete(message.id);
    resolve?.(message.body);
  });
  const ask = <T extends ServerRequest["type"]>(type: T, extra: Record<string, unknown> = {}): Promise<Body<T>> =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve as (body: unknown) => void);
      child.send({ id, type, ...extra });
    });
  const where = await ready;
  child.removeAllListeners("exit");
  return {
    ...where,
    pid: child.pid ?? -1,
    counts: () => ask("counts"),
    resetCounts: async () => {
      await ask("reset-counts");
    },
    memory: (gc = false) => ask("memory", { gc }),
    cpuMs: () => ask("cpu"),
    close: async () => {
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.send({ id: nextId++, type: "close" });
      await exited;
    },
  };
}
