// Accepted differences between the devserver's answers and a real Prefect 3.8 server's, as
// the conformance replay finds them. The replay fails on any difference not listed here and on
// any entry here that no longer matches a difference (so the list stays true). Each entry is
// listed once and says why.
import type { Deviation, RecordingDefect } from "./judge.js";
import type { RecordedExchange } from "./recordings.js";

/**
 * A gzip-compressed body stored as text: the gzip magic bytes 1f 8b 08 read as UTF-8, where
 * 8b is not a character and became U+FFFD, so the bytes are lost and cannot be inflated back.
 */
const gzipStoredAsText = (exchange: RecordedExchange): boolean => typeof exchange.response === "string" && exchange.response.startsWith("\u001f\ufffd\b");

/** Recordings whose bodies cannot be read in places: those exchanges are compared by status only. */
export const RECORDING_DEFECTS: readonly RecordingDefect[] = [
  {
    recording: "prefect-cli.jsonl",
    defect: "gzip-compressed answers stored as mangled text",
    affects: gzipStoredAsText,
    reason:
      "Prefect's CLI asks for gzip; the recording proxy stored the compressed answers (the larger ones: pools, deployments, filters, the block catalog, automations) as text decoded from the gzip bytes, which lost them. Their status is all the recording says; the ids they carried are paired from the requests that name them later (replay.ts PendingIds).",
  },
];

export const DEVIATIONS: readonly Deviation[] = [
  {
    recording: "client-suite.jsonl.gz",
    exchange: "POST /block_schemas/filter",
    path: "$[*].capabilities[*]",
    reason:
      "A block schema's capabilities are a Python frozenset (prefect/blocks/core.py get_block_capabilities), listed in an order that changes with each server process's hash seed: catalog.json, which the devserver serves, and this recording come from two real servers and disagree.",
  },
];
