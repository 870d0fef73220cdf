// Expected runs are worked out from Prefect's semantics as in next-runs.test.ts; 7 Dec 2026 is a Monday.
import { describe, expect, test } from "vitest";
import { appliedSchedule, schedulePreviews, type ScheduleChange } from "./previews.js";

const now = new Date("2026-12-07T00:00:00Z");
const deployment = 'deployment "etl/nightly"';
const iso = (runs: Date[] | undefined) => (runs ?? []).map((run) => run.toISOString());

describe("schedulePreviews", () => {
  test.each<{ name: string; change: ScheduleChange; before?: string[]; after?: string[]; runsChange: boolean }>([
    {
      name: "a created schedule has runs after and none before",
      change: { address: "s.a", deployment, action: "create", after: { cron: "0 6 * * *" } },
      after: ["2026-12-07T06:00:00.000Z", "2026-12-08T06:00:00.000Z"],
      runsChange: true,
    },
    {
      name: "a deleted schedule has runs before and none after",
      change: { address: "s.a", deployment, action: "delete", before: { cron: "0 6 * * *" } },
      before: ["2026-12-07T06:00:00.000Z", "2026-12-08T06:00:00.000Z"],
      runsChange: true,
    },
    {
      // 06:00 in Paris is 05:00Z in winter.
      name: "a new time zone moves the runs",
      change: { address: "s.a", deployment, action: "update", before: { cron: "0 6 * * *", timezone: "UTC" }, after: { cron: "0 6 * * *", timezone: "Europe/Paris" } },
      before: ["2026-12-07T06:00:00.000Z", "2026-12-08T06:00:00.000Z"],
      after: ["2026-12-07T05:00:00.000Z", "2026-12-08T05:00:00.000Z"],
      runsChange: true,
    },
    {
      // The update sends the live time zone back when none is declared (api.ts scheduleBody).
      name: "an update that leaves the time zone out keeps the live one, and the runs",
      change: { address: "s.a", deployment, action: "update", before: { cron: "0 6 * * *", timezone: "Europe/Paris" }, after: { cron: "0 6 * * *" } },
      before: ["2026-12-07T05:00:00.000Z", "2026-12-08T05:00:00.000Z"],
      after: ["2026-12-07T05:00:00.000Z", "2026-12-08T05:00:00.000Z"],
      runsChange: false,
    },
    {
      name: "pausing a schedule stops its runs",
      change: { address: "s.a", deployment, action: "update", before: { interval: 3600, anchor_date: "2026-01-01T00:00:00Z", active: true }, after: { interval: 3600, active: false } },
      before: ["2026-12-07T00:00:00.000Z", "2026-12-07T01:00:00.000Z"],
      after: [],
      runsChange: true,
    },
    {
      name: "a schedule that stays paused changes no runs",
      change: { address: "s.a", deployment, action: "update", before: { cron: "0 6 * * *", active: false }, after: { cron: "0 7 * * *" } },
      before: [],
      after: [],
      runsChange: false,
    },
    {
      // A replacement is a new schedule: its anchor is the time it is stored, shown as now.
      name: "a replaced interval without an anchor counts from now",
      change: { address: "s.a", deployment, action: "replace", before: { interval: 3600, anchor_date: "2026-01-01T00:30:00Z" }, after: { interval: 3600 } },
      before: ["2026-12-07T00:30:00.000Z", "2026-12-07T01:30:00.000Z"],
      after: ["2026-12-07T00:00:00.000Z", "2026-12-07T01:00:00.000Z"],
      runsChange: true,
    },
  ])("$name", ({ change, before, after, runsChange }) => {
    const [preview] = schedulePreviews([change], { now, count: 2 });
    expect(iso(preview?.before?.runs)).toEqual(before ?? []);
    expect(iso(preview?.after?.runs)).toEqual(after ?? []);
    expect(preview?.runsChange).toBe(runsChange);
  });

  test("says when an interval's anchor is assumed and when a side is inactive", () => {
    const [preview] = schedulePreviews([{ address: "s.a", deployment, action: "update", before: { interval: 60, active: false }, after: { interval: 60 } }], { now });
    expect(preview?.after).toMatchObject({ active: false, anchorAssumed: true, runs: [] });
    expect(preview?.before?.active).toBe(false);
  });

  test("reports a schedule it cannot compute instead of throwing", () => {
    const [preview] = schedulePreviews([{ address: "s.a", deployment, action: "create", after: { cron: "99 * * * *" } }], { now });
    expect(preview?.after?.problem).toMatch(/.+/);
    expect(preview?.after?.runs).toEqual([]);
  });
});

describe("appliedSchedule", () => {
  test("a kind change takes nothing from the live schedule", () => {
    expect(appliedSchedule({ address: "s.a", deployment, action: "update", before: { interval: 60, timezone: "Europe/Paris", anchor_date: "2026-01-01T00:00:00Z" }, after: { cron: "0 6 * * *" } })).toEqual({
      cron: "0 6 * * *",
      active: true,
    });
  });
});
