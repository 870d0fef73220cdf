// What a real Prefect 3.8 server answered, for tests that hold a kind to it directly (the
// conformance suite replays whole recordings; these read one scripted answer).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { RECORDINGS_DIR, recordingsPresent } from "../conformance/recordings.js";

export { recordingsPresent };

let scenarios: Map<string, unknown> | undefined;

/** The answer a real Prefect 3.8 server gave to the scenario with this label (scenarios.jsonl). */
export function recordedAnswer<T = Record<string, unknown>>(label: string): T {
  scenarios ??= new Map(
    readFileSync(join(RECORDINGS_DIR, "scenarios.jsonl"), "utf8")
      .split("\n")
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as { label: string; response: unknown })
      .map((scenario) => [scenario.label, scenario.response]),
  );
  if (!scenarios.has(label)) throw new Error(`no scenario labelled ${JSON.stringify(label)}`);
  return scenarios.get(label) as T;
}
