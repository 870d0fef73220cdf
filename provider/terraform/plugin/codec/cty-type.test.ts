import { describe, expect, test } from "vitest";
import { CodecError, ctyTypeJson, parseCtyType } from "./cty-type.js";

describe("cty type expressions", () => {
  test.each([
    ["string", "string"],
    ["number", "number"],
    ["bool", "bool"],
    ["dynamic", "dynamic"],
    [["list", "string"], { list: "string" }],
    [["set", ["map", "number"]], { set: { map: "number" } }],
    [["tuple", ["string", "bool"]], { tuple: ["string", "bool"] }],
    [["object", { a: "string", b: ["list", "dynamic"] }], { object: { a: "string", b: { list: "dynamic" } } }],
  ])("parses %j and writes it back", (json, type) => {
    expect(parseCtyType(json)).toEqual(type);
    expect(ctyTypeJson(parseCtyType(json))).toEqual(json);
  });

  test("ignores the optional-attributes list of an object type constraint", () => {
    expect(parseCtyType(["object", { a: "string" }, ["a"]])).toEqual({ object: { a: "string" } });
  });

  test.each([["float"], [["list"]], [["object", ["a"]]], [42], [["tuple", "string"]]])("refuses %j", (json) => {
    expect(() => parseCtyType(json)).toThrow(CodecError);
  });
});
