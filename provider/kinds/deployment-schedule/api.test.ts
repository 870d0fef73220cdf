import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RECORDINGS_DIR, recordingsPresent } from "../../../test/conformance/recordings.js";
import { declare, expectNoChanges, runLifecycle } from "../../../test/support/kind-lifecycle.js";
import { EXTERNAL_API_URL, useApiTarget } from "../../../test/support/target.js";
import { changedAttributes, diffSpec } from "../compare.js";
import { deploymentKind } from "../deployment/api.js";
import { parseSpec, type KindContext } from "../kind.js";
import { createKindContext } from "../runtime.js";
import { deploymentScheduleKind as kind, type DeploymentSchedule } from "./api.js";
import type { DeploymentScheduleSpec } from "./schema.js";

type Raw = Record<string, unknown>;

/** A deployment to schedule, made with raw calls (the deployment kind is not this file's subject). */
async function makeDeployment(ctx: KindContext, name: string): Promise<string> {
  const flow = await ctx.client.post<{ id: string }>("/flows/", { name: `${name}-flow` });
  return (await ctx.client.post<{ id: string }>("/deployments/", { name, flow_id: flow.id })).id;
}

/** Create, hand the live object to `check`, and always delete it. */
async function withCreated(ctx: KindContext, spec: DeploymentScheduleSpec, check: (live: DeploymentSchedule) => Promise<void> | void): Promise<void> {
  const created = await kind.create(ctx, spec);
  try {
    await check(created);
  } finally {
    await kind.delete(ctx, created.id, created);
  }
}

const changedNames = (declared: DeploymentScheduleSpec, live: DeploymentSchedule): string[] => changedAttributes(kind, declared, kind.toSpec(live));

/** Update to `raw` the way the engine does: the changed attributes only. */
async function updateTo(ctx: KindContext, live: DeploymentSchedule, raw: Raw): Promise<DeploymentSchedule> {
  const spec = declare(kind, raw);
  return kind.update(ctx, live.id, spec, live, changedNames(spec, live));
}

async function schedulesOf(ctx: KindContext, deploymentId: string): Promise<DeploymentSchedule[]> {
  return ctx.client.get<DeploymentSchedule[]>(`/deployments/${deploymentId}/schedules`);
}

describe("prefect_deployment_schedule", () => {
  const target = useApiTarget();

  it("passes the lifecycle of a cron schedule with a slug: create, read, no changes, update, delete", async () => {
    const ctx = target.context();
    const deploymentId = await makeDeployment(ctx, target.name("cron-lifecycle"));
    await runLifecycle(kind, {
      ctx,
      create: { deployment_id: deploymentId, slug: "weekday-mornings", cron: "0 6 * * 1-5", timezone: "Europe/Paris", parameters: JSON.stringify({ day: "today" }) },
      update: {
        deployment_id: deploymentId,
        slug: "weekday-mornings",
        cron: "30 7 * * 1-5",
        day_or: false,
        timezone: "America/New_York",
        active: false,
        max_scheduled_runs: 5,
        parameters: {},
      },
    });
  });

  it("passes the lifecycle of an interval schedule without a slug", async () => {
    const ctx = target.context();
    const deploymentId = await makeDeployment(ctx, target.name("interval-lifecycle"));
    await runLifecycle(kind, {
      ctx,
      create: { deployment_id: deploymentId, interval: 3600 },
      update: { deployment_id: deploymentId, interval: 600, parameters: { window: 10 } },
    });
  });

  it("passes the lifecycle of an rrule schedule", async () => {
    const ctx = target.context();
    const deploymentId = await makeDeployment(ctx, target.name("rrule-lifecycle"));
    await runLifecycle(kind, {
      ctx,
      create: { deployment_id: deploymentId, rrule: "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9", timezone: "Europe/Berlin" },
      update: { deployment_id: deploymentId, rrule: "FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=9", timezone: "Europe/Berlin" },
    });
  });

  it("updates a schedule in place: the id stays, no schedule is posted, and the server's anchor date is kept", async () => {
    const ctx = target.context();
    const deploymentId = await makeDeployment(ctx, target.name("in-place"));
    await withCreated(ctx, declare(kind, { deployment_id: deploymentId, interval: 3600 }), async (created) => {
      const anchor = (created.schedule as { anchor_date?: string }).anchor_date;
      expect(anchor).toBeDefined();
      target.server?.clearExchanges();
      const updated = await updateTo(ctx, created, { deployment_id: deploymentId, interval: 900, parameters: { fast: true } });
      expect(updated.id).toBe(created.id);
      expect(updated.schedule).toMatchObject({ interval: 900, anchor_date: anchor });
      expect((await schedulesOf(ctx, deploymentId)).map((schedule) => schedule.id)).toEqual([created.id]);
      if (target.server) {
        const writes = target.server.exchanges.filter((exchange) => exchange.method !== "GET");
        expect(writes.map((exchange) => `${exchange.method} ${exchange.path}`)).toEqual([`PATCH /deployments/${deploymentId}/schedules/${created.id}`]);
        expect(writes[0]?.requestBody).toMatchObject({ schedule: { interval: 900, anchor_date: anchor }, parameters: { fast: true } });
      }
    });
  });

  it("reads an rrule back as no changes although Prefect added a DTSTART, and keeps the stored rule on other updates", async () => {
    const ctx = target.context();
    const deploymentId = await makeDeployment(ctx, target.name("dtstart"));
    const rule = "FREQ=DAILY;BYHOUR=9;BYMINUTE=30";
    await withCreated(ctx, declare(kind, { deployment_id: deploymentId, rrule: rule }), async (created) => {
      const stored = (created.schedule as { rrule: string }).rrule;
      expect(stored).toMatch(/^DTSTART[:;].*\n/);
      expect(stored.endsWith(rule)).toBe(true);
      expectNoChanges(kind, declare(kind, { deployment_id: deploymentId, rrule: rule }), created);
      const otherStart = declare(kind, { deployment_id: deploymentId, rrule: `DTSTART:20240101T000000\n${rule}` });
      expect(diffSpec(kind, otherStart, kind.toSpec(created)).map((change) => change.path)).toEqual([["rrule"]]);

      const moved = await updateTo(ctx, created, { deployment_id: deploymentId, rrule: rule, timezone: "Asia/Tokyo" });
      expect(moved.schedule).toEqual({ rrule: stored, timezone: "Asia/Tokyo" });
      expectNoChanges(kind, declare(kind, { deployment_id: deploymentId, rrule: rule, timezone: "Asia/Tokyo" }), moved);
    });
  });

  it("keeps active as it is when the declaration leaves it out, and sets it when declared", async () => {
    const ctx = target.context();
    const deploymentId = await makeDeployment(ctx, target.name("active"));
    const spec = declare(kind, { deployment_id: deploymentId, cron: "0 * * * *" });
    await withCreated(ctx, spec, async (created) => {
      expect(created.active).toBe(true);
      await ctx.client.patch(`/deployments/${deploymentId}/schedules/${created.id}`, { active: false, parameters: {} });
      const paused = (await kind.read(ctx, created.id))!;
      expect(paused.active).toBe(false);
      expectNoChanges(kind, spec, paused);
      const resumed = declare(kind, { deployment_id: deploymentId, cron: "0 * * * *", active: true });
      expect(changedNames(resumed, paused)).toEqual(["active"]);
      expect((await updateTo(ctx, paused, { deployment_id: deploymentId, cron: "0 * * * *", active: true })).active).toBe(true);
    });
  });

  it("replaces a schedule moved to another deployment", async () => {
    const ctx = target.context();
    const deploymentId = await makeDeployment(ctx, target.name("move-from"));
    const otherId = await makeDeployment(ctx, target.name("move-to"));
    await withCreated(ctx, declare(kind, { deployment_id: deploymentId, interval: 60 }), (created) => {
      const moved = declare(kind, { deployment_id: otherId, interval: 60 });
      expect(diffSpec(kind, moved, kind.toSpec(created))).toEqual([expect.objectContaining({ path: ["deployment_id"], forceNew: true })]);
      expectNoChanges(kind, declare(kind, { deployment_id: deploymentId.toUpperCase(), interval: 60 }), created);
    });
  });

  it.skipIf(EXTERNAL_API_URL !== undefined)("returns the schedule a create made when the connection drops before the answer, without a duplicate", async () => {
    const ctx = target.context();
    const deploymentId = await makeDeployment(ctx, target.name("dropped"));
    // An identical schedule made elsewhere is not taken for the one the create made.
    const [twin] = await ctx.client.post<DeploymentSchedule[]>(`/deployments/${deploymentId}/schedules`, [{ schedule: { cron: "15 3 * * *" }, active: true }]);
    const spec = declare(kind, { deployment_id: deploymentId, cron: "15 3 * * *" });
    target.server!.setFaults({ rules: [{ type: "drop", ratio: 1, phase: "after", route: "POST /deployments/*/schedules" }] });
    let created: DeploymentSchedule;
    try {
      created = await kind.create(ctx, spec);
    } finally {
      target.server!.clearFaults();
    }
    expect(target.server!.injectedFaults().drop).toBeGreaterThan(0);
    expect(created.id).not.toBe(twin!.id);
    expect((await schedulesOf(ctx, deploymentId)).map((schedule) => schedule.id).sort()).toEqual([created.id, twin!.id].sort());
    await kind.delete(ctx, created.id);
  });

  it("does not create a second schedule when a create with a slug is repeated", async () => {
    const ctx = target.context();
    const deploymentId = await makeDeployment(ctx, target.name("twice"));
    const spec = declare(kind, { deployment_id: deploymentId, slug: "nightly", cron: "0 2 * * *" });
    const first = await kind.create(ctx, spec);
    const second = await kind.create(ctx, spec);
    expect(second.id).toBe(first.id);
    expect(await schedulesOf(ctx, deploymentId)).toHaveLength(1);
    await kind.delete(ctx, first.id);
  });

  it("lists schedules from the run's deployment list without a request of its own", async () => {
    const setup = target.context();
    const deploymentId = await makeDeployment(setup, target.name("listed"));
    const created = await kind.create(setup, declare(kind, { deployment_id: deploymentId, cron: "0 4 * * *" }));
    try {
      const client = target.clientWith({});
      const ctx = createKindContext(client);
      const [deployments, schedules] = await Promise.all([deploymentKind.list(ctx), kind.list(ctx)]);
      const pages = Math.max(1, Math.ceil(deployments.length / 200));
      expect(client.stats().byRoute).toEqual({ "POST /deployments/paginate": pages });
      expect(schedules.find((schedule) => schedule.id === created.id)).toMatchObject({ deployment_id: deploymentId, schedule: { cron: "0 4 * * *" } });
      await kind.list(ctx);
      expect(client.stats().requests).toBe(pages);

      // Deleting by id alone (as a plan's removal does) finds the deployment through the list.
      await kind.delete(ctx, created.id);
      expect(client.stats().byRoute[`DELETE /deployments/{id}/schedules/{id}`]).toBe(1);
      expect(await schedulesOf(setup, deploymentId)).toEqual([]);
    } finally {
      await kind.delete(setup, created.id);
    }
  });

  it("reads a schedule by id in a run that has not seen it, and as undefined once its deployment is gone", async () => {
    const setup = target.context();
    const deploymentId = await makeDeployment(setup, target.name("gone"));
    const created = await kind.create(setup, declare(kind, { deployment_id: deploymentId, interval: 120 }));
    expect((await kind.read(target.context(), created.id))?.deployment_id).toBe(deploymentId);
    await setup.client.delete(`/deployments/${deploymentId}`);
    expect(await kind.read(setup, created.id)).toBeUndefined();
    expect(await kind.read(target.context(), created.id)).toBeUndefined();
    await expect(kind.delete(setup, created.id)).resolves.toBeUndefined();
  });

  const deploymentId = randomUUID();
  it.each([
    [{ deployment_id: deploymentId }, "", /declares no schedule; declare exactly one of cron, interval or rrule/],
    [{ deployment_id: deploymentId, cron: "0 * * * *", interval: 60 }, "interval", /conflicts with cron: declare exactly one of cron, interval or rrule/],
    [{ deployment_id: deploymentId, cron: "61 * * * *" }, "cron", /"61 \* \* \* \*" is not a valid cron expression: use 5 fields/],
    [{ deployment_id: deploymentId, cron: "* * *" }, "cron", /is not a valid cron expression.*\(found 3 fields\)/],
    [{ deployment_id: deploymentId, cron: "H * * * *" }, "cron", /uses a hashed \(H\) field, which Prefect does not support/],
    [{ deployment_id: deploymentId, cron: "@fortnightly" }, "cron", /"@fortnightly" is not a valid cron expression/],
    [{ deployment_id: deploymentId, rrule: "FREQ=SOMETIMES" }, "rrule", /"FREQ=SOMETIMES" is not a valid RRule/],
    [{ deployment_id: deploymentId, rrule: "FREQ=DAILY;INTERVAL=two" }, "rrule", /INTERVAL must be a whole number, got "two"/],
    [{ deployment_id: deploymentId, cron: "0 * * * *", timezone: "Mars/Olympus" }, "timezone", /"Mars\/Olympus" is not an IANA time zone; use a name such as "UTC"/],
    [{ deployment_id: deploymentId, cron: "0 * * * *", timezone: "europe/paris" }, "timezone", /"europe\/paris" is not an IANA time zone/],
    [{ deployment_id: deploymentId, interval: 0 }, "interval", /is 0; interval must be a number of seconds greater than 0/],
    [{ deployment_id: deploymentId, interval: 60, max_scheduled_runs: 0 }, "max_scheduled_runs", /is 0; max_scheduled_runs must be a whole number of runs, at least 1/],
    [{ deployment_id: deploymentId, interval: 60, day_or: true }, "day_or", /only applies to cron schedules/],
    [{ deployment_id: deploymentId, cron: "0 * * * *", anchor_date: "2024-01-01T00:00:00Z" }, "anchor_date", /only applies to interval schedules/],
    [{ deployment_id: deploymentId, interval: 60, anchor_date: "yesterday" }, "anchor_date", /"yesterday" is not an RFC 3339 date-time/],
    [{ deployment_id: "d-1", interval: 60 }, "deployment_id", /must be a UUID/],
    [{ deployment_id: deploymentId, interval: 60, catchup: true }, "catchup", /not an attribute of this resource/],
  ])("refuses %j at declaration time naming %s", (raw, attribute, message) => {
    const result = parseSpec(kind, raw);
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    expect(issues.map((issue) => issue.path.join("."))).toContain(attribute);
    expect(issues.map((issue) => issue.message).join("\n")).toMatch(message);
  });

  it.each([
    ["5 fields", "0 6 * * 1-5"],
    ["seconds last, as croniter takes them", "0 6 * * 1-5 30"],
    ["a year", "0 6 1 1 * 0 2030"],
    ["an alias", "@daily"],
    ["a day that never comes", "0 0 31 2 *"],
  ])("accepts a cron expression with %s", (_label, cron) => {
    expect(parseSpec(kind, { deployment_id: deploymentId, cron }).ok).toBe(true);
  });

});

describe.skipIf(!recordingsPresent())("prefect_deployment_schedule against a real 3.8 server's answers (scenarios.jsonl)", () => {
  const answers = (label: string): DeploymentSchedule[] => {
    for (const line of readFileSync(join(RECORDINGS_DIR, "scenarios.jsonl"), "utf8").split("\n")) {
      if (!line.trim()) continue;
      const scenario = JSON.parse(line) as { label: string; response: DeploymentSchedule[] };
      if (scenario.label === label) return scenario.response;
    }
    throw new Error(`no scenario labelled ${JSON.stringify(label)}`);
  };
  const deployment_id = "873213ce-9fe2-4d60-ba7c-b5a08771062e";

  it.each<[string, Raw]>([
    ["schedule add interval number", { deployment_id, interval: 900, active: true }],
    // Sent as text, answered as text by a server on Python 3.13+: read as seconds.
    ["schedule add interval iso", { deployment_id, interval: 1800, active: false }],
    // The server added DTSTART:20200101T000000 to the rule.
    ["schedule add rrule", { deployment_id, rrule: "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9", timezone: "UTC", active: true }],
  ])("reads the answer to %s as the declaration that made it", (label, raw) => {
    const [answer] = answers(label);
    expectNoChanges(kind, declare(kind, raw), { ...answer!, deployment_id });
  });

  it("reads a changed interval in either form as a change", () => {
    const [answer] = answers("schedule add interval iso");
    expect(diffSpec(kind, declare(kind, { deployment_id, interval: 900, active: false }), kind.toSpec({ ...answer!, deployment_id })).map((change) => change.path)).toEqual([["interval"]]);
  });
});
