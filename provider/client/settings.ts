// Connection settings, resolved like the Prefect CLI resolves them: explicit options first,
// then the environment, then the active profile in profiles.toml. The process environment is
// passed in by the caller (only the CLI reads process.env).
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { parse as parseToml } from "smol-toml";
import { ConfigurationError } from "./errors.js";

/** What a caller may set explicitly (the provider block, CLI flags, tests). */
export interface ClientOptions {
  /** `PREFECT_API_URL`: `http://host:4200/api`, or a Cloud workspace URL `.../api/accounts/{a}/workspaces/{w}`. */
  apiUrl?: string;
  /** `PREFECT_API_KEY` (Prefect Cloud, or a server behind a bearer-token proxy). */
  apiKey?: string;
  /** `PREFECT_CLOUD_ACCOUNT_ID`: with a workspace id, builds the Cloud path below `apiUrl`. */
  accountId?: string;
  /** `PREFECT_CLOUD_WORKSPACE_ID` */
  workspaceId?: string;
  /** `PREFECT_API_AUTH_STRING`: `user:password` for basic auth on a self-hosted server. */
  authString?: string;
  /** `PREFECT_CLIENT_CUSTOM_HEADERS`: extra headers on every request. */
  customHeaders?: Record<string, string>;
  /** `PREFECT_CLIENT_CSRF_SUPPORT_ENABLED`: fetch and send CSRF tokens (servers with CSRF protection). */
  csrfEnabled?: boolean;
  /** Profile to use instead of the active one (`PREFECT_PROFILE`). */
  profile?: string;
  /** profiles.toml location (`PREFECT_PROFILES_PATH`). */
  profilesPath?: string;
  /** `PREFECT_CLIENT_MAX_RETRIES`: attempts after the first for a request that may succeed when repeated. @default 12 */
  maxRetries?: number;
  /** `PREFECT_CLIENT_RETRY_JITTER_FACTOR`: spread added to a Retry-After wait; 0 turns jitter off. @default 0.2 */
  retryJitterFactor?: number;
  /** `PREFECT_CLIENT_RETRY_EXTRA_CODES`: statuses retried like 408/429/502/503, e.g. `"500,504"`. @default none */
  retryExtraCodes?: number[] | string;
  /** `PREFECT_GITOPS_CLIENT_RETRY_MAX_DELAY`: longest backoff between two attempts, in seconds. @default 8 */
  retryMaxDelaySeconds?: number;
  /**
   * `PREFECT_GITOPS_CLIENT_KEEPALIVE_TIMEOUT`: seconds an idle connection is kept for reuse. Below
   * the server's own idle timeout (uvicorn's 5 s), so the client never reuses one the server closed.
   * @default 4
   */
  keepAliveTimeoutSeconds?: number;
}

export interface SettingsSources {
  /** The environment to read `PREFECT_*` variables from (the CLI passes process.env). */
  env?: Record<string, string | undefined>;
  /** Home directory for the default `~/.prefect/profiles.toml`. */
  homeDir?: string;
  /** Read a file; `undefined` when it does not exist. */
  readFile?: (path: string) => string | undefined;
}

export type SettingSource = "option" | "environment" | `profile ${string}` | "default";

export interface ClientSettings {
  /** Base URL every API path is appended to (ends with `/api` or the Cloud workspace path). */
  readonly baseUrl: string;
  readonly apiKey?: string;
  readonly authString?: string;
  /** Set when the URL addresses a Prefect Cloud workspace. */
  readonly cloud?: { accountId: string; workspaceId: string };
  readonly customHeaders: Readonly<Record<string, string>>;
  readonly csrfEnabled: boolean;
  /** Where the URL came from, for messages ("from the environment", "from profile dev"). */
  readonly urlSource: SettingSource;
  /** Things worth telling the user (ignored protected headers...). */
  readonly warnings: readonly string[];
  /** Retry settings from `PREFECT_CLIENT_*` / `PREFECT_GITOPS_CLIENT_*`; unset ones take the client's defaults. */
  readonly retry?: Readonly<RetrySettings>;
  /** Idle keep-alive timeout in milliseconds; unset takes the client's default (4 s). */
  readonly keepAliveTimeoutMs?: number;
}

/** The retry settings a user can set (see `RetryPolicy` for their defaults). */
export interface RetrySettings {
  maxRetries?: number;
  jitterFactor?: number;
  extraCodes?: readonly number[];
  maxDelayMs?: number;
}

const CLOUD_PATH = /\/api\/accounts\/([^/]+)\/workspaces\/([^/]+)\/?$/;
/** Headers Prefect's own client refuses to let custom headers override. */
const PROTECTED_HEADERS = new Set(["user-agent", "prefect-csrf-token", "prefect-csrf-client"]);

const ENV = {
  apiUrl: "PREFECT_API_URL",
  apiKey: "PREFECT_API_KEY",
  accountId: "PREFECT_CLOUD_ACCOUNT_ID",
  workspaceId: "PREFECT_CLOUD_WORKSPACE_ID",
  authString: "PREFECT_API_AUTH_STRING",
  customHeaders: "PREFECT_CLIENT_CUSTOM_HEADERS",
  csrfEnabled: "PREFECT_CLIENT_CSRF_SUPPORT_ENABLED",
  // Prefect's own names and meanings (src/prefect/settings/models/client.py, ClientSettings).
  maxRetries: "PREFECT_CLIENT_MAX_RETRIES",
  retryJitterFactor: "PREFECT_CLIENT_RETRY_JITTER_FACTOR",
  retryExtraCodes: "PREFECT_CLIENT_RETRY_EXTRA_CODES",
  // Ours: Prefect's client has no backoff cap (2^n s) and leaves keep-alive to httpx.
  retryMaxDelaySeconds: "PREFECT_GITOPS_CLIENT_RETRY_MAX_DELAY",
  keepAliveTimeoutSeconds: "PREFECT_GITOPS_CLIENT_KEEPALIVE_TIMEOUT",
} as const;

type Field = keyof typeof ENV;

function defaultReadFile(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** The active profile's settings from profiles.toml, or an empty record. */
function loadProfile(options: ClientOptions, sources: Required<Pick<SettingsSources, "env" | "readFile">> & { homeDir: string }): { name?: string; values: Record<string, unknown> } {
  const env = sources.env;
  const home = env.PREFECT_HOME ?? join(sources.homeDir, ".prefect");
  const path = options.profilesPath ?? env.PREFECT_PROFILES_PATH ?? join(home, "profiles.toml");
  const text = sources.readFile(path);
  if (text === undefined) return { values: {} };
  let document: Record<string, unknown>;
  try {
    document = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigurationError(`${path} is not valid TOML: ${(error as Error).message}. Fix the file or point PREFECT_PROFILES_PATH elsewhere.`, { cause: error });
  }
  const profiles = (document.profiles ?? {}) as Record<string, Record<string, unknown>>;
  const name = options.profile ?? env.PREFECT_PROFILE ?? (typeof document.active === "string" ? document.active : undefined);
  if (!name) return { values: {} };
  const values = profiles[name];
  if (!values) {
    if (options.profile ?? env.PREFECT_PROFILE) {
      throw new ConfigurationError(`Profile "${name}" is not in ${path} (profiles there: ${Object.keys(profiles).join(", ") || "none"}).`);
    }
    return { name, values: {} };
  }
  return { name, values };
}

function parseHeaders(raw: unknown, where: string): Record<string, string> {
  let value = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new ConfigurationError(`${where} must be a JSON object of header names to values, e.g. '{"X-Trace": "dev"}'.`);
    }
  }
  if (!value || typeof value !== "object" || Array.isArray(value) || !Object.values(value).every((v) => typeof v === "string")) {
    throw new ConfigurationError(`${where} must be a JSON object whose values are strings.`);
  }
  return value as Record<string, string>;
}

function parseBool(raw: unknown, where: string): boolean {
  if (typeof raw === "boolean") return raw;
  const text = String(raw).trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(text)) return true;
  if (["0", "false", "no", "off", ""].includes(text)) return false;
  throw new ConfigurationError(`${where} must be true or false (got ${JSON.stringify(raw)}).`);
}

function parseNumber(raw: unknown, where: string, rule: { integer?: boolean; min: number; exclusiveMin?: boolean }): number {
  const value = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw.trim()) : Number.NaN;
  const ok = Number.isFinite(value) && (rule.integer ? Number.isInteger(value) : true) && (rule.exclusiveMin ? value > rule.min : value >= rule.min);
  if (!ok) {
    const kind = rule.integer ? "a whole number" : "a number";
    throw new ConfigurationError(`${where} must be ${kind} ${rule.exclusiveMin ? "above" : "of at least"} ${rule.min} (got ${JSON.stringify(raw)}).`);
  }
  return value;
}

/** Status codes as Prefect reads PREFECT_CLIENT_RETRY_EXTRA_CODES: comma-separated text, one code, or a list (src/prefect/types, `validate_set_T_from_delim_string`). */
function parseStatusCodes(raw: unknown, where: string): number[] {
  const items = Array.isArray(raw) ? raw : typeof raw === "number" ? [raw] : String(raw).split(",").filter((item) => item.trim() !== "");
  const codes = items.map((item) => (typeof item === "number" ? item : Number(String(item).trim())));
  if (!codes.every((code) => Number.isInteger(code) && code >= 100 && code <= 599)) {
    throw new ConfigurationError(`${where} must list HTTP status codes (100-599) separated by commas, e.g. "500,504" (got ${JSON.stringify(raw)}).`);
  }
  return [...new Set(codes)];
}

/**
 * Resolve the connection settings. Each setting is taken from the first place that has it:
 * `options`, then the environment, then the active profile.
 */
export function resolveSettings(options: ClientOptions = {}, sources: SettingsSources = {}): ClientSettings {
  const env = sources.env ?? {};
  const readFile = sources.readFile ?? defaultReadFile;
  const profile = loadProfile(options, { env, readFile, homeDir: sources.homeDir ?? homedir() });

  const pick = (field: Field): { value: unknown; source: SettingSource; where: string } | undefined => {
    const option = options[field];
    if (option !== undefined && option !== "") return { value: option, source: "option", where: `the ${field} option` };
    const fromEnv = env[ENV[field]];
    if (fromEnv !== undefined && fromEnv !== "") return { value: fromEnv, source: "environment", where: ENV[field] };
    const fromProfile = profile.values[ENV[field]];
    if (fromProfile !== undefined && fromProfile !== "") {
      return { value: fromProfile, source: `profile ${profile.name ?? ""}`, where: `${ENV[field]} in profile "${profile.name ?? ""}"` };
    }
    return undefined;
  };

  const url = pick("apiUrl");
  if (!url) {
    throw new ConfigurationError(
      "No Prefect API URL: set PREFECT_API_URL (e.g. http://127.0.0.1:4200/api), the provider block's `endpoint`, or a Prefect profile.",
      { setting: "apiUrl" },
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(String(url.value));
  } catch {
    throw new ConfigurationError(`${url.where} is not a URL: expected something like http://127.0.0.1:4200/api.`, { setting: "apiUrl" });
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new ConfigurationError(`${url.where} must be an http:// or https:// URL.`, { setting: "apiUrl" });
  }
  if (parsed.username || parsed.password) {
    throw new ConfigurationError(`${url.where} must not carry credentials: use PREFECT_API_KEY or PREFECT_API_AUTH_STRING.`, { setting: "apiUrl" });
  }
  const path = parsed.pathname.replace(/\/+$/, "");
  const accountId = pick("accountId")?.value as string | undefined;
  const workspaceId = pick("workspaceId")?.value as string | undefined;
  const warnings: string[] = [];

  let baseUrl: string;
  let cloud: ClientSettings["cloud"];
  const cloudMatch = CLOUD_PATH.exec(path);
  if (cloudMatch) {
    cloud = { accountId: cloudMatch[1] ?? "", workspaceId: cloudMatch[2] ?? "" };
    baseUrl = `${parsed.origin}${path}`;
    if ((accountId && accountId !== cloud.accountId) || (workspaceId && workspaceId !== cloud.workspaceId)) {
      throw new ConfigurationError(
        `${url.where} addresses account ${cloud.accountId} / workspace ${cloud.workspaceId}, but the account/workspace ids set elsewhere differ: keep one of them.`,
        { setting: "apiUrl" },
      );
    }
  } else if (accountId || workspaceId) {
    if (!accountId || !workspaceId) {
      throw new ConfigurationError("A Prefect Cloud workspace needs both an account id and a workspace id (PREFECT_CLOUD_ACCOUNT_ID and PREFECT_CLOUD_WORKSPACE_ID).", { setting: "workspace" });
    }
    cloud = { accountId, workspaceId };
    const root = path.endsWith("/api") ? path : `${path}/api`;
    baseUrl = `${parsed.origin}${root}/accounts/${accountId}/workspaces/${workspaceId}`;
  } else {
    baseUrl = `${parsed.origin}${path.endsWith("/api") ? path : `${path}/api`}`;
  }

  const apiKey = pick("apiKey")?.value as string | undefined;
  const authString = pick("authString")?.value as string | undefined;
  if (cloud && !apiKey) {
    throw new ConfigurationError(
      `${url.where} addresses a Prefect Cloud workspace, which needs an API key: set PREFECT_API_KEY or the provider block's api_key.`,
      { setting: "apiKey" },
    );
  }
  if (authString !== undefined && !authString.includes(":")) {
    throw new ConfigurationError("PREFECT_API_AUTH_STRING must be user:password.", { setting: "authString" });
  }

  const rawHeaders = pick("customHeaders");
  const customHeaders: Record<string, string> = {};
  if (rawHeaders) {
    for (const [name, value] of Object.entries(parseHeaders(rawHeaders.value, rawHeaders.where))) {
      if (PROTECTED_HEADERS.has(name.toLowerCase())) {
        warnings.push(`The custom header ${name} is protected and was ignored.`);
        continue;
      }
      if (name.toLowerCase() === "authorization" && (apiKey || authString)) {
        warnings.push("The custom Authorization header was ignored: an API key or auth string is set.");
        continue;
      }
      customHeaders[name] = value;
    }
  }
  const csrf = pick("csrfEnabled");

  const retry: RetrySettings = {};
  const maxRetries = pick("maxRetries");
  if (maxRetries) retry.maxRetries = parseNumber(maxRetries.value, maxRetries.where, { integer: true, min: 0 });
  const jitter = pick("retryJitterFactor");
  if (jitter) retry.jitterFactor = parseNumber(jitter.value, jitter.where, { min: 0 });
  const extra = pick("retryExtraCodes");
  if (extra) retry.extraCodes = parseStatusCodes(extra.value, extra.where);
  const maxDelay = pick("retryMaxDelaySeconds");
  if (maxDelay) retry.maxDelayMs = parseNumber(maxDelay.value, maxDelay.where, { min: 0, exclusiveMin: true }) * 1000;
  const keepAlive = pick("keepAliveTimeoutSeconds");

  return {
    baseUrl,
    apiKey,
    authString,
    cloud,
    customHeaders,
    csrfEnabled: csrf ? parseBool(csrf.value, csrf.where) : false,
    urlSource: url.source,
    warnings,
    retry,
    keepAliveTimeoutMs: keepAlive ? parseNumber(keepAlive.value, keepAlive.where, { min: 0, exclusiveMin: true }) * 1000 : undefined,
  };
}

/** Settings as safe to print: the URL and where it came from, never credentials. */
export function describeSettings(settings: ClientSettings): string {
  const auth = settings.apiKey ? "API key" : settings.authString ? "basic auth" : "no credentials";
  const target = settings.cloud ? `Prefect Cloud workspace ${settings.cloud.workspaceId}` : "Prefect server";
  return `${target} at ${settings.baseUrl} (${auth}; URL from ${settings.urlSource})`;
}
