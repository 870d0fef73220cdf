// The pull-request comment's schedule previews: the next runs of each schedule a plan changes,
// before and after, computed as Prefect computes them (reconciler/schedules/).
import type { Plan } from "../plan/model.js";
import { renderSchedulePreviews, scheduleChangesOf, schedulePreviews } from "../schedules/index.js";
import type { SchedulePreviewRenderer } from "./comment.js";

/** A renderer for `ReconcileDeps.schedulePreviews`, with "now" taken when the comment is made. */
export function planSchedulePreviews(now: () => Date = () => new Date()): SchedulePreviewRenderer {
  return (plan: Plan) => {
    const changes = scheduleChangesOf(plan.changes);
    return changes.length ? renderSchedulePreviews(schedulePreviews(changes, { now: now() })) : undefined;
  };
}
