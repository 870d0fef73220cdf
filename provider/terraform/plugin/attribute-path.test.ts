import { expect, test } from "vitest";
import { attributePathSteps } from "./attribute-path.js";
import type { CtyType } from "./codec/cty-type.js";

const type: CtyType = {
  object: { name: "string", steps: { list: { object: { token: "string" } } }, tags: { set: "string" }, labels: { map: "string" }, pair: { tuple: ["string", "number"] }, job: "dynamic" },
};

test.each<[string, (string | number)[], object[]]>([
  ["an attribute", ["name"], [{ attribute_name: "name" }]],
  ["an attribute of a list element", ["steps", 2, "token"], [{ attribute_name: "steps" }, { element_key_int: 2 }, { attribute_name: "token" }]],
  ["a map element", ["labels", "env"], [{ attribute_name: "labels" }, { element_key_string: "env" }]],
  ["a tuple element", ["pair", 1], [{ attribute_name: "pair" }, { element_key_int: 1 }]],
  ["a set element: stops at the set", ["tags", 0], [{ attribute_name: "tags" }]],
  ["inside a dynamic value: stops at it", ["job", "image"], [{ attribute_name: "job" }]],
  ["an attribute the schema lacks: nothing", ["nope"], []],
])("a path to %s", (_what, path, steps) => {
  expect(attributePathSteps(path, type)).toEqual(steps);
});
