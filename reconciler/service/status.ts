// What GET /status shows: per stack, the last commit seen, the last apply, the last audit, the
// drift count and the last error; for the service, the last poll and the last failure of a whole
// event. Messages pass through the secrets mask before they are kept.
import type { GitopsEvent, ReconcileResult } from "../gitops/model.js";

export interface StackStatusRecord {
  stack: string;
  lastCommit?: string;
  lastApplied?: { sha?: string; at: string; status: string };
  lastAudit?: { sha?: string; at: string; status: string; drifted?: number };
  lastPlan?: { sha?: string; at: string; status: string };
  drifted?: number;
  lastError?: { at: string; message: string; retryable: boolean };
  lastSuccessAt?: string;
}

export interface ServiceStatus {
  repository: string;
  branch: string;
  startedAt: string;
  lastPoll?: { at: string; head?: string; error?: string };
  lastFailure?: { at: string; event: string; message: string; retryable: boolean };
  queued: number;
  stacks: StackStatusRecord[];
}

export class StatusBook {
  private readonly stacks = new Map<string, StackStatusRecord>();
  private lastFailure?: ServiceStatus["lastFailure"];
  lastPoll?: ServiceStatus["lastPoll"];
  private readonly startedAt: string;

  constructor(
    private readonly repository: string,
    private readonly branch: string,
    private readonly mask: (text: string) => string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.startedAt = now().toISOString();
  }

  private stack(name: string): StackStatusRecord {
    let record = this.stacks.get(name);
    if (!record) this.stacks.set(name, (record = { stack: name }));
    return record;
  }

  record(event: GitopsEvent, result: ReconcileResult): void {
    const at = this.now().toISOString();
    if (result.failure) this.lastFailure = { at, event: event.kind, message: this.mask(result.failure.message), retryable: result.failure.retryable };
    for (const outcome of result.outcomes) {
      if (outcome.stack === "*") continue;
      const record = this.stack(outcome.stack);
      if (outcome.sha) record.lastCommit = outcome.sha;
      const seen = { sha: outcome.sha, at, status: outcome.status };
      if (event.kind === "push" && outcome.status !== "failed" && outcome.status !== "skipped") record.lastApplied = seen;
      if (event.kind === "schedule") {
        record.lastAudit = { ...seen, ...(outcome.drifted !== undefined ? { drifted: outcome.drifted } : {}) };
        if (outcome.drifted !== undefined) record.drifted = outcome.drifted;
      }
      if (event.kind === "pull_request" || event.kind === "command") record.lastPlan = seen;
      if (outcome.status === "failed") record.lastError = { at, message: this.mask(outcome.message ?? "failed"), retryable: outcome.retryable ?? false };
      else record.lastSuccessAt = at;
    }
  }

  /** A whole event that threw (after its retries). */
  fail(event: GitopsEvent, message: string, retryable: boolean): void {
    this.lastFailure = { at: this.now().toISOString(), event: event.kind, message: this.mask(message), retryable };
  }

  snapshot(queued: number): ServiceStatus {
    return {
      repository: this.repository,
      branch: this.branch,
      startedAt: this.startedAt,
      ...(this.lastPoll ? { lastPoll: this.lastPoll } : {}),
      ...(this.lastFailure ? { lastFailure: this.lastFailure } : {}),
      queued,
      stacks: [...this.stacks.values()].sort((a, b) => a.stack.localeCompare(b.stack)),
    };
  }
}
