import { describe, expect, it } from "vitest";
import { newStack, only, resolved, resources, synth, synthError, warnings } from "../../constructs/synth.testing.js";
import { WorkQueue as WorkQueueL1 } from "../../generated/prefect/work-queue/index.js";
import { WorkPool } from "../work-pool/construct.js";
import { WorkQueue } from "./construct.js";

describe("WorkQueue", () => {
  it("synthesizes a prefect_work_queue of a pool given by name, with the official attribute names", () => {
    const stack = newStack();
    new WorkQueue(stack, "gpu", { workPool: "shared-k8s", name: "gpu", priority: 3, concurrencyLimit: 2, description: "GPU nodes", paused: true });
    expect(resources(synth(stack), "prefect_work_queue")).toEqual({
      gpu: { work_pool_name: "shared-k8s", name: "gpu", priority: 3, concurrency_limit: 2, description: "GPU nodes", is_paused: true },
    });
  });

  it("exposes references to its name and id, and its pool's name", () => {
    const stack = newStack();
    const pool = new WorkPool(stack, "pool", { name: "etl" });
    const queue = new WorkQueue(stack, "batch", { workPool: pool, name: "batch" });
    expect(resolved(stack, { pool: queue.workPoolName, name: queue.workQueueName, id: queue.workQueueId })).toEqual({
      pool: "${prefect_work_pool.pool.name}",
      name: "${prefect_work_queue.batch.name}",
      id: "${prefect_work_queue.batch.id}",
    });
    expect(queue.node.defaultChild).toBeInstanceOf(WorkQueueL1);
  });

  it("references a queue managed elsewhere by pool and name, declaring nothing", () => {
    const stack = newStack();
    const queue = WorkQueue.fromWorkQueueName(stack, "Gpu", "shared-k8s", "gpu");
    const fromPool = WorkQueue.fromWorkQueueName(stack, "Cpu", WorkPool.fromWorkPoolName(stack, "Shared", "shared-k8s"), "cpu");
    expect(queue).toMatchObject({ workPoolName: "shared-k8s", workQueueName: "gpu" });
    expect(fromPool).toMatchObject({ workPoolName: "shared-k8s", workQueueName: "cpu" });
    expect(resources(synth(stack), "prefect_work_queue")).toEqual({});
  });

  describe("validation at synth", () => {
    const failure = (props: Partial<ConstructorParameters<typeof WorkQueue>[2]>) => {
      const stack = newStack();
      new WorkQueue(stack, "queue", { workPool: "etl", name: "batch", ...props });
      return synthError(stack);
    };

    it.each([
      ["an empty name", { name: "" }, "[test/queue] name: must not be empty"],
      ["a name with / % & > <", { name: "a&b" }, '[test/queue] name: "a&b" is not a valid work queue name: Prefect refuses the characters / % & > < (found &)'],
      ['the name "."', { name: "." }, '[test/queue] name: "." is not a usable work queue name'],
      ["a pool name with / % & > <", { workPool: "a>b" }, '[test/queue] workPool: "a>b" is not a valid work pool name'],
      ["a priority below 1", { priority: 0 }, "[test/queue] priority: is 0; a priority must be a whole number, 1 or more"],
      ["a fractional priority", { priority: 1.5 }, "[test/queue] priority: is 1.5; a priority must be a whole number, 1 or more"],
      ["a negative concurrency limit", { concurrencyLimit: -1 }, "[test/queue] concurrencyLimit: is -1; a concurrency limit must be a whole number, 0 or more"],
    ])("refuses %s", (_, props, message) => {
      expect(failure(props)).toContain(message);
    });

    it("refuses two queues of a pool with the same priority (Prefect would renumber one forever)", () => {
      const stack = newStack();
      const pool = new WorkPool(stack, "pool", { name: "etl" });
      pool.addQueue("a", { priority: 1 });
      pool.addQueue("b", { priority: 1 });
      pool.addQueue("c", { priority: 2 });
      const message = synthError(stack);
      expect(message).toContain("[test/pool/a] priority: 1 is also the priority of test/pool/b; Prefect keeps priorities unique within a pool");
      expect(message).toContain("[test/pool/b] priority: 1 is also the priority of test/pool/a");
      expect(message).not.toContain("test/pool/c]");
    });

    it("refuses two declarations of one queue of a pool", () => {
      const stack = newStack();
      new WorkQueue(stack, "one", { workPool: "etl", name: "batch" });
      new WorkQueue(stack, "two", { workPool: "etl", name: "batch" });
      new WorkQueue(stack, "other-pool", { workPool: "ml", name: "batch" });
      const message = synthError(stack);
      expect(message).toContain('[test/one] name: the queue "batch" of this pool is also declared by test/two');
      expect(message).not.toContain("test/other-pool]");
    });

    it("reports every problem at once, each with the construct path", () => {
      const message = failure({ name: "a/b", priority: 0, concurrencyLimit: -3 });
      expect(message).toContain("[test/queue] name:");
      expect(message).toContain("[test/queue] priority:");
      expect(message).toContain("[test/queue] concurrencyLimit:");
    });
  });

  it("adopts a pool's default queue through WorkPool.addQueue", () => {
    const stack = newStack();
    new WorkPool(stack, "pool", { name: "etl" }).addQueue("default", { priority: 1 });
    expect(only(synth(stack), "prefect_work_queue")).toMatchObject({ name: "default", priority: 1 });
  });

  it("warns at synth that a pool's default queue, declared, applies with prefect-gitops only, and says what to do instead", () => {
    const stack = newStack();
    new WorkQueue(stack, "fallback", { workPool: "shared-k8s", name: "default", concurrencyLimit: 3 });
    new WorkQueue(stack, "gpu", { workPool: "shared-k8s", name: "gpu" });
    synth(stack);
    const found = warnings(stack);
    expect(found.map((warning) => warning.path)).toEqual(["test/fallback"]);
    expect(found[0]!.message).toMatch(/^prefect_work_queue\.name = "default" applies with prefect-gitops only\. .*409 Conflict.*leave the pool's "default" queue undeclared/);
  });
});
