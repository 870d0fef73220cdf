// `prefect-gitops`: the command line. The only module (with service.ts) that touches the process:
// arguments, environment, terminal. Everything else gets them through a CommandContext.
import { Command, InvalidArgumentError, Option } from "commander";
import { createInterface } from "node:readline/promises";
import { pathToFileURL } from "node:url";
import type { AppRunner } from "./config/cdktf.js";
import {
  applyCommand,
  driftCommand,
  importAllCommand,
  importCommand,
  initCommand,
  outputCommand,
  planCommand,
  quickstartCommand,
  reconcileCommand,
  serveCommand,
  stateCommand,
  validateCommand,
} from "./commands/lazy.js";
import type { CommandContext, GlobalOptions, LogLevel } from "./commands/context.js";
import { EXIT_ERROR } from "./commands/exit-codes.js";
import { packageVersion } from "./version.js";
import { EVENT_NAMES } from "./gitops/event-names.js";
import { ANSI, NO_COLOR } from "./plan/render-text.js";

/** "30s", "2m", "1h", "500ms" or a number of seconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new InvalidArgumentError('expected a duration such as "30s", "5m" or "0"');
  const value = Number(match[1]);
  const unit = match[2] ?? "s";
  return value * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit]!;
}

function collectVar(text: string, previous: Record<string, string>): Record<string, string> {
  const at = text.indexOf("=");
  if (at <= 0) throw new InvalidArgumentError("expected NAME=VALUE");
  return { ...previous, [text.slice(0, at)]: text.slice(at + 1) };
}

function positiveInt(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError("expected a whole number >= 1");
  return value;
}

/**
 * Runs a CDKTF app. A plain TypeScript entry point (`npx tsx main.ts`, `tsx main.ts`) runs in
 * this process, which saves starting another Node.js; anything else runs as `cdktf synth` would.
 */
export function appRunner(env: Record<string, string | undefined>): AppRunner {
  return {
    async run(command, options) {
      const entry = /^(?:npx\s+)?tsx\s+([\w./-]+\.tsx?)\s*$/.exec(command.trim())?.[1];
      if (!entry) return (await import("./config/cdktf.js")).childProcessRunner(env).run(command, options);
      const { tsImport } = await import("tsx/esm/api");
      const previous = { outdir: process.env.CDKTF_OUTDIR, cwd: process.cwd() };
      process.env.CDKTF_OUTDIR = options.outdir;
      process.chdir(options.cwd);
      try {
        await tsImport(pathToFileURL(`${options.cwd}/${entry}`).href, import.meta.url);
      } finally {
        if (previous.outdir === undefined) delete process.env.CDKTF_OUTDIR;
        else process.env.CDKTF_OUTDIR = previous.outdir;
        process.chdir(previous.cwd);
      }
    },
  };
}

export interface Io {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  interactive: boolean;
  colors: boolean;
}

function processIo(): Io {
  return {
    out: (text) => process.stdout.write(text + "\n"),
    err: (text) => process.stderr.write(text + "\n"),
    env: process.env,
    cwd: process.cwd(),
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    colors: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  };
}

/** Run the CLI with `argv` (without the node and script entries); resolves to the exit code. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  let exitCode = 0;
  const program = globalProgram(io);
  const actions: Actions = {
    context: () => commandContext(program, io),
    run: async (work) => {
      exitCode = await work;
    },
    fail: (message) => {
      io.err(message);
      exitCode = EXIT_ERROR;
    },
  };
  // In the order `--help` lists them.
  addPlanCommands(program, actions);
  addStateCommands(program, actions);
  addGitOpsCommands(program, actions);
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (caught) {
    const code = (caught as { exitCode?: number; code?: string }).exitCode;
    if ((caught as { code?: string }).code === "commander.helpDisplayed" || (caught as { code?: string }).code === "commander.version") return 0;
    return code === undefined ? EXIT_ERROR : code === 0 ? 0 : EXIT_ERROR;
  }
  return exitCode;
}

/** What a command's action needs: its context (once the global options are parsed) and where its exit code goes. */
interface Actions {
  context(): CommandContext;
  run(work: Promise<number>): Promise<void>;
  /** Refuse the arguments before any command runs. */
  fail(message: string): void;
}

/** The program and its global options. */
function globalProgram(io: Io): Command {
  return new Command("prefect-gitops")
    .description("Prefect as code: plan, apply, audit and import Prefect objects without a Terraform binary.")
    .option("--state <file>", "state file of the file backend (default: DIR/prefect-gitops.state.json)")
    .addOption(new Option("--backend <backend>", "where the state lives").choices(["file", "workspace"]).default("file"))
    .option("--state-name <name>", "name of the state in the workspace backend", "default")
    .option("--no-color", "plain output without colors")
    .addOption(new Option("--log-level <level>", "how much to log on stderr").choices(["error", "warn", "info", "debug"]).default("warn"))
    .option("--lock-timeout <duration>", "how long to wait for the state lock (e.g. 30s, 5m)", parseDuration, 0)
    .option("--var <name=value>", "set a variable (repeatable)", collectVar, {})
    .option("--stack <name>", "which stack of a multi-stack CDKTF app")
    .version(packageVersion(), "-V, --version", "print the version")
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text.trimEnd()), writeErr: (text) => io.err(text.trimEnd()) });
}

function commandContext(program: Command, io: Io): CommandContext {
  const raw = program.opts<{ state?: string; backend: "file" | "workspace"; stateName: string; color: boolean; logLevel: LogLevel; lockTimeout: number; var: Record<string, string>; stack?: string }>();
  const options: GlobalOptions = {
    state: raw.state,
    backend: raw.backend,
    stateName: raw.stateName,
    color: raw.color && io.colors,
    logLevel: raw.logLevel,
    lockTimeoutMs: raw.lockTimeout,
    vars: raw.var,
    stack: raw.stack,
  };
  return {
    out: io.out,
    err: io.err,
    style: options.color ? ANSI : NO_COLOR,
    env: io.env,
    cwd: io.cwd,
    runner: appRunner(io.env),
    options,
    confirm: io.interactive
      ? async (question) => {
          const rl = createInterface({ input: process.stdin, output: process.stdout });
          try {
            return (await rl.question(question)).trim() === "yes";
          } finally {
            rl.close();
          }
        }
      : undefined,
  };
}

/** validate, plan, apply, destroy and drift. */
function addPlanCommands(program: Command, { context, run }: Actions): void {
  program
    .command("validate [dir]")
    .description("check the configuration offline: schema, references, cycles, duplicates")
    .option("--json", "machine-readable output")
    .action((dir: string | undefined, flags: { json?: boolean }) => run(validateCommand(context(), dir, flags)));

  program
    .command("plan [dir]")
    .description("show what apply would change")
    .option("--json", "print the plan as JSON")
    .option("--out <file>", "save the plan for `apply --plan`")
    .option("--detailed-exitcode", "exit 0 for no changes, 2 for changes, 1 for errors")
    .option("--refresh-only", "only compare the state with the live objects")
    .option("--destroy", "plan the deletion of everything the state owns")
    .option("--adopt", "take over existing objects that match a declaration")
    .action((dir: string | undefined, flags) => run(planCommand(context(), dir, flags)));

  program
    .command("apply [dir]")
    .description("make Prefect match the configuration")
    .option("--auto-approve", "do not ask for approval")
    .option("--plan <file>", "apply exactly this saved plan (refused if stale)")
    .option("--parallelism <n>", "operations at once within a wave", positiveInt, 10)
    .option("--adopt", "take over existing objects that match a declaration")
    .option("--refresh-only", "only update the state from the live objects")
    .option("--json", "print only the outcome as JSON: status, every failure with its code")
    .action((dir: string | undefined, flags) => run(applyCommand(context(), dir, flags)));

  program
    .command("destroy [dir]")
    .description("delete every object the state owns")
    .option("--auto-approve", "do not ask for approval")
    .option("--parallelism <n>", "operations at once within a wave", positiveInt, 10)
    .option("--json", "print only the outcome as JSON: status, every failure with its code")
    .action((dir: string | undefined, flags) => run(applyCommand(context(), dir, { ...flags, destroy: true })));

  program
    .command("drift [dir]")
    .description("read-only audit: live vs declared and live vs last applied (exit 0 clean, 2 drift, 1 error)")
    .option("--json", "machine-readable output")
    .option("--unmanaged", "read every object of the declared kinds and list those not managed by this state (default: only look-alikes of declared names)")
    .action((dir: string | undefined, flags) => run(driftCommand(context(), dir, flags)));
}

/** import, output and state. */
function addStateCommands(program: Command, { context, run, fail }: Actions): void {
  program
    .command("import [address] [id] [dir]")
    .description("bring an existing object under management (or every object, with --all)")
    .option("--all", "write configuration and state for every object in the workspace: import --all [DIR]")
    .option("--out <file>", "with --all: where to write the configuration, in DIR (default DIR/imported.tf.json; never overwritten)")
    .action((address: string | undefined, id: string | undefined, dir: string | undefined, flags: { all?: boolean; out?: string }) => {
      if (!flags.all && flags.out !== undefined) {
        fail("Error: --out is for import --all; import ADDRESS ID writes no configuration.");
        return;
      }
      return run(flags.all ? importAllCommand(context(), address, dir === undefined ? id : `${id} ${dir}`, flags) : importCommand(context(), address, id, dir));
    });

  program
    .command("output [name] [dir]")
    .description("show the configuration's outputs from the state (sensitive ones are never shown)")
    .option("--json", "machine-readable output")
    .action((name: string | undefined, dir: string | undefined, flags: { json?: boolean }) => run(outputCommand(context(), name, dir, flags)));

  const state = program.command("state").description("inspect or edit the state");
  for (const [name, description] of [
    ["list", "list the objects the state owns"],
    ["show", "show one object as the state records it"],
    ["rm", "forget an object without deleting it in Prefect"],
  ] as const) {
    state
      .command(`${name}${name === "list" ? "" : " <address>"}`)
      .description(description)
      .option("--dir <dir>", "the configuration directory", ".")
      .option("--json", "machine-readable output")
      .action((...args: unknown[]) => {
        const address = name === "list" ? undefined : (args[0] as string);
        const flags = (name === "list" ? args[0] : args[1]) as { dir?: string; json?: boolean };
        return run(stateCommand(context(), name, address, flags));
      });
  }
}

/** reconcile (GitOps in CI), and init and quickstart to start a repository. */
function addGitOpsCommands(program: Command, { context, run }: Actions): void {
  program
    .command("reconcile")
    .description("GitOps, one-shot (CI): plan pull requests, apply merges, audit drift, for every stack of prefect-gitops.yaml; reads GITHUB_EVENT_PATH, GITHUB_REPOSITORY, GITHUB_TOKEN")
    .addOption(new Option("--event <name>", "the GitHub event that started the run").choices([...EVENT_NAMES]).makeOptionMandatory())
    .option("--repo <dir>", "the git checkout to fetch refs from (default: the working directory)")
    .option("--remote <name>", "the remote to fetch from", "origin")
    .option("--branch <name>", "the repository's default branch, when the event payload does not name it")
    .action((flags) => run(reconcileCommand(context(), flags)));

  program
    .command("serve")
    .description("GitOps, long-running: webhooks and polling of a GitHub repository or any git remote; /healthz, /readyz, /status, /metrics (reads GITHUB_TOKEN, PREFECT_GITOPS_WEBHOOK_SECRET)")
    .requiredOption("--repo <repo>", "OWNER/NAME (GitHub) or a git remote: URL, or a path starting with / or ./")
    .option("--interval <duration>", "how often to poll the branch and audit drift (e.g. 5m)", parseDuration, 300_000)
    .option("--listen <address>", "where the HTTP endpoints listen: PORT, :PORT or HOST:PORT", ":8080")
    .option("--branch <name>", "the branch applied (default: the remote's default branch; must match prefect-gitops.yaml's branch)")
    .option("--clone-url <url>", "with --repo OWNER/NAME: where git fetches from (default https://github.com/OWNER/NAME.git)")
    .option("--work-dir <dir>", "where the service keeps its copy of the repository (default: a new temporary directory)")
    .action((flags) => run(serveCommand(context(), flags)));

  program
    .command("init [dir]")
    .description("start an infrastructure repository: a CDKTF stack (or HCL) with a pool, a deployment and an automation")
    .addOption(new Option("--language <language>", "the stack's language").choices(["typescript"]).default("typescript"))
    .option("--hcl", "write Terraform HCL (main.tf) instead of a CDKTF app")
    .action((dir: string | undefined, flags: { language: "typescript"; hcl?: boolean }) => run(initCommand(context(), dir, flags)));

  program
    .command("quickstart")
    .description("apply the quickstart stack to PREFECT_API_URL, or to a devserver it starts")
    .action(() => run(quickstartCommand(context())));
}

/** The program: run with the process's arguments and set its exit code (bin/prefect-gitops.js). */
export async function runCli(): Promise<void> {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (caught) {
    process.stderr.write(`prefect-gitops: ${(caught as Error).stack ?? String(caught)}\n`);
    process.exitCode = 1;
  }
}
