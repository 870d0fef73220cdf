// The GitOps reconcile, per event and per stack, level-based: every run starts from a fresh
// checkout of the branch (or pull request) head and the live workspace, never from what an
// event says changed. The one-shot CLI command drives it today; a long-running service can
// call `reconcile` with the events it receives, with the same ports.
//
// - pull request (pull-request.ts): plan the head (after a trust check) -> one comment per stack,
//   a check run per stack; /prefect-gitops plan does the same for an untrusted pull request
// - push to the branch (push.ts): plan the merged head again, apply under the state lock, stamp
//   versions, set the commit status, comment on the merged pull request
// - schedule (schedule.ts): drift audit per stack -> one issue per stack, self-heal when asked
// Each works stack by stack through stack.ts (plan, apply, audit with an engine from the factory).
import type { GitopsEvent, ReconcileDeps, ReconcileResult } from "./model.js";
import { onPullRequest } from "./pull-request.js";
import { onPush } from "./push.js";
import { onSchedule } from "./schedule.js";

/** Reconcile one event. Failures of single stacks come back as outcomes; only a failed checkout or GitHub call before any stack throws. */
export async function reconcile(event: GitopsEvent, deps: ReconcileDeps): Promise<ReconcileResult> {
  switch (event.kind) {
    case "pull_request":
    case "command":
      return onPullRequest(event, deps);
    case "push":
      return onPush(event, deps);
    case "schedule":
      return onSchedule(deps);
  }
}
