// Typed errors of the Prefect client. Each failure shape has one class with a stable `code`;
// every error carries the method, route and status, and never the API key or any request or
// response body that could hold a secret (a 422 from Prefect echoes the request body, which
// may contain block secrets, so only locations and messages are kept).

export type PrefectErrorCode =
  | "not_found"
  | "conflict"
  | "validation"
  | "unauthorized"
  | "forbidden"
  | "locked"
  | "rate_limited"
  | "server_error"
  | "network"
  | "timeout"
  | "request_timeout"
  | "unexpected_status"
  | "configuration";

/** Where a request went: method and path below the API base (no host, no credentials). */
export interface RequestInfo {
  method: string;
  route: string;
}

export class PrefectError extends Error {
  readonly code: PrefectErrorCode;
  constructor(code: PrefectErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A configuration problem found before any request (missing URL, Cloud URL without a key...). */
export class ConfigurationError extends PrefectError {
  /** The connection setting at fault, when one is (so callers can point at their own field for it). */
  readonly setting?: "apiUrl" | "apiKey" | "authString" | "workspace";
  constructor(message: string, options?: { cause?: unknown; setting?: ConfigurationError["setting"] }) {
    super("configuration", message, options);
    if (options?.setting) this.setting = options.setting;
  }
}

/** The API answered with an error status. */
export class PrefectApiError extends PrefectError {
  readonly method: string;
  readonly route: string;
  readonly status: number;
  /** Prefect's `detail` message, when the answer had one. */
  readonly detail?: string;

  constructor(code: PrefectErrorCode, request: RequestInfo, status: number, detail: string | undefined, message?: string) {
    super(code, message ?? `${request.method} ${request.route} answered ${status}${detail ? `: ${detail}` : ""}`);
    this.method = request.method;
    this.route = request.route;
    this.status = status;
    this.detail = detail;
  }

  /**
   * Whether repeating the same request may succeed: the statuses Prefect's own client retries
   * (408, 429, 502, 503; `PrefectHttpxAsyncClient.send` in src/prefect/client/base.py) and a
   * proxy's 504. A 500 is not: on a Prefect server it is a deterministic bug (the Proactive
   * trigger 500 in scenarios.jsonl), and Prefect's client does not retry it either.
   */
  get retryable(): boolean {
    return RETRYABLE_STATUSES.has(this.status) || this.status === 504;
  }

  /** Seconds the server asked us to wait before repeating (`Retry-After`), when it said. */
  get retryAfterSeconds(): number | undefined {
    return this.retryAfter;
  }

  /** Set by the client from the answer's `Retry-After` header. */
  protected retryAfter?: number;
}

/**
 * Statuses that mean "the server did not apply the request; send it again", for every method:
 * the set `PrefectHttpxAsyncClient.send` retries (src/prefect/client/base.py). A Prefect 503 is
 * answered after the server rolled the request's transaction back (recordings README, "503 under load").
 */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 502, 503]);

export class NotFoundError extends PrefectApiError {
  constructor(request: RequestInfo, detail?: string) {
    super("not_found", request, 404, detail);
  }
}

export class ConflictError extends PrefectApiError {
  constructor(request: RequestInfo, detail?: string) {
    super("conflict", request, 409, detail);
  }
}

/** One problem Prefect found in a request body: where it is and what is wrong (never the value). */
export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type?: string;
}

export class ValidationError extends PrefectApiError {
  readonly issues: ValidationIssue[];
  constructor(request: RequestInfo, status: number, issues: ValidationIssue[], detail?: string) {
    const summary = issues.length ? issues.map((issue) => `${issue.loc.join(".")}: ${issue.msg}`).join("; ") : detail;
    super("validation", request, status, detail, `${request.method} ${request.route} was refused (${status}): ${summary ?? "invalid request"}`);
    this.issues = issues;
  }
}

export class UnauthorizedError extends PrefectApiError {
  constructor(request: RequestInfo, status: 401 | 403, detail?: string) {
    super(
      status === 401 ? "unauthorized" : "forbidden",
      request,
      status,
      detail,
      status === 401
        ? `${request.method} ${request.route} answered 401: the API key (PREFECT_API_KEY or the provider's api_key) is missing or not valid for this server`
        : `${request.method} ${request.route} answered 403: the API key is valid but not allowed to do this${detail ? ` (${detail})` : ""}`,
    );
  }
}

/** 423 Locked: a concurrency slot or a lease is held by someone else. */
export class LockedError extends PrefectApiError {
  constructor(request: RequestInfo, detail?: string) {
    super("locked", request, 423, detail);
  }
}

export class RateLimitedError extends PrefectApiError {
  constructor(request: RequestInfo, detail?: string, retryAfterSeconds?: number) {
    super("rate_limited", request, 429, detail);
    this.retryAfter = retryAfterSeconds;
  }
}

/** 408: the server gave up waiting for the request; it did not process it. */
export class RequestTimeoutError extends PrefectApiError {
  constructor(request: RequestInfo, detail?: string, retryAfterSeconds?: number) {
    super("request_timeout", request, 408, detail);
    this.retryAfter = retryAfterSeconds;
  }
}

/** A 5xx answer. 502 and 503 mean "not applied, try again"; 504 (a proxy's timeout) leaves the outcome unknown; 500 is a bug. */
export class ServerError extends PrefectApiError {
  constructor(request: RequestInfo, status: number, detail?: string, retryAfterSeconds?: number) {
    super("server_error", request, status, detail);
    this.retryAfter = retryAfterSeconds;
  }
}

/**
 * How far a request that failed without an answer got:
 * - `not-sent`: no byte of it was written to a connection (connect failed, or it never left the
 *   queue): the server cannot have seen it.
 * - `stale-socket`: written to a kept-alive connection that had served earlier answers, and that
 *   connection closed before any byte of this answer arrived: what a server closing an idle
 *   connection at the moment we reuse it looks like.
 * - `unknown`: sent, and cut (or timed out) before the answer: the server may have applied it.
 */
export type Delivery = "not-sent" | "stale-socket" | "unknown";

/** The connection failed or was cut before an answer arrived; the request may or may not have been processed. */
export class NetworkError extends PrefectError {
  readonly method: string;
  readonly route: string;
  readonly delivery: Delivery;
  /** For `stale-socket`: how long the connection had been idle before this request, in milliseconds. */
  readonly idleMs?: number;
  constructor(request: RequestInfo, cause: unknown, timedOut = false, delivery: Delivery = "unknown", idleMs?: number) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      timedOut ? "timeout" : "network",
      timedOut ? `${request.method} ${request.route} timed out` : `${request.method} ${request.route} failed before an answer arrived: ${reason}`,
      { cause },
    );
    this.method = request.method;
    this.route = request.route;
    this.delivery = delivery;
    this.idleMs = idleMs;
  }

  readonly retryable = true;
}

/** Whether an error is worth repeating the request for (when the request is safe to repeat). */
export function isRetryable(error: unknown): boolean {
  if (error instanceof NetworkError) return true;
  if (error instanceof PrefectApiError) return error.retryable;
  return false;
}

/**
 * Whether the server may have applied a request that failed with `error` although no success
 * came back: a connection cut after the request was sent, a timeout, or a proxy's 504. Only then
 * must a create look the object up before trying again.
 */
export function outcomeUnknown(error: unknown): boolean {
  if (error instanceof NetworkError) return error.delivery !== "not-sent";
  return error instanceof PrefectApiError && error.status === 504;
}
