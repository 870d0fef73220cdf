// Running the prefect-gitops CLI in tests: in process (fast, output captured) or as a real
// child process (for kill -9 and lock contention between processes).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { main } from "../../reconciler/cli.js";

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const CLI_BIN = join(REPO_ROOT, "bin", "prefect-gitops.js");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the CLI in this process with its output captured. `env` is the whole environment it sees. */
export async function runCli(args: string[], options: { cwd: string; env?: Record<string, string | undefined> }): Promise<CliResult> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(args, {
    out: (text) => stdout.push(text),
    err: (text) => stderr.push(text),
    env: { CHECKPOINT_DISABLE: "1", ...(options.env ?? {}) },
    cwd: options.cwd,
    interactive: false,
    colors: false,
  });
  return { code, stdout: stdout.join("\n"), stderr: stderr.join("\n") };
}

/** Start the CLI as a child process. */
export function spawnCli(args: string[], options: { cwd: string; env?: Record<string, string | undefined> }): ChildProcess {
  return spawn(process.execPath, [CLI_BIN, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, CHECKPOINT_DISABLE: "1", NO_COLOR: "1", ...(options.env ?? {}) },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Run the CLI as a child process to completion. */
export function runCliProcess(args: string[], options: { cwd: string; env?: Record<string, string | undefined> }): Promise<CliResult> {
  return completion(spawnCli(args, options));
}

/** Run any command as a child process to completion; `env` is the whole environment it sees. */
export function runProcess(command: string, args: string[], options: { cwd: string; env: Record<string, string | undefined> }): Promise<CliResult> {
  return completion(spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] }));
}

/** A child process's exit code and output, once it has exited. */
function completion(child: ChildProcess): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** A fresh temporary directory holding the given files. */
export function workdir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "prefect-gitops-"));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

/** Requests that change something (everything but reads), from a devserver's per-route counts. */
export function mutatingRequests(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(counts).filter(([route]) => {
      const [method, path] = route.split(" ");
      if (method === "GET") return false;
      if (method === "POST" && path && /\/(filter|count|paginate)$/.test(path)) return false;
      return true;
    }),
  );
}
