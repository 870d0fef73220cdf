// Holding replay findings to the list of accepted deviations: a finding no entry covers is a
// failure, and so is an entry that covers no finding (it no longer occurs: remove it).
import type { RecordedExchange } from "./recordings.js";
import type { Finding } from "./replay.js";

/** One accepted way the devserver differs from a real Prefect server, and why. */
export interface Deviation {
  /** The recording's file name, e.g. `scenarios.jsonl`. */
  recording: string;
  /** A scenario's label, or `METHOD /template` for the client suite. */
  exchange: string;
  /**
   * `status`, or a JSON path into the body; `[*]` stands for any index, and a trailing `.**`
   * for anything below the path (the path itself included).
   */
  path: string;
  reason: string;
}

/**
 * A defect of a recording, not a difference of the devserver: the exchanges it affects carry a
 * recorded body that cannot be read, so only their status is compared. Listed once per
 * recording with its reason; one that affects no exchange is stale.
 */
export interface RecordingDefect {
  recording: string;
  /** What is wrong with the recording, for people. */
  defect: string;
  /** Whether an exchange's recorded body is affected. */
  affects(exchange: RecordedExchange): boolean;
  reason: string;
}

/** Whether the defects listed for a recording make this exchange's body unreadable (only its status is compared then). */
export function statusOnly(defects: readonly RecordingDefect[], recording: string): (exchange: RecordedExchange) => boolean {
  const relevant = defects.filter((defect) => defect.recording === recording);
  return (exchange) => relevant.some((defect) => defect.affects(exchange));
}

function pathPattern(path: string): RegExp {
  const subtree = path.endsWith(".**");
  const base = subtree ? path.slice(0, -3) : path;
  const escaped = base.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\\\[\\\*\\\]/g, "\\[\\d+\\]");
  return new RegExp(`^${escaped}${subtree ? "(?:[.[].*)?" : ""}$`);
}

export function covers(deviation: Deviation, finding: Finding): boolean {
  return deviation.recording === finding.recording && deviation.exchange === finding.exchange && pathPattern(deviation.path).test(finding.path);
}

export interface Judgement {
  /** Findings no deviation covers. */
  unlisted: Finding[];
  /** Deviations of the recordings judged that cover no finding. */
  stale: Deviation[];
}

/** Judge the findings of the given recordings against the list (entries of other recordings are left alone). */
export function judge(findings: readonly Finding[], deviations: readonly Deviation[], recordings: readonly string[]): Judgement {
  const relevant = deviations.filter((deviation) => recordings.includes(deviation.recording));
  const used = new Set<Deviation>();
  const unlisted: Finding[] = [];
  for (const finding of findings) {
    const deviation = relevant.find((candidate) => covers(candidate, finding));
    if (deviation) used.add(deviation);
    else unlisted.push(finding);
  }
  return { unlisted, stale: relevant.filter((deviation) => !used.has(deviation)) };
}

function short(value: unknown): string {
  const text = value === undefined ? "(absent)" : JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/**
 * The unlisted findings, one line per exchange key, path (indices as `[*]`) and kind, with how
 * often it occurred and its first occurrence's values: a list a person can read.
 */
export function formatFindings(findings: readonly Finding[]): string {
  const groups = new Map<string, { first: Finding; count: number }>();
  for (const finding of findings) {
    const key = `${finding.recording} | ${finding.exchange} | ${finding.path.replace(/\[\d+\]/g, "[*]")} | ${finding.kind}`;
    const group = groups.get(key);
    if (group) group.count += 1;
    else groups.set(key, { first: finding, count: 1 });
  }
  return [...groups.entries()]
    .map(([key, { first, count }]) => `${key} (x${count}, first at ${first.at} ${first.path}): recorded ${short(first.recorded)}, live ${short(first.live)}`)
    .join("\n");
}

export function formatStale(deviations: readonly Deviation[]): string {
  return deviations.map((deviation) => `${deviation.recording} | ${deviation.exchange} | ${deviation.path}: no longer occurs; remove it from deviations.ts`).join("\n");
}
