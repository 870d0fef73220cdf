import { describe, expect, test } from "vitest";
import { isRetryableGitHubFailure, retryDelayMs } from "./retry.js";

describe("GitHub failures", () => {
  test.each([
    ["a network failure", {}, true],
    ["a 502", { status: 502 }, true],
    ["a 429", { status: 429 }, true],
    ["a secondary rate limit (403 with retry-after)", { status: 403, headers: { "retry-after": "1" } }, true],
    ["a primary rate limit (403, none remaining)", { status: 403, headers: { "x-ratelimit-remaining": "0" } }, true],
    ["a 403 for a missing permission", { status: 403, headers: { "x-ratelimit-remaining": "4999" } }, false],
    ["a 401", { status: 401 }, false],
    ["a 404", { status: 404 }, false],
    ["a 422", { status: 422 }, false],
  ])("%s is retryable: %s", (_name, facts, expected) => {
    expect(isRetryableGitHubFailure(facts)).toBe(expected);
  });

  test.each([
    ["waits what retry-after asks", 0, { "retry-after": "2" }, 0.5, 2000],
    ["waits until the rate limit resets", 0, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1003" }, 0.5, 3000],
    ["caps what GitHub asks", 0, { "retry-after": "3600" }, 0.5, 30_000],
    ["jitters the first backoff below the base", 0, {}, 0.5, 250],
    ["doubles the ceiling each attempt", 3, {}, 0.5, 2000],
    ["never exceeds the cap", 20, {}, 0.999, 29_970],
  ])("%s", (_name, attempt, headers, random, expected) => {
    expect(retryDelayMs(attempt, { headers }, { random: () => random }, 1_000_000)).toBe(expected);
  });
});
