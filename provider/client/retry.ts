// When and how long to wait before repeating a request: exponential backoff with full jitter,
// never shorter than what the server asked for with Retry-After.
import { isRetryable, RateLimitedError } from "./errors.js";

export interface RetryPolicy {
  /** Attempts after the first. @default 6 */
  maxRetries: number;
  /** First backoff ceiling in milliseconds. @default 200 */
  baseDelayMs: number;
  /** Largest backoff ceiling in milliseconds. @default 10000 */
  maxDelayMs: number;
  /** Longest Retry-After we honour, in milliseconds; longer waits fail the request instead. @default 60000 */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 6,
  baseDelayMs: 200,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
};

/** Parse a Retry-After header: seconds, or an HTTP date. */
export function parseRetryAfter(header: string | undefined, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, (date - now) / 1000);
}

/**
 * The wait before retry number `attempt` (1-based) after `error`, or `undefined` when the
 * request should not be repeated (not retryable, retries exhausted, or a Retry-After longer
 * than we are willing to wait).
 */
export function retryDelay(error: unknown, attempt: number, policy: RetryPolicy, random: () => number = Math.random): number | undefined {
  if (!isRetryable(error) || attempt > policy.maxRetries) return undefined;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = random() * ceiling;
  if (error instanceof RateLimitedError && error.retryAfterSeconds !== undefined) {
    const asked = error.retryAfterSeconds * 1000;
    if (asked > policy.maxRetryAfterMs) return undefined;
    return Math.max(asked, jittered);
  }
  return jittered;
}
