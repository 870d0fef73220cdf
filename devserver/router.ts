// Routes of the devserver's API, matched by path template like the OpenAPI document names them.
import type { IncomingHttpHeaders } from "node:http";
import type { Dialect } from "../contract/validator.js";
import type { Reply } from "./http.js";
import type { Store, Workspace } from "./store.js";

/** What a handler gets for one request. */
export interface RequestContext {
  method: string;
  /** Path below the API prefix, e.g. `/work_pools/my-pool`. */
  path: string;
  /** The matched template, e.g. `/work_pools/{name}`. */
  template: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body, validated against the contract with defaults filled. */
  body: unknown;
  /** The request body exactly as received ("" when there is none). */
  rawBody: string;
  /**
   * The parsed body as sent, before defaults were filled: what pydantic's `exclude_unset`
   * sees. Updates write only the fields present here.
   */
  sent: unknown;
  headers: IncomingHttpHeaders;
  dialect: Dialect;
  /** The workspace addressed: `oss`, or `ACCOUNT/WORKSPACE` under the Cloud prefix. */
  workspace: Workspace;
  /** Cloud account and workspace ids, when the request came through the Cloud prefix. */
  cloud?: { accountId: string; workspaceId: string };
  /** The server's public origin, e.g. `http://127.0.0.1:4200`. */
  origin: string;
  /** The time of the request (one clock read per request). */
  now: Date;
  services: ServerServices;
}

/** Server-wide facilities handlers may use, beyond their workspace's data. */
export interface ServerServices {
  newId(): string;
  /** Record an event (webhook invocations, automations) for the admin events route. */
  emitEvent(workspace: Workspace, event: Record<string, unknown>): void;
  /** All workspaces (routes outside a workspace, like `/hooks/{slug}`, search across them). */
  store: Store;
  /** The largest `limit` a filter body may ask for (PREFECT_API_DEFAULT_LIMIT). */
  defaultLimit: number;
  /** How a schedule's `interval` is answered (see {@link DurationForm}). */
  durations: DurationForm;
}

/**
 * How the server answers a duration it stores as sent: `as-sent` like a Prefect 3.8 server on
 * Python 3.13+ (ISO 8601 text stays text, numbers stay seconds), `seconds` like one on an older
 * Python (always a number of seconds): prefect-recordings README, "Durations".
 */
export type DurationForm = "as-sent" | "seconds";

export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;

export interface RouteOptions {
  /** Only served under the Prefect Cloud prefix (webhooks). */
  cloudOnly?: boolean;
  /** Skip contract validation of the body (the handler validates itself). */
  rawBody?: boolean;
}

interface Route {
  method: string;
  template: string;
  regex: RegExp;
  names: string[];
  handler: Handler;
  options: RouteOptions;
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, template: string, handler: Handler, options: RouteOptions = {}): void {
    const names: string[] = [];
    const pattern = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{([^}]+)\}/g, (_m, name: string) => {
      names.push(name);
      return "([^/]+)";
    });
    this.routes.push({ method: method.toUpperCase(), template, regex: new RegExp(`^${pattern}$`), names, handler, options });
    // Literal segments win over parameters: `/flows/filter` before `/flows/{id}`.
    this.routes.sort((a, b) => a.names.length - b.names.length || b.template.length - a.template.length);
  }

  get(template: string, handler: Handler, options?: RouteOptions): void {
    this.add("GET", template, handler, options);
  }
  post(template: string, handler: Handler, options?: RouteOptions): void {
    this.add("POST", template, handler, options);
  }
  patch(template: string, handler: Handler, options?: RouteOptions): void {
    this.add("PATCH", template, handler, options);
  }
  put(template: string, handler: Handler, options?: RouteOptions): void {
    this.add("PUT", template, handler, options);
  }
  delete(template: string, handler: Handler, options?: RouteOptions): void {
    this.add("DELETE", template, handler, options);
  }

  /** The route for a method and path; `undefined` when no route, `"method"` when only other methods match. */
  match(method: string, path: string, dialect: Dialect): RouteMatch | "method" | undefined {
    let pathMatched = false;
    for (const route of this.routes) {
      if (route.options.cloudOnly && dialect !== "cloud") continue;
      const found = route.regex.exec(path);
      if (!found) continue;
      if (route.method !== method.toUpperCase()) {
        pathMatched = true;
        continue;
      }
      const params: Record<string, string> = {};
      route.names.forEach((name, index) => {
        params[name] = decodeURIComponent(found[index + 1] ?? "");
      });
      return { route, params };
    }
    return pathMatched ? "method" : undefined;
  }
}

export type RouteModule = (router: Router) => void;
