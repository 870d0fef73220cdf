import { spawn } from "node:child_process";
import { connect, type Socket } from "node:net";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { rawApi } from "../test/support/http.js";
import { startTestDevServer, useDevServer } from "../test/support/devserver.js";
import { routeMatches, SERVICE_UNAVAILABLE_BODY } from "./faults.js";

describe("devserver basics", () => {
  const ctx = useDevServer();

  it("answers health, version and csrf-token like a server without CSRF protection", async () => {
    const api = rawApi(ctx.server.url);
    expect(await api.get("/health")).toMatchObject({ status: 200, body: true });
    expect(await api.get("/admin/version")).toMatchObject({ status: 200, body: "3.8.4" });
    expect(await api.get("/csrf-token?client=abc")).toMatchObject({ status: 422, body: { detail: "CSRF protection is disabled." } });
  });

  it("serves the same routes under the Prefect Cloud prefix", async () => {
    const api = rawApi(ctx.server.cloudUrl());
    expect(await api.get("/health")).toMatchObject({ status: 200, body: true });
  });

  it("answers 404 for an unknown route and 405 for a known path with the wrong method", async () => {
    const api = rawApi(ctx.server.url);
    expect(await api.get("/no/such/route")).toMatchObject({ status: 404, body: { detail: "Not Found" } });
    expect(await api.post("/health")).toMatchObject({ status: 405, body: { detail: "Method Not Allowed" } });
  });

  it("counts requests per route template", async () => {
    ctx.server.resetRequestCounts();
    const api = rawApi(ctx.server.url);
    await api.get("/health");
    await api.get("/health");
    await api.get("/admin/version");
    expect(ctx.server.requestCounts()).toEqual({ "GET /health": 2, "GET /admin/version": 1 });
    expect(ctx.server.totalRequests()).toBe(3);
    const admin = rawApi(ctx.server.origin);
    expect(await admin.get("/_devserver/requests")).toMatchObject({ body: { total: 3, routes: { "GET /health": 2 } } });
    await admin.delete("/_devserver/requests");
    expect(ctx.server.totalRequests()).toBe(0);
  });
});

describe("devserver authentication", () => {
  it("requires the API key as a bearer token when started with one", async () => {
    const server = await startTestDevServer({ apiKey: "pnu_secret" });
    try {
      expect((await rawApi(server.url).get("/health")).status).toBe(401);
      expect((await rawApi(server.url, { authorization: "Bearer wrong" }).get("/health")).status).toBe(401);
      expect(await rawApi(server.url, { authorization: "Bearer pnu_secret" }).get("/health")).toMatchObject({ status: 200, body: true });
      const denied = await rawApi(server.origin).get("/_devserver/requests");
      expect(denied.status).toBe(401);
      expect(JSON.stringify(denied.body)).not.toContain("pnu_secret");
    } finally {
      await server.close();
    }
  });

  it("requires basic auth when started with an auth string", async () => {
    const server = await startTestDevServer({ authString: "admin:pass" });
    try {
      expect((await rawApi(server.url).get("/health")).status).toBe(401);
      const basic = `Basic ${Buffer.from("admin:pass").toString("base64")}`;
      expect((await rawApi(server.url, { authorization: basic }).get("/health")).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe("devserver fault injection", () => {
  const ctx = useDevServer();

  it("fails the configured ratio of requests with 5xx, reproducibly for a seed", async () => {
    const api = rawApi(ctx.server.url);
    const run = async () => {
      ctx.server.setFaults({ seed: 7, rules: [{ type: "error", ratio: 0.3, statuses: [500, 502, 503] }] });
      const statuses: number[] = [];
      for (let i = 0; i < 200; i++) statuses.push((await api.get("/health")).status);
      return statuses;
    };
    const first = await run();
    const second = await run();
    ctx.server.clearFaults();
    expect(first).toEqual(second);
    const failed = first.filter((status) => status >= 500);
    expect(failed.length).toBeGreaterThan(40);
    expect(failed.length).toBeLessThan(80);
    expect(new Set(failed)).toEqual(new Set([500, 502, 503]));
  });

  it("answers 429 with Retry-After", async () => {
    ctx.server.setFaults({ rules: [{ type: "rate-limit", ratio: 1, retryAfter: 3 }] });
    const response = await rawApi(ctx.server.url).get("/health");
    ctx.server.clearFaults();
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("3");
  });

  it("adds latency", async () => {
    ctx.server.setFaults({ rules: [{ type: "latency", ms: 150 }] });
    const started = performance.now();
    await rawApi(ctx.server.url).get("/health");
    const elapsed = performance.now() - started;
    ctx.server.clearFaults();
    expect(elapsed).toBeGreaterThanOrEqual(140);
  });

  it("drops connections before or after handling", async () => {
    for (const phase of ["before", "after"] as const) {
      ctx.server.setFaults({ rules: [{ type: "drop", ratio: 1, phase }] });
      await expect(rawApi(ctx.server.url).get("/health")).rejects.toThrow();
    }
    ctx.server.clearFaults();
    expect((await rawApi(ctx.server.url).get("/health")).status).toBe(200);
  });

  it("limits a fault to a route pattern and is configurable through the admin route", async () => {
    const admin = rawApi(ctx.server.origin);
    const set = await admin.put("/_devserver/faults", { rules: [{ type: "error", ratio: 1, statuses: [503], route: "GET /admin/*" }] });
    expect(set.status).toBe(200);
    const api = rawApi(ctx.server.url);
    expect((await api.get("/admin/version")).status).toBe(503);
    expect((await api.get("/health")).status).toBe(200);
    expect(await admin.get("/_devserver/faults")).toMatchObject({ body: { injected: { error: 1 } } });
    expect((await admin.put("/_devserver/faults", { rules: [{ type: "error", ratio: 3 }] })).status).toBe(422);
    await admin.delete("/_devserver/faults");
    expect((await api.get("/admin/version")).status).toBe(200);
  });
});

describe("devserver objects answered and cost", () => {
  const ctx = useDevServer();

  it("counts the objects each route answered, and resets them with the request counts", async () => {
    const api = rawApi(ctx.server.url);
    for (const name of ["cost_a", "cost_b", "cost_c"]) expect((await api.post("/variables/", { name, value: 1 })).status).toBe(201);
    ctx.server.resetRequestCounts();
    await api.post("/variables/filter", { limit: 2 });
    await api.post("/variables/filter", {});
    await api.post("/variables/count", {});
    await api.get("/variables/name/cost_a");
    await api.get("/variables/name/missing");
    expect(ctx.server.objectCounts()).toEqual({ "GET /variables/name/{name}": 1, "POST /variables/count": 0, "POST /variables/filter": 5 });
    ctx.server.resetRequestCounts();
    expect(ctx.server.objectCounts()).toEqual({});
  });

  it("takes cost rules through the admin route", async () => {
    const admin = rawApi(ctx.server.origin);
    expect((await admin.put("/_devserver/faults", { rules: [{ type: "cost", route: "POST /deployments/filter", perObjectMs: 8, baseMs: 5 }] })).status).toBe(200);
    expect((await rawApi(ctx.server.url).post("/deployments/filter", {})).status).toBe(200);
    expect((await admin.put("/_devserver/faults", { rules: [{ type: "cost", perObjectMs: -8 }] })).status).toBe(422);
    await admin.delete("/_devserver/faults");
  });
});

describe("route patterns", () => {
  it.each([
    ["POST /deployments/", "POST", "/deployments/", true],
    ["POST /deployments/", "GET", "/deployments/", false],
    ["/work_pools/*", "GET", "/work_pools/abc", true],
    ["/work_pools/*", "GET", "/work_pools/abc/queues", false],
    ["/work_pools/**", "GET", "/work_pools/abc/queues", true],
    ["^POST /(flows|deployments)/$", "POST", "/flows/", true],
  ])("%s matches %s %s: %s", (pattern, method, path, expected) => {
    expect(routeMatches(pattern, method, path)).toBe(expected);
  });
});

describe("devserver contention (a busy SQLite server)", () => {
  // Writes hold the database long enough for requests sent together to overlap even on a loaded machine.
  const ctx = useDevServer({ contention: { maxConcurrentWrites: 1, writeMs: 1000, backgroundRatio: 0 } });

  it("answers 503 with Prefect's body to writes that overlap an admitted one, and stores only the admitted write", async () => {
    const api = rawApi(ctx.server.url);
    const names = Array.from({ length: 5 }, (_, i) => `overlap_${i}`);
    const answers = await Promise.all(names.map((name, i) => api.post("/variables/", { name, value: i })));
    const created = answers.filter((answer) => answer.status === 201);
    const refused = answers.filter((answer) => answer.status === 503);
    expect(created).toHaveLength(1);
    expect(refused).toHaveLength(4);
    for (const answer of refused) {
      expect(answer.body).toEqual({ exception_message: "Service Unavailable" });
      expect(answer.headers.get("retry-after")).toBeNull();
    }
    const stored = await api.post<{ name: string }[]>("/variables/filter", {});
    expect(stored.body.map((variable) => variable.name)).toEqual([(created[0]!.body as { name: string }).name]);
    expect(ctx.server.injectedFaults()).toMatchObject({ contention: 4 });
    expect(ctx.server.exchanges.filter((exchange) => exchange.busy).map((exchange) => exchange.status)).toEqual([503, 503, 503, 503]);
  });

  it("serves reads while a write holds the database", async () => {
    const api = rawApi(ctx.server.url);
    let written = Number.POSITIVE_INFINITY;
    const write = api.post("/variables/", { name: "held", value: 1 }).then((answer) => {
      written = performance.now();
      return answer;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const reads = await Promise.all([api.post("/variables/filter", {}), api.post("/variables/count", {}), api.get("/variables/name/overlap_0"), api.get("/health")]);
    const read = performance.now();
    expect(reads.map((answer) => answer.status)).not.toContain(503);
    expect((await write).status).toBe(201);
    expect(read).toBeLessThan(written);
  });

  it("admits writes one after another", async () => {
    const api = rawApi(ctx.server.url);
    for (let i = 0; i < 2; i++) expect((await api.post("/variables/", { name: `serial_${i}`, value: i })).status).toBe(201);
  });
});

describe("devserver contention as a fault rule", () => {
  const ctx = useDevServer();

  it("refuses a PATCH and a DELETE without changing anything, counts them, and is off again once cleared", async () => {
    const api = rawApi(ctx.server.url);
    const admin = rawApi(ctx.server.origin);
    const made = await api.post<{ id: string }>("/variables/", { name: "kept", value: "before" });
    expect(made.status).toBe(201);
    const set = await admin.put("/_devserver/faults", { seed: 5, rules: [{ type: "contention", backgroundRatio: 1, route: "/variables/**" }] });
    expect(set.status).toBe(200);
    expect(await api.patch(`/variables/${made.body.id}`, { value: "after" })).toMatchObject({ status: 503, body: SERVICE_UNAVAILABLE_BODY });
    expect(await api.delete(`/variables/${made.body.id}`)).toMatchObject({ status: 503, body: SERVICE_UNAVAILABLE_BODY });
    expect((await api.post("/flows/", { name: "not-contended" })).status).toBe(201);
    expect(await api.get(`/variables/${made.body.id}`)).toMatchObject({ status: 200, body: { value: "before" } });
    expect(await admin.get("/_devserver/faults")).toMatchObject({ body: { contention: null, injected: { "contention-background": 2 } } });
    await admin.delete("/_devserver/faults");
    expect((await api.patch(`/variables/${made.body.id}`, { value: "after" })).status).toBe(204);
  });

  it("shows the standing contention it was started with", async () => {
    const server = await startTestDevServer({ contention: true });
    try {
      expect(await rawApi(server.origin).get("/_devserver/faults")).toMatchObject({ body: { contention: { maxConcurrentWrites: 1, writeMs: 15, backgroundRatio: 0.02 } } });
    } finally {
      await server.close();
    }
  });
});

/** One raw HTTP/1.1 exchange on a fresh socket, kept open afterwards, so the test sees the bytes and the close. */
async function rawExchange(port: number, path: string, headers = ""): Promise<{ head: string; socket: Socket; closed: Promise<number> }> {
  const socket = connect(port, "127.0.0.1");
  const closed = new Promise<number>((resolve) => socket.once("close", () => resolve(performance.now())));
  let received = "";
  const head = await new Promise<string>((resolve, reject) => {
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("latin1");
      const end = received.indexOf("\r\n\r\n");
      const length = /content-length: (\d+)/i.exec(received)?.[1];
      if (end >= 0 && length !== undefined && received.length >= end + 4 + Number(length)) resolve(received.slice(0, end));
    });
    socket.once("error", reject);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}\r\n`);
  });
  return { head, socket, closed };
}

describe("devserver idle connections", () => {
  it("closes a connection idle for the keep-alive timeout, without announcing it in a Keep-Alive header", async () => {
    const server = await startTestDevServer({ keepAliveTimeoutMs: 400 });
    try {
      const { head, closed } = await rawExchange(server.port, "/api/health");
      const answered = performance.now();
      expect(head).toMatch(/^HTTP\/1\.1 200 /);
      expect(head).not.toMatch(/^keep-alive:/im);
      expect(head).not.toMatch(/^connection: close/im);
      const idle = (await closed) - answered;
      expect(idle).toBeGreaterThanOrEqual(300);
      expect(idle).toBeLessThan(3000);
    } finally {
      await server.close();
    }
  });

  it("keeps an idle connection 5 seconds by default, as uvicorn under `prefect server start` does", async () => {
    const server = await startTestDevServer();
    try {
      const { socket, closed } = await rawExchange(server.port, "/api/health");
      const answered = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 3500));
      expect(socket.destroyed).toBe(false);
      const idle = (await closed) - answered;
      expect(idle).toBeGreaterThanOrEqual(4500);
      expect(idle).toBeLessThan(8000);
    } finally {
      await server.close();
    }
  }, 15_000);

  it("closes right after answering a request that asked for Connection: close", async () => {
    const server = await startTestDevServer();
    try {
      const { head, closed } = await rawExchange(server.port, "/api/health", "Connection: close\r\n");
      const answered = performance.now();
      expect(head).toMatch(/^connection: close/im);
      expect((await closed) - answered).toBeLessThan(1000);
    } finally {
      await server.close();
    }
  });
});

describe("devserver command line", () => {
  it("starts in contention mode with the keep-alive timeout asked for", async () => {
    const bin = fileURLToPath(new URL("../bin/prefect-gitops-devserver.js", import.meta.url));
    const child = spawn(process.execPath, [bin, "--port", "0", "--contention", "--keepalive-timeout", "0.5"], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          const found = /listening on (\S+)/.exec(out)?.[1];
          if (found && out.includes("Contention: on")) resolve(found);
        });
        child.once("exit", (code) => reject(new Error(`the devserver exited with ${code}`)));
      });
      const origin = new URL(url).origin;
      expect(await rawApi(origin).get("/_devserver/faults")).toMatchObject({ body: { contention: { maxConcurrentWrites: 1 } } });
      const { closed } = await rawExchange(Number(new URL(url).port), "/api/health");
      const answered = performance.now();
      expect((await closed) - answered).toBeLessThan(3000);
    } finally {
      child.kill("SIGTERM");
    }
  }, 30_000);
});
