// Runs are worked out from Prefect's semantics as in next-runs.test.ts; 7 Dec 2026 is a Monday.
import { describe, expect, test } from "vitest";
import { schedulePreviews, type ScheduleChange } from "./previews.js";
import { renderSchedulePreviews } from "./render-markdown.js";

const now = new Date("2026-12-07T00:00:00Z");

function render(changes: ScheduleChange[]): string {
  return renderSchedulePreviews(schedulePreviews(changes, { now, count: 2 }));
}

describe("renderSchedulePreviews", () => {
  test("renders nothing when no schedule changes", () => {
    expect(renderSchedulePreviews([])).toBe("");
  });

  test("renders a table of runs before and after, in the schedule's zone", () => {
    const markdown = render([{ address: "prefect_deployment_schedule.weekdays", deployment: 'deployment "etl/nightly"', action: "update", before: { cron: "0 6 * * 1-5", timezone: "Europe/Paris" }, after: { cron: "0 7 * * 1-5", timezone: "Europe/Paris" } }]);
    expect(markdown).toBe(
      [
        "### Schedule previews",
        "",
        "Next runs of each changed schedule in its time zone, computed as Prefect's server computes them.",
        "",
        '**Runs change for:** deployment "etl/nightly"',
        "",
        '#### deployment "etl/nightly"',
        "",
        "**`prefect_deployment_schedule.weekdays`** (update)",
        "",
        "cron `0 6 * * 1-5` in Europe/Paris → cron `0 7 * * 1-5` in Europe/Paris",
        "",
        "| # | before | after |",
        "|---|---|---|",
        "| 1 | Mon 2026-12-07T06:00:00+01:00[Europe/Paris] | Mon 2026-12-07T07:00:00+01:00[Europe/Paris] |",
        "| 2 | Tue 2026-12-08T06:00:00+01:00[Europe/Paris] | Tue 2026-12-08T07:00:00+01:00[Europe/Paris] |",
        "",
      ].join("\n"),
    );
  });

  test("lists deployments whose runs change first, and says when a schedule makes no runs", () => {
    const markdown = render([
      { address: "s.params", deployment: 'deployment "a"', action: "update", before: { cron: "0 6 * * *" }, after: { cron: "0 6 * * *" } },
      { address: "s.paused", deployment: 'deployment "b"', action: "update", before: { cron: "0 6 * * *" }, after: { cron: "0 6 * * *", active: false } },
    ]);
    expect(markdown.indexOf('#### deployment "b"')).toBeGreaterThan(-1);
    expect(markdown.indexOf('#### deployment "b"')).toBeLessThan(markdown.indexOf('#### deployment "a"'));
    expect(markdown).toContain('**Runs change for:** deployment "b"\n');
    expect(markdown).toContain("| 1 | Mon 2026-12-07T06:00:00+00:00[UTC] | no runs (inactive) |");
    expect(markdown).toContain("**`s.params`** (update, runs unchanged)");
  });

  test("keeps an rrule on one table-safe line and notes an assumed anchor", () => {
    const markdown = render([
      { address: "s.rule", deployment: "d", action: "create", after: { rrule: "DTSTART:20260101T090000\nRRULE:FREQ=DAILY|x" } },
      { address: "s.every", deployment: "d", action: "create", after: { interval: 3600 } },
    ]);
    expect(markdown).toContain("rrule `DTSTART:20260101T090000 RRULE:FREQ=DAILY\\|x`");
    expect(markdown).toContain("_No anchor_date declared: Prefect counts the interval from when it stores the schedule; shown from now._");
  });
});
