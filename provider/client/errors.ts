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
  constructor(message: string, options?: { cause?: unknown }) {
    super("configuration", message, options);
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

  /** Whether repeating the same request may succeed. */
  get retryable(): boolean {
    return this.code === "rate_limited" || this.code === "server_error";
  }
}

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
  /** Seconds the server asked us to wait (Retry-After), if it said. */
  readonly retryAfterSeconds?: number;
  constructor(request: RequestInfo, detail?: string, retryAfterSeconds?: number) {
    super("rate_limited", request, 429, detail);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class ServerError extends PrefectApiError {
  constructor(request: RequestInfo, status: number, detail?: string) {
    super("server_error", request, status, detail);
  }
}

/** The connection failed or was cut before an answer arrived; the request may or may not have been processed. */
export class NetworkError extends PrefectError {
  readonly method: string;
  readonly route: string;
  constructor(request: RequestInfo, cause: unknown, timedOut = false) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      timedOut ? "timeout" : "network",
      timedOut ? `${request.method} ${request.route} timed out` : `${request.method} ${request.route} failed before an answer arrived: ${reason}`,
      { cause },
    );
    this.method = request.method;
    this.route = request.route;
  }

  readonly retryable = true;
}

/** Whether an error is worth repeating the request for (when the request is safe to repeat). */
export function isRetryable(error: unknown): boolean {
  if (error instanceof NetworkError) return true;
  if (error instanceof PrefectApiError) return error.retryable;
  return false;
}
