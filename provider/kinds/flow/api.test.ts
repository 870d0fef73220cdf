import { describe, expect, it } from "vitest";
import { declare, expectNoChanges, runLifecycle } from "../../../test/support/kind-lifecycle.js";
import { useApiTarget } from "../../../test/support/target.js";
import { PAGE_SIZE } from "../../client/paginate.js";
import { diffSpec } from "../compare.js";
import { parseSpec } from "../kind.js";
import { createKindContext } from "../runtime.js";
import { flowKind as kind } from "./api.js";

const TYPE = "prefect_flow";

describe(TYPE, () => {
  const target = useApiTarget();

  it("passes the lifecycle: create, read, no changes, update, delete", async () => {
    await runLifecycle(kind, {
      ctx: target.context(),
      create: { name: target.name("flow-lifecycle"), tags: ["b", "a"] },
      update: { name: target.name("flow-lifecycle"), tags: ["c"] },
    });
  });

  it("compares tags as a set: order and duplicates make no change, a different tag does", async () => {
    const ctx = target.context();
    const name = target.name("flow-tags");
    const created = await kind.create(ctx, declare(kind, { name, tags: ["x", "y"] }));
    try {
      const live = (await kind.read(ctx, created.id))!;
      expectNoChanges(kind, declare(kind, { name, tags: ["y", "x", "x"] }), live);
      expect(diffSpec(kind, declare(kind, { name, tags: ["x", "z"] }), kind.toSpec(live)).map((change) => change.path)).toEqual([["tags"]]);
    } finally {
      await kind.delete(ctx, created.id);
    }
  });

  it("defaults tags to an empty set, so tags set outside the declaration show as a change", async () => {
    const ctx = target.context();
    const name = target.name("flow-untagged");
    const created = await kind.create(ctx, declare(kind, { name }));
    try {
      expect(created.tags).toEqual([]);
      await ctx.client.patch(`/flows/${created.id}`, { tags: ["added-by-hand"] });
      const live = (await kind.read(ctx, created.id))!;
      expect(diffSpec(kind, declare(kind, { name }), kind.toSpec(live))).toMatchObject([{ path: ["tags"], before: ["added-by-hand"], after: [] }]);
    } finally {
      await kind.delete(ctx, created.id);
    }
  });

  it("creating a flow that exists returns it (no duplicate) and brings its tags to the declaration", async () => {
    const ctx = target.context();
    const name = target.name("flow-upsert");
    const first = await kind.create(ctx, declare(kind, { name, tags: ["old"] }));
    try {
      const spec = declare(kind, { name, tags: ["new", "newer"] });
      const second = await kind.create(ctx, spec);
      expect(second.id).toBe(first.id);
      expectNoChanges(kind, spec, (await kind.read(ctx, first.id))!);
      expect((await kind.list(ctx)).filter((live) => live.name === name)).toHaveLength(1);
    } finally {
      await kind.delete(ctx, first.id);
    }
  });

  it("finds a flow by a name with spaces, URL characters and non-ASCII letters", async () => {
    const ctx = target.context();
    const name = target.name("ñame with spaces?#+");
    const created = await kind.create(ctx, declare(kind, { name }));
    try {
      expect((await kind.find(ctx, declare(kind, { name })))?.id).toBe(created.id);
      expect(await kind.find(ctx, declare(kind, { name: `${name}-missing` }))).toBeUndefined();
    } finally {
      await kind.delete(ctx, created.id);
    }
  });

  it("lists every flow in pages of 200: one request per full page plus the last", async () => {
    const ctx = target.context();
    const names = Array.from({ length: PAGE_SIZE + 30 }, (_, i) => target.name(`flow-many-${String(i).padStart(3, "0")}`));
    const created = await Promise.all(names.map((name) => kind.create(ctx, declare(kind, { name }))));
    const counting = target.clientWith({});
    try {
      const listed = await kind.list(createKindContext(counting));
      expect(listed.map((live) => live.id)).toEqual(expect.arrayContaining(created.map((live) => live.id)));
      expect(new Set(listed.map((live) => live.id)).size).toBe(listed.length);
      expect(counting.stats()).toMatchObject({ requests: Math.floor(listed.length / PAGE_SIZE) + 1, byRoute: { "POST /flows/filter": Math.floor(listed.length / PAGE_SIZE) + 1 } });
    } finally {
      await Promise.all(created.map((live) => kind.delete(ctx, live.id)));
    }
  });

  it.each([
    [{ name: "etl/nightly" }, "name", /"etl\/nightly" is not a valid flow name: Prefect refuses the characters \/ % & > < \(found \/\); e.g. "etl-nightly"/],
    [{ name: "a<b>&c" }, "name", /found < > &/],
    [{ name: "" }, "name", /must not be empty/],
    [{}, "name", /is required/],
    [{ name: "ok", tags: "a" }, "tags", /must be a list, got string "a"/],
    [{ name: "ok", id: "8d3b5e0a-6b8f-4a43-9f57-2d1d2f7b2a11" }, "id", /is set by Prefect and cannot be declared/],
    [{ name: "ok", tag: ["a"] }, "tag", /not an attribute of this resource \(did you mean "tags"\?\)/],
    [{ name: "ok", workspace_id: "not-a-uuid" }, "workspace_id", /must be a UUID/],
  ])("refuses %j at declaration time naming %s", (raw, attribute, message) => {
    const result = parseSpec(kind, raw);
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    expect(issues.map((issue) => issue.path.join("."))).toContain(attribute);
    expect(issues.map((issue) => issue.message).join("\n")).toMatch(message);
  });

  it("replaces the flow when its name changes", () => {
    const live = { id: "5f1c0f58-4c4e-4d7c-b1a8-3f0f3cba1f2e", name: "a", tags: [] };
    expect(diffSpec(kind, declare(kind, { name: "b" }), kind.toSpec(live as never))).toMatchObject([{ path: ["name"], forceNew: true }]);
  });

});
