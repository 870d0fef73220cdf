// Kept-alive connections a server closes: uvicorn closes a connection after 5 s idle without
// announcing it in a Keep-Alive header (recordings README, "Keep-Alive"), and a client that
// reuses such a connection at the wrong moment sees it reset before any answer. A tiny HTTP/1.1
// server over node:net stands in for it, so each test decides exactly when a connection closes.
import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { PrefectClient, type PrefectClientOptions } from "./client.js";
import { NetworkError } from "./errors.js";
import { resolveSettings } from "./settings.js";

interface Received {
  method: string;
  path: string;
  /** 1 for the first request on its connection. */
  onConnection: number;
}

type Reaction = "answer" | "reset" | "close";

interface RawServer {
  url: string;
  received: Received[];
  connections: number;
  close(): Promise<void>;
}

/**
 * An HTTP/1.1 server that answers `{"ok": true}` without a Keep-Alive header, closes a connection
 * idle for `idleCloseMs` (FIN, as uvicorn does), and otherwise does what `react` says: answer,
 * reset the connection (RST) or close it (FIN) without answering.
 */
async function startRawServer(options: { idleCloseMs?: number; react?: (request: Received) => Reaction } = {}): Promise<RawServer> {
  const received: Received[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    let buffer = Buffer.alloc(0);
    let served = 0;
    let idle: NodeJS.Timeout | undefined;
    const armIdle = (): void => {
      if (options.idleCloseMs !== undefined) idle = setTimeout(() => socket.end(), options.idleCloseMs);
    };
    socket.on("data", (chunk: Buffer) => {
      clearTimeout(idle);
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf("\r\n\r\n");
        if (end < 0) return;
        const head = buffer.subarray(0, end).toString("latin1").split("\r\n");
        const length = Number(/^content-length:\s*(\d+)/im.exec(head.join("\n"))?.[1] ?? 0);
        if (buffer.length < end + 4 + length) return;
        buffer = buffer.subarray(end + 4 + length);
        const [method = "", path = ""] = (head[0] ?? "").split(" ");
        const request: Received = { method, path, onConnection: ++served };
        received.push(request);
        const reaction = options.react?.(request) ?? "answer";
        if (reaction === "reset") return void socket.resetAndDestroy();
        if (reaction === "close") return void socket.end();
        const body = '{"ok":true}';
        socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`);
        armIdle();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/api`,
    received,
    get connections() {
      return connections;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("PrefectClient keep-alive", () => {
  const servers: RawServer[] = [];
  const clients: PrefectClient[] = [];

  async function setup(server: Parameters<typeof startRawServer>[0], options: PrefectClientOptions = {}, env: Record<string, string> = {}) {
    const raw = await startRawServer(server);
    servers.push(raw);
    const client = new PrefectClient(resolveSettings({ apiUrl: raw.url }, { env, readFile: () => undefined }), { sleep: async () => undefined, ...options });
    clients.push(client);
    return { raw, client };
  }

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it("does not fail after an idle gap longer than the server's idle timeout", async () => {
    const { raw, client } = await setup({ idleCloseMs: 100 });
    expect(await client.get("/health")).toEqual({ ok: true });
    await pause(250);
    expect(await client.post("/flows/", { name: "after-idle" })).toEqual({ ok: true });
    await pause(250);
    expect(await client.patch("/flows/x", {})).toEqual({ ok: true });
    expect(raw.received.map((request) => request.method)).toEqual(["GET", "POST", "PATCH"]);
    expect(client.stats().retries).toBe(0);
  });

  it("closes idle connections after PREFECT_GITOPS_CLIENT_KEEPALIVE_TIMEOUT instead of reusing them", async () => {
    const { raw, client } = await setup({}, {}, { PREFECT_GITOPS_CLIENT_KEEPALIVE_TIMEOUT: "0.1" });
    await client.get("/health");
    // (undici checks an idle socket for a close for one tick before reusing it; a request sent in
    // the same tick as the last answer takes another connection)
    await pause(20);
    await client.get("/health");
    expect(raw.connections).toBe(1);
    await pause(300);
    await client.get("/health");
    expect(raw.connections).toBe(2);
  });

  it.each([
    ["GET", "reset"],
    ["GET", "close"],
    ["POST", "reset"],
    ["POST", "close"],
    ["DELETE", "reset"],
  ] as const)("sends a %s again, once, when the reused connection is %s before any answer", async (method, reaction) => {
    // The server closes the connection under the second request on it, as a server closing an
    // idle connection at the moment it is reused does; it never handles that request.
    const { raw, client } = await setup({ react: (request) => (request.onConnection === 2 ? reaction : "answer") }, { staleSocketMinIdleMs: 20 });
    await client.get("/health");
    await pause(50);
    expect(await client.request(method, "/thing", method === "POST" ? { body: { name: "x" } } : {})).toEqual({ ok: true });
    expect(raw.received.map((request) => `${request.method} ${request.onConnection}`)).toEqual(["GET 1", `${method} 2`, `${method} 1`]);
    expect(client.stats().retriesByReason).toEqual({ "stale-socket": 1 });
  });

  it("sends it again only once, and does not repeat a create cut on a fresh connection", async () => {
    // Every request but the very first is reset: the retry on a fresh connection is reset too.
    const { raw, client } = await setup({ react: (request) => (raw.received.length === 1 && request.onConnection === 1 ? "answer" : "reset") }, { staleSocketMinIdleMs: 20 });
    await client.get("/health");
    await pause(50);
    const error = await client.post("/flows/", { name: "x" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).delivery).toBe("unknown");
    expect(raw.received.map((request) => `${request.method} ${request.onConnection}`)).toEqual(["GET 1", "POST 2", "POST 1"]);
  });

  it("does not send a create again when the connection that drops it had just answered (the server may have applied it)", async () => {
    const { raw, client } = await setup({ react: (request) => (request.method === "POST" ? "reset" : "answer") });
    await client.get("/health");
    await pause(20);
    const error = await client.post("/flows/", { name: "x" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).delivery).toBe("stale-socket");
    expect(raw.received.filter((request) => request.method === "POST")).toHaveLength(1);
  });
});
