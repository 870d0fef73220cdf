import { describe, expect, it } from "vitest";
import { rawApi } from "../test/support/http.js";
import { startTestDevServer, useDevServer } from "../test/support/devserver.js";
import { routeMatches } from "./faults.js";

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
