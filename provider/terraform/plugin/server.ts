// The gRPC server Terraform talks to: the tfplugin6 Provider service, go-plugin's controller
// (Shutdown ends the plugin) and the standard health service reporting "plugin" as serving,
// over mutual TLS with Terraform's client certificate when it sent one.
import * as grpc from "@grpc/grpc-js";
import { HealthImplementation } from "grpc-health-check";
import type { PluginCertificate } from "./certificate.js";
import type { Handler } from "./provider-service.js";
import { loadPluginProtos } from "./protos.js";

export interface ServerOptions {
  handlers: Record<string, Handler>;
  /** The plugin's certificate and Terraform's client certificate (PEM); both absent to serve without TLS. */
  tls?: { certificate: PluginCertificate; clientCertPem: string };
  minPort?: number;
  maxPort?: number;
  log: (line: string) => void;
}

export interface PluginServer {
  /** host:port */
  address: string;
  /** Settles when the server has stopped (Shutdown, or stop()). */
  stopped: Promise<void>;
  stop(): Promise<void>;
}

function unary(handler: Handler, log: (line: string) => void): grpc.handleUnaryCall<Record<string, unknown>, Record<string, unknown>> {
  return (call, callback) => {
    handler(call.request).then(
      (response) => callback(null, response),
      (error: unknown) => {
        // The handlers turn failures into diagnostics; this is a bug in the server itself.
        log(`internal error: ${error instanceof Error ? error.name : "error"}`);
        callback({ code: grpc.status.INTERNAL, details: "internal error in the prefect provider's protocol server" });
      },
    );
  };
}

/** The ports to try: go-plugin's range from a random start (so parallel plugins rarely collide), or any free port. */
function candidatePorts(min?: number, max?: number): number[] {
  if (!min || !max || max < min) return [0];
  const size = max - min + 1;
  const start = Math.floor(Math.random() * size);
  return Array.from({ length: Math.min(size, 50) }, (_, i) => min + ((start + i) % size));
}

const bind = (server: grpc.Server, address: string, credentials: grpc.ServerCredentials): Promise<number> =>
  new Promise((resolve, reject) => server.bindAsync(address, credentials, (error, port) => (error ? reject(error) : resolve(port))));

export async function startPluginServer(options: ServerOptions): Promise<PluginServer> {
  const definition = loadPluginProtos();
  // Terraform sends whole states and schemas; gRPC's 4 MB default is too small for large ones.
  const server = new grpc.Server({ "grpc.max_receive_message_length": -1, "grpc.max_send_message_length": -1 });

  const providerService = definition["tfplugin6.Provider"] as grpc.ServiceDefinition;
  const implementation = Object.fromEntries(Object.keys(providerService).map((rpc) => [rpc, unary(options.handlers[rpc] ?? (async () => ({})), options.log)]));
  server.addService(providerService, implementation);

  let markStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (markStopped = resolve));
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => server.forceShutdown(), 2000);
      server.tryShutdown(() => {
        clearTimeout(timer);
        markStopped();
        resolve();
      });
    });

  server.addService(definition["plugin.GRPCController"] as grpc.ServiceDefinition, {
    Shutdown: (_call: unknown, callback: grpc.sendUnaryData<object>) => {
      options.log("Shutdown");
      callback(null, {});
      setImmediate(() => void stop());
    },
  });
  new HealthImplementation({ "": "SERVING", plugin: "SERVING" }).addToServer(server);

  const credentials = options.tls
    ? grpc.ServerCredentials.createSsl(Buffer.from(options.tls.clientCertPem), [{ private_key: Buffer.from(options.tls.certificate.keyPem), cert_chain: Buffer.from(options.tls.certificate.certPem) }], true)
    : grpc.ServerCredentials.createInsecure();

  let lastError: unknown;
  for (const port of candidatePorts(options.minPort, options.maxPort)) {
    try {
      const bound = await bind(server, `127.0.0.1:${port}`, credentials);
      return { address: `127.0.0.1:${bound}`, stopped, stop };
    } catch (error) {
      lastError = error;
    }
  }
  throw new Error(`No free port to serve on between ${options.minPort} and ${options.maxPort}: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
}
