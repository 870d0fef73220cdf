// When a failed request is sent again, and after how long. The rules follow Prefect's own client
// (`PrefectHttpxAsyncClient.send` and `_send_with_retry`, src/prefect/client/base.py): 408, 429,
// 502 and 503 (and PREFECT_CLIENT_RETRY_EXTRA_CODES) mean the server did not apply the request,
// so every method is repeated, after Retry-After when the server sent one. Unlike Prefect's
// client, a request whose outcome is unknown (cut after it was sent, timed out, a proxy's 504)
// is repeated only when it is safe to repeat; a create is looked up first (createSafely).
import { NetworkError, outcomeUnknown, PrefectApiError, RETRYABLE_STATUSES } from "./errors.js";

export interface RetryPolicy {
  /**
   * Attempts after the first (`PREFECT_CLIENT_MAX_RETRIES`). Prefect's default is 5 with a 2^n s
   * backoff (2+4+8+16+32 s, about a minute in all); ours backs off faster with full jitter, so it
   * takes more attempts to cover the same minute: a busy SQLite server can answer 503 to a large
   * share of concurrent writes for tens of seconds (recordings README, "503 under load"), and a
   * 1,000-object apply must ride that out. 12 retries at 0.5, 1, 2, 4 s then 8 s wait at most
   * about 70 s (half that on average) before giving up. @default 12
   */
  maxRetries: number;
  /** First backoff ceiling in milliseconds. @default 500 */
  baseDelayMs: number;
  /**
   * Largest backoff ceiling in milliseconds (`PREFECT_GITOPS_CLIENT_RETRY_MAX_DELAY`, in seconds).
   * A few seconds: long enough that many clients spread out, short enough that a server that has
   * caught up is used again soon. @default 8000
   */
  maxDelayMs: number;
  /** Longest Retry-After we honour, in milliseconds; longer waits fail the request instead. @default 60000 */
  maxRetryAfterMs: number;
  /**
   * `PREFECT_CLIENT_RETRY_JITTER_FACTOR` (Prefect's default 0.2): a Retry-After of `s` seconds is
   * waited for between `s` and `s * (1 + factor)`, as Prefect's client does
   * (`bounded_poisson_interval` in `_send_with_retry`). Backoff without Retry-After uses full
   * jitter (a uniform wait up to the ceiling), which spreads competing writers best; 0 turns
   * jitter off for both. @default 0.2
   */
  jitterFactor: number;
  /** `PREFECT_CLIENT_RETRY_EXTRA_CODES`: more statuses retried like 408/429/502/503, for every method. @default [] */
  extraCodes: readonly number[];
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 12,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
  jitterFactor: 0.2,
  extraCodes: [],
};

/**
 * What repeating a request that failed with `error` would mean:
 * - `not-applied`: the server did not apply it (a retry status, or it was never sent): repeat any method;
 * - `unknown`: the server may have applied it: repeat only what is safe to repeat;
 * - `final`: repeating will not help (4xx, a 500, a bug).
 * A request sent on a kept-alive connection the server closed is handled by the client itself.
 */
export type RetryClass = "not-applied" | "unknown" | "final";

export function retryClass(error: unknown, policy: Pick<RetryPolicy, "extraCodes"> = DEFAULT_RETRY_POLICY): RetryClass {
  if (error instanceof PrefectApiError) {
    if (RETRYABLE_STATUSES.has(error.status) || policy.extraCodes.includes(error.status)) return "not-applied";
    return outcomeUnknown(error) ? "unknown" : "final";
  }
  if (error instanceof NetworkError) return error.delivery === "not-sent" ? "not-applied" : "unknown";
  return "final";
}

/** Parse a Retry-After header: seconds, or an HTTP date. */
export function parseRetryAfter(header: string | undefined, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, (date - now) / 1000);
}

/** The backoff before retry number `attempt` (1-based) without a Retry-After: full jitter below a capped exponential ceiling. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return policy.jitterFactor > 0 ? random() * ceiling : ceiling;
}

/**
 * The wait before retry number `attempt` (1-based) after `error`, or `undefined` when the
 * request should not be repeated (repeating cannot help, retries are exhausted, or the server
 * asked for a longer wait than we are willing to make). Whether an `unknown` outcome may be
 * repeated at all is the caller's decision (it knows whether the request is safe to repeat).
 */
export function retryDelay(error: unknown, attempt: number, policy: RetryPolicy, random: () => number = Math.random): number | undefined {
  if (retryClass(error, policy) === "final" || attempt > policy.maxRetries) return undefined;
  const asked = error instanceof PrefectApiError ? error.retryAfterSeconds : undefined;
  if (asked !== undefined) {
    // Never shorter than the server asked (Prefect's client waits at least Retry-After too).
    const askedMs = asked * 1000;
    if (askedMs > policy.maxRetryAfterMs) return undefined;
    return askedMs * (1 + random() * policy.jitterFactor);
  }
  return backoffDelay(attempt, policy, random);
}
