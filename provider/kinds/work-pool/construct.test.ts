import { describe, expect, it } from "vitest";
import { TerraformVariable } from "../../cdk.js";
import { addressOf, newStack, only, resolved, resources, synth, synthError, warnings } from "../../constructs/synth.testing.js";
import { WorkPool as WorkPoolL1 } from "../../generated/prefect/work-pool/index.js";
import { WorkQueue } from "../work-queue/construct.js";
import { WorkPool } from "./construct.js";

const TEMPLATE = {
  job_configuration: { image: "{{ image }}", command: "{{ command }}" },
  variables: { type: "object", properties: { image: { type: "string" }, command: { type: "string" } } },
};

describe("WorkPool", () => {
  it("synthesizes a prefect_work_pool with the official attribute names, at the construct's own address", () => {
    const stack = newStack();
    new WorkPool(stack, "k8s", { name: "k8s", type: "kubernetes", description: "Kubernetes jobs", concurrencyLimit: 20, paused: true, baseJobTemplate: TEMPLATE });
    const json = synth(stack);
    expect(resources(json, "prefect_work_pool")).toEqual({
      k8s: {
        name: "k8s",
        type: "kubernetes",
        description: "Kubernetes jobs",
        concurrency_limit: 20,
        paused: true,
        base_job_template: JSON.stringify(TEMPLATE),
      },
    });
  });

  it("leaves undeclared attributes out, so the kind's defaults (type prefect-agent) and the pool's own template stand", () => {
    const stack = newStack();
    const pool = new WorkPool(stack, "pool", { name: "etl" });
    expect(only(synth(stack), "prefect_work_pool")).toEqual({ name: "etl" });
    expect(pool.type).toBe("prefect-agent");
  });

  it("exposes references to its name and id, and the generated resource as node.defaultChild", () => {
    const stack = newStack();
    const pool = new WorkPool(stack, "pool", { name: "etl" });
    expect(resolved(stack, { name: pool.workPoolName, id: pool.workPoolId, defaultQueue: pool.defaultQueueId })).toEqual({
      name: "${prefect_work_pool.pool.name}",
      id: "${prefect_work_pool.pool.id}",
      defaultQueue: "${prefect_work_pool.pool.default_queue_id}",
    });
    expect(pool.node.defaultChild).toBeInstanceOf(WorkPoolL1);
  });

  it("writes a base job template holding references with jsonencode", () => {
    const stack = newStack();
    const image = new TerraformVariable(stack, "image", { type: "string" });
    new WorkPool(stack, "pool", {
      name: "docker",
      type: "docker",
      baseJobTemplate: { job_configuration: { image: "{{ image }}" }, variables: { type: "object", properties: { image: { type: "string", default: image.stringValue } } } },
    });
    expect(only(synth(stack), "prefect_work_pool").base_job_template).toBe(
      '${jsonencode({"job_configuration" = {"image" = "{{ image }}"}, "variables" = {"type" = "object", "properties" = {"image" = {"type" = "string", "default" = var.image}}}})}',
    );
  });

  it("adds queues that refer to the pool, so the pool comes first", () => {
    const stack = newStack();
    const pool = new WorkPool(stack, "pool", { name: "etl" });
    const urgent = pool.addQueue("urgent", { priority: 1, concurrencyLimit: 5, description: "pages", paused: false });
    const json = synth(stack);
    expect(resources(json, "prefect_work_queue")[addressOf(urgent)]).toEqual({
      work_pool_name: "${prefect_work_pool.pool.name}",
      name: "urgent",
      priority: 1,
      concurrency_limit: 5,
      description: "pages",
      is_paused: false,
    });
    expect(pool.queues).toEqual([urgent]);
    expect(urgent.workPoolName).toBe(pool.workPoolName);
  });

  it('adopts the pool\'s default queue with addQueue("default"), warning at synth that only prefect-gitops applies that', () => {
    const stack = newStack();
    const pool = new WorkPool(stack, "pool", { name: "etl" });
    pool.addQueue("default", { concurrencyLimit: 10 });
    expect(only(synth(stack), "prefect_work_queue")).toEqual({ work_pool_name: "${prefect_work_pool.pool.name}", name: "default", concurrency_limit: 10 });
    expect(warnings(stack)).toEqual([{ path: "test/pool/default", message: expect.stringContaining('prefect_work_queue.name = "default" applies with prefect-gitops only.') }]);
  });

  it("references a pool managed elsewhere by name, declaring nothing", () => {
    const stack = newStack();
    const shared = WorkPool.fromWorkPoolName(stack, "Shared", "shared-k8s");
    new WorkQueue(stack, "gpu", { workPool: shared, name: "gpu" });
    const json = synth(stack);
    expect(resources(json, "prefect_work_pool")).toEqual({});
    expect(only(json, "prefect_work_queue").work_pool_name).toBe("shared-k8s");
    expect(shared.workPoolId).toBeUndefined();
  });

  it("references a pool managed elsewhere by name and id", () => {
    const stack = newStack();
    const shared = WorkPool.fromWorkPoolAttributes(stack, "Shared", { workPoolName: "shared", workPoolId: "0b7d8c1e-2f3a-4b5c-8d6e-7f8091a2b3c4" });
    expect(shared).toMatchObject({ workPoolName: "shared", workPoolId: "0b7d8c1e-2f3a-4b5c-8d6e-7f8091a2b3c4" });
  });

  describe("validation at synth", () => {
    const failure = (props: ConstructorParameters<typeof WorkPool>[2]) => {
      const stack = newStack();
      new WorkPool(stack, "pool", props);
      return synthError(stack);
    };

    it.each([
      ["an empty name", { name: "" }, "[test/pool] name: must not be empty"],
      ["a name with / % & > <", { name: "etl/nightly" }, '[test/pool] name: "etl/nightly" is not a valid work pool name: Prefect refuses the characters / % & > < (found /); e.g. "etl-nightly"'],
      ["a name made of spaces and quotes", { name: "' '" }, "Prefect refuses names made only of spaces and quotes"],
      ["a name Prefect reserves", { name: "Prefect-pool" }, '[test/pool] name: "Prefect-pool" starts with "prefect", which Prefect reserves for its own work pools'],
      ["a negative concurrency limit", { name: "etl", concurrencyLimit: -1 }, "[test/pool] concurrencyLimit: is -1; a concurrency limit must be a whole number of flow runs, 0 or more"],
      ["a fractional concurrency limit", { name: "etl", concurrencyLimit: 1.5 }, "[test/pool] concurrencyLimit: is 1.5"],
      ["a template without variables", { name: "etl", baseJobTemplate: { job_configuration: { image: "x" } } }, '[test/pool] baseJobTemplate: has the keys "job_configuration"; Prefect needs both'],
      [
        "a template with an undeclared placeholder",
        { name: "etl", baseJobTemplate: { job_configuration: { image: "{{ image }}" }, variables: { type: "object", properties: {} } } },
        "[test/pool] baseJobTemplate: uses {{ image }} in job_configuration without declaring it under variables.properties",
      ],
    ])("refuses %s", (_, props, message) => {
      expect(failure(props)).toContain(message);
    });

    it("reports every problem at once, each with the construct path", () => {
      const message = failure({ name: "prefect/x", concurrencyLimit: -2, baseJobTemplate: { variables: {} } });
      expect(message).toContain("[test/pool] name:");
      expect(message).toContain("[test/pool] concurrencyLimit:");
      expect(message).toContain("[test/pool] baseJobTemplate:");
    });

    it("checks values known at synth only: references stand in for values known later", () => {
      const stack = newStack();
      const name = new TerraformVariable(stack, "pool_name", { type: "string" });
      const limit = new TerraformVariable(stack, "limit", { type: "number" });
      new WorkPool(stack, "pool", { name: name.stringValue, concurrencyLimit: limit.numberValue });
      expect(only(synth(stack), "prefect_work_pool")).toEqual({ name: "${var.pool_name}", concurrency_limit: "${var.limit}" });
    });
  });
});
