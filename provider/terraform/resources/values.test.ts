import { describe, expect, it } from "vitest";
import { blockSchema } from "../../kinds/block/schema.js";
import type { KindSchema, Spec } from "../../kinds/kind.js";
import { variableSchema } from "../../kinds/variable/schema.js";
import { workPoolSchema } from "../../kinds/work-pool/schema.js";
import { UNKNOWN, type TfObject, type TfValue } from "../plugin/contract.js";
import { canonicalJson } from "../../kinds/compare.js";
import { emptyState, isImportStub, stateOf } from "./values.js";

const ID = "0b5f1a52-6a43-4c55-9f0b-3b0a1f0c9d11";

describe("stateOf", () => {
  it.each<[string, KindSchema, Spec, Record<string, TfValue>, string, TfValue]>([
    ["JSON text as written when it means the live document", blockSchema, { id: ID, name: "b", type_slug: "secret", data: { value: "x", n: 1 } }, { data: '{ "n": 1, "value": "x" }' }, "data", '{ "n": 1, "value": "x" }'],
    ["the live document when it differs", blockSchema, { id: ID, name: "b", type_slug: "secret", data: { value: "y" } }, { data: '{"value":"x"}' }, "data", '{"value":"y"}'],
    ["a set in the order written", variableSchema, { id: ID, name: "v", value: 1, tags: ["a", "b"] }, { tags: ["b", "a"] }, "tags", ["b", "a"]],
    ["the live set when it differs", variableSchema, { id: ID, name: "v", value: 1, tags: ["a"] }, { tags: ["b", "a"] }, "tags", ["a"]],
    ["an undeclared template as null", workPoolSchema, { id: ID, name: "p", type: "process", base_job_template: { job_configuration: {} } }, { name: "p" }, "base_job_template", null],
    ["a computed value the reference does not know", variableSchema, { id: ID, name: "v", value: 1, tags: [], updated: "2026-01-01T00:00:00Z" }, { updated: UNKNOWN }, "updated", "2026-01-01T00:00:00Z"],
    ["a computed value the reference holds as null", variableSchema, { id: ID, name: "v", value: 1, tags: ["t"] }, { tags: null }, "tags", ["t"]],
  ])("keeps %s", (_label, kind, live, reference, attribute, expected) => {
    const state = stateOf(kind, live, emptyState(kind, { id: ID, ...reference }));
    expect(state[attribute]).toEqual(expected);
  });

  it("never stores a write-only value, and keeps the state-only version from the reference", () => {
    const state = stateOf(blockSchema, { id: ID, name: "b", type_slug: "secret", data: { value: "x" } }, emptyState(blockSchema, { data_wo: '{"value":"s"}', data_wo_version: 3 }));
    expect(state.data_wo).toBeNull();
    expect(state.data_wo_version).toBe(3);
  });

  it("fills everything from the live object after an import, in jsonencode's form, leaving a blank template out", () => {
    const state = stateOf(workPoolSchema, { id: ID, name: "p", type: "process", base_job_template: {}, description: "d" }, null);
    expect(state).toMatchObject({ id: ID, name: "p", type: "process", description: "d", base_job_template: null });
    const block = stateOf(blockSchema, { id: ID, name: "b", type_slug: "secret", data: { z: 1, a: { c: 2, b: 1 } } }, null);
    expect(block.data).toBe('{"a":{"b":1,"c":2},"z":1}');
  });
});

describe("isImportStub", () => {
  it.each<[TfObject, boolean]>([
    [emptyState(variableSchema, { id: ID }), true],
    [emptyState(variableSchema, { name: "v" }), true],
    [emptyState(variableSchema, { id: ID, name: "v", value: 1 }), false],
  ])("%j is an import's: %s", (state, expected) => {
    expect(isImportStub(state)).toBe(expected);
  });
});

describe("canonicalJson", () => {
  it.each<[unknown, string]>([
    [{ b: 1, a: [{ d: 1, c: 2 }] }, '{"a":[{"c":2,"d":1}],"b":1}'],
    [[3, "x", null], '[3,"x",null]'],
    ["text", '"text"'],
  ])("writes %j as jsonencode does", (value, text) => {
    expect(canonicalJson(value)).toBe(text);
  });
});
