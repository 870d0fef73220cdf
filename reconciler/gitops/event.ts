// From GitHub's event payload (GITHUB_EVENT_PATH in GitHub Actions, a webhook body in a service)
// to the event the reconcile acts on. Only the fields it needs are read; the reconcile reads
// the rest fresh (level-based), so a stale payload cannot mislead it.
import { z } from "zod";
import type { GitopsEvent } from "./model.js";
import { commandOf } from "./pull-request.js";

import { EVENT_NAMES, type EventName } from "./event-names.js";

export { EVENT_NAMES, type EventName };

/** A payload that lacks what its event must carry. */
export class EventPayloadError extends Error {
  readonly code = "invalid_event_payload";
  constructor(message: string) {
    super(message);
    this.name = "EventPayloadError";
  }
}

const pullRequestPayload = z.object({ action: z.string(), number: z.number().int() });
const issueCommentPayload = z.object({
  action: z.string(),
  issue: z.object({ number: z.number().int(), pull_request: z.unknown().optional() }),
  comment: z.object({ body: z.string().nullable(), user: z.object({ login: z.string() }) }),
});
const pushPayload = z.object({ ref: z.string() });

function parse<T>(schema: z.ZodType<T>, payload: unknown, name: string): T {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw new EventPayloadError(`The ${name} event payload is not what GitHub sends: ${parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; ")}. Run with --event matching the workflow's trigger.`);
  return parsed.data;
}

/** The event to reconcile, or undefined when the payload asks for nothing (a comment that is not the command, a tag push). */
export function eventFromPayload(name: EventName, payload: unknown): GitopsEvent | undefined {
  switch (name) {
    case "pull_request": {
      const { action, number } = parse(pullRequestPayload, payload, name);
      return { kind: "pull_request", number, action };
    }
    case "issue_comment": {
      const { action, issue, comment } = parse(issueCommentPayload, payload, name);
      const command = commandOf(comment.body ?? "");
      if (action !== "created" || issue.pull_request === undefined || !command) return undefined;
      return { kind: "command", number: issue.number, commenter: comment.user.login, command };
    }
    case "push": {
      const { ref } = parse(pushPayload, payload, name);
      return ref.startsWith("refs/heads/") ? { kind: "push", branch: ref.slice("refs/heads/".length) } : undefined;
    }
    case "schedule":
    case "workflow_dispatch":
      return { kind: "schedule" };
  }
}

/** The repository's default branch, when the payload names it. */
export function defaultBranchOf(payload: unknown): string | undefined {
  const branch = (payload as { repository?: { default_branch?: unknown } } | undefined)?.repository?.default_branch;
  return typeof branch === "string" ? branch : undefined;
}
