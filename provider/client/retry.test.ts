import { describe, expect, it } from "vitest";
import { ConflictError, NetworkError, NotFoundError, outcomeUnknown, PrefectApiError, RateLimitedError, RequestTimeoutError, ServerError, ValidationError } from "./errors.js";
import { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter, retryClass, retryDelay } from "./retry.js";

const request = { method: "POST", route: "/x" };

describe("retryClass", () => {
  it.each([
    ["a 408", new RequestTimeoutError(request), "not-applied"],
    ["a 429", new RateLimitedError(request), "not-applied"],
    ["a 502", new ServerError(request, 502), "not-applied"],
    ["a 503", new ServerError(request, 503), "not-applied"],
    ["a proxy's 504", new ServerError(request, 504), "unknown"],
    ["a 500 (a server bug, not load)", new ServerError(request, 500), "final"],
    ["a 501", new ServerError(request, 501), "final"],
    ["a request never sent", new NetworkError(request, new Error("ECONNREFUSED"), false, "not-sent"), "not-applied"],
    ["a connection cut after sending", new NetworkError(request, new Error("socket hang up")), "unknown"],
    ["a timeout", new NetworkError(request, new Error("timeout"), true), "unknown"],
    ["a stale kept-alive socket", new NetworkError(request, new Error("other side closed"), false, "stale-socket", 4500), "unknown"],
    ["a 404", new NotFoundError(request), "final"],
    ["a 409", new ConflictError(request), "final"],
    ["a 422", new ValidationError(request, 422, []), "final"],
    ["a plain error", new Error("bug"), "final"],
  ])("classes %s as %s", (_name, error, expected) => {
    expect(retryClass(error)).toBe(expected);
  });

  it("retries PREFECT_CLIENT_RETRY_EXTRA_CODES like 503", () => {
    const error = new ServerError(request, 500);
    expect(retryClass(error, { extraCodes: [500] })).toBe("not-applied");
    expect(retryClass(new PrefectApiError("not_found", request, 404, undefined), { extraCodes: [404] })).toBe("not-applied");
  });
});

describe("outcomeUnknown", () => {
  it.each([
    ["a connection cut after sending", new NetworkError(request, new Error("reset")), true],
    ["a timeout", new NetworkError(request, new Error("t"), true), true],
    ["a stale socket not sent again", new NetworkError(request, new Error("reset"), false, "stale-socket", 10), true],
    ["a request never sent", new NetworkError(request, new Error("refused"), false, "not-sent"), false],
    ["a 504", new ServerError(request, 504), true],
    ["a 503 (rolled back)", new ServerError(request, 503), false],
    ["a 500", new ServerError(request, 500), false],
  ])("%s: %s", (_name, error, unknown) => {
    expect(outcomeUnknown(error)).toBe(unknown);
  });
});

describe("retryDelay", () => {
  it.each([
    ["a 503", new ServerError(request, 503), true],
    ["a 429", new RateLimitedError(request), true],
    ["a 504", new ServerError(request, 504), true],
    ["a dropped connection", new NetworkError(request, new Error("socket hang up")), true],
    ["a 500", new ServerError(request, 500), false],
    ["a 404", new NotFoundError(request), false],
    ["a 409", new ConflictError(request), false],
    ["a plain error", new Error("bug"), false],
  ])("gives a delay for %s: %s", (_name, error, retried) => {
    expect(retryDelay(error, 1, DEFAULT_RETRY_POLICY, () => 0.5) !== undefined).toBe(retried);
  });

  it("backs off exponentially with full jitter, capped", () => {
    const error = new ServerError(request, 502);
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000, maxRetries: 10 };
    expect([1, 2, 3, 4, 5, 6].map((attempt) => retryDelay(error, attempt, policy, () => 1))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(retryDelay(error, 3, policy, () => 0.25)).toBe(100);
    expect(retryDelay(error, 3, policy, () => 0)).toBe(0);
  });

  it("waits the full ceiling when jitter is off (PREFECT_CLIENT_RETRY_JITTER_FACTOR=0)", () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000, jitterFactor: 0 };
    expect(backoffDelay(3, policy, () => 0)).toBe(400);
    expect(retryDelay(new RateLimitedError(request, undefined, 2), 1, policy, () => 1)).toBe(2000);
  });

  it("waits at least as long as Retry-After asks, and at most the jitter factor longer", () => {
    expect(retryDelay(new RateLimitedError(request, undefined, 2), 1, DEFAULT_RETRY_POLICY, () => 0)).toBe(2000);
    expect(retryDelay(new RateLimitedError(request, undefined, 2), 1, DEFAULT_RETRY_POLICY, () => 1)).toBe(2400);
    // On a 503 too: Prefect's client honours Retry-After on every status it retries.
    expect(retryDelay(new ServerError(request, 503, undefined, 3), 1, DEFAULT_RETRY_POLICY, () => 0.5)).toBeCloseTo(3300);
    // Retry-After is the server's word: not capped by the backoff cap.
    expect(retryDelay(new ServerError(request, 503, undefined, 20), 1, { ...DEFAULT_RETRY_POLICY, maxDelayMs: 1000 }, () => 0)).toBe(20_000);
  });

  it("gives up when Retry-After asks for longer than the policy allows, or retries are exhausted", () => {
    expect(retryDelay(new RateLimitedError(request, undefined, 3600), 1, DEFAULT_RETRY_POLICY)).toBeUndefined();
    expect(retryDelay(new ServerError(request, 503), DEFAULT_RETRY_POLICY.maxRetries, DEFAULT_RETRY_POLICY)).toBeDefined();
    expect(retryDelay(new ServerError(request, 503), DEFAULT_RETRY_POLICY.maxRetries + 1, DEFAULT_RETRY_POLICY)).toBeUndefined();
    expect(retryDelay(new ServerError(request, 503), 1, { ...DEFAULT_RETRY_POLICY, maxRetries: 0 })).toBeUndefined();
  });

  it("by default rides out about a minute of 503s, with no single wait above the cap", () => {
    const error = new ServerError(request, 503);
    const ceilings = Array.from({ length: DEFAULT_RETRY_POLICY.maxRetries }, (_, i) => retryDelay(error, i + 1, DEFAULT_RETRY_POLICY, () => 1)!);
    expect(Math.max(...ceilings)).toBe(DEFAULT_RETRY_POLICY.maxDelayMs);
    const worst = ceilings.reduce((sum, delay) => sum + delay, 0);
    expect(worst).toBeGreaterThanOrEqual(60_000);
    expect(worst).toBeLessThanOrEqual(90_000);
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("3")).toBe(3);
    expect(parseRetryAfter("1.5")).toBe(1.5);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 5_000)).toBe(5);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});
