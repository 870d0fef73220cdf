// A live deployment written as a declaration (import --all): its pool and queue referred to by
// their natural keys, its own concurrency limit as `concurrency_limit` (not the linked limit's
// id), and pull step access tokens as sensitive variables.
import type { DeclarationWriter } from "../declaration.js";
import type { DeploymentSpec } from "./schema.js";

export function writeDeploymentDeclaration(declared: Record<string, unknown>, spec: DeploymentSpec, writer: DeclarationWriter): void {
  const pool = spec.work_pool_name;
  if (typeof pool === "string") {
    declared.work_pool_name = writer.refByIdentity("prefect_work_pool", pool, "name", pool);
    // A queue's natural key is `<pool>/<queue>` (prefect_work_queue's identity).
    if (typeof spec.work_queue_name === "string") declared.work_queue_name = writer.refByIdentity("prefect_work_queue", `${pool}/${spec.work_queue_name}`, "name", spec.work_queue_name);
  }
  // The deployment's own limit is its concurrency_limit; only a shared one is linked by id.
  if (spec.concurrency_limit !== undefined) delete declared.global_concurrency_limit_id;
  if (Array.isArray(declared.pull_steps)) {
    declared.pull_steps = declared.pull_steps.map((step: Record<string, unknown>, index) =>
      typeof step.access_token === "string" ? { ...step, access_token: writer.secret(["pull_steps", index, "access_token"], step.access_token) } : step,
    );
  }
}

/** The resource name import gives a deployment: its flow's name, then its own. */
export function deploymentImportName(spec: DeploymentSpec, nameOf: (type: string, id: string) => string | undefined): string {
  return `${nameOf("prefect_flow", spec.flow_id) ?? ""}_${spec.name}`;
}
