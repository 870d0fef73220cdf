// The devserver held to recordings of a real Prefect 3.8 server: each recording is replayed
// against a fresh devserver and every answer must equal the recorded one modulo ids and
// timestamps, except for the deviations listed (with their reasons) in deviations.ts.
import { describe, expect, it } from "vitest";
import { startTestDevServer } from "../support/devserver.js";
import { DEVIATIONS, RECORDING_DEFECTS } from "./deviations.js";
import { formatFindings, formatStale, judge, statusOnly } from "./judge.js";
import { RECORDINGS, RECORDINGS_DIR, recordingsPresent } from "./recordings.js";
import { replay } from "./replay.js";

const present = recordingsPresent();
if (!present) console.warn(`Conformance suite skipped: no recordings at ${RECORDINGS_DIR} (the shared folder beside the repository).`);

describe.skipIf(!present)("conformance with a real Prefect server", () => {
  it("lists each deviation once, with a reason, for a recording that is replayed", () => {
    const replayed = new Set(RECORDINGS.map((recording) => recording.file));
    expect(DEVIATIONS.filter((deviation) => !replayed.has(deviation.recording))).toEqual([]);
    expect(DEVIATIONS.filter((deviation) => deviation.reason.trim().length < 10)).toEqual([]);
    const keys = DEVIATIONS.map((deviation) => `${deviation.recording} | ${deviation.exchange} | ${deviation.path}`);
    expect(keys.filter((key, index) => keys.indexOf(key) !== index)).toEqual([]);
    expect(RECORDING_DEFECTS.filter((defect) => !replayed.has(defect.recording) || defect.reason.trim().length < 10)).toEqual([]);
  });

  it.each(RECORDINGS.map((recording) => [recording.file, recording] as const))("the devserver answers %s as the real server did", async (file, recording) => {
    const exchanges = recording.load(RECORDINGS_DIR);
    const server = await startTestDevServer();
    try {
      const findings = await replay(file, exchanges, server.url, { statusOnly: statusOnly(RECORDING_DEFECTS, file) });
      const { unlisted, stale } = judge(findings, DEVIATIONS, [file]);
      const problems: string[] = [];
      for (const defect of RECORDING_DEFECTS) {
        if (defect.recording === file && !exchanges.some((exchange) => defect.affects(exchange))) problems.push(`recording defect "${defect.defect}" affects no exchange of ${file}: remove it from deviations.ts`);
      }
      if (unlisted.length) problems.push(`${unlisted.length} unlisted deviation(s) from ${file}:\n${formatFindings(unlisted)}`);
      if (stale.length) problems.push(`${stale.length} listed deviation(s) that no longer occur:\n${formatStale(stale)}`);
      if (server.responseViolations.length) problems.push(`answers outside the Prefect API contract:\n${server.responseViolations.join("\n")}`);
      expect(problems.join("\n\n"), `replayed ${exchanges.length} exchanges`).toBe("");
    } finally {
      await server.close();
    }
  });
});
