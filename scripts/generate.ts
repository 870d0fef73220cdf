// `npm run generate`: regenerates every committed generated file. With --check, regenerates in
// memory and fails if anything differs from what is committed (CI runs this through a test).
import { readFileSync, writeFileSync } from "node:fs";
import { generateWireTypes } from "../contract/generate-wire.js";

interface Output {
  path: string;
  content: () => Promise<string>;
}

const outputs: Output[] = [{ path: "contract/wire.gen.ts", content: generateWireTypes }];

const check = process.argv.includes("--check");
let stale = 0;
for (const output of outputs) {
  const url = new URL(`../${output.path}`, import.meta.url);
  const fresh = await output.content();
  let current = "";
  try {
    current = readFileSync(url, "utf8");
  } catch {
    current = "";
  }
  if (fresh === current) continue;
  if (check) {
    stale++;
    console.error(`${output.path} is stale: run \`npm run generate\` and commit the result.`);
  } else {
    writeFileSync(url, fresh);
    console.log(`wrote ${output.path}`);
  }
}
process.exitCode = stale ? 1 : 0;
