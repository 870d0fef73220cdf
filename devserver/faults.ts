// Fault injection for reliability tests: server errors, rate limiting, latency and dropped
// connections, each with a probability and optionally limited to a route pattern; and
// contention, the 503s of a busy SQLite server whose writes overlap. Decisions come from a
// seeded generator so a failing test can be replayed.

/**
 * What a Prefect server answers (503) when its database was busy and it rolled the request
 * back: src/prefect/server/api/server.py, custom_internal_exception_handler for
 * is_client_retryable_exception (SQLITE_BUSY, "database is locked").
 */
export const SERVICE_UNAVAILABLE_BODY: Readonly<{ exception_message: string }> = Object.freeze({ exception_message: "Service Unavailable" });

/**
 * A busy SQLite server: one database, few writers at a time. A write that arrives while
 * `maxConcurrentWrites` writes are in flight answers 503 {@link SERVICE_UNAVAILABLE_BODY} and
 * changes nothing; of the writes admitted, `backgroundRatio` answer 503 all the same (the
 * server's own background services also write). Reads are never refused: in
 * client-suite.jsonl.gz, 0 of 1,528 reads and 1,986 of 2,901 writes answered 503.
 *
 * @example { "type": "contention", "maxConcurrentWrites": 1, "writeMs": 15, "backgroundRatio": 0.02 }
 */
export interface ContentionSettings {
  /** Writes the database serves at once. @default 1 (SQLite has a single writer) */
  maxConcurrentWrites?: number;
  /** How long an admitted write holds its slot, in milliseconds, so that writes overlap. @default 15 */
  writeMs?: number;
  /** Ratio of admitted writes answered 503 anyway. @default 0.02 */
  backgroundRatio?: number;
  /** Only writes matching this pattern (see routeMatches). @default every write */
  route?: string;
}

export const DEFAULT_CONTENTION: Required<Omit<ContentionSettings, "route">> = {
  maxConcurrentWrites: 1,
  // Writes sent one at a time were answered 9-65 ms apart, client included (client-suite.jsonl.gz, seq 1-57).
  writeMs: 15,
  backgroundRatio: 0.02,
};

export type FaultRule =
  | { type: "error"; ratio: number; statuses?: number[]; route?: string }
  | { type: "rate-limit"; ratio: number; retryAfter?: number; route?: string }
  | { type: "latency"; ms: number; jitterMs?: number; ratio?: number; route?: string }
  /** `before`: the request never reaches a handler; `after`: it is processed, then the connection is cut. */
  | { type: "drop"; ratio: number; phase?: "before" | "after" | "either"; route?: string }
  | ({ type: "contention" } & ContentionSettings)
  /**
   * What answering costs a real server: `baseMs` per request plus `perObjectMs` per object in the
   * answer (see {@link objectsAnswered}), for the successful answers of the routes matched. Every
   * matching cost rule adds up; it never changes the answer.
   */
  | ({ type: "cost" } & CostSettings);

/** @example { "type": "cost", "route": "POST /deployments/filter", "perObjectMs": 8, "baseMs": 5 } */
export interface CostSettings {
  /** Milliseconds per object answered. @default 0 */
  perObjectMs?: number;
  /** Milliseconds per request, whatever it answers. @default 0 */
  baseMs?: number;
  /** The routes it applies to (see routeMatches). @default every route */
  route?: string;
}

/**
 * What a real Prefect 3.8 server spends answering, as measured in prefect-recordings/README.md
 * ("Speed"): about 8 ms per deployment in a `/deployments/filter` page (a page of 200: 1.6-1.8 s,
 * the same with an `id.any_` filter), 20-30 ms for one `GET /deployments/{id}`, 5 ms for
 * `/deployments/count`. `/deployments/paginate` runs the filter's query and the count's
 * (src/prefect/server/api/deployments.py, paginate_deployments), so it costs both. Only
 * deployments were measured: other kinds cost nothing here unless a rule says so.
 */
export const REAL_SERVER_COST: readonly Readonly<{ type: "cost" } & CostSettings>[] = Object.freeze([
  { type: "cost", route: "POST /deployments/filter", perObjectMs: 8 },
  { type: "cost", route: "POST /deployments/paginate", perObjectMs: 8, baseMs: 5 },
  { type: "cost", route: "GET /deployments/*", baseMs: 25 },
  { type: "cost", route: "GET /deployments/name/*/*", baseMs: 25 },
  { type: "cost", route: "POST /deployments/count", baseMs: 5 },
] as const);

/**
 * The objects an answer holds: the items of a JSON array, of a page's `results`, or 1 for one
 * object; 0 for anything else (204, a number, a string).
 */
export function objectsAnswered(body: unknown): number {
  if (Array.isArray(body)) return body.length;
  if (body && typeof body === "object") {
    const results = (body as { results?: unknown }).results;
    return Array.isArray(results) ? results.length : 1;
  }
  return 0;
}

export interface FaultConfig {
  rules: FaultRule[];
  /** Seed of the random generator; the same seed and request order give the same faults. */
  seed?: number;
}

export type FaultDecision =
  | { kind: "none"; delayMs: number }
  | { kind: "error"; status: number; delayMs: number }
  | { kind: "rate-limit"; retryAfter: number; delayMs: number }
  | { kind: "drop"; phase: "before" | "after"; delayMs: number };

/** A write's turn at the database: `busy` answers 503; `admitted` holds a slot for `holdMs`, then runs and calls `release()`. */
export type WriteAdmission = { kind: "free" } | { kind: "busy"; reason: "overlap" | "background" } | { kind: "admitted"; holdMs: number; release: () => void };

/**
 * Whether a request writes to the database. POSTs that filter, count, page or validate only
 * read: none of them answered 503 in client-suite.jsonl.gz, while creates did.
 */
export function isWrite(method: string, path: string): boolean {
  const upper = method.toUpperCase();
  if (upper === "GET" || upper === "HEAD" || upper === "OPTIONS") return false;
  return !(upper === "POST" && /\/(filter|count|paginate|validate)\/?$/.test(path));
}

/** mulberry32: small, fast, good enough for test randomness. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A route pattern is matched against `METHOD /path` (the path without the API prefix), e.g.
 * `POST /deployments/` or `/work_pools/*`. `*` matches within a segment, `**` across
 * segments; a pattern without a method matches every method. A pattern starting with `^`
 * is a regular expression.
 */
export function routeMatches(pattern: string | undefined, method: string, path: string): boolean {
  if (!pattern) return true;
  const subject = `${method.toUpperCase()} ${path}`;
  if (pattern.startsWith("^")) return new RegExp(pattern).test(subject);
  const hasMethod = /^[A-Z]+ /.test(pattern);
  const glob = hasMethod ? pattern : `* ${pattern}`;
  const regex = glob
    .replace(/[.+?^${}()|[\]\\]/g, "\\$&")
    .split("**")
    .map((part) => part.replace(/\*/g, "[^/ ]*"))
    .join(".*");
  return new RegExp(`^${regex}$`).test(subject);
}

const RATIO_RULES = new Set(["error", "rate-limit", "drop"]);

export function validateFaultConfig(config: unknown): FaultConfig {
  const problems: string[] = [];
  if (!config || typeof config !== "object" || !Array.isArray((config as FaultConfig).rules)) {
    throw new Error('A fault configuration is {"rules": [...], "seed"?: number}.');
  }
  const { rules, seed } = config as FaultConfig;
  rules.forEach((rule, index) => {
    const where = `rules[${index}]`;
    if (!["error", "rate-limit", "latency", "drop", "contention", "cost"].includes(rule.type)) {
      problems.push(`${where}.type must be one of error, rate-limit, latency, drop, contention, cost (got ${JSON.stringify(rule.type)})`);
      return;
    }
    if (rule.type === "contention") problems.push(...contentionProblems(rule, where));
    if (rule.type === "cost") {
      for (const field of ["perObjectMs", "baseMs"] as const) {
        const value = rule[field];
        if (value !== undefined && !(typeof value === "number" && value >= 0)) problems.push(`${where}.${field} must be a number of milliseconds >= 0`);
      }
    }
    if (RATIO_RULES.has(rule.type)) {
      const ratio = (rule as { ratio: unknown }).ratio;
      if (typeof ratio !== "number" || ratio < 0 || ratio > 1) problems.push(`${where}.ratio must be a number from 0 to 1`);
    }
    if (rule.type === "error" && rule.statuses && !rule.statuses.every((status) => Number.isInteger(status) && status >= 500 && status <= 599)) {
      problems.push(`${where}.statuses must be 5xx status codes`);
    }
    if (rule.type === "latency" && (typeof rule.ms !== "number" || rule.ms < 0)) problems.push(`${where}.ms must be a number of milliseconds >= 0`);
    if (rule.route !== undefined && typeof rule.route !== "string") problems.push(`${where}.route must be a string pattern`);
  });
  if (seed !== undefined && !Number.isInteger(seed)) problems.push("seed must be an integer");
  if (problems.length) throw new Error(`Invalid fault configuration: ${problems.join("; ")}.`);
  return { rules, seed };
}

function contentionProblems(settings: ContentionSettings, where: string): string[] {
  const problems: string[] = [];
  const { maxConcurrentWrites, writeMs, backgroundRatio } = settings;
  if (maxConcurrentWrites !== undefined && !(Number.isInteger(maxConcurrentWrites) && maxConcurrentWrites >= 1)) problems.push(`${where}.maxConcurrentWrites must be an integer >= 1`);
  if (writeMs !== undefined && !(typeof writeMs === "number" && writeMs >= 0)) problems.push(`${where}.writeMs must be a number of milliseconds >= 0`);
  if (backgroundRatio !== undefined && !(typeof backgroundRatio === "number" && backgroundRatio >= 0 && backgroundRatio <= 1)) problems.push(`${where}.backgroundRatio must be a number from 0 to 1`);
  return problems;
}

/** Check contention settings given outside a fault configuration (startDevServer, the CLI). */
export function validateContention(settings: ContentionSettings): ContentionSettings {
  const problems = contentionProblems(settings, "contention");
  if (settings.route !== undefined && typeof settings.route !== "string") problems.push("contention.route must be a string pattern");
  if (problems.length) throw new Error(`Invalid contention settings: ${problems.join("; ")}.`);
  return settings;
}

export class FaultInjector {
  private config: FaultConfig = { rules: [] };
  private random: () => number = generator(1);
  private readonly counts = { error: 0, "rate-limit": 0, drop: 0, latency: 0, contention: 0, "contention-background": 0 };
  /** Contention the server was started with: it stays when the fault rules change. */
  private readonly standing?: ContentionSettings;
  /** Admitted writes not yet finished, whichever rule admitted them: the database is one. */
  private writesInFlight = 0;

  /** Cost rules the server was started with (realServerCost): they stay when the fault rules change. */
  private readonly standingCost: readonly CostSettings[];

  constructor(config?: FaultConfig, contention?: ContentionSettings, cost: readonly ({ type: "cost" } & CostSettings)[] = []) {
    if (config) this.configure(config);
    if (contention) this.standing = validateContention(contention);
    this.standingCost = validateFaultConfig({ rules: [...cost] }).rules as ({ type: "cost" } & CostSettings)[];
  }

  /**
   * How long a real server would have spent on this answer: the sum of the matching cost rules
   * (the standing ones and the configured ones) for a successful answer, 0 otherwise.
   */
  costMs(method: string, path: string, status: number, body: unknown): number {
    if (status < 200 || status >= 300) return 0;
    // Runs on every API request: no rule lists copied, and the answer counted only when a rule matches.
    let ms = 0;
    let objects: number | undefined;
    const add = (rule: CostSettings): void => {
      if (!routeMatches(rule.route, method, path)) return;
      objects ??= objectsAnswered(body);
      ms += (rule.baseMs ?? 0) + (rule.perObjectMs ?? 0) * objects;
    };
    for (const rule of this.standingCost) add(rule);
    for (const rule of this.config.rules) if (rule.type === "cost") add(rule);
    return ms;
  }

  configure(config: FaultConfig): void {
    this.config = validateFaultConfig(config);
    this.random = generator(this.config.seed ?? 1);
  }

  current(): FaultConfig {
    return this.config;
  }

  /** The contention the server was started with, if any. */
  standingContention(): ContentionSettings | undefined {
    return this.standing;
  }

  injected(): Record<string, number> {
    return { ...this.counts };
  }

  resetCounts(): void {
    for (const key of Object.keys(this.counts) as (keyof typeof this.counts)[]) this.counts[key] = 0;
  }

  decide(method: string, path: string): FaultDecision {
    let delayMs = 0;
    let outcome: FaultDecision | undefined;
    for (const rule of this.config.rules) {
      if (rule.type === "contention" || rule.type === "cost" || !routeMatches(rule.route, method, path)) continue;
      if (rule.type === "latency") {
        if (this.random() < (rule.ratio ?? 1)) {
          delayMs += rule.ms + (rule.jitterMs ? this.random() * rule.jitterMs : 0);
          this.counts.latency++;
        }
        continue;
      }
      if (outcome || this.random() >= rule.ratio) continue;
      if (rule.type === "error") {
        const statuses = rule.statuses?.length ? rule.statuses : [500, 502, 503];
        outcome = { kind: "error", status: statuses[Math.floor(this.random() * statuses.length)] ?? 500, delayMs: 0 };
        this.counts.error++;
      } else if (rule.type === "rate-limit") {
        outcome = { kind: "rate-limit", retryAfter: rule.retryAfter ?? 1, delayMs: 0 };
        this.counts["rate-limit"]++;
      } else {
        const phase = rule.phase === "before" || rule.phase === "after" ? rule.phase : this.random() < 0.5 ? "before" : "after";
        outcome = { kind: "drop", phase, delayMs: 0 };
        this.counts.drop++;
      }
    }
    return outcome ? { ...outcome, delayMs } : { kind: "none", delayMs };
  }

  /**
   * Ask for a write's turn at the database. A configured `contention` rule matching the
   * request wins over the standing contention; without either, every request is free.
   */
  admitWrite(method: string, path: string): WriteAdmission {
    if (!isWrite(method, path)) return { kind: "free" };
    const rule = this.config.rules.find((candidate) => candidate.type === "contention" && routeMatches(candidate.route, method, path)) ?? (this.standing && routeMatches(this.standing.route, method, path) ? this.standing : undefined);
    if (!rule) return { kind: "free" };
    const settings = { ...DEFAULT_CONTENTION, ...withoutUndefined(rule) };
    if (this.writesInFlight >= settings.maxConcurrentWrites) {
      this.counts.contention++;
      return { kind: "busy", reason: "overlap" };
    }
    if (settings.backgroundRatio > 0 && this.random() < settings.backgroundRatio) {
      this.counts["contention-background"]++;
      return { kind: "busy", reason: "background" };
    }
    this.writesInFlight++;
    let released = false;
    return {
      kind: "admitted",
      holdMs: settings.writeMs,
      release: () => {
        if (released) return;
        released = true;
        this.writesInFlight--;
      },
    };
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
