// Which GitHub failures are worth another try, and how long to wait. Decided from the status and
// the rate-limit headers GitHub documents, never from message text: 5xx and network failures are
// retryable, and so are 429 and the 403 of a (secondary) rate limit, which GitHub marks with
// `retry-after` or `x-ratelimit-remaining: 0`. Everything else (auth, not found, validation)
// is terminal: reported once, not retried hot.

export interface FailureFacts {
  /** Absent for a network failure (no answer). */
  status?: number;
  headers?: Record<string, string | number | undefined>;
}

export function isRetryableGitHubFailure({ status, headers = {} }: FailureFacts): boolean {
  if (status === undefined) return true;
  if (status >= 500 || status === 429) return true;
  if (status === 403) return headers["retry-after"] !== undefined || String(headers["x-ratelimit-remaining"]) === "0";
  return false;
}

export interface BackoffOptions {
  /** @default 500 */
  baseMs?: number;
  /** @default 30000 */
  capMs?: number;
  /** @default Math.random */
  random?: () => number;
}

/**
 * How long to wait before attempt `attempt + 1`: what GitHub asks for (`retry-after` seconds, or
 * until `x-ratelimit-reset`) when it says, otherwise exponential backoff with full jitter, so
 * runners failing together do not come back together.
 */
export function retryDelayMs(attempt: number, { headers = {} }: FailureFacts, options: BackoffOptions = {}, nowMs = Date.now()): number {
  const cap = options.capMs ?? 30_000;
  const retryAfter = Number(headers["retry-after"]);
  if (headers["retry-after"] !== undefined && Number.isFinite(retryAfter)) return Math.min(cap, Math.max(0, retryAfter * 1000));
  const reset = Number(headers["x-ratelimit-reset"]);
  if (String(headers["x-ratelimit-remaining"]) === "0" && Number.isFinite(reset)) return Math.min(cap, Math.max(0, reset * 1000 - nowMs));
  const ceiling = Math.min(cap, (options.baseMs ?? 500) * 2 ** attempt);
  return Math.floor((options.random ?? Math.random)() * ceiling);
}
