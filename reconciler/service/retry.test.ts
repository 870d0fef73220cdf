import { describe, expect, it } from "vitest";
import { DiagnosticsError } from "../diagnostics.js";
import { GitError } from "../git/checkout.js";
import type { ReconcileResult } from "../gitops/model.js";
import { StateLockedError } from "../state/model.js";
import { needsRetry, withRetries } from "./retry.js";

const failed = (retryable: boolean): ReconcileResult => ({ outcomes: [{ stack: "dev", status: "failed", retryable, message: "boom" }] });
const applied: ReconcileResult = { outcomes: [{ stack: "dev", status: "applied" }] };

describe("service retries", () => {
  it.each([
    ["applied", applied, false],
    ["a retryable stack failure", failed(true), true],
    ["a terminal stack failure", failed(false), false],
    ["a retryable event failure", { outcomes: [], failure: { message: "x", retryable: true } }, true],
    ["an invalid prefect-gitops.yaml", { outcomes: [], failure: { message: "x", retryable: false } }, false],
  ] as const)("%s: retry %s", (_name, result, expected) => {
    expect(needsRetry(result as ReconcileResult)).toBe(expected);
  });

  it("retries retryable results with jittered backoff until they pass", async () => {
    const results = [failed(true), failed(true), applied];
    const waits: number[] = [];
    const result = await withRetries(async () => results.shift()!, { baseMs: 100, random: () => 0.5, sleep: async (ms) => void waits.push(ms) }, () => undefined);
    expect(result).toBe(applied);
    expect(waits).toEqual([50, 100]);
  });

  it("reports a terminal result once, without retrying", async () => {
    let runs = 0;
    const result = await withRetries(async () => (runs++, failed(false)), { sleep: async () => undefined }, () => undefined);
    expect([runs, result.outcomes[0]!.status]).toEqual([1, "failed"]);
  });

  it("retries thrown network and lock failures, not configuration errors, and stops after its retries", async () => {
    let runs = 0;
    await expect(withRetries(async () => (runs++, Promise.reject(new GitError("fetch failed"))), { retries: 2, sleep: async () => undefined }, () => undefined)).rejects.toThrow("fetch failed");
    expect(runs).toBe(3);
    const lock = await withRetries(async () => (runs++ === 3 ? Promise.reject(new StateLockedError(undefined, "the lock file")) : applied), { sleep: async () => undefined }, () => undefined);
    expect(lock).toBe(applied);
    await expect(withRetries(async () => Promise.reject(new DiagnosticsError([])), { sleep: async () => undefined }, () => undefined)).rejects.toBeInstanceOf(DiagnosticsError);
  });
});
