// What every benchmark records: the machine, the numbers, a table to paste into the README.
import { execSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { BENCH_DIR, REPO_ROOT } from "./server.js";

export interface Machine {
  node: string;
  platform: string;
  cpuModel: string;
  cpus: number;
  memoryGiB: number;
  /** The commit the numbers were taken at, with "+changes" when the tree was not clean. */
  commit: string;
}

export function machine(): Machine {
  let commit = "unknown";
  try {
    commit = execSync("git rev-parse --short HEAD", { cwd: REPO_ROOT, encoding: "utf8" }).trim();
    const dirty = execSync("git status --porcelain --untracked-files=no", { cwd: REPO_ROOT, encoding: "utf8" }).trim();
    if (dirty) commit += "+changes";
  } catch {
    // Not a git checkout: the commit stays unknown.
  }
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpuModel: cpus()[0]?.model ?? "unknown",
    cpus: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    commit,
  };
}

/** Write bench/results/NAME.json with the machine and the date. */
export function writeResults(name: string, results: unknown): string {
  const dir = join(BENCH_DIR, "results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ benchmark: name, recordedAt: new Date().toISOString(), machine: machine(), results }, null, 2) + "\n");
  return file;
}

/** A scratch directory under bench/.work (ignored by git and the lint). */
export function workDir(name: string): string {
  const dir = join(BENCH_DIR, ".work", name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? NaN;
}

export function median(values: number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

export const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;
export const mib = (bytes: number): number => round(bytes / 2 ** 20, 1);

/** A Markdown table. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.map(String).join(" | ")} |`;
  return [line(headers), line(headers.map(() => "---")), ...rows.map(line)].join("\n");
}

/** Command-line flags of a benchmark script: `--name value` and `--flag`. */
export function flags(argv: string[]): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (!arg.startsWith("--")) continue;
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith("--")) {
      out[arg.slice(2)] = next;
      i++;
    } else out[arg.slice(2)] = true;
  }
  return out;
}
