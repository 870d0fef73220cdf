// A raw JSON client over one undici Pool: what the benchmarks load data and generate traffic
// with. Deliberately thinner than PrefectClient (no retries, no concurrency limiter), so that
// the devserver's numbers are the server's and not the client's.
import pLimit from "p-limit";
import { Pool } from "undici";

export interface Answer<T = unknown> {
  status: number;
  body: T;
}

export class RawApi {
  readonly pool: Pool;
  /** The API's path below the origin (`/api`, or a Cloud workspace's path). */
  readonly prefix: string;
  private readonly headers: Record<string, string>;

  /** `baseUrl` is an API URL (`http://host:port/api` or a Cloud workspace URL). */
  constructor(baseUrl: string, options: { connections?: number; headers?: Record<string, string> } = {}) {
    const url = new URL(baseUrl);
    this.pool = new Pool(url.origin, { connections: options.connections ?? 16, pipelining: 1, keepAliveTimeout: 60_000 });
    this.prefix = url.pathname.replace(/\/+$/, "");
    this.headers = { accept: "application/json", "content-type": "application/json", ...options.headers };
  }

  async request<T = unknown>(method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE", path: string, body?: unknown): Promise<Answer<T>> {
    const response = await this.pool.request({
      method,
      path: this.prefix + path,
      headers: this.headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.body.text();
    return { status: response.statusCode, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /** A request that must succeed (2xx): the answer's body, or an error naming the request. */
  async ok<T = unknown>(method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE", path: string, body?: unknown): Promise<T> {
    const answer = await this.request<T>(method, path, body);
    if (answer.status >= 300) throw new Error(`${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 600)}`);
    return answer.body;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** Run `work` for every item with at most `concurrency` (rounded down, at least 1) in flight; results in item order. */
export function inParallel<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const limit = pLimit(Math.max(1, Math.floor(concurrency)));
  return Promise.all(items.map((item, index) => limit(() => work(item, index))));
}
