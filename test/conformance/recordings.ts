// The recordings of a real Prefect server (../shared/prefect-recordings beside the repository,
// see its README) as exchanges to replay: which file, which of its exchanges, and what a
// deviation from each is keyed by.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { Contract } from "../../contract/validator.js";

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Where the recordings are when the shared folder sits beside the repository (CI has it; a developer checkout may not). */
export const RECORDINGS_DIR = join(REPO_ROOT, "..", "shared", "prefect-recordings");

/** One request a real server answered, as the replay sends it again. */
export interface RecordedExchange {
  /** Where it is in its recording, for people: a scenario's label, or `#seq`. */
  at: string;
  /** What deviations from it are listed under: a scenario's label, or `METHOD /template`. */
  key: string;
  method: string;
  /** Below the API prefix, with the query string: `/block_documents/…?include_secrets=true`. */
  path: string;
  request: unknown;
  status: number;
  response: unknown;
}

export interface Recording {
  /** The file's name, which is also how deviations name the recording. */
  file: string;
  /** Its exchanges to replay, in the order the server answered them. */
  load(dir: string): RecordedExchange[];
}

/** One line of a recording file, as the recording proxy or the scenario script wrote it. */
export interface RecordedLine {
  label?: string;
  seq?: number;
  method: string;
  path: string;
  request: unknown;
  status: number;
  response: unknown;
}

/** The lines of a recording file (`.jsonl`, or `.jsonl.gz`). */
export function readRecordingLines(file: string): RecordedLine[] {
  const raw = readFileSync(file);
  const text = file.endsWith(".gz") ? gunzipSync(raw).toString("utf8") : raw.toString("utf8");
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as RecordedLine);
}

const contract = Contract.load("oss");

/** `POST /work_pools/{name}/queues`: the contract's template, so one deviation covers every pool's name and every id. */
export function templateKey(method: string, path: string): string {
  const bare = path.split("?")[0] ?? path;
  return `${method} ${contract.match(method, bare)?.template ?? bare}`;
}

const belowApi = (path: string): string => (path.startsWith("/api/") ? path.slice(4) : path);

/** An exchange the recording proxy wrote (numbered by `seq`), keyed by its route's template. */
export function proxiedExchange(line: RecordedLine): RecordedExchange {
  const path = belowApi(line.path);
  return { at: `#${line.seq}`, key: templateKey(line.method, path), method: line.method, path, request: line.request, status: line.status, response: line.response };
}

/**
 * A recording of exchanges in order (`seq`), replayed without its 503s: those are writes that
 * overlapped others on a busy SQLite server, which it rolled back (see the recordings' README),
 * so they changed nothing and say nothing about the server's rules. Everything else is
 * replayed, 404s and 409s included: one at a time, their answers follow from what came before.
 */
function answeredExchanges(file: string): Recording {
  return {
    file,
    load: (dir) =>
      readRecordingLines(join(dir, file))
        .filter((line) => line.status !== 503)
        .sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0))
        .map(proxiedExchange),
  };
}

/** Scripted requests sent one at a time: every one is replayed, errors included. */
function scenarios(file: string): Recording {
  return {
    file,
    load: (dir) =>
      readRecordingLines(join(dir, file)).map((line) => {
        const label = line.label ?? `${line.method} ${line.path}`;
        return { at: label, key: label, method: line.method, path: belowApi(line.path), request: line.request, status: line.status, response: line.response };
      }),
  };
}

/** The recordings the devserver is held to: scripted requests, this project's client suite, Prefect 3.8's own CLI (prefect-cli-commands.json). */
export const RECORDINGS: readonly Recording[] = [scenarios("scenarios.jsonl"), answeredExchanges("client-suite.jsonl.gz"), answeredExchanges("prefect-cli.jsonl")];

export const recordingsPresent = (dir = RECORDINGS_DIR): boolean => existsSync(dir);
