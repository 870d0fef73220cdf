import { describe, expect, it } from "vitest";
import { recordingsPresent } from "../../../test/conformance/recordings.js";
import { declare, expectNoChanges, runLifecycle } from "../../../test/support/kind-lifecycle.js";
import { useApiTarget } from "../../../test/support/target.js";
import { parseSpec } from "../kind.js";
import { variableKind } from "./api.js";
import { recordedAnswer } from "../../../test/support/recordings.js";

describe("prefect_variable", () => {
  const target = useApiTarget();

  it("passes the lifecycle: create, read, no changes, update, delete", async () => {
    const name = target.name("lifecycle");
    await runLifecycle(variableKind, {
      ctx: target.context(),
      create: { name, value: "hello", tags: ["b", "a"] },
      update: { name, value: { nested: [1, 2.5, true, null] }, tags: [] },
    });
  });

  it.each([
    ["a string", "text with ünïcode"],
    ["an integer", 42],
    ["zero", 0],
    ["a float", 1.5],
    ["true", true],
    ["false", false],
    ["a list", [1, "two", { three: 3 }]],
    ["an object", { a: { b: [true, null] }, n: -7.25 }],
  ])("round-trips %s exactly", async (_label, value) => {
    const ctx = target.context();
    const spec = declare(variableKind, { name: target.name(`value-${typeof value}-${JSON.stringify(value).length}`), value });
    const created = await variableKind.create(ctx, spec);
    try {
      const read = await variableKind.read(ctx, created.id);
      expect(read?.value).toEqual(value);
      expectNoChanges(variableKind, spec, read!);
    } finally {
      await variableKind.delete(ctx, created.id);
    }
  });

  it("compares tags as a set", async () => {
    const ctx = target.context();
    const spec = declare(variableKind, { name: target.name("tags"), value: 1, tags: ["x", "y"] });
    const created = await variableKind.create(ctx, spec);
    try {
      expectNoChanges(variableKind, declare(variableKind, { name: spec.name, value: 1, tags: ["y", "x", "x"] }), created);
    } finally {
      await variableKind.delete(ctx, created.id);
    }
  });

  it("does not create a second variable when a create is repeated", async () => {
    const ctx = target.context();
    const spec = declare(variableKind, { name: target.name("twice"), value: "v" });
    const first = await variableKind.create(ctx, spec);
    const second = await variableKind.create(ctx, spec);
    expect(second.id).toBe(first.id);
    await variableKind.delete(ctx, first.id);
  });

  it.each([
    [{ name: "Bad Name", value: 1 }, "name", /not a valid variable name: use only lowercase letters, digits, dashes and underscores/],
    [{ name: "ok" }, "value", /is required/],
    [{ name: "ok", value: 1, tags: "a" }, "tags", /must be a list, got string "a"/],
    [{ name: "ok", value: 1, id: "x" }, "id", /is set by Prefect and cannot be declared/],
    [{ name: "ok", value: 1, valeu: 2 }, "valeu", /not an attribute of this resource \(did you mean "value"\?\)/],
  ])("refuses %j at declaration time naming %s", (raw, attribute, message) => {
    const result = parseSpec(variableKind, raw);
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    expect(issues.map((issue) => issue.path.join("."))).toContain(attribute);
    expect(issues.map((issue) => issue.message).join("\n")).toMatch(message);
  });
});

describe.skipIf(!recordingsPresent())("prefect_variable against a real 3.8 server's answers (scenarios.jsonl)", () => {
  type Live = Parameters<typeof variableKind.toSpec>[0];

  it.each([
    ["variable str", "pub_v0", "text"],
    ["variable int", "pub_v1", 3],
    ["variable float", "pub_v2", 2.5],
    ["variable bool", "pub_v3", true],
    ["variable list", "pub_v5", [1, "a"]],
    ["variable dict", "pub_v6", { k: { n: [1] } }],
  ])("reads the answer to %s as the declaration that made it", (label, name, value) => {
    expectNoChanges(variableKind, declare(variableKind, { name, value, tags: ["x"] }), recordedAnswer<Live>(label));
  });
});
