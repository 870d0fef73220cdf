// What deleting a deployment or a flow does to its flow runs, kept apart from the flow run
// routes so deployments and flows reach runs without importing those routes.
import { flowRuns } from "../collections.js";
import type { Workspace } from "../store.js";

/**
 * A deleted deployment takes its runs that are still scheduled and never ran
 * (prefect/server/models/deployments.py delete_deployment -> _delete_scheduled_runs); its other
 * runs stay, still naming it (flow_run.deployment_id has no foreign key in orm_models.py).
 */
export function dropScheduledRunsOf(ws: Workspace, deploymentId: string): void {
  const runs = flowRuns(ws);
  const doomed = runs.filter(
    (run) => run.deployment_id === deploymentId && run.state_type === "SCHEDULED" && run.state_name !== "AwaitingConcurrencySlot" && (run.run_count ?? 0) === 0,
  );
  for (const run of doomed) runs.delete(run.id);
}

/** A deleted flow takes all its runs (orm_models.py FlowRun.flow_id: `ForeignKey("flow.id", ondelete="cascade")`). */
export function dropRunsOfFlow(ws: Workspace, flowId: string): void {
  const runs = flowRuns(ws);
  for (const run of runs.filter((candidate) => candidate.flow_id === flowId)) runs.delete(run.id);
}
