import { describe, expect, it } from "vitest";
import { attr } from "./attributes.js";
import type { KindSchema } from "./kind.js";
import { inKindOrder } from "./order.js";
import { referencedTypes } from "./references.js";
import { KIND_SCHEMAS } from "./schemas.js";

/** A kind whose only attribute refers to `references` (nested one level down when `nested`). */
function kind(type: string, references: string[] = [], nested = false): KindSchema {
  const refs = Object.fromEntries(references.map((target, i) => [`ref_${i}`, attr.string({ description: "a reference", optional: true, references: `${target}.id` })]));
  const attributes = nested ? { items: attr.objectList(refs, { description: "items", optional: true }) } : refs;
  return { type, title: type, noun: type, description: type, version: 0, attributes, identity: () => undefined, label: () => type };
}

describe("the kind order", () => {
  it.each([
    ["keeps the listed order where references do not decide", [kind("a"), kind("b"), kind("c")], ["a", "b", "c"]],
    ["puts a kind after the kinds it refers to", [kind("child", ["parent"]), kind("parent")], ["parent", "child"]],
    ["follows references inside nested attributes", [kind("automation", ["target"], true), kind("target")], ["target", "automation"]],
    ["moves only what references move", [kind("x"), kind("child", ["parent"]), kind("y"), kind("parent")], ["x", "y", "parent", "child"]],
    ["ignores references to itself and to kinds not listed", [kind("self", ["self", "elsewhere"]), kind("other")], ["self", "other"]],
  ])("%s", (_name, kinds, expected) => {
    expect(inKindOrder(kinds).map((k) => k.type)).toEqual(expected);
  });

  it("refuses kinds that refer to each other in a cycle, naming them", () => {
    expect(() => inKindOrder([kind("a", ["b"]), kind("b", ["a"]), kind("c")])).toThrow(/a, b refer to each other in a cycle/);
  });

  it("is the architecture's order for the kinds we have (work pool -> queue -> flow -> block -> deployment -> schedule -> automation -> webhook)", () => {
    expect(KIND_SCHEMAS.map((k) => k.type)).toEqual([
      "prefect_work_pool",
      "prefect_work_queue",
      "prefect_flow",
      "prefect_block",
      "prefect_variable",
      "prefect_global_concurrency_limit",
      "prefect_deployment",
      "prefect_deployment_schedule",
      "prefect_automation",
      "prefect_webhook",
    ]);
  });

  it.each(KIND_SCHEMAS.map((k) => [k.type, k] as const))("%s comes after every kind it refers to", (_type, schema) => {
    const position = (type: string) => KIND_SCHEMAS.findIndex((k) => k.type === type);
    for (const target of referencedTypes(schema)) expect(position(target)).toBeLessThan(position(schema.type));
  });

  it.each([
    ["prefect_work_queue", ["prefect_work_pool"]],
    ["prefect_deployment", ["prefect_flow", "prefect_work_pool", "prefect_work_queue", "prefect_block", "prefect_global_concurrency_limit"]],
    ["prefect_deployment_schedule", ["prefect_deployment"]],
    ["prefect_automation", ["prefect_deployment", "prefect_work_pool", "prefect_work_queue", "prefect_block"]],
    ["prefect_webhook", []],
  ])("%s refers to %j", (type, expected) => {
    expect(new Set(referencedTypes(KIND_SCHEMAS.find((k) => k.type === type)!))).toEqual(new Set(expected));
  });
});
