import { afterEach, describe, expect, it } from "vitest";
import { startTestDevServer, useDevServer } from "../../test/support/devserver.js";
import { PrefectClient, type ClientEvent } from "./client.js";
import { NetworkError, NotFoundError, RateLimitedError, ServerError, UnauthorizedError } from "./errors.js";
import { filterAll } from "./paginate.js";
import { resolveSettings } from "./settings.js";

const noFiles = { env: {}, readFile: () => undefined };

describe("PrefectClient against the devserver", () => {
  const ctx = useDevServer();
  const clients: PrefectClient[] = [];
  const delays: number[] = [];

  function client(options: ConstructorParameters<typeof PrefectClient>[1] = {}): PrefectClient {
    const created = new PrefectClient(resolveSettings({ apiUrl: ctx.server.url }, noFiles), {
      sleep: async (ms) => {
        delays.push(ms);
      },
      random: () => 0.5,
      ...options,
    });
    clients.push(created);
    return created;
  }

  afterEach(async () => {
    ctx.server.clearFaults();
    delays.length = 0;
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });

  it("sends requests and parses JSON answers", async () => {
    expect(await client().get("/health")).toBe(true);
    expect(await client().get("/admin/version")).toBe("3.8.4");
  });

  it("throws a typed NotFoundError for 404 and never retries it", async () => {
    const c = client();
    ctx.server.resetRequestCounts();
    const error = await c.get("/flows/name/unknown-route-that-404s/x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ code: "not_found", status: 404, method: "GET" });
    expect(ctx.server.totalRequests()).toBe(1);
  });

  it("retries reads on 502, 503 and 504 until they succeed", async () => {
    ctx.server.setFaults({ seed: 3, rules: [{ type: "error", ratio: 0.3, statuses: [502, 503, 504] }] });
    const c = client();
    for (let i = 0; i < 40; i++) expect(await c.get("/health")).toBe(true);
    expect(c.stats().retries).toBeGreaterThan(5);
    expect(c.stats().requests).toBe(40 + c.stats().retries);
  });

  it("repeats a POST create answered 503 (rolled back) until it succeeds, and creates it once", async () => {
    // Automations have no unique name: a create applied twice would show as two.
    ctx.server.setFaults({ seed: 7, rules: [{ type: "error", ratio: 0.5, statuses: [503], route: "POST /automations/" }] });
    const c = client();
    const names = Array.from({ length: 12 }, (_, i) => `retried-create-${i}`);
    const body = (name: string) => ({ name, trigger: { type: "event", posture: "Reactive", expect: ["x"], threshold: 1, within: 0 }, actions: [{ type: "do-nothing" }] });
    for (const name of names) await c.post("/automations/", body(name));
    ctx.server.clearFaults();
    expect(c.stats().retriesByReason["503"]).toBeGreaterThan(3);
    const live = await filterAll<{ name: string }>(c, "/automations/filter", {});
    for (const name of names) expect(live.filter((automation) => automation.name === name), name).toHaveLength(1);
  });

  it("repeats every method on 408, 429, 502 and 503 and on PREFECT_CLIENT_RETRY_EXTRA_CODES", async () => {
    ctx.server.setFaults({ rules: [{ type: "error", ratio: 1, statuses: [502], route: "POST /variables/" }] });
    const c = client({ retry: { maxRetries: 2 } });
    ctx.server.resetRequestCounts();
    await expect(c.post("/variables/", { name: "never-made", value: 1 })).rejects.toMatchObject({ status: 502 });
    expect(ctx.server.totalRequests()).toBe(3);
    ctx.server.setFaults({ rules: [{ type: "error", ratio: 1, statuses: [500], route: "POST /variables/" }] });
    const extra = new PrefectClient(resolveSettings({ apiUrl: ctx.server.url }, { env: { PREFECT_CLIENT_RETRY_EXTRA_CODES: "500", PREFECT_CLIENT_MAX_RETRIES: "1" }, readFile: () => undefined }), {
      sleep: async () => undefined,
    });
    clients.push(extra);
    ctx.server.resetRequestCounts();
    await expect(extra.post("/variables/", { name: "never-made", value: 1 })).rejects.toMatchObject({ status: 500 });
    expect(ctx.server.totalRequests()).toBe(2);
  });

  it.each([
    ["GET", "/health"],
    ["POST", "/flows/"],
  ])("never repeats a %s answered 500 (a server bug, not load)", async (method, path) => {
    ctx.server.setFaults({ rules: [{ type: "error", ratio: 1, statuses: [500] }] });
    const c = client();
    ctx.server.resetRequestCounts();
    const error = await c.request(method, path, method === "POST" ? { body: { name: "x" } } : {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).status).toBe(500);
    expect(ctx.server.totalRequests()).toBe(1);
    expect(c.stats().retries).toBe(0);
  });

  it("does not repeat a create whose outcome is unknown (504 from a proxy), but repeats a read", async () => {
    ctx.server.setFaults({ rules: [{ type: "error", ratio: 1, statuses: [504] }] });
    const c = client({ retry: { maxRetries: 2 } });
    ctx.server.resetRequestCounts();
    await expect(c.post("/flows/", { name: "x" })).rejects.toMatchObject({ status: 504 });
    expect(ctx.server.totalRequests()).toBe(1);
    ctx.server.resetRequestCounts();
    await expect(c.get("/health")).rejects.toMatchObject({ status: 504 });
    expect(ctx.server.totalRequests()).toBe(3);
  });

  it("does not repeat a create cut after it was sent", async () => {
    ctx.server.setFaults({ rules: [{ type: "drop", ratio: 1, phase: "after", route: "POST /flows/" }] });
    const c = client();
    ctx.server.resetRequestCounts();
    const error = await c.post("/flows/", { name: "cut-after" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(ctx.server.totalRequests()).toBe(1);
  });

  it("fails fast when the first connection is refused (a wrong URL), as Prefect's client does", async () => {
    const c = new PrefectClient(resolveSettings({ apiUrl: "http://127.0.0.1:9/api" }, noFiles), { sleep: async (ms) => void delays.push(ms) });
    clients.push(c);
    const error = await c.get("/health").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).delivery).toBe("not-sent");
    expect(delays).toEqual([]);
  });

  it("repeats a read-only POST (filter) on a 503", async () => {
    ctx.server.setFaults({ rules: [{ type: "error", ratio: 1, statuses: [503] }] });
    const c = client({ retry: { maxRetries: 3 } });
    ctx.server.resetRequestCounts();
    await expect(c.query("/flows/filter", {})).rejects.toBeInstanceOf(ServerError);
    expect(ctx.server.totalRequests()).toBe(4);
  });

  it("waits as long as Retry-After asks on a 429", async () => {
    ctx.server.setFaults({ rules: [{ type: "rate-limit", ratio: 1, retryAfter: 2 }] });
    const c = new PrefectClient(resolveSettings({ apiUrl: ctx.server.url }, noFiles), {
      random: () => 0,
      sleep: async (ms) => {
        delays.push(ms);
        ctx.server.clearFaults();
      },
    });
    clients.push(c);
    expect(await c.get("/health")).toBe(true);
    expect(delays).toEqual([2000]);
  });

  it("surfaces a 429 as RateLimitedError with the server's Retry-After once retries are spent", async () => {
    ctx.server.setFaults({ rules: [{ type: "rate-limit", ratio: 1, retryAfter: 1 }] });
    const error = await client({ retry: { maxRetries: 1 } }).get("/health").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterSeconds).toBe(1);
  });

  it("retries a dropped connection for reads and reports NetworkError when it keeps dropping", async () => {
    ctx.server.setFaults({ seed: 1, rules: [{ type: "drop", ratio: 0.3, phase: "either" }] });
    const c = client();
    for (let i = 0; i < 10; i++) expect(await c.get("/health")).toBe(true);
    ctx.server.setFaults({ rules: [{ type: "drop", ratio: 1 }] });
    const error = await client({ retry: { maxRetries: 2 } }).get("/health").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).code).toBe("network");
  });

  it("times out a request that takes too long", async () => {
    ctx.server.setFaults({ rules: [{ type: "latency", ms: 400 }] });
    const error = await client({ timeoutMs: 100, retry: { maxRetries: 0 } }).get("/health").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).code).toBe("timeout");
  });

  it("reports every attempt to the event observer", async () => {
    ctx.server.setFaults({ rules: [{ type: "error", ratio: 1, statuses: [502], route: "GET /health" }] });
    const events: ClientEvent[] = [];
    const c = client({ onEvent: (event) => events.push(event), retry: { maxRetries: 1 } });
    await c.get("/health").catch(() => undefined);
    expect(events.map((event) => event.type)).toEqual(["response", "retry", "response", "failure"]);
  });
});

describe("PrefectClient authentication", () => {
  it("sends the API key as a bearer token, and never puts it in errors", async () => {
    const server = await startTestDevServer({ apiKey: "pnu_right" });
    try {
      const good = new PrefectClient(resolveSettings({ apiUrl: server.url, apiKey: "pnu_right" }, noFiles));
      expect(await good.get("/health")).toBe(true);
      const bad = new PrefectClient(resolveSettings({ apiUrl: server.url, apiKey: "pnu_wrong_secret" }, noFiles));
      const error = await bad.get("/health").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnauthorizedError);
      expect((error as UnauthorizedError).code).toBe("unauthorized");
      expect(JSON.stringify({ message: (error as Error).message, ...(error as object) })).not.toContain("pnu_wrong_secret");
      await Promise.all([good.close(), bad.close()]);
    } finally {
      await server.close();
    }
  });

  it("sends basic auth from PREFECT_API_AUTH_STRING", async () => {
    const server = await startTestDevServer({ authString: "admin:s3cret" });
    try {
      const c = new PrefectClient(resolveSettings({}, { env: { PREFECT_API_URL: server.url, PREFECT_API_AUTH_STRING: "admin:s3cret" }, readFile: () => undefined }));
      expect(await c.get("/health")).toBe(true);
      await c.close();
    } finally {
      await server.close();
    }
  });

  it("talks to a Cloud workspace path", async () => {
    const server = await startTestDevServer({ apiKey: "pnu_cloud" });
    try {
      const c = new PrefectClient(resolveSettings({ apiUrl: server.cloudUrl(), apiKey: "pnu_cloud" }, noFiles));
      expect(c.settings.cloud).toBeDefined();
      expect(await c.get("/health")).toBe(true);
      await c.close();
    } finally {
      await server.close();
    }
  });
});
