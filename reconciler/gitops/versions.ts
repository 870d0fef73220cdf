// A merge records its commit in each deployment it changes: the deployment's `version` becomes
// the commit SHA, unless the configuration declares a version (declared versions win). Only
// changed deployments are stamped, so a merge that leaves a deployment alone leaves its version
// alone too; an undeclared version is ignored by later plans, so the stamp causes no diff.
import type { ResolvedConfig } from "../config/resolve.js";
import type { Plan } from "../plan/model.js";

const DEPLOYMENT = "prefect_deployment";

/** Deployments the plan creates, updates or replaces. */
export function changedDeployments(plan: Plan): Set<string> {
  return new Set(plan.changes.filter((change) => change.type === DEPLOYMENT && ["create", "update", "replace"].includes(change.action)).map((change) => change.address));
}

/**
 * Set `version = sha` on the declared deployments in `addresses` that declare no version, in the
 * loaded configuration (plan it again afterwards). Answers the addresses stamped.
 */
export function stampVersions(config: ResolvedConfig, addresses: ReadonlySet<string>, sha: string): string[] {
  const stamped: string[] = [];
  for (const instance of config.instances) {
    if (instance.type !== DEPLOYMENT || !addresses.has(instance.address)) continue;
    const declared = instance.block.attributes.version;
    if (declared !== undefined && declared !== null) continue;
    instance.block.attributes.version = sha;
    stamped.push(instance.address);
  }
  return stamped;
}
