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

/** Limits of a synthesis: a CDKTF app is code, possibly from a pull request. */
export interface SynthesisLimits {
  /** Killed (with its children) after this long. @default no limit */
  timeoutMs?: number;
  /** Node.js heap limit of the app (`--max-old-space-size`), in MiB. @default Node's own */
  memoryMb?: number;
}

/**
 * The only variables a CDKTF app sees: what finding programs and temporary files needs. An
 * allowlist, not a blocklist: Prefect keys, GitHub tokens, webhook secrets and TF_VAR_* values
 * (the engine resolves variables itself, the app never needs them) cannot slip through under a
 * name nobody thought of.
 */
const SYNTHESIS_VARIABLES = ["PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "TEMP", "TMP", "SystemRoot"] as const;

export function synthesisEnvironment(env: Record<string, string | undefined>, outdir: string, limits: SynthesisLimits = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of SYNTHESIS_VARIABLES) if (env[name] !== undefined) out[name] = env[name]!;
  out.CDKTF_OUTDIR = outdir;
  out.CHECKPOINT_DISABLE = "1";
  if (limits.memoryMb) out.NODE_OPTIONS = `--max-old-space-size=${limits.memoryMb}`;
  return out;
}

/**
 * A runner that starts the app command in a shell, with only the allowlisted variables of `env`
 * (synthesisEnvironment) and the given limits. The shell leads its own process group, so a
 * timeout ends the app's children too.
 */
export function childProcessRunner(env: Record<string, string | undefined>, limits: SynthesisLimits = {}): AppRunner {
  return {
    run: (command, { cwd, outdir }) =>
      new Promise((resolve, reject) => {
        const child = spawn(command, {
          cwd,
          shell: true,
          detached: true,
          env: synthesisEnvironment(env, outdir, limits),
          stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        let timedOut = false;
        const keep = (chunk: Buffer) => {
          output = (output + chunk.toString("utf8")).slice(-8000);
        };
        const timer = limits.timeoutMs
          ? setTimeout(() => {
              timedOut = true;
              try {
                process.kill(-child.pid!, "SIGKILL");
              } catch {
                child.kill("SIGKILL");
              }
            }, limits.timeoutMs)
          : undefined;
        child.stdout.on("data", keep);
        child.stderr.on("data", keep);
        child.on("error", reject);
        child.on("close", (code, signal) => {
          clearTimeout(timer);
          if (timedOut) reject(new Error(`it ran longer than ${Math.round(limits.timeoutMs! / 1000)} s and was stopped. Make synthesis faster, or raise synth.timeout_seconds.`));
          else if (code === 0) resolve();
          else reject(new Error(`it ${signal ? `was killed by ${signal}` : `exited with code ${code}`}:\n${output.trim()}`));
        });
      }),
  };
}
