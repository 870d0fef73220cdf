// `npx tsx scripts/block-catalog.ts`: rewrites devserver/catalog/catalog.json from the recording of a real Prefect
// server's block catalog in ../shared/prefect-recordings/. With --check, fails if the committed
// file differs from what the recording gives; without the recording, says so and does nothing.
import { readFileSync, writeFileSync } from "node:fs";
import { CATALOG_PATH, catalogFromRecording, catalogText, readRecording, RECORDING_PATH } from "../devserver/catalog/from-recording.js";

const recording = readRecording();
if (!recording) {
  console.error(`No recording at ${RECORDING_PATH}: nothing to compare with, ${CATALOG_PATH} left as it is.`);
} else {
  const text = catalogText(catalogFromRecording(recording));
  if (process.argv.includes("--check")) {
    const current = readFileSync(CATALOG_PATH, "utf8");
    if (current !== text) {
      console.error(`${CATALOG_PATH} is stale: run \`npx tsx scripts/block-catalog.ts\` and commit the result.`);
      process.exitCode = 1;
    }
  } else {
    writeFileSync(CATALOG_PATH, text);
    console.error(`Wrote ${CATALOG_PATH}.`);
  }
}
