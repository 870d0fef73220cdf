// The devserver: a local HTTP server answering like the Prefect 3 REST API for every route the
// product uses, under `/api` (open-source paths) and `/api/accounts/{a}/workspaces/{w}` (Cloud
// paths, each account/workspace pair its own workspace), with optional API-key or basic auth,
// fault injection (contention: the 503s of a busy SQLite server), idle connections closed as
// uvicorn closes them, and per-route request counting.
import { randomUUID, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { Contract, type Dialect } from "../contract/validator.js";
import { registerAdminRoutes } from "./admin.js";
import { DEFAULT_CONTENTION, FaultInjector, objectsAnswered, REAL_SERVER_COST, SERVICE_UNAVAILABLE_BODY, type ContentionSettings, type FaultConfig, type WriteAdmission } from "./faults.js";
import { HttpError, internalServerError, invalidUuidParam, replyOf, unprocessable, UUID_PATTERN, type Reply } from "./http.js";
import { RequestCounter } from "./metrics.js";
import { Router, type DurationForm, type RequestContext, type ServerServices } from "./router.js";
import { API_ROUTE_MODULES, ROOT_ROUTE_MODULES } from "./routes/index.js";
import { Store, type Workspace } from "./store.js";

export interface DevServerOptions {
  /** @default 4200; 0 picks a free port. */
  port?: number;
  /** @default "127.0.0.1" */
  host?: string;
  /** Persist data here (snapshot + journal) so it survives a restart. @default in memory */
  dataDir?: string;
  /** Require `Authorization: Bearer <apiKey>` on every request. */
  apiKey?: string;
  /** Require HTTP basic auth `user:password` (what PREFECT_API_AUTH_STRING sends). */
  authString?: string;
  /** Faults to inject from the start. */
  faults?: FaultConfig;
  /**
   * Answer like a busy SQLite server: overlapping writes get 503 `{"exception_message":
   * "Service Unavailable"}` and change nothing. `true` takes the defaults
   * (`maxConcurrentWrites: 1, writeMs: 15, backgroundRatio: 0.02`). It stays on when fault
   * rules are set or cleared; a `contention` fault rule overrides it for the routes it matches.
   * @default off
   * @example startDevServer({ contention: { maxConcurrentWrites: 2 } })
   */
  contention?: ContentionSettings | boolean;
  /**
   * Take as long to answer as a real Prefect server would ({@link REAL_SERVER_COST}: per object
   * answered, per route), so benchmarks show where a real server spends its time. It stays on
   * when fault rules are set or cleared; `cost` fault rules add to it.
   * @default false
   */
  realServerCost?: boolean;
  /**
   * Close a connection after this many milliseconds without a request, as uvicorn does after
   * PREFECT_SERVER_API_KEEPALIVE_TIMEOUT seconds, without announcing it in a `Keep-Alive`
   * header. 0 never closes idle connections.
   * @default 5000
   */
  keepAliveTimeoutMs?: number;
  /** Observe every exchange (tests validate responses against the contract with it). */
  onExchange?: (exchange: Exchange) => void;
  /** Where diagnostics go. @default silent */
  log?: (message: string) => void;
  /** Server-side limit on `limit` in filter bodies, like PREFECT_API_DEFAULT_LIMIT. @default 200 */
  defaultLimit?: number;
  /**
   * How a schedule `interval` is answered: `as-sent` (ISO text stays text, as a Prefect 3.8
   * server on Python 3.13+ does) or `seconds` (always a number, as on older Pythons).
   * @default "as-sent"
   */
  durations?: DurationForm;
}

/** One request and its answer, as the exchange observer sees it. */
export interface Exchange {
  method: string;
  /** Path below the API prefix. */
  path: string;
  /** The contract's template for the path, when the route is a contract route. */
  template?: string;
  dialect: Dialect;
  status: number;
  requestBody: unknown;
  responseBody: unknown;
  /** The request was cut by fault injection (no response reached the client). */
  dropped: boolean;
  /** Contention refused the write (503, nothing changed): count it as an attempt, not as a write. */
  busy: boolean;
}

export interface DevServer {
  /** Base URL of the open-source API, e.g. `http://127.0.0.1:4200/api`. */
  readonly url: string;
  /** `http://host:port` */
  readonly origin: string;
  readonly port: number;
  /** Base URL of a Cloud workspace's API on this server. */
  cloudUrl(accountId?: string, workspaceId?: string): string;
  /** Requests received per `METHOD /template`, since start or the last reset. */
  requestCounts(): Record<string, number>;
  /** Objects answered per `METHOD /template` (items of a list or page, 1 for one object), since start or the last reset. */
  objectCounts(): Record<string, number>;
  totalRequests(): number;
  resetRequestCounts(): void;
  setFaults(config: FaultConfig): void;
  clearFaults(): void;
  injectedFaults(): Record<string, number>;
  /** Stop accepting connections, flush data to disk, and resolve when closed. */
  close(): Promise<void>;
}

export const DEFAULT_ACCOUNT_ID = "6f0f7f5e-2b7a-4c57-9a43-1a4d1b2c3d01";
export const DEFAULT_WORKSPACE_ID = "0b6f6f43-8d8b-4f7b-a6d2-5c0e9a1b2c02";

const CLOUD_PREFIX = /^\/api\/accounts\/([^/]+)\/workspaces\/([^/]+)(\/.*)?$/;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const host = options.host ?? "127.0.0.1";
  const log = options.log ?? (() => {});
  const store = new Store({ dataDir: options.dataDir });
  const contention = options.contention === true ? { ...DEFAULT_CONTENTION } : options.contention || undefined;
  const faults = new FaultInjector(options.faults, contention, options.realServerCost ? REAL_SERVER_COST : []);
  const counter = new RequestCounter();
  const contracts: Record<Dialect, Contract> = { oss: Contract.load("oss"), cloud: Contract.load("cloud") };
  const defaultLimit = options.defaultLimit ?? 200;

  const api = new Router();
  const root = new Router();
  const admin = new Router();
  for (const register of API_ROUTE_MODULES) register(api);
  for (const register of ROOT_ROUTE_MODULES) register(root);

  const services: ServerServices = {
    newId: () => randomUUID(),
    emitEvent: (workspace: Workspace, event: Record<string, unknown>) => {
      const id = typeof event.id === "string" ? event.id : randomUUID();
      workspace.collection("events").put({ ...event, id });
    },
    store,
    defaultLimit,
    durations: options.durations ?? "as-sent",
  };

  let origin = "";
  registerAdminRoutes(admin, { store, faults, counter, origin: () => origin });

  function authorized(request: IncomingMessage): boolean {
    const header = request.headers.authorization ?? "";
    if (options.apiKey && !safeEqual(header, `Bearer ${options.apiKey}`)) return false;
    if (options.authString && !safeEqual(header, `Basic ${Buffer.from(options.authString).toString("base64")}`)) return false;
    return true;
  }

  function send(response: ServerResponse, reply: Reply): void {
    const headers: Record<string, string> = { ...reply.headers };
    // uvicorn keeps connections alive without a `Keep-Alive: timeout=` header (prefect-recordings
    // README, "Keep-alive"); Node writes that header only when the reply sets no Connection header itself.
    if (response.shouldKeepAlive) headers.connection = "keep-alive";
    if (reply.status === 204 || reply.body === undefined) {
      response.writeHead(reply.status, headers);
      response.end();
      return;
    }
    const payload = JSON.stringify(reply.body);
    headers["content-type"] = "application/json";
    headers["content-length"] = String(Buffer.byteLength(payload));
    response.writeHead(reply.status, headers);
    response.end(payload);
  }

  async function dispatch(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://devserver");
    const method = (request.method ?? "GET").toUpperCase();
    const rawBody = await readBody(request);

    // Which router, which workspace, which dialect.
    let router = root;
    let dialect: Dialect = "oss";
    let path = url.pathname;
    let workspaceKey = "oss";
    let cloud: RequestContext["cloud"];
    const cloudMatch = CLOUD_PREFIX.exec(url.pathname);
    if (cloudMatch) {
      router = api;
      dialect = "cloud";
      cloud = { accountId: cloudMatch[1] ?? "", workspaceId: cloudMatch[2] ?? "" };
      workspaceKey = `${cloud.accountId}/${cloud.workspaceId}`;
      path = cloudMatch[3] ?? "/";
    } else if (url.pathname === "/api" || url.pathname.startsWith("/api/")) {
      router = api;
      path = url.pathname.slice(4) || "/";
    } else if (url.pathname.startsWith("/_devserver/")) {
      router = admin;
    }

    const found = router.match(method, path, dialect);
    const template = found && found !== "method" ? found.route.template : undefined;
    counter.count(method, router === admin ? url.pathname : template ?? "<unmatched>", router === admin);

    const exchange: Exchange = { method, path, template, dialect, status: 0, requestBody: undefined, responseBody: undefined, dropped: false, busy: false };
    const finish = (reply: Reply): void => {
      exchange.status = reply.status;
      exchange.responseBody = reply.body;
      send(response, reply);
      options.onExchange?.(exchange);
    };

    // Webhook endpoints (/hooks/...) authenticate per webhook, like Prefect Cloud; everything else here.
    if (router !== root && !authorized(request)) {
      finish({ status: 401, body: { detail: "Unauthorized: a valid API key is required (Authorization: Bearer <key>)." } });
      return;
    }

    const decision = router === admin ? ({ kind: "none", delayMs: 0 } as const) : faults.decide(method, path);
    if (decision.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
    if (decision.kind === "error") {
      finish({ status: decision.status, body: { detail: "Injected fault: the server failed to answer." } });
      return;
    }
    if (decision.kind === "rate-limit") {
      finish({ status: 429, body: { detail: "Injected fault: too many requests." }, headers: { "retry-after": String(decision.retryAfter) } });
      return;
    }
    if (decision.kind === "drop" && decision.phase === "before") {
      exchange.dropped = true;
      options.onExchange?.(exchange);
      request.socket.destroy();
      return;
    }

    let reply: Reply;
    let admission: WriteAdmission = { kind: "free" };
    try {
      if (!found) throw new HttpError(404, { detail: "Not Found" });
      if (found === "method") throw new HttpError(405, { detail: "Method Not Allowed" });
      let body: unknown = undefined;
      if (rawBody.trim()) {
        try {
          body = JSON.parse(rawBody);
        } catch (error) {
          // Root routes (webhook endpoints) take any body, forms and text included: they read ctx.rawBody.
          if (router === root) body = undefined;
          else throw unprocessable([{ type: "json_invalid", loc: ["body", 0], msg: "JSON decode error", input: {}, ...{ ctx: { error: (error as Error).message } } }], rawBody);
        }
      }
      let sent: unknown = body === undefined ? {} : structuredClone(body);
      // Observers see the body as the client sent it, before defaults are filled.
      exchange.requestBody = body === undefined ? undefined : structuredClone(body);
      const contract = contracts[dialect];
      const operation = router === api ? contract.match(method, path) : undefined;
      if (operation && !found.route.options.rawBody) {
        for (const [name, value] of Object.entries(found.params)) {
          if (paramFormat(contract, method, found.route.template, name) === "uuid") {
            if (!UUID_PATTERN.test(value)) throw invalidUuidParam(name, value, body ?? null);
            // The server parses ids: any case addresses the same object.
            found.params[name] = value.toLowerCase();
          }
        }
        if (operation.requestSchema !== undefined) {
          if (body === undefined) body = {};
          if (sent === undefined) sent = {};
          const result = contract.validateRequest(method, found.route.template, body, { lax: true, sent });
          if (!result.ok) throw unprocessable(result.issues, body);
        }
      }
      const workspace = store.workspace(workspaceKey);
      const ctx: RequestContext = {
        method,
        path,
        template: found.route.template,
        params: found.params,
        query: url.searchParams,
        body,
        rawBody,
        sent,
        headers: request.headers,
        dialect,
        workspace,
        cloud,
        origin,
        now: new Date(),
        services,
      };
      // A busy database refuses a valid write before anything changes: Prefect's server rolls the
      // transaction back and answers 503 (src/prefect/server/api/server.py, custom_internal_exception_handler).
      if (router === api) admission = faults.admitWrite(method, path);
      if (admission.kind === "busy") {
        exchange.busy = true;
        throw new HttpError(503, { ...SERVICE_UNAVAILABLE_BODY });
      }
      if (admission.kind === "admitted") {
        const { holdMs } = admission;
        await new Promise((resolve) => setTimeout(resolve, holdMs));
      }
      reply = await found.route.handler(ctx);
    } catch (error) {
      if (!(error instanceof HttpError)) log(`devserver: ${method} ${path} failed: ${(error as Error).stack ?? String(error)}`);
      reply = replyOf(error instanceof HttpError ? error : internalServerError());
    } finally {
      if (admission.kind === "admitted") admission.release();
    }

    if (router === api && template) {
      counter.countObjects(method, template, reply.status >= 200 && reply.status < 300 ? objectsAnswered(reply.body) : 0);
      const costMs = faults.costMs(method, path, reply.status, reply.body);
      if (costMs > 0) await new Promise((resolve) => setTimeout(resolve, costMs));
    }
    if (decision.kind === "drop" && decision.phase === "after") {
      exchange.status = reply.status;
      exchange.responseBody = reply.body;
      exchange.dropped = true;
      options.onExchange?.(exchange);
      request.socket.destroy();
      return;
    }
    finish(reply);
  }

  const sockets = new Set<Socket>();
  const server: Server = createServer({ keepAlive: true }, (request, response) => {
    dispatch(request, response).catch((error: unknown) => {
      log(`devserver: ${(error as Error).stack ?? String(error)}`);
      if (!response.headersSent) send(response, replyOf(internalServerError()));
    });
  });
  // uvicorn's --timeout-keep-alive, which `prefect server start` sets from
  // PREFECT_SERVER_API_KEEPALIVE_TIMEOUT (src/prefect/settings/models/server/api.py, keepalive_timeout = 5).
  server.keepAliveTimeout = options.keepAliveTimeoutMs ?? 5_000;
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 4200, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const displayHost = host.includes(":") ? `[${host}]` : host;
  origin = `http://${displayHost}:${address.port}`;

  let closed: Promise<void> | undefined;
  return {
    url: `${origin}/api`,
    origin,
    port: address.port,
    cloudUrl: (accountId = DEFAULT_ACCOUNT_ID, workspaceId = DEFAULT_WORKSPACE_ID) => `${origin}/api/accounts/${accountId}/workspaces/${workspaceId}`,
    requestCounts: () => counter.byRoute(),
    objectCounts: () => counter.objectsByRoute(),
    totalRequests: () => counter.total(),
    resetRequestCounts: () => counter.reset(),
    setFaults: (config) => faults.configure(config),
    clearFaults: () => faults.configure({ rules: [] }),
    injectedFaults: () => faults.injected(),
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }).then(() => store.close());
      return closed;
    },
  };
}

const paramFormats = new Map<string, string | undefined>();

/** The `format` of a path parameter as the contract declares it (`uuid` for ids). */
function paramFormat(contract: Contract, method: string, template: string, name: string): string | undefined {
  const key = `${contract.dialect}:${method}:${template}:${name}`;
  if (!paramFormats.has(key)) paramFormats.set(key, contract.parameterFormat(method, template, name));
  return paramFormats.get(key);
}
