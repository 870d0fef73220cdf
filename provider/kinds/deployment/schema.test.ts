import { describe, expect, test } from "vitest";
import { recordingsPresent } from "../../../test/conformance/recordings.js";
import { declare, expectNoChanges } from "../../../test/support/kind-lifecycle.js";
import { diffSpec } from "../compare.js";
import { deploymentKind, type Deployment } from "./api.js";
import { deploymentSchema, sameParameterSchema } from "./schema.js";
import { recordedAnswer } from "../../../test/support/recordings.js";

const EMPTY = { type: "object", properties: {} };
const WITH_X = { type: "object", properties: { x: { type: "integer" } } };

describe("parameter_openapi_schema", () => {
  test.each([
    [{}, EMPTY, true],
    [EMPTY, {}, true],
    [undefined, EMPTY, true],
    [null, EMPTY, true],
    [{}, {}, true],
    [WITH_X, WITH_X, true],
    [{}, WITH_X, false],
    [WITH_X, EMPTY, false],
    [{ type: "object" }, EMPTY, false],
  ])("%j and the server's %j are the same schema: %s", (declared, live, same) => {
    expect(sameParameterSchema(declared, live)).toBe(same);
  });

  test("a declaration of {} shows no change against the server's normalized empty schema (the perpetual diff a real server caused)", () => {
    const declared = { name: "d", flow_id: "3c1e1d6e-0000-4000-8000-000000000001", parameter_openapi_schema: {} };
    const live = { ...declared, parameter_openapi_schema: EMPTY };
    const changes = diffSpec(deploymentSchema, declared, live).filter((change) => change.path[0] === "parameter_openapi_schema");
    expect(changes).toEqual([]);
  });
});

describe.skipIf(!recordingsPresent())("prefect_deployment against a real 3.8 server's answers (scenarios.jsonl)", () => {
  const flow_id = "9d588979-c0ea-44d8-a69d-9eb9a6de12f8";

  test.each<[string, Record<string, unknown>]>([
    ["dep read d1", { name: "pub-d1", flow_id, work_pool_name: "pub-pool", parameter_openapi_schema: {} }],
    ["dep read d2", { name: "pub-d2", flow_id }],
    ["dep read d2 after patch", { name: "pub-d2", flow_id, parameter_openapi_schema: {} }],
    ["dep read d3", { name: "pub-d3", flow_id }],
    [
      "dep read d4",
      {
        name: "pub-d4",
        flow_id,
        work_pool_name: "pub-pool",
        work_queue_name: "q2",
        parameters: { a: 1, b: [1, 2] },
        job_variables: { env: { X: "1" } },
        tags: ["t2", "t1"],
        parameter_openapi_schema: { type: "object", properties: { a: { type: "integer" }, b: { type: "array" } } },
        concurrency_limit: 2,
        description: "full",
        version: "1",
        pull_steps: [{ type: "set_working_directory", directory: "/opt" }],
      },
    ],
  ])("reads the answer of %s as the declaration that made it", (label, raw) => {
    expectNoChanges(deploymentKind, declare(deploymentKind, raw), recordedAnswer(label));
  });

  test("reads the limit Prefect made for concurrency_limit (deployment:<id>, the answer's own field null) as that limit, and its deletion as none", () => {
    expect(deploymentKind.toSpec(recordedAnswer<Deployment>("dep read d4")).concurrency_limit).toBe(2);
    const afterPatches = recordedAnswer<Deployment>("dep read d4 after patches");
    expect(deploymentKind.toSpec(afterPatches).concurrency_limit).toBeUndefined();
    // A PATCH of {} left the job variables in place: emptying them is a replacement.
    expect(deploymentKind.replacementReasons?.(declare(deploymentKind, { name: "pub-d4", flow_id }), deploymentKind.toSpec(afterPatches))).toHaveLength(1);
  });
});
