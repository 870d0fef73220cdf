import { describe, expect, it } from "vitest";
import { recordingsPresent } from "../../../test/conformance/recordings.js";
import { declare, expectNoChanges, runLifecycle } from "../../../test/support/kind-lifecycle.js";
import { useApiTarget } from "../../../test/support/target.js";
import { diffSpec } from "../compare.js";
import { parseSpec } from "../kind.js";
import { createKindContext } from "../runtime.js";
import { WORK_POOL_LIST_MEMO, workPoolKind as kind } from "./api.js";
import { recordedAnswer } from "../../../test/support/recordings.js";

const TYPE = "prefect_work_pool";

/** A process-worker template, as `prefect work-pool create --type process` would fill it. */
const TEMPLATE = {
  job_configuration: { command: "{{ command }}", env: "{{ env }}", working_dir: "{{ working_dir }}" },
  variables: {
    type: "object",
    properties: {
      command: { type: "string", title: "Command" },
      env: { type: "object", title: "Environment Variables", additionalProperties: { type: "string" } },
      working_dir: { type: "string", title: "Working Directory", default: "/opt/flows" },
    },
  },
};

/** The same document as TEMPLATE with every object's keys in reverse order, pretty-printed. */
function reordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reordered);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, item]) => [key, reordered(item)]),
  );
}

describe(TYPE, () => {
  const target = useApiTarget();

  it("passes the lifecycle: create, read, no changes, update, delete", async () => {
    const name = target.name("pool-lifecycle");
    await runLifecycle(kind, {
      ctx: target.context(),
      create: { name, type: "process", description: "first", base_job_template: JSON.stringify(TEMPLATE) },
      update: { name, type: "process", description: "second", paused: true, concurrency_limit: 4, base_job_template: "{}" },
    });
  });

  it("compares base_job_template as a JSON document: key order and whitespace make no change", async () => {
    const ctx = target.context();
    const name = target.name("pool-template");
    const created = await kind.create(ctx, declare(kind, { name, type: "process", base_job_template: JSON.stringify(TEMPLATE) }));
    try {
      const live = (await kind.read(ctx, created.id))!;
      const sameDocument = JSON.stringify(reordered(TEMPLATE), null, 4);
      expect(sameDocument).not.toBe(JSON.stringify(TEMPLATE));
      expectNoChanges(kind, declare(kind, { name, type: "process", base_job_template: sameDocument }), live);
      const changedDefault = structuredClone(TEMPLATE);
      changedDefault.variables.properties.working_dir.default = "/srv";
      expect(diffSpec(kind, declare(kind, { name, type: "process", base_job_template: changedDefault }), kind.toSpec(live)).map((change) => change.path)).toEqual([["base_job_template"]]);
    } finally {
      await kind.delete(ctx, created.id);
    }
  });

  // Prefect writes only the fields a PATCH sends (models/workers.py update_work_pool): an update
  // clears what is no longer declared, and leaves what it was not told changed as it is.
  it.each([
    ["clears a limit and description no longer declared", { paused: true }, undefined, { paused: true, description: undefined, concurrency_limit: undefined }],
    ["writes only the attributes named changed (an ignored description stays)", { paused: true, description: "ignored" }, ["paused"], { paused: true, description: "before", concurrency_limit: 3 }],
  ])("%s", async (_name, next: Record<string, unknown>, changed: string[] | undefined, expected) => {
    const ctx = target.context();
    const name = target.name("pool-update-body");
    const created = await kind.create(ctx, declare(kind, { name, type: "process", description: "before", concurrency_limit: 3 }));
    try {
      const spec = declare(kind, { name, type: "process", ...next });
      const names = changed ?? [...new Set(diffSpec(kind, spec, kind.toSpec(created)).map((change) => String(change.path[0])))];
      const updated = await kind.update(ctx, created.id, spec, created, names);
      expect(kind.toSpec(updated)).toMatchObject(expected);
      expect(kind.toSpec((await kind.read(ctx, created.id))!)).toMatchObject(expected);
    } finally {
      await kind.delete(ctx, created.id);
    }
  });

  it("leaves the pool's own template alone when base_job_template is not declared: no changes, and updates keep it", async () => {
    const ctx = target.context();
    const name = target.name("pool-own-template");
    // A pool made outside the declaration (`prefect work-pool create`), with its template.
    const created = await kind.create(ctx, declare(kind, { name, type: "process", base_job_template: TEMPLATE }));
    try {
      const undeclared = declare(kind, { name, type: "process", description: "now declared" });
      expect(undeclared.base_job_template).toBeUndefined();
      const before = (await kind.read(ctx, created.id))!;
      expect(diffSpec(kind, undeclared, kind.toSpec(before)).map((change) => change.path)).toEqual([["description"]]);
      const updated = await kind.update(ctx, created.id, undeclared, before, ["description"]);
      expect(updated.base_job_template).toEqual(TEMPLATE);
      expectNoChanges(kind, undeclared, updated);
    } finally {
      await kind.delete(ctx, created.id);
    }
  });

  it("reads a pool declared without a template back as no changes, whatever template the server gave it", async () => {
    const ctx = target.context();
    const spec = declare(kind, { name: target.name("pool-no-template") });
    const created = await kind.create(ctx, spec);
    try {
      const live = (await kind.read(ctx, created.id))!;
      expect(live.base_job_template).toEqual({});
      expectNoChanges(kind, spec, live);
    } finally {
      await kind.delete(ctx, created.id);
    }
  });

  it("maps paused to is_paused, defaults type to prefect-agent, and fills default_queue_id with the pool's default queue", async () => {
    const ctx = target.context();
    const spec = declare(kind, { name: target.name("pool-paused"), paused: true });
    expect(spec).toMatchObject({ type: "prefect-agent", paused: true });
    const created = await kind.create(ctx, spec);
    try {
      expect(created).toMatchObject({ type: "prefect-agent", is_paused: true });
      const queue = await ctx.client.get<{ id: string }>(`/work_pools/${encodeURIComponent(spec.name)}/queues/default`);
      expect(kind.toSpec(created)).toMatchObject({ paused: true, default_queue_id: queue.id });
      expectNoChanges(kind, spec, (await kind.read(ctx, created.id))!);
      expect(diffSpec(kind, declare(kind, { name: spec.name, paused: true }), kind.toSpec(created))).toEqual([]);
      expect(diffSpec(kind, declare(kind, { name: spec.name }), kind.toSpec(created))).toMatchObject([{ path: ["paused"], before: true, after: false, forceNew: false }]);
    } finally {
      await kind.delete(ctx, created.id);
    }
  });

  it("replaces the pool when its type or name changes", () => {
    const live = kind.toSpec({ id: "5f1c0f58-4c4e-4d7c-b1a8-3f0f3cba1f2e", created: null, updated: null, name: "etl", type: "prefect-agent", is_paused: false, base_job_template: {} });
    expect(diffSpec(kind, declare(kind, { name: "etl", type: "kubernetes" }), live)).toMatchObject([{ path: ["type"], forceNew: true }]);
    expect(diffSpec(kind, declare(kind, { name: "etl2" }), live)).toMatchObject([{ path: ["name"], forceNew: true }]);
  });

  it("clears a description and a concurrency limit that are no longer declared", async () => {
    const ctx = target.context();
    const name = target.name("pool-clear");
    const created = await kind.create(ctx, declare(kind, { name, description: "busy", concurrency_limit: 2 }));
    try {
      const bare = declare(kind, { name });
      const changes = diffSpec(kind, bare, kind.toSpec(created)).map((change) => change.path[0]);
      expect(changes.sort()).toEqual(["concurrency_limit", "description"]);
      const updated = await kind.update(ctx, created.id, bare, created, changes as string[]);
      expect(updated).toMatchObject({ description: null, concurrency_limit: null });
      expectNoChanges(kind, bare, updated);
    } finally {
      await kind.delete(ctx, created.id);
    }
  });

  it("does not create a second pool when a create is repeated", async () => {
    const ctx = target.context();
    const spec = declare(kind, { name: target.name("pool-twice") });
    const first = await kind.create(ctx, spec);
    const second = await kind.create(ctx, spec);
    expect(second.id).toBe(first.id);
    await kind.delete(ctx, first.id);
    expect(await kind.find(ctx, spec)).toBeUndefined();
  });

  it("deletes by id: deleting a pool that is gone, or whose name another pool took since, deletes nothing", async () => {
    const ctx = target.context();
    const spec = declare(kind, { name: target.name("pool-reused-name") });
    const old = await kind.create(ctx, spec);
    await kind.delete(ctx, old.id);
    const successor = await kind.create(ctx, spec);
    try {
      await kind.delete(ctx, old.id, old);
      expect((await kind.read(ctx, successor.id))?.name).toBe(spec.name);
    } finally {
      await kind.delete(ctx, successor.id);
    }
  });

  it(`lists pools once per run under the memo key "${WORK_POOL_LIST_MEMO}", and again after a write`, async () => {
    const counting = target.clientWith({});
    const ctx = createKindContext(counting);
    const first = await kind.list(ctx);
    await kind.list(ctx);
    expect(await ctx.memo(WORK_POOL_LIST_MEMO, async () => [])).toBe(first);
    expect(counting.stats().byRoute).toEqual({ "POST /work_pools/filter": 1 });
    const created = await kind.create(ctx, declare(kind, { name: target.name("pool-listed") }));
    try {
      expect((await kind.list(ctx)).map((live) => live.id)).toContain(created.id);
    } finally {
      await kind.delete(ctx, created.id);
    }
    expect((await kind.list(ctx)).map((live) => live.id)).not.toContain(created.id);
  });

  it.each([
    [{ name: "prefect-etl" }, "name", /"prefect-etl" starts with "prefect", which Prefect reserves for its own work pools \(in any case\); choose another name, e.g. "my-prefect-etl"/],
    [{ name: "Prefect" }, "name", /reserves/],
    [{ name: "etl/gpu" }, "name", /"etl\/gpu" is not a valid work pool name: Prefect refuses the characters \/ % & > < \(found \/\); e.g. "etl-gpu"/],
    [{ name: "100%" }, "name", /found %/],
    [{ name: " ' \" " }, "name", /Prefect refuses names made only of spaces and quotes/],
    [{ name: ".." }, "name", /"\.\." is not a usable work pool name: Prefect addresses work pools by name in URLs/],
    [{ name: "" }, "name", /must not be empty/],
    [{ name: "ok", concurrency_limit: -1 }, "concurrency_limit", /is -1; a concurrency limit must be a whole number of flow runs, 0 or more/],
    [{ name: "ok", concurrency_limit: 1.5 }, "concurrency_limit", /is 1.5/],
    [{ name: "ok", paused: "yes" }, "paused", /must be true or false, got string "yes"/],
    [{ name: "ok", base_job_template: "{not json" }, "base_job_template", /must be a JSON document \(use jsonencode\(...\)\)/],
    [{ name: "ok", base_job_template: "[]" }, "base_job_template", /must be a JSON object, got an array/],
    [{ name: "ok", base_job_template: { job_configuration: { command: "x" } } }, "base_job_template", /has the keys "job_configuration"; Prefect needs both a non-empty "job_configuration" and a non-empty "variables"/],
    [
      { name: "ok", base_job_template: { job_configuration: { image: "{{ image }}", name: "{{ prefect.flow-run.name }}" }, variables: { properties: { cpu: {} } } } },
      "base_job_template",
      /uses \{\{ image \}\} in job_configuration without declaring it under variables.properties/,
    ],
    [{ name: "ok", default_queue_id: "8d3b5e0a-6b8f-4a43-9f57-2d1d2f7b2a11" }, "default_queue_id", /is set by Prefect and cannot be declared/],
    [{ name: "ok", is_paused: true }, "is_paused", /not an attribute of this resource \(did you mean "paused"\?\)/],
  ])("refuses %j at declaration time naming %s", (raw, attribute, message) => {
    const result = parseSpec(kind, raw);
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    expect(issues.map((issue) => issue.path.join("."))).toContain(attribute);
    expect(issues.map((issue) => issue.message).join("\n")).toMatch(message);
  });

  it("accepts a template whose only placeholders are Prefect's own or environment references", () => {
    const template = { job_configuration: { name: "{{ prefect.flow-run.name }}", token: "{{ $TOKEN }}", command: "{{command}}" }, variables: { properties: { command: {} } } };
    expect(parseSpec(kind, { name: "ok", base_job_template: template }).ok).toBe(true);
  });

});

describe.skipIf(!recordingsPresent())(`${TYPE} against a real 3.8 server's answers (scenarios.jsonl)`, () => {
  type Live = Parameters<typeof kind.toSpec>[0];

  it("reads a process pool made with a name and a type as that declaration (template {}, status NOT_READY not compared)", () => {
    expectNoChanges(kind, declare(kind, { name: "pub-pool", type: "process" }), recordedAnswer<Live>("pool read"));
  });

  it("reads the pool after a PATCH of description, pause and a cleared limit as that declaration (status PAUSED not compared)", () => {
    const answer = recordedAnswer<Live>("pool after patch");
    expectNoChanges(kind, declare(kind, { name: "pub-pool", type: "process", description: "d", paused: true }), answer);
    expect(diffSpec(kind, declare(kind, { name: "pub-pool", type: "process", description: "d", paused: true, concurrency_limit: 4 }), kind.toSpec(answer)).map((change) => change.path)).toEqual([["concurrency_limit"]]);
  });
});
