// Table-driven tests of the value codec, byte for byte against what cty's msgpack package writes
// (go-cty cty/msgpack: marshal.go, unknown.go, dynamic.go).
import { ExtData, encode } from "@msgpack/msgpack";
import { describe, expect, test } from "vitest";
import { UNKNOWN, type TfValue } from "../contract.js";
import { CodecError, type CtyType } from "./cty-type.js";
import { decodeDynamicValue, encodeDynamicValue } from "./dynamic-value.js";
import { attributeType, blockType } from "./schema-type.js";

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");
const bytes = (h: string): Uint8Array => new Uint8Array(Buffer.from(h.replace(/\s+/g, ""), "hex"));
const str = (s: string): string => Buffer.from(s).toString("hex");
/** msgpack bin 8 of a type expression, as cty writes a dynamic value's type. */
const bin = (s: string): string => `c4${Buffer.byteLength(s).toString(16).padStart(2, "0")}${str(s)}`;

/** [what, type, value, the msgpack cty writes for it] */
const CASES: [string, CtyType, TfValue, string][] = [
  ["a string", "string", "hi", "a2 6869"],
  ["an empty string", "string", "", "a0"],
  ["a small integer", "number", 1, "01"],
  ["a negative integer", "number", -5, "fb"],
  ["a large integer", "number", 2 ** 40, "cf 0000010000000000"],
  ["a fraction", "number", 1.5, "cb 3ff8000000000000"],
  ["true", "bool", true, "c3"],
  ["false", "bool", false, "c2"],
  ["null string", "string", null, "c0"],
  ["unknown string", "string", UNKNOWN, "d4 00 00"],
  ["a list", { list: "string" }, ["a", "b"], "92 a161 a162"],
  ["an empty list", { list: "string" }, [], "90"],
  ["a set", { set: "number" }, [1, 2], "92 01 02"],
  ["a map", { map: "bool" }, { k: true }, "81 a16b c3"],
  ["a tuple", { tuple: ["string", "number"] }, ["a", 1], "92 a161 01"],
  ["an object with a null attribute", { object: { a: "string", b: "number" } }, { a: "x", b: null }, "82 a161 a178 a162 c0"],
  ["an unknown nested in an object", { object: { id: "string" } }, { id: UNKNOWN }, "81 a26964 d40000"],
  ["an unknown list element", { list: "string" }, ["a", UNKNOWN], "92 a161 d40000"],
  ["an unknown whole list", { list: "string" }, UNKNOWN, "d40000"],
  ["a dynamic string", "dynamic", "hi", `92 ${bin('"string"')} a2 6869`],
  ["a dynamic object", "dynamic", { a: 1 }, `92 ${bin('["object",{"a":"number"}]')} 81 a161 01`],
  ["a dynamic array (a tuple)", "dynamic", ["x", true], `92 ${bin('["tuple",["string","bool"]]')} 92 a178 c3`],
  ["a null dynamic", "dynamic", null, "c0"],
  ["an unknown dynamic", "dynamic", UNKNOWN, "d40000"],
];

describe("the value codec", () => {
  test.each(CASES)("encodes %s as cty does", (_what, type, value, expected) => {
    expect(hex(encodeDynamicValue(value, type).msgpack)).toBe(expected.replace(/\s+/g, ""));
  });

  test.each(CASES)("decodes %s", (_what, type, value, wire) => {
    expect(decodeDynamicValue({ msgpack: bytes(wire) }, type)).toEqual(value);
  });

  test("reads any extension value as unknown: type 12 carries refinements", () => {
    const refined = encode(new ExtData(12, new Uint8Array([0x81, 0x01, 0xc3])));
    expect(decodeDynamicValue({ msgpack: refined }, "string")).toBe(UNKNOWN);
    expect(decodeDynamicValue({ msgpack: encode({ a: new ExtData(12, new Uint8Array([1])) }) }, { object: { a: { list: "string" } } })).toEqual({ a: UNKNOWN });
  });

  test.each([
    ["a decimal string beyond float64's integers", hex(encode("123456789012345678901234567890")), 1.2345678901234568e29],
    ["the largest int64 (nearest float64)", "d3 7fffffffffffffff", 2 ** 63],
    ["the largest uint64 (nearest float64)", "cf ffffffffffffffff", 2 ** 64],
    ["a negative decimal string", hex(encode("-1.25")), -1.25],
  ])("decodes big numbers: %s", (_what, wire, value) => {
    expect(decodeDynamicValue({ msgpack: bytes(wire) }, "number")).toBe(value);
  });

  test("encodes an integer beyond 2^53 as a float64", () => {
    expect(hex(encodeDynamicValue(1e20, "number").msgpack)).toBe("cb" + "4415af1d78b58c40");
  });

  test("gives a dynamic list or map back with the type it came with, and infers one for new values", () => {
    const fromTerraform = encodeDynamicValue({ v: ["a", "b"] } as TfValue, { object: { v: "dynamic" } });
    // As a list(string) variable arrives: ["list","string"], not the tuple a literal would be.
    const listOfStrings = encode({ v: [new TextEncoder().encode('["list","string"]'), ["a", "b"]] });
    const decoded = decodeDynamicValue({ msgpack: listOfStrings }, { object: { v: "dynamic" } }) as { v: TfValue };
    expect(hex(encodeDynamicValue({ v: decoded.v }, { object: { v: "dynamic" } }).msgpack)).toBe(hex(listOfStrings));
    expect(hex(fromTerraform.msgpack)).toContain(str('["tuple",["string","string"]]'));
  });

  test("reads a dynamic value whose type is a str rather than bin", () => {
    const wire = encode(['["list","string"]', ["a"]]);
    expect(decodeDynamicValue({ msgpack: wire }, "dynamic")).toEqual(["a"]);
  });

  test("gives every attribute of the type, null when the wire leaves it out", () => {
    expect(decodeDynamicValue({ msgpack: encode({ a: "x" }) }, { object: { a: "string", b: { set: "string" } } })).toEqual({ a: "x", b: null });
    expect(hex(encodeDynamicValue({ a: "x" }, { object: { a: "string", b: "bool" } }).msgpack)).toBe("82a161a178a162c0");
  });

  test("an absent or empty DynamicValue is null", () => {
    expect(decodeDynamicValue(undefined, "string")).toBeNull();
    expect(decodeDynamicValue({ msgpack: new Uint8Array(), json: new Uint8Array() }, { object: {} })).toBeNull();
  });

  test("reads JSON when there is no msgpack, dynamic values as {value, type}", () => {
    const json = new TextEncoder().encode(JSON.stringify({ n: 2, d: { value: { k: "v" }, type: ["map", "string"] }, s: ["a"] }));
    const type: CtyType = { object: { n: "number", d: "dynamic", s: { set: "string" }, missing: "bool" } };
    expect(decodeDynamicValue({ json }, type)).toEqual({ n: 2, d: { k: "v" }, s: ["a"], missing: null });
  });

  test.each<[string, CtyType, TfValue | Uint8Array, string]>([
    ["a number for a string", { object: { name: "string" } }, { name: 5 }, "expected a string, got a number (at name)"],
    ["an attribute the schema lacks", { object: { a: "string" } }, { a: "x", secret: "s3cr3t" }, 'attribute "secret" is not in the schema'],
    ["a string in a list of numbers", { object: { l: { list: "number" } } }, { l: [1, "2"] }, "expected a number, got a string (at l[1])"],
  ])("refuses to encode %s, naming the path and never the value", (_what, type, value, message) => {
    let error: unknown;
    try {
      encodeDynamicValue(value as TfValue, type);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CodecError);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toContain("s3cr3t");
  });

  test.each<[string, CtyType, unknown, string]>([
    ["a string where a bool belongs", { object: { b: "bool" } }, { b: "secret-ish" }, "expected a bool, got a string (at b)"],
    ["an attribute the schema lacks", { object: {} }, { extra: 1 }, 'unexpected attribute "extra"'],
    ["a tuple of the wrong length", { tuple: ["string"] }, ["a", "b"], "expected an array of 1"],
    ["a non-numeric string for a number", "number", "twelve", "expected a number, got a string"],
    ["a dynamic value that is not a pair", "dynamic", ["a"], "[type, value] pair"],
  ])("refuses to decode %s", (_what, type, raw, message) => {
    expect(() => decodeDynamicValue({ msgpack: encode(raw) }, type)).toThrow(message);
    expect(() => decodeDynamicValue({ msgpack: encode(raw) }, type)).not.toThrow("secret-ish");
  });
});

describe("types implied by a schema", () => {
  const nested = (nesting_mode: "single" | "list" | "set") => ({ nested_type: { nesting_mode, attributes: { k: { type: "string" as const, optional: true }, n: { type: ["list", "number"] as const, computed: true } } } });
  const element: CtyType = { object: { k: "string", n: { list: "number" } } };

  test.each([
    ["single", element],
    ["list", { list: element }],
    ["set", { set: element }],
  ] as const)("a nested attribute nested %s", (mode, type) => {
    expect(attributeType(nested(mode) as never)).toEqual(type);
  });

  test("a block is an object of every attribute; values round-trip through it with unknowns and sets", () => {
    const type = blockType({ attributes: { id: { type: "string", computed: true }, tags: { type: ["set", "string"], optional: true }, steps: nested("list") as never, job: { type: "dynamic", optional: true } } });
    expect(type).toEqual({ object: { id: "string", tags: { set: "string" }, steps: { list: element }, job: "dynamic" } });
    const value: TfValue = { id: UNKNOWN, tags: ["b", "a"], steps: [{ k: "x", n: UNKNOWN }, { k: null, n: [1, 2.5] }], job: { image: "py", env: { A: "1" } } };
    expect(decodeDynamicValue(encodeDynamicValue(value, type), type)).toEqual(value);
  });
});
