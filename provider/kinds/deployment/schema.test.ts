import { describe, expect, test } from "vitest";
import { diffSpec } from "../compare.js";
import { deploymentSchema, sameParameterSchema } from "./schema.js";

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
