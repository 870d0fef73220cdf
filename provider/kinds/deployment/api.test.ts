import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { declare, expectNoChanges, runLifecycle } from "../../../test/support/kind-lifecycle.js";
import { EXTERNAL_API_URL, useApiTarget, type ApiTarget } from "../../../test/support/target.js";
import { changedAttributes, diffSpec } from "../compare.js";
import { parseSpec, type KindContext } from "../kind.js";
import { createKindContext } from "../runtime.js";
import { deploymentKind as kind, EMPTY_JOB_VARIABLES_REASON, updateBodies, type Deployment } from "./api.js";
import type { DeploymentSpec } from "./schema.js";

const TYPE = "prefect_deployment";

type Raw = Record<string, unknown>;

/** A flow to deploy, made with a raw call (the flow kind is not this file's subject). */
async function makeFlow(ctx: KindContext, name: string): Promise<string> {
  return (await ctx.client.post<{ id: string }>("/flows/", { name })).id;
}

/** A work pool (its default queue comes with it), made with a raw call. */
async function makePool(ctx: KindContext, name: string): Promise<string> {
  await ctx.client.post("/work_pools/", { name, type: "process" });
  return name;
}

/** Create, hand the live object to `check`, and always delete it. */
async function withCreated(ctx: KindContext, spec: DeploymentSpec, check: (live: Deployment) => Promise<void> | void): Promise<void> {
  const created = await kind.create(ctx, spec);
  try {
    await check(created);
  } finally {
    await kind.delete(ctx, created.id);
  }
}

const changedNames = (declared: DeploymentSpec, live: Deployment): string[] => changedAttributes(kind, declared, kind.toSpec(live));

/** Update to `raw` the way the engine does: the changed attributes only. */
async function updateTo(ctx: KindContext, live: Deployment, raw: Raw): Promise<Deployment> {
  const spec = declare(kind, raw);
  return kind.update(ctx, live.id, spec, live, changedNames(spec, live));
}

async function limitsNamed(target: ApiTarget, name: string): Promise<{ id: string; name: string; limit: number }[]> {
  const all = await target.client.query<{ id: string; name: string; limit: number }[]>("/v2/concurrency_limits/filter", {});
  return all.filter((limit) => limit.name === name);
}

describe(TYPE, () => {
  const target = useApiTarget();

  it("passes the lifecycle: create, read, no changes, update (pause and concurrency included), delete", async () => {
    const ctx = target.context();
    const flowId = await makeFlow(ctx, target.name("lifecycle-flow"));
    const pool = await makePool(ctx, target.name("lifecycle-pool"));
    const name = target.name("lifecycle");
    await runLifecycle(kind, {
      ctx,
      create: {
        name,
        flow_id: flowId,
        description: "nightly load",
        entrypoint: "flows/etl.py:nightly",
        path: "/opt/flows",
        version: "1",
        tags: ["b", "a"],
        parameters: JSON.stringify({ day: "today", retries: 2 }),
        job_variables: JSON.stringify({ env: { STAGE: "prod" } }),
        work_pool_name: pool,
        concurrency_limit: 2,
        concurrency_options: { collision_strategy: "ENQUEUE" },
        pull_steps: [{ type: "git_clone", repository: "https://github.com/acme/flows", branch: "main", include_submodules: true }],
      },
      update: {
        name,
        flow_id: flowId,
        description: "nightly load, v2",
        entrypoint: "flows/etl.py:nightly",
        path: "/opt/flows",
        version: "2",
        paused: true,
        tags: ["c"],
        parameters: { day: "yesterday" },
        job_variables: { image: "acme/etl:2" },
        work_pool_name: pool,
        work_queue_name: "urgent",
        concurrency_limit: 5,
        concurrency_options: { collision_strategy: "CANCEL_NEW" },
        pull_steps: [
          { type: "set_working_directory", directory: "/opt/flows" },
          { type: "run_shell_script", script: "pip install -e .", env: { PIP_NO_CACHE: "1" }, stream_output: false },
        ],
      },
    });
  });

  it("clears tags, parameters and the concurrency limit in place, and deletes the limit Prefect made for it", async () => {
    const ctx = target.context();
    const flowId = await makeFlow(ctx, target.name("clear-flow"));
    const name = target.name("clear");
    await withCreated(ctx, declare(kind, { name, flow_id: flowId, tags: ["x", "y"], parameters: { a: 1 }, concurrency_limit: 3 }), async (created) => {
      expect(created.global_concurrency_limit?.limit).toBe(3);
      expect(await limitsNamed(target, `deployment:${created.id}`)).toHaveLength(1);
      const cleared = declare(kind, { name, flow_id: flowId });
      expect(changedNames(cleared, created).sort()).toEqual(["concurrency_limit", "parameters", "tags"]);
      target.server?.clearExchanges();
      const updated = await kind.update(ctx, created.id, cleared, created, changedNames(cleared, created));
      expect(updated.id).toBe(created.id);
      expect(updated).toMatchObject({ tags: [], parameters: {}, global_concurrency_limit: null });
      expectNoChanges(kind, cleared, updated);
      expect(await limitsNamed(target, `deployment:${created.id}`)).toEqual([]);
      if (target.server) {
        const writes = target.server.exchanges.filter((exchange) => exchange.method !== "GET" && !exchange.path.endsWith("/filter"));
        expect(writes.map((exchange) => `${exchange.method} ${exchange.path}`)).toEqual([`PATCH /deployments/${created.id}`]);
        expect(writes[0]?.requestBody).toMatchObject({ tags: [], parameters: {}, concurrency_limit: null });
        expect(writes[0]?.requestBody).not.toHaveProperty("schedules");
      }
    });
  });

  it("replaces a deployment whose declaration empties job_variables, which Prefect cannot do in place", async () => {
    const ctx = target.context();
    const flowId = await makeFlow(ctx, target.name("jv-flow"));
    const name = target.name("jv-empty");
    await withCreated(ctx, declare(kind, { name, flow_id: flowId, job_variables: { image: "acme/etl:1" } }), async (created) => {
      // The reason for the hook: a PATCH with empty job variables leaves them as they are.
      await ctx.client.patch(`/deployments/${created.id}`, { job_variables: {} });
      expect((await kind.read(ctx, created.id))?.job_variables).toEqual({ image: "acme/etl:1" });

      const emptied = declare(kind, { name, flow_id: flowId });
      expect(kind.replacementReasons?.(emptied, kind.toSpec(created))).toEqual([{ path: ["job_variables"], reason: EMPTY_JOB_VARIABLES_REASON }]);
      expect(diffSpec(kind, emptied, kind.toSpec(created)).map((change) => change.path)).toEqual([["job_variables"]]);
      await expect(kind.update(ctx, created.id, emptied, created, ["job_variables"])).rejects.toThrow(/cannot empty job_variables in place/);
    });
  });

  it("updates job_variables to another non-empty value in place, replacing (not merging) them", async () => {
    const ctx = target.context();
    const flowId = await makeFlow(ctx, target.name("jv-flow"));
    const name = target.name("jv-change");
    await withCreated(ctx, declare(kind, { name, flow_id: flowId, job_variables: { image: "acme/etl:1", cpu: 1 } }), async (created) => {
      const changed = declare(kind, { name, flow_id: flowId, job_variables: { image: "acme/etl:2" } });
      expect(kind.replacementReasons?.(changed, kind.toSpec(created))).toEqual([]);
      const updated = await kind.update(ctx, created.id, changed, created, changedNames(changed, created));
      expect(updated.id).toBe(created.id);
      expect(updated.job_variables).toEqual({ image: "acme/etl:2" });
      expectNoChanges(kind, changed, updated);
    });
  });

  it("compares parameters and job_variables as JSON documents, not strings", async () => {
    const ctx = target.context();
    const flowId = await makeFlow(ctx, target.name("json-flow"));
    const name = target.name("json");
    const parameters = { b: [1, { y: 2, x: 1 }], a: { d: null, c: "ü" } };
    await withCreated(ctx, declare(kind, { name, flow_id: flowId, parameters, job_variables: { env: { B: "2", A: "1" } } }), async (created) => {
      const live = (await kind.read(ctx, created.id))!;
      const reordered = declare(kind, {
        name,
        flow_id: flowId,
        parameters: '{ "a": { "c": "ü", "d": null }, "b": [1, { "x": 1, "y": 2 }] }',
        job_variables: '{"env":{"A":"1","B":"2"}}',
      });
      expectNoChanges(kind, reordered, live);
      const different = declare(kind, { name, flow_id: flowId, parameters: { ...parameters, b: [{ y: 2, x: 1 }, 1] }, job_variables: { env: { B: "2", A: "1" } } });
      expect(diffSpec(kind, different, kind.toSpec(live)).map((change) => change.path)).toEqual([["parameters"]]);
    });
  });

  it("compares tags as a set", async () => {
    const ctx = target.context();
    const flowId = await makeFlow(ctx, target.name("tags-flow"));
    const name = target.name("tags");
    await withCreated(ctx, declare(kind, { name, flow_id: flowId, tags: ["prod", "etl"] }), (created) => {
      expectNoChanges(kind, declare(kind, { name, flow_id: flowId, tags: ["etl", "prod", "etl"] }), created);
      expect(changedNames(declare(kind, { name, flow_id: flowId, tags: ["etl"] }), created)).toEqual(["tags"]);
    });
  });

  it.each([
    ["set_working_directory", { type: "set_working_directory", directory: "/opt/flows" }, { "prefect.deployments.steps.set_working_directory": { directory: "/opt/flows" } }],
    [
      "git_clone",
      { type: "git_clone", repository: "https://github.com/acme/flows", branch: "main", credentials: "{{ prefect.blocks.github-credentials.acme }}", requires: "prefect-github" },
      { "prefect.deployments.steps.git_clone": { repository: "https://github.com/acme/flows", branch: "main", credentials: "{{ prefect.blocks.github-credentials.acme }}", requires: "prefect-github" } },
    ],
    [
      "run_shell_script",
      { type: "run_shell_script", script: "echo hi", directory: "/tmp", env: { A: "1" }, expand_env_vars: true, stream_output: false },
      { "prefect.deployments.steps.run_shell_script": { script: "echo hi", directory: "/tmp", env: { A: "1" }, expand_env_vars: true, stream_output: false } },
    ],
    [
      "pip_install_requirements",
      { type: "pip_install_requirements", requirements_file: "requirements.txt", directory: "/opt/flows" },
      { "prefect.deployments.steps.pip_install_requirements": { requirements_file: "requirements.txt", directory: "/opt/flows" } },
    ],
    [
      "pull_from_azure_blob_storage",
      { type: "pull_from_azure_blob_storage", container: "flows", folder: "etl", credentials: "{{ prefect.blocks.azure-blob-storage-credentials.x }}" },
      { "prefect_azure.deployments.steps.pull_from_azure_blob_storage": { container: "flows", folder: "etl", credentials: "{{ prefect.blocks.azure-blob-storage-credentials.x }}" } },
    ],
    ["pull_from_gcs", { type: "pull_from_gcs", bucket: "acme", folder: "etl" }, { "prefect_gcp.deployments.steps.pull_from_gcs": { bucket: "acme", folder: "etl" } }],
    [
      "pull_from_s3",
      { type: "pull_from_s3", bucket: "acme", folder: "etl", requires: "prefect-aws>=0.3.4" },
      { "prefect_aws.deployments.steps.pull_from_s3": { bucket: "acme", folder: "etl", requires: "prefect-aws>=0.3.4" } },
    ],
  ])("stores a %s pull step as Prefect's step object and reads it back as no changes", async (_type, step, stored) => {
    const ctx = target.context();
    const flowId = await makeFlow(ctx, target.name("steps-flow"));
    const spec = declare(kind, { name: target.name(`steps-${_type}`), flow_id: flowId, pull_steps: [step] });
    await withCreated(ctx, spec, async (created) => {
      const live = (await kind.read(ctx, created.id))!;
      expect(live.pull_steps).toEqual([stored]);
      expectNoChanges(kind, spec, live);
    });
  });

  it("keeps the schedules of an existing deployment: updates are PATCHes without schedules, and a repeated create posts nothing", async () => {
    const ctx = target.context();
    const flowId = await makeFlow(ctx, target.name("keep-flow"));
    const name = target.name("keep");
    const spec = declare(kind, { name, flow_id: flowId, description: "one" });
    await withCreated(ctx, spec, async (created) => {
      const [schedule] = await ctx.client.post<{ id: string }[]>(`/deployments/${created.id}/schedules`, [{ schedule: { cron: "0 6 * * *" }, active: true }]);
      target.server?.clearExchanges();
      await updateTo(ctx, created, { name, flow_id: flowId, description: "two", tags: ["t"] });
      const again = await kind.create(ctx, declare(kind, { name, flow_id: flowId, description: "three" }));
      expect(again.id).toBe(created.id);
      const live = (await kind.read(ctx, created.id))!;
      expect(live.description).toBe("three");
      expect(live.schedules?.map((item) => item.id)).toEqual([schedule!.id]);
      if (target.server) {
        const writes = target.server.exchanges.filter((exchange) => exchange.method === "POST" && exchange.path === "/deployments/");
        expect(writes).toEqual([]);
        const patches = target.server.exchanges.filter((exchange) => exchange.method === "PATCH");
        expect(patches.length).toBe(2);
        for (const patch of patches) expect(patch.requestBody).not.toHaveProperty("schedules");
      }
    });
  });

  it.skipIf(EXTERNAL_API_URL !== undefined)("returns the deployment a create made when the connection drops before the answer, without a duplicate", async () => {
    const ctx = target.context();
    const flowId = await makeFlow(ctx, target.name("dropped-flow"));
    const spec = declare(kind, { name: target.name("dropped"), flow_id: flowId, tags: ["a"] });
    target.server!.setFaults({ rules: [{ type: "drop", ratio: 1, phase: "after", route: "POST /deployments/" }] });
    let created: Deployment;
    try {
      created = await kind.create(ctx, spec);
    } finally {
      target.server!.clearFaults();
    }
    expect(target.server!.injectedFaults().drop).toBeGreaterThan(0);
    const named = await ctx.client.query<Deployment[]>("/deployments/filter", { flows: { operator: "and_", id: { any_: [flowId] } } });
    expect(named.filter((live) => live.name === spec.name).map((live) => live.id)).toEqual([created.id]);
    // The client sends a cut POST once more when its kept-alive socket had sat idle (a stale
    // connection looks the same); Prefect's upsert then answers 200 with the same deployment
    // (scenarios.jsonl "dep upsert d4 (same body)"). Either way one POST made it.
    const posts = target.server!.exchanges.filter((exchange) => exchange.method === "POST" && exchange.path === "/deployments/" && !exchange.busy);
    expect(posts.map((exchange) => exchange.status)).toEqual(posts.length === 1 ? [201] : [201, 200]);
    await kind.delete(ctx, created.id);
  });

  it("moves from its own concurrency limit to a shared one and back without deleting or resizing the shared limit", async () => {
    const ctx = target.context();
    const flowId = await makeFlow(ctx, target.name("gcl-flow"));
    const name = target.name("gcl-switch");
    const shared = await ctx.client.post<{ id: string }>("/v2/concurrency_limits/", { name: target.name("shared-limit"), limit: 7 });
    try {
      await withCreated(ctx, declare(kind, { name, flow_id: flowId, concurrency_limit: 2 }), async (created) => {
        const linked = await updateTo(ctx, created, { name, flow_id: flowId, global_concurrency_limit_id: shared.id });
        expect(linked.global_concurrency_limit).toMatchObject({ id: shared.id, limit: 7 });
        expect(await limitsNamed(target, `deployment:${created.id}`)).toEqual([]);
        expectNoChanges(kind, declare(kind, { name, flow_id: flowId, global_concurrency_limit_id: shared.id }), linked);
        // A shared limit is not the deployment's concurrency_limit: leaving it undeclared is no change.
        expectNoChanges(kind, declare(kind, { name, flow_id: flowId }), linked);

        const own = await updateTo(ctx, linked, { name, flow_id: flowId, concurrency_limit: 4 });
        expect(own.global_concurrency_limit).toMatchObject({ name: `deployment:${created.id}`, limit: 4 });
        const sharedNow = await ctx.client.get<{ limit: number }>(`/v2/concurrency_limits/${shared.id}`);
        expect(sharedNow.limit).toBe(7);
      });
    } finally {
      await ctx.client.delete(`/v2/concurrency_limits/${shared.id}`);
    }
  });

  it("never deletes a shared concurrency limit with a deployment linked to it (Prefect deletes the linked limit)", async () => {
    const ctx = target.context();
    const flowId = await makeFlow(ctx, target.name("gcl-delete-flow"));
    const shared = await ctx.client.post<{ id: string }>("/v2/concurrency_limits/", { name: target.name("shared-kept"), limit: 5 });
    try {
      const created = await kind.create(ctx, declare(kind, { name: target.name("gcl-delete"), flow_id: flowId, global_concurrency_limit_id: shared.id }));
      expect(created.global_concurrency_limit).toMatchObject({ id: shared.id });
      await kind.delete(ctx, created.id, created);
      expect(await kind.read(ctx, created.id)).toBeUndefined();
      expect((await ctx.client.get<{ id: string; limit: number }>(`/v2/concurrency_limits/${shared.id}`)).limit).toBe(5);
    } finally {
      await ctx.client.delete(`/v2/concurrency_limits/${shared.id}`).catch(() => undefined);
    }
  });

  it("finds a deployment by flow and name, and reads a deleted one as undefined", async () => {
    const ctx = target.context();
    const flowId = await makeFlow(ctx, target.name("find-flow"));
    const otherFlow = await makeFlow(ctx, target.name("find-other"));
    const name = target.name("find");
    const created = await kind.create(ctx, declare(kind, { name, flow_id: flowId }));
    const sameNameElsewhere = await kind.create(ctx, declare(kind, { name, flow_id: otherFlow }));
    expect(sameNameElsewhere.id).not.toBe(created.id);
    expect((await kind.find(ctx, declare(kind, { name, flow_id: flowId.toUpperCase() })))?.id).toBe(created.id);
    expect(kind.identityOf(created)).toBe(kind.identity(declare(kind, { name, flow_id: flowId.toUpperCase() })));
    await kind.delete(ctx, created.id);
    await kind.delete(ctx, sameNameElsewhere.id);
    expect(await kind.read(ctx, created.id)).toBeUndefined();
    expect(await kind.find(ctx, declare(kind, { name, flow_id: flowId }))).toBeUndefined();
    await expect(kind.delete(ctx, created.id)).resolves.toBeUndefined();
  });

  it.skipIf(EXTERNAL_API_URL !== undefined)("lists every deployment with one request per 200, once per run", async () => {
    const setup = target.context();
    const flowId = await makeFlow(setup, target.name("many-flow"));
    const existing = await setup.client.query<number>("/deployments/count", {});
    const wanted = Math.max(0, 401 - existing);
    const made = await Promise.all(
      Array.from({ length: wanted }, (_, index) => setup.client.post<{ id: string }>("/deployments/", { name: target.name(`many-${index}`), flow_id: flowId })),
    );
    try {
      const total = await setup.client.query<number>("/deployments/count", {});
      const client = target.clientWith({});
      const ctx = createKindContext(client);
      const listed = await kind.list(ctx);
      expect(new Set(listed.map((live) => live.id)).size).toBe(total);
      expect(client.stats().byRoute).toEqual({ "POST /deployments/paginate": Math.ceil(total / 200) });
      await kind.list(ctx);
      expect(client.stats().requests).toBe(Math.ceil(total / 200));
    } finally {
      await Promise.all(made.map((deployment) => setup.client.delete(`/deployments/${deployment.id}`)));
    }
  });

  describe("PATCH bodies", () => {
    const id = randomUUID();
    const flowId = randomUUID();
    const sharedId = randomUUID();
    const limit = (name: string, value: number) => ({ id: name === "own" ? randomUUID() : sharedId, name: name === "own" ? `deployment:${id}` : "shared", limit: value, active: true, active_slots: 0, slot_decay_per_second: 0, created: null, updated: null });
    const live = (extra: Partial<Deployment>): Deployment =>
      ({ id, name: "etl", flow_id: flowId, paused: false, enforce_parameter_schema: true, status: "READY", created: null, updated: null, work_pool_name: "pool", work_queue_name: "default", ...extra }) as Deployment;
    const bodies = (raw: Raw, before: Deployment) => {
      const spec = declare(kind, { name: "etl", flow_id: flowId, ...raw });
      return updateBodies(spec, before, changedNames(spec, before));
    };

    it.each([
      ["its own limit removed", {}, { global_concurrency_limit: limit("own", 3) }, [{ concurrency_limit: null }]],
      ["its own limit resized", { concurrency_limit: 5 }, { global_concurrency_limit: limit("own", 3) }, [{ concurrency_limit: 5 }]],
      [
        "its own limit swapped for a shared one (deleted first, or Prefect would delete the shared one)",
        { global_concurrency_limit_id: sharedId },
        { global_concurrency_limit: limit("own", 3) },
        [{ concurrency_limit: null }, { global_concurrency_limit_id: sharedId }],
      ],
      [
        "a shared limit swapped for its own (unlinked first, or Prefect would resize the shared one)",
        { concurrency_limit: 4 },
        { global_concurrency_limit: limit("shared", 7) },
        [{ global_concurrency_limit_id: null }, { concurrency_limit: 4 }],
      ],
      ["a shared limit left undeclared", {}, { global_concurrency_limit: limit("shared", 7) }, []],
      [
        "a new parameter schema with parameters it allows (the schema first: Prefect checks against the stored one)",
        { parameter_openapi_schema: { type: "object", properties: { day: { type: "string" } } }, parameters: { day: "today" } },
        {},
        [{ parameter_openapi_schema: { type: "object", properties: { day: { type: "string" } } } }, { parameters: { day: "today" } }],
      ],
      ["a queue of the same pool (the pool is sent with it)", { work_queue_name: "urgent" }, {}, [{ work_pool_name: "pool", work_queue_name: "urgent" }]],
      ["another pool without a declared queue (its default queue)", { work_pool_name: "other" }, {}, [{ work_pool_name: "other" }]],
      ["paused", { paused: true }, {}, [{ paused: true }]],
    ])("for %s", (_label, raw, before, expected) => {
      expect(bodies(raw, live(before as Partial<Deployment>))).toEqual(expected);
    });
  });

  const uuid = randomUUID();
  it.each([
    [{ name: "a/b", flow_id: uuid }, "name", /"a\/b" is not a valid deployment name: Prefect refuses the characters \/ % & > < \(found \/\); e.g. "a-b"/],
    [{ name: " ", flow_id: uuid }, "name", /is " "; a deployment needs a name that is not blank/],
    [{ name: "etl" }, "flow_id", /is required/],
    [{ name: "etl", flow_id: "flow-1" }, "flow_id", /must be a UUID/],
    [{ name: "etl", flow_id: uuid, concurrency_limit: 0 }, "concurrency_limit", /is 0; concurrency_limit must be a whole number of at least 1/],
    [{ name: "etl", flow_id: uuid, concurrency_limit: 1.5 }, "concurrency_limit", /is 1.5; concurrency_limit must be a whole number/],
    [{ name: "etl", flow_id: uuid, concurrency_limit: 2, global_concurrency_limit_id: uuid }, "concurrency_limit", /conflicts with global_concurrency_limit_id/],
    [{ name: "etl", flow_id: uuid, concurrency_options: { collision_strategy: "DROP" } }, "concurrency_options.collision_strategy", /"DROP" is not a collision strategy; use one of "ENQUEUE", "CANCEL_NEW"/],
    [{ name: "etl", flow_id: uuid, parameters: "{not json" }, "parameters", /must be a JSON document/],
    [{ name: "etl", flow_id: uuid, job_variables: "[1]" }, "job_variables", /must be a JSON object, got an array/],
    [{ name: "etl", flow_id: uuid, pull_steps: [{ type: "git_pull" }] }, "pull_steps.0.type", /"git_pull" is not a pull step type; use one of "set_working_directory", "git_clone", .*"pull_from_s3"/],
    [{ name: "etl", flow_id: uuid, pull_steps: [{ type: "git_clone", repository: "r", bucket: "b" }] }, "pull_steps.0.bucket", /is not used by a git_clone step, which takes repository, branch, access_token, credentials, include_submodules, requires/],
    [{ name: "etl", flow_id: uuid, pull_steps: [{ type: "set_working_directory" }] }, "pull_steps.0.directory", /is required by a set_working_directory step/],
    [{ name: "etl", flow_id: uuid, pull_steps: [{ type: "pull_from_s3", bucket: "b" }] }, "pull_steps.0.folder", /is required by a pull_from_s3 step/],
    [{ name: "etl", flow_id: uuid, pull_steps: [{ type: "git_clone", repository: "r", access_token: "t", credentials: "c" }] }, "pull_steps.0.access_token", /conflicts with credentials/],
    [{ name: "etl", flow_id: uuid, id: uuid }, "id", /is set by Prefect and cannot be declared/],
    [{ name: "etl", flow_id: uuid, schedules: [] }, "schedules", /not an attribute of this resource/],
  ])("refuses %j at declaration time naming %s", (raw, attribute, message) => {
    const result = parseSpec(kind, raw);
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    expect(issues.map((issue) => issue.path.join("."))).toContain(attribute);
    expect(issues.map((issue) => issue.message).join("\n")).toMatch(message);
  });

  it("fills the official defaults and leaves server-filled attributes undeclared", () => {
    const spec = declare(kind, { name: "etl", flow_id: uuid });
    expect(spec).toMatchObject({ paused: false, enforce_parameter_schema: true, parameters: {}, parameter_openapi_schema: {}, job_variables: {}, tags: [], pull_steps: [] });
    expect(spec.work_pool_name).toBeUndefined();
    expect(spec.concurrency_limit).toBeUndefined();
  });

});
