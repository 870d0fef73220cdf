import { describe, expect, it } from "vitest";
import { WorkQueue as WorkQueueL1 } from "../generated/prefect/work-queue/index.js";
import { Deployment } from "../kinds/deployment/construct.js";
import { Schedule } from "../kinds/deployment-schedule/construct.js";
import { WorkPool } from "../kinds/work-pool/construct.js";
import { WorkQueue } from "../kinds/work-queue/construct.js";
import { newStack, synth, warnings } from "./synth.testing.js";

describe("the check for the official provider at synth", () => {
  it("warns on a pool's default queue declared with addQueue, naming the construct and what to declare instead", () => {
    const stack = newStack("stack");
    const pool = new WorkPool(stack, "pool", { name: "etl" });
    pool.addQueue("default", { priority: 1 });
    synth(stack);
    expect(warnings(stack)).toEqual([{ path: "stack/pool/default", message: expect.stringMatching(/^prefect_work_queue\.name = "default" applies with prefect-gitops only\./) }]);
    const message = warnings(stack)[0]!.message;
    expect(message).toContain("409 Conflict");
    expect(message).toContain("leave the pool's \"default\" queue undeclared");
  });

  it("warns on a cron schedule with dayOr false, on the schedule's construct", () => {
    const stack = newStack("stack");
    const deployment = new Deployment(stack, "monthly", { name: "monthly", flowName: "etl" });
    deployment.addSchedule(Schedule.cron("0 6 1-7 * 1", { dayOr: false }), { slug: "first-monday" });
    synth(stack);
    const found = warnings(stack);
    expect(found).toHaveLength(1);
    expect(found[0]!.path).toMatch(/^stack\/monthly\//);
    expect(found[0]!.message).toContain("prefect_deployment_schedule.day_or = false applies with prefect-gitops only.");
    expect(found[0]!.message).toContain("rrule");
  });

  it("reads what is synthesized: an L1 queue, and an escape-hatch override, are checked too", () => {
    const stack = newStack("stack");
    new WorkQueueL1(stack, "raw", { workPoolName: "etl", name: "default" });
    const queue = new WorkQueue(stack, "renamed", { workPool: "etl", name: "batch" });
    (queue.node.defaultChild as WorkQueueL1).addOverride("name", "default");
    synth(stack);
    expect(warnings(stack).map((warning) => warning.path).sort()).toEqual(["stack/raw", "stack/renamed"]);
  });

  it("says nothing of what the official provider applies, and warns once however often the stack is synthesized", () => {
    const quiet = newStack("quiet");
    const pool = new WorkPool(quiet, "pool", { name: "etl" });
    pool.addQueue("standard", { priority: 2 });
    new WorkQueue(quiet, "other", { workPool: "elsewhere", name: "defaults" });
    new Deployment(quiet, "nightly", { name: "nightly", flowName: "etl" }).addSchedule(Schedule.cron("0 2 * * *", { dayOr: true }));
    synth(quiet);
    expect(warnings(quiet)).toEqual([]);

    const loud = newStack("loud");
    new WorkQueue(loud, "default", { workPool: "etl", name: "default" });
    synth(loud);
    synth(loud);
    expect(warnings(loud)).toHaveLength(1);
  });
});
