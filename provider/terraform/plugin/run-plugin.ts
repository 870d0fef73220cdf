// The plugin's life: check that Terraform launched it, make the TLS certificate, create the
// resource provider, serve, print the handshake line, and wait for Shutdown. Kept apart from
// main.ts so a test can run it with a small test provider; the process itself stays in main.ts.
// In reattach mode (`--debug`, as terraform-plugin-go's debug mode) nobody launched it: it serves
// without TLS (Terraform reattaches in plain gRPC), prints the TF_REATTACH_PROVIDERS value, and
// serves every Terraform command given that value until it is killed.
import type { ResourceProvider } from "./contract.js";
import { handshakeLine, readLaunch, reattachProviders, type Launch } from "./handshake.js";
import { hclogLine, type LogLevel } from "./log.js";

export interface PluginIo {
  env: Record<string, string | undefined>;
  /** This process's id, for the reattach configuration. */
  pid?: number;
  /** The handshake line goes here, and nothing else. */
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

export interface ProviderOptions {
  env: Record<string, string | undefined>;
  log: (line: string) => void;
}

export type CreateProvider = (options: ProviderOptions) => ResourceProvider | Promise<ResourceProvider>;

/** Serves until Terraform says Shutdown; returns the process's exit code. */
export async function runPlugin(io: PluginIo, createProvider: CreateProvider, mode: "launched" | "reattach" = "launched"): Promise<number> {
  // Reattached, nobody launched it: no cookie, no client certificate, any port.
  const launch: Launch = mode === "reattach" ? { ok: true, settings: {} } : readLaunch(io.env);
  if (!launch.ok) {
    io.stderr(launch.message);
    return 1;
  }
  const { clientCertPem, minPort, maxPort } = launch.settings;
  const log = (level: LogLevel) => (line: string) => io.stderr(hclogLine(level, line));
  // The key pair is the slowest step of start-up: make it while the server's modules load.
  const certificate = clientCertPem ? import("./certificate.js").then((m) => m.makePluginCertificate()) : undefined;
  try {
    const [{ startPluginServer }, { providerHandlers }, provider] = await Promise.all([
      import("./server.js"),
      import("./provider-service.js"),
      createProvider({ env: io.env, log: log("debug") }),
    ]);
    const server = await startPluginServer({
      handlers: providerHandlers(provider, log("debug")),
      tls: certificate && clientCertPem ? { certificate: await certificate, clientCertPem } : undefined,
      minPort,
      maxPort,
      log: log("debug"),
    });
    if (mode === "reattach") io.stdout(`TF_REATTACH_PROVIDERS='${reattachProviders(server.address, io.pid ?? 0)}'`);
    else io.stdout(handshakeLine(server.address, certificate ? (await certificate).handshakeField : ""));
    await server.stopped;
    return 0;
  } catch (error) {
    log("error")(`terraform-provider-prefect could not start: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
