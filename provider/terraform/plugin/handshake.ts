// go-plugin's launch contract: the magic cookie that says Terraform started us, the protocol
// versions it speaks, the port range and its client certificate; and the one handshake line the
// plugin prints on stdout once it serves.

export const MAGIC_COOKIE_KEY = "TF_PLUGIN_MAGIC_COOKIE";
export const MAGIC_COOKIE_VALUE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
export const CORE_PROTOCOL_VERSION = 1;
export const APP_PROTOCOL_VERSION = 6;

export interface LaunchSettings {
  /** PEM of Terraform's client certificate: serve mutual TLS with clients it signed. Absent when Terraform disabled plugin TLS. */
  clientCertPem?: string;
  minPort?: number;
  maxPort?: number;
}

export type Launch = { ok: true; settings: LaunchSettings } | { ok: false; message: string };

const port = (value: string | undefined): number | undefined => {
  const n = Number(value);
  return value && Number.isInteger(n) && n > 0 && n < 65536 ? n : undefined;
};

export function readLaunch(env: Record<string, string | undefined>): Launch {
  if (env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    return {
      ok: false,
      message:
        "This binary is a plugin. These are not meant to be executed directly.\n" +
        "terraform-provider-prefect is started by Terraform: install it with a dev_overrides or filesystem_mirror block in your Terraform CLI configuration (see the README's \"Terraform provider\" section) and run terraform.",
    };
  }
  const versions = (env.PLUGIN_PROTOCOL_VERSIONS ?? String(APP_PROTOCOL_VERSION)).split(",").map((v) => v.trim());
  if (!versions.includes(String(APP_PROTOCOL_VERSION))) {
    return { ok: false, message: `This provider speaks plugin protocol ${APP_PROTOCOL_VERSION}; Terraform offered ${versions.join(", ")}. Use Terraform 1.0 or newer.` };
  }
  const clientCertPem = env.PLUGIN_CLIENT_CERT?.trim() ? env.PLUGIN_CLIENT_CERT : undefined;
  return { ok: true, settings: { clientCertPem, minPort: port(env.PLUGIN_MIN_PORT), maxPort: port(env.PLUGIN_MAX_PORT) } };
}

/** `1|6|tcp|127.0.0.1:PORT|grpc|CERT`, CERT empty without TLS. */
export function handshakeLine(address: string, certField = ""): string {
  return `${CORE_PROTOCOL_VERSION}|${APP_PROTOCOL_VERSION}|tcp|${address}|grpc|${certField}`;
}

/** The provider address Terraform knows this plugin by (TF_REATTACH_PROVIDERS is keyed by it). */
export const PROVIDER_ADDRESS = "registry.terraform.io/prefecthq/prefect";

/**
 * The TF_REATTACH_PROVIDERS value for a plugin already serving at `address` (go-plugin's
 * ReattachConfig). "Test": true tells go-plugin that Terraform does not own the process, so
 * Terraform neither kills it nor asks it to shut down when a command ends.
 */
export function reattachProviders(address: string, pid: number): string {
  return JSON.stringify({ [PROVIDER_ADDRESS]: { Protocol: "grpc", ProtocolVersion: APP_PROTOCOL_VERSION, Pid: pid, Test: true, Addr: { Network: "tcp", String: address } } });
}
