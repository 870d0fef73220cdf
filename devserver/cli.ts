// `prefect-gitops-devserver`: run the Prefect-compatible local API until interrupted.
import { Command, InvalidArgumentError, Option } from "commander";
import { readFileSync } from "node:fs";
import { DEFAULT_CONTENTION, validateFaultConfig, type FaultConfig } from "./faults.js";
import { startDevServer } from "./server.js";

function port(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) throw new InvalidArgumentError("expected a port number from 0 to 65535");
  return parsed;
}

function seconds(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new InvalidArgumentError("expected a number of seconds >= 0");
  return parsed;
}

function faultFile(path: string): FaultConfig {
  try {
    return validateFaultConfig(JSON.parse(readFileSync(path, "utf8")));
  } catch (error) {
    throw new InvalidArgumentError(`${path}: ${(error as Error).message}`);
  }
}

export async function main(argv: string[]): Promise<void> {
  const program = new Command("prefect-gitops-devserver")
    .description("A Prefect-compatible local API for trying stacks offline and testing them in CI.")
    .option("--port <port>", "port to listen on (0 picks a free one)", port, 4200)
    .option("--host <host>", "interface to listen on", "127.0.0.1")
    .option("--data-dir <dir>", "keep data here so it survives a restart (default: memory only)")
    .option("--api-key <key>", "require Authorization: Bearer <key> on every request (default: PREFECT_DEVSERVER_API_KEY)")
    .option("--auth-string <user:password>", "require HTTP basic auth instead, as PREFECT_API_AUTH_STRING sends it")
    .option("--faults <file>", "inject faults from a JSON file ({\"rules\": [...], \"seed\": 1})", faultFile)
    .addOption(new Option("--durations <form>", "answer schedule intervals as sent (Python 3.13+ servers) or always as seconds (older Pythons)").choices(["as-sent", "seconds"]).default("as-sent"))
    .option("--contention", `answer like a busy SQLite server: 503 for writes that overlap (${DEFAULT_CONTENTION.maxConcurrentWrites} at a time, ${DEFAULT_CONTENTION.writeMs} ms each) and for ${DEFAULT_CONTENTION.backgroundRatio * 100}% of the rest; tune it with a {"type": "contention"} rule in --faults`)
    .option("--real-server-cost", "take as long to answer as a real Prefect server: 8 ms per deployment in a filter page, 25 ms a deployment GET, 5 ms a count (add {\"type\": \"cost\"} rules in --faults for more)")
    .option("--keepalive-timeout <seconds>", "close a connection idle this long, as uvicorn does (0: never)", seconds, 5)
    .option("--quiet", "print nothing but errors")
    .showHelpAfterError();
  program.parse(argv);
  const options = program.opts<{ durations: "as-sent" | "seconds"; port: number; host: string; dataDir?: string; apiKey?: string; authString?: string; faults?: FaultConfig; contention?: boolean; realServerCost?: boolean; keepaliveTimeout: number; quiet?: boolean }>();

  const server = await startDevServer({
    port: options.port,
    host: options.host,
    dataDir: options.dataDir,
    apiKey: options.apiKey ?? process.env.PREFECT_DEVSERVER_API_KEY,
    authString: options.authString,
    faults: options.faults,
    durations: options.durations,
    contention: options.contention === true,
    realServerCost: options.realServerCost === true,
    keepAliveTimeoutMs: Math.round(options.keepaliveTimeout * 1000),
    log: (message) => console.error(message),
  });
  if (!options.quiet) {
    console.log(`Prefect devserver listening on ${server.url}`);
    console.log(`  Cloud-style workspace:  ${server.cloudUrl()}`);
    console.log(`  Use it:                 export PREFECT_API_URL=${server.url}`);
    console.log(`  Admin (counters, faults): ${server.origin}/_devserver/info`);
    if (options.contention) console.log("  Contention: on (overlapping writes answer 503, as a busy SQLite server does)");
    console.log(options.dataDir ? `  Data kept in ${options.dataDir}` : "  Data kept in memory (use --data-dir to keep it)");
  }
  const stop = (): void => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main(process.argv).catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  console.error(code === "EADDRINUSE" ? `prefect-gitops-devserver: the port is already in use (${(error as Error).message}). Pick another with --port.` : `prefect-gitops-devserver: ${(error as Error).message}`);
  process.exit(1);
});
