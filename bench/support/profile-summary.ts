// Summarize a V8 CPU profile (node --cpu-prof): where the time goes, by function (self and
// inclusive time) and by source file, with the repository's own files named relative to it.
//
//   node --import tsx bench/support/profile-summary.ts FILE.cpuprofile [--top 30] [--match reconciler/] [--since-ms N]
//   node --import tsx bench/support/profile-summary.ts FILE.cpuprofile --callers makeScope [--depth 4]
import { readFileSync } from "node:fs";
import { flags, round, table } from "./report.js";
import { REPO_ROOT } from "./server.js";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  byFunctionSelf: { fn: string; ms: number }[];
  byFunctionInclusive: { fn: string; ms: number }[];
  byFileSelf: { file: string; ms: number }[];
}

function where(frame: CallFrame): string {
  const url = frame.url.replace(`file://${REPO_ROOT}/`, "").replace(/^file:\/\//, "");
  const file = url.includes("node_modules/") ? url.slice(url.lastIndexOf("node_modules/") + 13) : url;
  // Sources compiled by tsx report line 0 for every function: the file alone says more.
  if (!file) return "(native)";
  return frame.lineNumber > 0 ? `${file}:${frame.lineNumber + 1}` : file;
}

const key = (frame: CallFrame): string => `${frame.functionName || "(anonymous)"} ${where(frame)}`;

/** Self and inclusive time per function (a function counted once per sample however deep it recurses). */
export function summarize(profile: Profile, options: { sinceMs?: number } = {}): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const fileSelf = new Map<string, number>();
  let elapsed = 0;
  let total = 0;
  profile.samples.forEach((id, index) => {
    const delta = (profile.timeDeltas[index] ?? 0) / 1000;
    elapsed += delta;
    if (options.sinceMs !== undefined && elapsed < options.sinceMs) return;
    const node = byId.get(id);
    if (!node) return;
    total += delta;
    const leaf = key(node.callFrame);
    self.set(leaf, (self.get(leaf) ?? 0) + delta);
    const file = where(node.callFrame).replace(/:\d+$/, "");
    fileSelf.set(file, (fileSelf.get(file) ?? 0) + delta);
    const seen = new Set<string>();
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const frame = byId.get(current)?.callFrame;
      if (!frame) break;
      const name = key(frame);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + delta);
    }
  });
  const sorted = (map: Map<string, number>) => [...map.entries()].sort((a, b) => b[1] - a[1]);
  return {
    totalMs: round(total, 0),
    byFunctionSelf: sorted(self).map(([fn, ms]) => ({ fn, ms: round(ms, 1) })),
    byFunctionInclusive: sorted(inclusive).map(([fn, ms]) => ({ fn, ms: round(ms, 1) })),
    byFileSelf: sorted(fileSelf).map(([file, ms]) => ({ file, ms: round(ms, 1) })),
  };
}

/** Where a function's self time is spent from: its callers' chains (`depth` frames up), by time. */
export function callers(profile: Profile, functionName: string, depth = 4): { chain: string; ms: number }[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, index) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000));
  const chains = new Map<string, number>();
  for (const node of profile.nodes) {
    if (node.callFrame.functionName !== functionName) continue;
    const chain: string[] = [];
    for (let current = parent.get(node.id); current !== undefined && chain.length < depth; current = parent.get(current)) {
      const frame = byId.get(current)?.callFrame;
      if (frame) chain.push(key(frame));
    }
    const text = chain.join(" < ");
    chains.set(text, (chains.get(text) ?? 0) + (selfMs.get(node.id) ?? 0));
  }
  return [...chains.entries()].sort((a, b) => b[1] - a[1]).map(([chain, ms]) => ({ chain, ms: round(ms, 1) }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const options = flags(process.argv.slice(3));
  const file = process.argv[2];
  if (!file) throw new Error("usage: profile-summary.ts FILE.cpuprofile [--top N] [--match TEXT] [--since-ms N]");
  const top = Number(options.top ?? 30);
  if (typeof options.callers === "string") {
    const rows = callers(JSON.parse(readFileSync(file, "utf8")) as Profile, options.callers, Number(options.depth ?? 4));
    console.log(table(["self ms", `callers of ${options.callers}`], rows.slice(0, top).map((row) => [row.ms, row.chain])));
    process.exit(0);
  }
  const match = typeof options.match === "string" ? options.match : undefined;
  const summary = summarize(JSON.parse(readFileSync(file, "utf8")) as Profile, { sinceMs: options["since-ms"] ? Number(options["since-ms"]) : undefined });
  const keep = <T extends { fn: string }>(rows: T[]) => rows.filter((row) => !match || row.fn.includes(match)).slice(0, top);
  console.log(`total sampled: ${summary.totalMs} ms\n`);
  console.log(table(["self ms", "function"], keep(summary.byFunctionSelf).map((row) => [row.ms, row.fn])));
  console.log();
  console.log(table(["inclusive ms", "function"], keep(summary.byFunctionInclusive).map((row) => [row.ms, row.fn])));
  console.log();
  console.log(table(["self ms", "file"], summary.byFileSelf.slice(0, top).map((row) => [row.ms, row.file])));
}
