// Test support: launch a plugin executable as Terraform does (magic cookie, protocol versions,
// port range, a client certificate of our own) and talk to it over mutual TLS.
import { spawn, type ChildProcess } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { createInterface } from "node:readline";
import * as grpc from "@grpc/grpc-js";
import { service as healthService } from "grpc-health-check";
import { makePluginCertificate, type PluginCertificate } from "../certificate.js";
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from "../handshake.js";
import { loadPluginProtos } from "../protos.js";

export interface LaunchedPlugin {
  child: ChildProcess;
  handshake: string;
  address: string;
  /** The plugin's certificate, from the handshake line. */
  serverCertPem: string;
  clientCert: PluginCertificate;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Waits for the handshake line (the first line on stdout). */
/** `env` is the environment to start from; Terraform's launch variables are added to it. */
export async function launchPlugin(command: string[], env: Record<string, string | undefined>): Promise<LaunchedPlugin> {
  const clientCert = await makePluginCertificate();
  const child = spawn(command[0]!, command.slice(1), {
    env: { ...env, [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: "5,6", PLUGIN_MIN_PORT: "10000", PLUGIN_MAX_PORT: "25000", PLUGIN_CLIENT_CERT: clientCert.certPem },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const lines = createInterface({ input: child.stdout! });
  const handshake = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    void exited.then((code) => reject(new Error(`the plugin exited (${code}) before its handshake: ${stderr}`)));
  });
  const [, , , address, , cert] = handshake.split("|");
  const serverCertPem = cert ? new X509Certificate(Buffer.from(cert, "base64")).toString() : "";
  return { child, handshake, address: address!, serverCertPem, clientCert, stderr: () => stderr, exited };
}

export interface PluginClients {
  provider: grpc.Client & Record<string, (request: object, callback: (error: grpc.ServiceError | null, response: Record<string, unknown>) => void) => void>;
  controller: grpc.Client & Record<string, (request: object, callback: (error: grpc.ServiceError | null, response: object) => void) => void>;
  health: grpc.Client & Record<string, (request: object, callback: (error: grpc.ServiceError | null, response: { status: string }) => void) => void>;
  close(): void;
}

/** Clients as Terraform's: our client certificate, the plugin's certificate as the only root, server name localhost. */
export function connect(plugin: LaunchedPlugin, credentials?: grpc.ChannelCredentials): PluginClients {
  const creds = credentials ?? grpc.credentials.createSsl(Buffer.from(plugin.serverCertPem), Buffer.from(plugin.clientCert.keyPem), Buffer.from(plugin.clientCert.certPem));
  const options = { "grpc.ssl_target_name_override": "localhost", "grpc.default_authority": "localhost" };
  const loaded = grpc.loadPackageDefinition(loadPluginProtos()) as unknown as { tfplugin6: { Provider: grpc.ServiceClientConstructor }; plugin: { GRPCController: grpc.ServiceClientConstructor } };
  const Health = grpc.makeGenericClientConstructor(healthService as grpc.ServiceDefinition, "Health");
  const provider = new loaded.tfplugin6.Provider(plugin.address, creds, options) as PluginClients["provider"];
  const controller = new loaded.plugin.GRPCController(plugin.address, creds, options) as PluginClients["controller"];
  const health = new Health(plugin.address, creds, options) as PluginClients["health"];
  return { provider, controller, health, close: () => [provider, controller, health].forEach((c) => c.close()) };
}

/** One unary call as a promise. */
export function call<T>(client: grpc.Client, rpc: string, request: object): Promise<T> {
  return new Promise((resolve, reject) =>
    (client as unknown as Record<string, (r: object, o: grpc.CallOptions, cb: (e: grpc.ServiceError | null, v: T) => void) => void>)[rpc]!.call(client, request, { deadline: Date.now() + 20_000 }, (error, value) => (error ? reject(error) : resolve(value))),
  );
}
