import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { recordingsPresent } from "../../../test/conformance/recordings.js";
import { declare, expectNoChanges, runLifecycle } from "../../../test/support/kind-lifecycle.js";
import { EXTERNAL_API_URL, useApiTarget } from "../../../test/support/target.js";
import { diffSpec } from "../compare.js";
import { attributeFactsOf, parseSpec, type KindContext } from "../kind.js";
import { globalConcurrencyLimitKind as kind, type GlobalConcurrencyLimit } from "./api.js";
import { recordedAnswer } from "../../../test/support/recordings.js";

const TYPE = "prefect_global_concurrency_limit";

/** Take slots the way a running flow does (`concurrency("name")`). */
async function takeSlots(ctx: KindContext, name: string, slots: number): Promise<void> {
  await ctx.client.post("/v2/concurrency_limits/increment", { names: [name], slots, mode: "concurrency" });
}

describe(TYPE, () => {
  const target = useApiTarget();

  it("passes the lifecycle: create, read, no changes, update (rename included), delete", async () => {
    await runLifecycle(kind, {
      ctx: target.context(),
      create: { name: target.name("gcl-lifecycle"), limit: 5 },
      update: { name: target.name("gcl-renamed"), limit: 10, active: false, slot_decay_per_second: 0.5 },
    });
  });

  it("fills the official defaults: active, no slot decay, and leaves active_slots to the server", () => {
    const spec = declare(kind, { name: "db", limit: 1 });
    expect(spec).toMatchObject({ active: true, slot_decay_per_second: 0 });
    expect(spec.active_slots).toBeUndefined();
    expect(attributeFactsOf(kind).active_slots).toMatchObject({ default: 0, defaultOnCreate: true, optional: true, computed: true });
  });

  it("reads a limit whose slots running flows hold as no changes, and an update keeps their slots", async () => {
    const ctx = target.context();
    const name = target.name("gcl-busy");
    const created = await kind.create(ctx, declare(kind, { name, limit: 3 }));
    try {
      await takeSlots(ctx, name, 2);
      const busy = (await kind.read(ctx, created.id))!;
      expect(busy.active_slots).toBe(2);
      expectNoChanges(kind, declare(kind, { name, limit: 3 }), busy);

      const wider = declare(kind, { name, limit: 4 });
      const changes = diffSpec(kind, wider, kind.toSpec(busy));
      expect(changes.map((change) => change.path.join("."))).toEqual(["limit"]);
      target.server?.clearExchanges();
      const updated = await kind.update(ctx, created.id, wider, busy, ["limit"]);
      expect(updated).toMatchObject({ limit: 4, active_slots: 2 });
      const patch = target.server?.exchanges.find((exchange) => exchange.method === "PATCH");
      if (target.server) expect(patch?.requestBody).not.toHaveProperty("active_slots");
    } finally {
      await kind.delete(ctx, created.id);
    }
  });

  it("compares and writes active_slots when it is declared, to reset the count", async () => {
    const ctx = target.context();
    const name = target.name("gcl-reset");
    const created = await kind.create(ctx, declare(kind, { name, limit: 3 }));
    try {
      await takeSlots(ctx, name, 2);
      const busy = (await kind.read(ctx, created.id))!;
      const reset = declare(kind, { name, limit: 3, active_slots: 0 });
      const changes = diffSpec(kind, reset, kind.toSpec(busy));
      expect(changes).toEqual([expect.objectContaining({ path: ["active_slots"], before: 2, after: 0, forceNew: false })]);
      const updated = await kind.update(ctx, created.id, reset, busy, ["active_slots"]);
      expect(updated.active_slots).toBe(0);
      expectNoChanges(kind, reset, updated);
    } finally {
      await kind.delete(ctx, created.id);
    }
  });

  it("creates a limit with the declared active_slots", async () => {
    const ctx = target.context();
    const spec = declare(kind, { name: target.name("gcl-preset"), limit: 4, active_slots: 1, slot_decay_per_second: 1.5 });
    const created = await kind.create(ctx, spec);
    try {
      expect(created).toMatchObject({ active_slots: 1, slot_decay_per_second: 1.5 });
      expectNoChanges(kind, spec, (await kind.read(ctx, created.id))!);
    } finally {
      await kind.delete(ctx, created.id);
    }
  });

  it("says a deployment's own limit (deployment:<id>) is Prefect's, and a declared limit is not", async () => {
    const ctx = target.context();
    const deploymentLimit = await ctx.client.post<GlobalConcurrencyLimit>("/v2/concurrency_limits/", { name: `deployment:${randomUUID()}`, limit: 1 });
    const ours = await kind.create(ctx, declare(kind, { name: target.name("gcl-ours"), limit: 1 }));
    try {
      const listed = await kind.list(ctx);
      const byId = new Map(listed.map((live) => [live.id, live]));
      expect(kind.systemManaged?.(byId.get(deploymentLimit.id)!)).toBe(true);
      expect(kind.systemManaged?.(byId.get(ours.id)!)).toBe(false);
    } finally {
      await kind.delete(ctx, deploymentLimit.id);
      await kind.delete(ctx, ours.id);
    }
  });

  it.each([
    ["with spaces and punctuation", (run: string) => `nightly etl? #1: db ${run}`],
    ["shaped like a UUID (read as an id by the API)", () => randomUUID().replaceAll("-", "")],
    ["made of dots (dropped from URLs)", () => ".."],
  ])("finds a limit by a name %s", async (_label, makeName) => {
    const ctx = target.context();
    const spec = declare(kind, { name: makeName(target.name("")), limit: 2 });
    const created = await kind.create(ctx, spec);
    try {
      const found = await kind.find(ctx, spec);
      expect(found?.id).toBe(created.id);
      expect(kind.identityOf(found!)).toBe(spec.name);
    } finally {
      await kind.delete(ctx, created.id);
    }
  });

  it("does not create a second limit when a create is repeated", async () => {
    const ctx = target.context();
    const spec = declare(kind, { name: target.name("gcl-twice"), limit: 1 });
    const first = await kind.create(ctx, spec);
    const second = await kind.create(ctx, spec);
    expect(second.id).toBe(first.id);
    await kind.delete(ctx, first.id);
  });

  it.skipIf(EXTERNAL_API_URL !== undefined)("returns the limit a create made when the connection drops before the answer", async () => {
    const ctx = target.context();
    const spec = declare(kind, { name: target.name("gcl-dropped"), limit: 2 });
    target.server!.setFaults({ rules: [{ type: "drop", ratio: 1, phase: "after", route: "POST /v2/concurrency_limits/" }] });
    let created: GlobalConcurrencyLimit;
    try {
      created = await kind.create(ctx, spec);
    } finally {
      target.server!.clearFaults();
    }
    expect(target.server!.injectedFaults().drop).toBeGreaterThan(0);
    const named = (await kind.list(ctx)).filter((live) => live.name === spec.name);
    expect(named.map((live) => live.id)).toEqual([created.id]);
    await kind.delete(ctx, created.id);
  });

  it("reads a deleted limit as undefined and deletes it again without error", async () => {
    const ctx = target.context();
    const created = await kind.create(ctx, declare(kind, { name: target.name("gcl-gone"), limit: 1 }));
    await kind.delete(ctx, created.id);
    expect(await kind.read(ctx, created.id)).toBeUndefined();
    expect(await kind.find(ctx, declare(kind, { name: created.name, limit: 1 }))).toBeUndefined();
    await expect(kind.delete(ctx, created.id)).resolves.toBeUndefined();
  });

  const deploymentName = `deployment:${randomUUID()}`;
  it.each([
    [{ name: "a/b", limit: 1 }, "name", /"a\/b" is not a valid concurrency limit name: Prefect refuses the characters \/ % & > < \(found \/\); e.g. "a-b"/],
    [{ name: "50% & more", limit: 1 }, "name", /found % &/],
    [{ name: "", limit: 1 }, "name", /must not be empty/],
    [{ name: deploymentName, limit: 1 }, "name", /is the name Prefect gives a deployment's own concurrency limit/],
    [{ name: "db" }, "limit", /is required/],
    [{ name: "db", limit: -1 }, "limit", /is -1; a limit must be 0 or more/],
    [{ name: "db", limit: 1.5 }, "limit", /is 1.5; a limit must be a whole number/],
    [{ name: "db", limit: "5" }, "limit", /must be a number, got string "5"/],
    [{ name: "db", limit: 1, active_slots: -2 }, "active_slots", /is -2; active_slots must be 0 or more/],
    [{ name: "db", limit: 1, slot_decay_per_second: -0.5 }, "slot_decay_per_second", /is -0.5; slot_decay_per_second must be 0 or more/],
    [{ name: "db", limit: 1, id: randomUUID() }, "id", /is set by Prefect and cannot be declared/],
    [{ name: "db", limit: 1, denied_slots: 0 }, "denied_slots", /not an attribute of this resource/],
  ])("refuses %j at declaration time naming %s", (raw, attribute, message) => {
    const result = parseSpec(kind, raw);
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    expect(issues.map((issue) => issue.path.join("."))).toContain(attribute);
    expect(issues.map((issue) => issue.message).join("\n")).toMatch(message);
  });

});

describe.skipIf(EXTERNAL_API_URL !== undefined && !/\/accounts\/[^/]+\/workspaces\//.test(EXTERNAL_API_URL))(`${TYPE} in a Prefect Cloud workspace`, () => {
  const target = useApiTarget({ cloud: true });

  it("reads account_id and workspace_id back as no changes, declared (in any case) or left to the provider", async () => {
    const ctx = target.context();
    const cloud = target.client.settings.cloud!;
    const spec = declare(kind, { name: target.name("gcl-cloud"), limit: 2, account_id: cloud.accountId, workspace_id: cloud.workspaceId });
    const created = await kind.create(ctx, spec);
    try {
      const live = (await kind.read(ctx, created.id))!;
      expectNoChanges(kind, spec, live);
      expectNoChanges(kind, declare(kind, { name: spec.name, limit: 2 }), live);
      expectNoChanges(kind, declare(kind, { name: spec.name, limit: 2, account_id: cloud.accountId.toUpperCase(), workspace_id: cloud.workspaceId.toUpperCase() }), live);
      const elsewhere = declare(kind, { name: spec.name, limit: 2, account_id: cloud.accountId, workspace_id: randomUUID() });
      const changes = diffSpec(kind, elsewhere, kind.toSpec(created));
      expect(changes).toEqual([expect.objectContaining({ path: ["workspace_id"], forceNew: true })]);
    } finally {
      await kind.delete(ctx, created.id);
    }
  });
});

describe.skipIf(!recordingsPresent())(`${TYPE} against a real 3.8 server's answers (scenarios.jsonl)`, () => {
  type Live = Parameters<typeof kind.toSpec>[0];

  it("reads a limit read by name as the declaration that made it", () => {
    expectNoChanges(kind, declare(kind, { name: "pub-lim", limit: 2, slot_decay_per_second: 0.5 }), recordedAnswer<Live>("limit read by name"));
  });

  it("takes Prefect's limit behind a deployment's concurrency_limit for a system object, not one of its own", () => {
    const deployment = recordedAnswer<{ global_concurrency_limit: Live }>("dep full");
    expect(kind.systemManaged?.(deployment.global_concurrency_limit)).toBe(true);
    expect(kind.systemManaged?.(recordedAnswer<Live>("limit read by name"))).toBe(false);
  });
});
