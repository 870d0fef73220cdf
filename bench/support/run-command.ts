// Run a command line as a child process with a minimal environment (nothing of the bench's own,
// NODE_OPTIONS included, leaks into what is measured), capture its output and time it, spawn to exit.
import { spawn } from "node:child_process";
import { REPO_ROOT } from "./server.js";

export interface CommandResult {
  code: number;
  /** Wall time from spawn to exit. */
  ms: number;
  stdout: string;
  stderr: string;
}

export function runCommand(command: string, args: string[], env: Record<string, string | undefined>, cwd = REPO_ROOT): Promise<CommandResult> {
  const started = performance.now();
  const child = spawn(command, args, {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, CHECKPOINT_DISABLE: "1", NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code: code ?? -1, ms: performance.now() - started, stdout, stderr }));
  });
}

/** The lines of a run that say what it did (Terraform's and prefect-gitops's wording alike). */
export function summaryOf(run: CommandResult): string {
  const lines = `${run.stdout}\n${run.stderr}`.trim().split("\n");
  return lines.filter((line) => /^(Apply complete|No changes|Plan:|Error)/.test(line.trim())).join(" / ") || (lines.at(-1) ?? "");
}
