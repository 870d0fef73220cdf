// The plugin executable with the test provider instead of the real one, for the protocol tests
// (test-plugin-main is an entry point: it runs the process like main.ts does).
import { runPlugin } from "../run-plugin.js";
import { createTestProvider } from "./test-provider.js";

process.on("SIGINT", () => {});
const code = await runPlugin(
  { env: process.env, stdout: (line) => process.stdout.write(`${line}\n`), stderr: (line) => process.stderr.write(`${line}\n`) },
  () => createTestProvider(),
);
process.exit(code);
