// What a GitOps run works with and answers: the event, the ports it is given (GitHub, git, an
// engine factory), and one outcome per stack, failures marked retryable or terminal.
import type { Engine } from "../engine.js";
import { isRetryable } from "../errors.js";
import type { GitSource } from "../git/checkout.js";
import { GitHubError, type GitHubPort } from "../git/github.js";
import type { LockHolder } from "../state/model.js";
import { type SchedulePreviewRenderer } from "./comment.js";
import { type GitopsConfig, type StackConfig } from "./config.js";

export type GitopsEvent =
  | { kind: "pull_request"; number: number; action: string }
  | { kind: "command"; number: number; commenter: string; command: "plan" | "apply" }
  | { kind: "push"; branch: string }
  | { kind: "schedule" };

export interface ReconcileDeps {
  github: GitHubPort;
  source: GitSource;
  /** The engine of a stack, for its directory in a checkout; a CDKTF app synthesizes within `synth`'s limits. */
  engineFor(stack: StackConfig, dir: string, synth: GitopsConfig["synth"]): Engine;
  /** The repository's default branch (the branch applied when prefect-gitops.yaml names none). */
  defaultBranch: string;
  /** Who takes the state lock, for "locked by" messages. */
  holder(operation: string): LockHolder;
  /** How long an apply waits for the state lock. @default 600000 */
  lockTimeoutMs?: number;
  log(line: string): void;
  schedulePreviews?: SchedulePreviewRenderer;
}

export type StackStatus = "planned" | "applied" | "no-changes" | "clean" | "drift" | "healed" | "waiting" | "skipped" | "failed";

export interface StackOutcome {
  stack: string;
  status: StackStatus;
  /** For failures: worth trying again later (network, 5xx, rate limits, lock held), or not (invalid configuration, auth). */
  retryable?: boolean;
  message?: string;
  /** The commit the stack was reconciled from. */
  sha?: string;
  /** A drift audit's count of drifted objects (changed or deleted since the last apply, or differing from the branch). */
  drifted?: number;
}

export interface ReconcileResult {
  outcomes: StackOutcome[];
  /** The whole event failed before any stack (invalid prefect-gitops.yaml, missing ref...). */
  failure?: { message: string; retryable: boolean };
}

/**
 * Whether a failure is worth another run later: GitHub's own verdict for a GitHub call, else the
 * engine's error codes (reconciler/errors.ts), the same rule the CLI reports as "(retryable)".
 */
export function isRetryableFailure(caught: unknown): boolean {
  if (caught instanceof GitHubError) return caught.retryable;
  return isRetryable(caught);
}

export function messageOf(caught: unknown): string {
  return caught instanceof Error ? caught.message : String(caught);
}
