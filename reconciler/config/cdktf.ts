// Running a CDKTF app to synthesize its Terraform JSON, as `cdktf synth` does: the app command
// from cdktf.json runs with CDKTF_OUTDIR pointing at the output directory. How it runs (a
// child process, or in this process for a TypeScript entry point) is the runner's business;
// the CLI provides the runner because running it needs the process environment.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { error, throwIfErrors } from "../diagnostics.js";

export interface AppRunner {
  /** Run the app `command` in `cwd` so that it writes its synthesized output to `outdir`. */
  run(command: string, options: { cwd: string; outdir: string }): Promise<void>;
}

interface CdktfJson {
  app?: string;
  output?: string;
}

/** Synthesize the CDKTF project in `dir`; returns the output directory. */
export async function synthesizeCdktfApp(dir: string, runner: AppRunner): Promise<string> {
  let config: CdktfJson;
  try {
    config = JSON.parse(readFileSync(join(dir, "cdktf.json"), "utf8")) as CdktfJson;
  } catch (caught) {
    throwIfErrors([error("CONFIG_SYNTAX", `cdktf.json is not valid JSON: ${(caught as Error).message}`, { file: "cdktf.json" })]);
    throw caught;
  }
  if (!config.app || typeof config.app !== "string") {
    throwIfErrors([error("CONFIG_INVALID", 'cdktf.json has no "app" command', { file: "cdktf.json", detail: 'Add e.g. "app": "npx tsx main.ts".' })]);
  }
  const outdir = join(dir, config.output ?? "cdktf.out");
  try {
    await runner.run(config.app!, { cwd: dir, outdir });
  } catch (caught) {
    throwIfErrors([error("CDKTF_APP_FAILED", `The CDKTF app failed: ${config.app}`, { file: "cdktf.json", detail: (caught as Error).message })]);
  }
  return outdir;
}

/** A runner that starts the app command in a shell, with the given environment. */
export function childProcessRunner(env: Record<string, string | undefined>): AppRunner {
  return {
    run: (command, { cwd, outdir }) =>
      new Promise((resolve, reject) => {
        const child = spawn(command, {
          cwd,
          shell: true,
          env: { ...env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        const keep = (chunk: Buffer) => {
          output = (output + chunk.toString("utf8")).slice(-8000);
        };
        child.stdout.on("data", keep);
        child.stderr.on("data", keep);
        child.on("error", reject);
        child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`it exited with code ${code}:\n${output.trim()}`))));
      }),
  };
}
