// Whether a reconcile is worth running again, and when. Retryable: the network, git fetches,
// Prefect or GitHub busy (5xx, rate limits, secondary ones included), the state lock held by a
// replica. Terminal: invalid configuration, authentication, a missing variable: reported once
// and left until something changes (the next push or the next interval), never retried hot.
import { GitError } from "../git/checkout.js";
import { retryDelayMs, type BackoffOptions } from "../git/retry.js";
import { isRetryableFailure, type ReconcileResult } from "../gitops/model.js";

export function isRetryableThrown(caught: unknown): boolean {
  // A fetch that failed is the network or the remote being away; a missing ref fails again the same way, but cheaply.
  if (caught instanceof GitError) return true;
  return isRetryableFailure(caught);
}

/** A result some of whose failures may pass on a later run. */
export function needsRetry(result: ReconcileResult): boolean {
  return (result.failure?.retryable ?? false) || result.outcomes.some((outcome) => outcome.status === "failed" && outcome.retryable);
}

export interface RetryPolicy extends BackoffOptions {
  /** Runs after the first. @default 5 */
  retries?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Run `attempt` until it succeeds, fails for good, or runs out of retries; exponential backoff
 * with full jitter between runs (the same rule as GitHub's requests), so replicas that failed
 * together do not come back together. Answers the last result; throws the last terminal error.
 */
export async function withRetries(attempt: () => Promise<ReconcileResult>, policy: RetryPolicy, onRetry: (info: { attempt: number; delayMs: number; reason: string }) => void): Promise<ReconcileResult> {
  const sleep = policy.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let run = 0; ; run++) {
    let result: ReconcileResult;
    try {
      result = await attempt();
    } catch (caught) {
      if (!isRetryableThrown(caught) || run >= (policy.retries ?? 5)) throw caught;
      result = { outcomes: [], failure: { message: caught instanceof Error ? caught.message : String(caught), retryable: true } };
    }
    if (!needsRetry(result) || run >= (policy.retries ?? 5)) return result;
    const delayMs = retryDelayMs(run, {}, policy);
    onRetry({ attempt: run + 1, delayMs, reason: result.failure?.message ?? result.outcomes.filter((outcome) => outcome.retryable).map((outcome) => `${outcome.stack}: ${outcome.message}`).join("; ") });
    await sleep(delayMs);
  }
}
