import { describe, expect, test } from "vitest";
import { handshakeLine, MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE, readLaunch, reattachProviders } from "./handshake.js";

const launched = (env: Record<string, string>) => readLaunch({ [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, ...env });

describe("go-plugin's launch contract", () => {
  test("refuses to run without Terraform's magic cookie, saying how to use the plugin", () => {
    const launch = readLaunch({});
    expect(launch.ok).toBe(false);
    expect(!launch.ok && launch.message).toContain("dev_overrides");
  });

  test.each([
    ["5,6", true],
    ["6", true],
    ["4,5", false],
  ])("protocol versions %s offered: serves %s", (versions, ok) => {
    expect(launched({ PLUGIN_PROTOCOL_VERSIONS: versions }).ok).toBe(ok);
  });

  test("reads the client certificate and the port range", () => {
    expect(launched({ PLUGIN_CLIENT_CERT: "PEM", PLUGIN_MIN_PORT: "10000", PLUGIN_MAX_PORT: "25000" })).toEqual({ ok: true, settings: { clientCertPem: "PEM", minPort: 10000, maxPort: 25000 } });
    expect(launched({ PLUGIN_MIN_PORT: "x" })).toEqual({ ok: true, settings: { clientCertPem: undefined, minPort: undefined, maxPort: undefined } });
  });

  test.each([
    ["127.0.0.1:1234", "Q0VSVA", "1|6|tcp|127.0.0.1:1234|grpc|Q0VSVA"],
    ["127.0.0.1:1234", undefined, "1|6|tcp|127.0.0.1:1234|grpc|"],
  ])("the handshake line for %s", (address, cert, line) => {
    expect(handshakeLine(address, cert)).toBe(line);
  });

  test("the reattach configuration names the provider, plain gRPC protocol 6 on TCP, and a process Terraform does not own", () => {
    expect(JSON.parse(reattachProviders("127.0.0.1:4321", 77))).toEqual({
      "registry.terraform.io/prefecthq/prefect": { Protocol: "grpc", ProtocolVersion: 6, Pid: 77, Test: true, Addr: { Network: "tcp", String: "127.0.0.1:4321" } },
    });
  });
});
