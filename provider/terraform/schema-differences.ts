// Intended differences between our provider schema and the official prefecthq/prefect
// provider's, for the resources we implement. The comparison test fails on any difference not
// listed here, and on any entry here that no longer matches a difference (so the list stays
// true). Each entry says why.
//
// Not schema differences, and so not here: declarations both schemas accept that only
// prefect-gitops can apply, because the official provider's code refuses them at apply time —
// a pool's `default` queue declared as a prefect_work_queue (prefect_work_queue.name = "default")
// and a cron schedule's prefect_deployment_schedule.day_or = false. They are listed, each with the
// official provider's code path, in official-refusals.ts (re-exported below); the constructs
// warn of them at synth, and no example declares one.
export { OFFICIAL_REFUSALS, type OfficialRefusal } from "./official-refusals.js";

export interface SchemaDifference {
  /** `prefect_automation` or `prefect_automation.trigger.event.within`. */
  path: string;
  /** What differs: "missing" (official has it, we do not), "extra", "type", "flags", "version". */
  kind: "missing" | "extra" | "type" | "flags" | "version";
  reason: string;
}

export const SCHEMA_DIFFERENCES: readonly SchemaDifference[] = [
  {
    path: "prefect_deployment.pull_steps.access_token",
    kind: "flags",
    reason: "Marked sensitive: a git access token must never appear in a plan, a log or a state file; the official provider shows it in clear.",
  },
];
