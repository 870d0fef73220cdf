// PrefectClient: every request the product makes to a Prefect API goes through here. A
// keep-alive connection pool (undici), a bound on requests in flight, a timeout per request,
// and retries as Prefect's own client does them: every method on 408, 429, 502 and 503 (the
// server did not apply the request). A request whose outcome is unknown (cut after it was sent,
// timed out, a proxy's 504) is repeated only when it is safe to repeat; a create is not, and its
// caller looks the object up first (createSafely).
import { randomUUID } from "node:crypto";
import pLimit, { type LimitFunction } from "p-limit";
import { Agent, errors as undiciErrors, request as undiciRequest, type Dispatcher } from "undici";
import { deliveryOf, trackDelivery } from "./delivery.js";
import {
  ConflictError,
  LockedError,
  NetworkError,
  NotFoundError,
  PrefectApiError,
  RateLimitedError,
  RequestTimeoutError,
  ServerError,
  UnauthorizedError,
  ValidationError,
  type RequestInfo,
  type ValidationIssue,
} from "./errors.js";
import { DEFAULT_RETRY_POLICY, parseRetryAfter, retryClass, retryDelay, type RetryPolicy } from "./retry.js";
import type { ClientSettings } from "./settings.js";

export const CLIENT_VERSION = "0.1.0";
/** The API version this client speaks (Prefect 3.8 servers report 0.8.4). */
export const API_VERSION = "0.8.4";

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  /**
   * Safe to repeat when its outcome is unknown (connection cut after sending, timeout, 504):
   * reads (GET, POST .../filter), PUT, PATCH, DELETE and upserts. Every request, idempotent or
   * not, is repeated on 408, 429, 502 and 503. @default true for GET, PUT, PATCH and DELETE; false for POST
   */
  idempotent?: boolean;
}

/** What the client reports about each attempt (for logs and benchmarks; never headers or bodies). */
export type ClientEvent =
  | { type: "response"; method: string; route: string; status: number; attempt: number; durationMs: number }
  | { type: "retry"; method: string; route: string; attempt: number; delayMs: number; reason: string }
  | { type: "failure"; method: string; route: string; attempt: number; code: string };

export interface PrefectClientOptions {
  /** Per-request timeout in milliseconds. @default 30000 */
  timeoutMs?: number;
  /** Requests in flight at once (also the connection pool size). @default 16 */
  concurrency?: number;
  /** Overrides the retry settings (`settings.retry`) and defaults (`DEFAULT_RETRY_POLICY`). */
  retry?: Partial<RetryPolicy>;
  /**
   * Idle time (ms) after which a kept-alive connection is closed by us rather than reused.
   * @default settings.keepAliveTimeoutMs, else 4000 (uvicorn closes after 5 s: recordings README, "Keep-Alive")
   */
  keepAliveTimeoutMs?: number;
  /**
   * A create (a request not safe to repeat) cut on a reused connection before any byte of its
   * answer is sent again only when that connection had been idle this long (ms): a server closes
   * idle connections, not busy ones, so a shorter idle time means the request may have been
   * applied and the cut has another cause. Safe requests are sent again whatever the idle time.
   * @default 1000
   */
  staleSocketMinIdleMs?: number;
  /** Observe every attempt. */
  onEvent?: (event: ClientEvent) => void;
  /** For tests: deterministic jitter and instant sleeps. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Use this undici dispatcher instead of creating a pool. */
  dispatcher?: Dispatcher;
}

export interface ClientStats {
  /** HTTP requests sent, retries included. */
  requests: number;
  retries: number;
  /** Retries by what caused them: a status (`"503"`), `stale-socket`, `network`, `timeout`. */
  retriesByReason: Record<string, number>;
  /** Requests per `METHOD /path` with ids replaced by `{id}`. */
  byRoute: Record<string, number>;
}

const UUID_SEGMENT = /\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?=\/|$)/gi;

interface ErrorBody {
  detail?: unknown;
  exception_detail?: { loc?: (string | number)[]; msg?: string; type?: string }[];
}

function detailOf(body: unknown): string | undefined {
  const detail = (body as ErrorBody | undefined)?.detail;
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) return detail.map((item: { msg?: string }) => item?.msg ?? JSON.stringify(item)).join("; ");
  return undefined;
}

function issuesOf(body: unknown): ValidationIssue[] {
  const record = body as ErrorBody | undefined;
  const list = Array.isArray(record?.exception_detail) ? record.exception_detail : Array.isArray(record?.detail) ? (record.detail as ErrorBody["exception_detail"]) : [];
  // Only location, message and type: the offending input may be a secret.
  return (list ?? []).map((item) => ({ loc: item.loc ?? [], msg: item.msg ?? "invalid", type: item.type }));
}

/** Turn an error answer into its typed error. */
export function errorForStatus(request: RequestInfo, status: number, body: unknown, headers: Record<string, string | string[] | undefined>): PrefectApiError {
  const detail = detailOf(body);
  switch (status) {
    case 401:
    case 403:
      return new UnauthorizedError(request, status, detail);
    case 404:
      return new NotFoundError(request, detail);
    case 409:
      return new ConflictError(request, detail);
    case 400:
    case 422:
      return new ValidationError(request, status, issuesOf(body), detail);
    case 423:
      return new LockedError(request, detail);
    case 408:
      return new RequestTimeoutError(request, detail, retryAfterOf(headers));
    case 429:
      return new RateLimitedError(request, detail, retryAfterOf(headers));
    default:
      // Prefect's client honours Retry-After on every status it retries, 503 included (`_send_with_retry`).
      if (status >= 500) return new ServerError(request, status, detail, retryAfterOf(headers));
      return new PrefectApiError("unexpected_status", request, status, detail);
  }
}

function retryAfterOf(headers: Record<string, string | string[] | undefined>): number | undefined {
  const header = headers["retry-after"];
  return parseRetryAfter(Array.isArray(header) ? header[0] : header);
}

function isTimeout(error: unknown): boolean {
  return (
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError ||
    error instanceof undiciErrors.ConnectTimeoutError ||
    (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError"))
  );
}

export class PrefectClient {
  readonly settings: ClientSettings;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly limit: LimitFunction;
  private readonly policy: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly onEvent?: (event: ClientEvent) => void;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly baseHeaders: Record<string, string>;
  private readonly staleSocketMinIdleMs: number;
  private counters: ClientStats = { requests: 0, retries: 0, retriesByReason: {}, byRoute: {} };
  private csrf?: Promise<Record<string, string>>;
  /** An answer has arrived once: from then on a refused connection is a restart, not a wrong URL. */
  private connected = false;

  constructor(settings: ClientSettings, options: PrefectClientOptions = {}) {
    this.settings = settings;
    const concurrency = options.concurrency ?? 16;
    this.limit = pLimit(concurrency);
    const fromSettings = Object.fromEntries(Object.entries(settings.retry ?? {}).filter(([, value]) => value !== undefined));
    this.policy = { ...DEFAULT_RETRY_POLICY, ...fromSettings, ...options.retry };
    this.staleSocketMinIdleMs = options.staleSocketMinIdleMs ?? 1000;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.onEvent = options.onEvent;
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.ownsDispatcher = !options.dispatcher;
    const keepAliveTimeout = options.keepAliveTimeoutMs ?? settings.keepAliveTimeoutMs ?? 4_000;
    if (!options.dispatcher) trackDelivery();
    this.dispatcher =
      options.dispatcher ??
      new Agent({
        connections: concurrency,
        pipelining: 1,
        // Idle sockets are closed by us before the server's idle timeout closes them under a request.
        keepAliveTimeout,
        // A server's `Keep-Alive: timeout=N` hint may shorten that (less a 1 s margin), never lengthen it.
        keepAliveMaxTimeout: keepAliveTimeout,
        keepAliveTimeoutThreshold: 1_000,
      });
    const headers: Record<string, string> = {
      ...settings.customHeaders,
      accept: "application/json",
      "user-agent": `prefect-gitops/${CLIENT_VERSION}`,
      "x-prefect-api-version": API_VERSION,
    };
    if (settings.apiKey) headers.authorization = `Bearer ${settings.apiKey}`;
    else if (settings.authString) headers.authorization = `Basic ${Buffer.from(settings.authString).toString("base64")}`;
    this.baseHeaders = headers;
  }

  /** Counters since creation or the last `resetStats()`. */
  stats(): ClientStats {
    return {
      requests: this.counters.requests,
      retries: this.counters.retries,
      retriesByReason: { ...this.counters.retriesByReason },
      byRoute: { ...this.counters.byRoute },
    };
  }

  resetStats(): void {
    this.counters = { requests: 0, retries: 0, retriesByReason: {}, byRoute: {} };
  }

  get<T>(path: string, options: Omit<RequestOptions, "body"> = {}): Promise<T> {
    return this.request<T>("GET", path, options);
  }

  /** A POST that creates something: repeated on 408/429/502/503, never when its outcome is unknown. */
  post<T>(path: string, body?: unknown, options: Omit<RequestOptions, "body"> = {}): Promise<T> {
    return this.request<T>("POST", path, { ...options, body });
  }

  /** A POST that only reads (`/filter`, `/count`, `/paginate`): safe to repeat. */
  query<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>("POST", path, { body: body ?? {}, idempotent: true });
  }

  patch<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>("PATCH", path, { body });
  }

  put<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>("PUT", path, { body });
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>("DELETE", path, {});
  }

  /** Send one request, retrying it while that is safe and useful; throws a typed error. */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const upper = method.toUpperCase();
    const idempotent = options.idempotent ?? upper !== "POST";
    const info: RequestInfo = { method: upper, route: path };
    let retries = 0;
    let staleSocketRetried = false;
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.limit(() => this.attempt<T>(upper, path, options, attempt));
        this.connected = true;
        return result;
      } catch (error) {
        if (error instanceof PrefectApiError) this.connected = true;
        // A kept-alive connection the server closed as we reused it: sent again at once, once,
        // outside the retry budget; the server never read a request on a connection it had closed.
        // A create only when the connection had sat idle (`staleSocketMinIdleMs`): a server closes
        // idle connections, so a cut on a busy one may have followed an applied request.
        if (!staleSocketRetried && error instanceof NetworkError && error.delivery === "stale-socket" && (idempotent || (error.idleMs ?? 0) >= this.staleSocketMinIdleMs)) {
          staleSocketRetried = true;
          this.countRetry(info, attempt, 0, "stale-socket", error);
          continue;
        }
        const delay = this.retryWait(error, idempotent, retries + 1);
        if (delay === undefined) {
          this.onEvent?.({ type: "failure", ...info, attempt, code: (error as { code?: string }).code ?? "unknown" });
          throw error;
        }
        retries++;
        this.countRetry(info, attempt, delay, error instanceof PrefectApiError ? String(error.status) : ((error as { code?: string }).code ?? "unknown"), error);
        await this.sleep(delay);
      }
    }
  }

  /** The wait before retry number `retry` after `error`, or `undefined` when the request must not be repeated. */
  private retryWait(error: unknown, idempotent: boolean, retry: number): number | undefined {
    const kind = retryClass(error, this.policy);
    if (kind === "final" || (kind === "unknown" && !idempotent)) return undefined;
    // A connection refused before any answer is a wrong URL or a server not up: fail fast, as
    // Prefect's client does (it retries ConnectError only once `_has_connected`, src/prefect/client/base.py).
    if (error instanceof NetworkError && error.delivery === "not-sent" && !this.connected && error.code === "network") return undefined;
    return retryDelay(error, retry, this.policy, this.random);
  }

  private countRetry(info: RequestInfo, attempt: number, delay: number, reason: string, error: unknown): void {
    this.counters.retries++;
    this.counters.retriesByReason[reason] = (this.counters.retriesByReason[reason] ?? 0) + 1;
    this.onEvent?.({ type: "retry", ...info, attempt, delayMs: Math.round(delay), reason: (error as Error).message });
  }

  private async attempt<T>(method: string, path: string, options: RequestOptions, attempt: number): Promise<T> {
    const info: RequestInfo = { method, route: path };
    const url = new URL(this.settings.baseUrl + path);
    for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    const headers: Record<string, string> = { ...this.baseHeaders };
    if (this.settings.csrfEnabled && method !== "GET") Object.assign(headers, await this.csrfHeaders());
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["content-type"] = "application/json";
    }
    this.counters.requests++;
    const routeKey = `${method} ${path.replace(UUID_SEGMENT, "/{id}")}`;
    this.counters.byRoute[routeKey] = (this.counters.byRoute[routeKey] ?? 0) + 1;
    const started = performance.now();
    let response: Dispatcher.ResponseData;
    try {
      response = await undiciRequest(url, {
        dispatcher: this.dispatcher,
        method: method as Dispatcher.HttpMethod,
        headers,
        body,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const facts = deliveryOf(error);
      throw new NetworkError(info, error, isTimeout(error), facts?.delivery ?? "unknown", facts?.idleMs);
    }
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      // The answer had started: the server handled the request, whatever it did.
      throw new NetworkError(info, error, isTimeout(error), "unknown");
    }
    this.onEvent?.({ type: "response", ...info, status: response.statusCode, attempt, durationMs: Math.round(performance.now() - started) });
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    if (response.statusCode >= 400) throw errorForStatus(info, response.statusCode, parsed, response.headers);
    return parsed as T;
  }

  /** CSRF headers for servers that protect non-GET requests; none when the server has it disabled. */
  private csrfHeaders(): Promise<Record<string, string>> {
    const pending: Promise<Record<string, string>> = (this.csrf ??= (async (): Promise<Record<string, string>> => {
      const client = randomUUID();
      try {
        const token = await this.attempt<{ token: string }>("GET", `/csrf-token`, { query: { client } }, 1);
        return { "prefect-csrf-token": token.token, "prefect-csrf-client": client };
      } catch (error) {
        // A server without CSRF protection answers 422 with a plain `detail` and no field issues.
        if (error instanceof ValidationError && error.issues.length === 0) return {};
        this.csrf = undefined;
        throw error;
      }
    })());
    return pending;
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }
}
