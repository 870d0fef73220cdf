// Entry point of the terraform-provider-prefect executable (bin/terraform-provider-prefect.js):
// the one place of the plugin that touches the process.
import { runPlugin } from "./run-plugin.js";

// Terraform forwards Ctrl-C to the whole process group and then asks the provider to stop
// (StopProvider) itself; like go-plugin's plugins, ignore the signal and let Terraform decide.
process.on("SIGINT", () => {});

// `--debug`: serve for TF_REATTACH_PROVIDERS instead of being launched by Terraform.
const mode = process.argv.includes("--debug") ? "reattach" : "launched";
const code = await runPlugin(
  {
    env: process.env,
    pid: process.pid,
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
  },
  async (options) => (await import("../resources/index.js")).createResourceProvider(options),
  mode,
);
process.exit(code);
