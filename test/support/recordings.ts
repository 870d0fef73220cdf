// What a real Prefect 3.8 server answered, for tests that hold a kind to it directly (the
// conformance suite replays whole recordings; these read one scripted answer).
import { join } from "node:path";
import { readRecordingLines, RECORDINGS_DIR, recordingsPresent } from "../conformance/recordings.js";

export { recordingsPresent };

let scenarios: Map<string | undefined, unknown> | undefined;

/** The answer a real Prefect 3.8 server gave to the scenario with this label (scenarios.jsonl). */
export function recordedAnswer<T = Record<string, unknown>>(label: string): T {
  scenarios ??= new Map(
    readRecordingLines(join(RECORDINGS_DIR, "scenarios.jsonl")).map((scenario) => [scenario.label, scenario.response]),
  );
  if (!scenarios.has(label)) throw new Error(`no scenario labelled ${JSON.stringify(label)}`);
  return scenarios.get(label) as T;
}
