// What a command gets from the CLI: where to write, how to ask, the environment and the global
// options. Commands never touch the process themselves (only cli.ts does), which keeps them
// testable in process.
import type { ClientEvent } from "../../provider/client/client.js";
import type { AppRunner } from "../config/cdktf.js";
import { Engine, type EngineOptions } from "../engine.js";
import type { Style } from "../plan/render-text.js";

export type LogLevel = "error" | "warn" | "info" | "debug";

export interface GlobalOptions {
  state?: string;
  backend: "file" | "workspace";
  stateName?: string;
  color: boolean;
  logLevel: LogLevel;
  lockTimeoutMs: number;
  vars: Record<string, string>;
  stack?: string;
}

export interface CommandContext {
  /** Standard output (the plan, results). */
  out(text: string): void;
  /** Standard error (diagnostics, progress, logs). */
  err(text: string): void;
  /** Ask a yes/no question on the terminal; undefined when there is no terminal to ask on. */
  confirm?(question: string): Promise<boolean>;
  style: Style;
  env: Record<string, string | undefined>;
  cwd: string;
  runner?: AppRunner;
  options: GlobalOptions;
  /** The command was given --json: a failure is also printed on stdout as JSON (its code, retryable, message, diagnostics). */
  json?: boolean;
  /** Only for the quickstart: connection settings that win over the configuration. */
  connection?: EngineOptions["connection"];
}

export { EXIT_CHANGES, EXIT_ERROR, EXIT_OK } from "./exit-codes.js";

const LEVELS: LogLevel[] = ["error", "warn", "info", "debug"];

export function logs(ctx: CommandContext, level: LogLevel): boolean {
  return LEVELS.indexOf(ctx.options.logLevel) >= LEVELS.indexOf(level);
}

/** The engine for a configuration directory, with the global options applied. */
export function engineFor(ctx: CommandContext, dir: string, extra: Pick<EngineOptions, "allowEmpty" | "offline"> = {}): Engine {
  const debug = logs(ctx, "debug");
  return new Engine({
    ...extra,
    dir,
    statePath: ctx.options.state,
    backend: ctx.options.backend,
    stateName: ctx.options.stateName,
    env: ctx.env,
    vars: ctx.options.vars,
    runner: ctx.runner,
    stack: ctx.options.stack,
    connection: ctx.connection,
    client: {
      onEvent: debug
        ? (event: ClientEvent) => {
            if (event.type === "response") ctx.err(ctx.style.dim(`debug: ${event.method} ${event.route} -> ${event.status} (${event.durationMs} ms, attempt ${event.attempt})`));
            else if (event.type === "retry") ctx.err(ctx.style.dim(`debug: retrying ${event.method} ${event.route} in ${event.delayMs} ms: ${event.reason}`));
          }
        : undefined,
    },
  });
}
