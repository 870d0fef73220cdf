// Fault injection for reliability tests: server errors, rate limiting, latency and dropped
// connections, each with a probability and optionally limited to a route pattern. Decisions
// come from a seeded generator so a failing test can be replayed.

export type FaultRule =
  | { type: "error"; ratio: number; statuses?: number[]; route?: string }
  | { type: "rate-limit"; ratio: number; retryAfter?: number; route?: string }
  | { type: "latency"; ms: number; jitterMs?: number; ratio?: number; route?: string }
  /** `before`: the request never reaches a handler; `after`: it is processed, then the connection is cut. */
  | { type: "drop"; ratio: number; phase?: "before" | "after" | "either"; route?: string };

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
    if (!["error", "rate-limit", "latency", "drop"].includes(rule.type)) {
      problems.push(`${where}.type must be one of error, rate-limit, latency, drop (got ${JSON.stringify(rule.type)})`);
      return;
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

export class FaultInjector {
  private config: FaultConfig = { rules: [] };
  private random: () => number = generator(1);
  private readonly counts = { error: 0, "rate-limit": 0, drop: 0, latency: 0 };

  constructor(config?: FaultConfig) {
    if (config) this.configure(config);
  }

  configure(config: FaultConfig): void {
    this.config = validateFaultConfig(config);
    this.random = generator(this.config.seed ?? 1);
  }

  current(): FaultConfig {
    return this.config;
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
      if (!routeMatches(rule.route, method, path)) continue;
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
}
