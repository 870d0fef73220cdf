import { describe, expect, it } from "vitest";
import { ConflictError, NetworkError, NotFoundError, RateLimitedError, ServerError } from "./errors.js";
import { DEFAULT_RETRY_POLICY, parseRetryAfter, retryDelay } from "./retry.js";

const request = { method: "GET", route: "/x" };

describe("retryDelay", () => {
  it.each([
    ["a 500", new ServerError(request, 500), true],
    ["a 503", new ServerError(request, 503), true],
    ["a 429", new RateLimitedError(request), true],
    ["a dropped connection", new NetworkError(request, new Error("socket hang up")), true],
    ["a 404", new NotFoundError(request), false],
    ["a 409", new ConflictError(request), false],
    ["a plain error", new Error("bug"), false],
  ])("retries %s: %s", (_name, error, retried) => {
    expect(retryDelay(error, 1, DEFAULT_RETRY_POLICY, () => 0.5) !== undefined).toBe(retried);
  });

  it("backs off exponentially with full jitter, capped", () => {
    const error = new ServerError(request, 502);
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000, maxRetries: 10 };
    expect([1, 2, 3, 4, 5, 6].map((attempt) => retryDelay(error, attempt, policy, () => 1))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(retryDelay(error, 3, policy, () => 0.25)).toBe(100);
  });

  it("waits at least as long as Retry-After asks", () => {
    const error = new RateLimitedError(request, undefined, 2);
    expect(retryDelay(error, 1, DEFAULT_RETRY_POLICY, () => 0)).toBe(2000);
  });

  it("gives up when Retry-After asks for longer than the policy allows, or retries are exhausted", () => {
    expect(retryDelay(new RateLimitedError(request, undefined, 3600), 1, DEFAULT_RETRY_POLICY)).toBeUndefined();
    expect(retryDelay(new ServerError(request, 500), DEFAULT_RETRY_POLICY.maxRetries + 1, DEFAULT_RETRY_POLICY)).toBeUndefined();
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
