import { describe, expect, test } from "vitest";
import { KNOWN_AFTER_APPLY, type ResourceChange } from "../plan/model.js";
import { scheduleChangesOf } from "./from-plan.js";

function change(fields: Partial<ResourceChange> & Pick<ResourceChange, "address" | "type" | "action">): ResourceChange {
  return { label: fields.address, changes: [], replacePaths: [], dependencies: [], ...fields };
}

describe("scheduleChangesOf", () => {
  test("takes schedule changes with their deployment's label and drops values the plan does not know", () => {
    const plan = [
      change({ address: "prefect_deployment.nightly", type: "prefect_deployment", action: "no-op", label: 'deployment "etl/nightly"' }),
      change({
        address: "prefect_deployment_schedule.weekdays",
        type: "prefect_deployment_schedule",
        action: "update",
        dependencies: ["prefect_deployment.nightly"],
        before: { deployment_id: "0b7c", cron: "0 6 * * 1-5", day_or: true, timezone: "Europe/Paris", active: true, parameters: {} },
        after: { deployment_id: "0b7c", cron: "0 7 * * 1-5", timezone: KNOWN_AFTER_APPLY, parameters: {} },
      }),
      change({ address: "prefect_deployment_schedule.hourly", type: "prefect_deployment_schedule", action: "no-op" }),
      change({ address: "prefect_work_pool.etl", type: "prefect_work_pool", action: "create" }),
    ];
    expect(scheduleChangesOf(plan)).toEqual([
      {
        address: "prefect_deployment_schedule.weekdays",
        deployment: 'deployment "etl/nightly"',
        action: "update",
        before: { cron: "0 6 * * 1-5", day_or: true, timezone: "Europe/Paris", active: true },
        after: { cron: "0 7 * * 1-5" },
      },
    ]);
  });

  test("names a deployment outside the configuration by its id, and gives a delete no after", () => {
    const plan = [change({ address: "prefect_deployment_schedule.old", type: "prefect_deployment_schedule", action: "delete", before: { deployment_id: "0b7c", interval: 60 }, after: { interval: 60 } })];
    expect(scheduleChangesOf(plan)).toEqual([{ address: "prefect_deployment_schedule.old", deployment: "deployment 0b7c", action: "delete", before: { interval: 60 }, after: undefined }]);
  });
});
