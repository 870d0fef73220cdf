// Intended differences between our provider schema and the official prefecthq/prefect
// provider's, for the resources we implement. The comparison test fails on any difference not
// listed here, and on any entry here that no longer matches a difference (so the list stays
// true). Each entry says why.

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
