// Every expected date below was worked out by hand from Prefect's documented semantics
// (src/prefect/server/schemas/schedules.py, the libraries it calls) and the 2018/2026 DST
// dates: America/New_York springs forward on 11 Mar 2018 and 8 Mar 2026 (02:00 -> 03:00) and
// falls back on 4 Nov 2018 and 1 Nov 2026 (02:00 -> 01:00); Europe/London springs forward on
// 29 Mar 2026 (01:00 -> 02:00); Europe/Berlin on 29 Mar 2026 (02:00 -> 03:00). Where a row
// repeats a case of Prefect's own tests (tests/server/schemas/test_schedules.py), it says which.
import { describe, expect, test } from "vitest";
import { formatRunTime } from "./format.js";
import { nextRuns, scheduleTimeZone, type ScheduleLike } from "./next-runs.js";

interface Row {
  name: string;
  schedule: ScheduleLike;
  after: string;
  count?: number;
  expected: string[];
}

function runs(row: Row): string[] {
  return nextRuns(row.schedule, { after: new Date(row.after), count: row.count }).map((run) => formatRunTime(run, scheduleTimeZone(row.schedule)));
}

const NY = "America/New_York";
const LONDON = "Europe/London";

describe("cron schedules", () => {
  test.each<Row>([
    {
      // test_cron_schedule_hourly_daylight_savings_time_forward: NY hours 23, 0, 1, 3, 4.
      name: "an hourly cron skips the hour New York springs over",
      schedule: { cron: "0 * * * *", timezone: NY },
      after: "2018-03-10T23:00:00-05:00",
      expected: ["2018-03-10T23:00:00-05:00", "2018-03-11T00:00:00-05:00", "2018-03-11T01:00:00-05:00", "2018-03-11T03:00:00-04:00", "2018-03-11T04:00:00-04:00"].map((t) => `${t}[${NY}]`),
    },
    {
      // test_cron_schedule_hourly_daylight_savings_time_backward: UTC hours 3, 4, 5, 7, 8.
      name: "an hourly cron runs 1am once when New York falls back, two hours before 2am",
      schedule: { cron: "0 * * * *", timezone: NY },
      after: "2018-11-03T23:00:00-04:00",
      expected: ["2018-11-03T23:00:00-04:00", "2018-11-04T00:00:00-04:00", "2018-11-04T01:00:00-04:00", "2018-11-04T02:00:00-05:00", "2018-11-04T03:00:00-05:00"].map((t) => `${t}[${NY}]`),
    },
    {
      // Wall-clock cron: 9am stays 9am, the offset changes (test_cron_schedule_daily_start_daylight_savings_time_forward).
      name: "a daily 9am cron stays at 9am local across spring forward, the start itself included",
      schedule: { cron: "0 9 * * *", timezone: NY },
      after: "2026-03-06T09:00:00-05:00",
      expected: ["2026-03-06T09:00:00-05:00", "2026-03-07T09:00:00-05:00", "2026-03-08T09:00:00-04:00", "2026-03-09T09:00:00-04:00", "2026-03-10T09:00:00-04:00"].map((t) => `${t}[${NY}]`),
    },
    {
      // croniter yields the naive 02:30; zoneinfo with fold=0 reads it with the offset before the change (-05:00), 07:30Z.
      name: "a cron time New York skips runs an hour later that night",
      schedule: { cron: "30 2 * * *", timezone: NY },
      after: "2026-03-07T00:00:00-05:00",
      count: 3,
      expected: ["2026-03-07T02:30:00-05:00", "2026-03-08T03:30:00-04:00", "2026-03-09T02:30:00-04:00"].map((t) => `${t}[${NY}]`),
    },
    {
      // fold=0 is the first of the two 1:30s.
      name: "a cron time New York repeats runs once, at its first occurrence",
      schedule: { cron: "30 1 * * *", timezone: NY },
      after: "2026-10-31T00:00:00-04:00",
      count: 3,
      expected: ["2026-10-31T01:30:00-04:00", "2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"].map((t) => `${t}[${NY}]`),
    },
    {
      name: "a cron time London skips runs an hour later that night",
      schedule: { cron: "30 1 * * *", timezone: LONDON },
      after: "2026-03-28T00:00:00Z",
      count: 3,
      expected: ["2026-03-28T01:30:00+00:00", "2026-03-29T02:30:00+01:00", "2026-03-30T01:30:00+01:00"].map((t) => `${t}[${LONDON}]`),
    },
    {
      // day_or=True (the default): a day of 1-7 OR a Monday; 6 and 7 Jan 2026 are a Tuesday and a Wednesday.
      name: "day_or true runs on days 1-7 or on Mondays",
      schedule: { cron: "0 9 1-7 * 1", day_or: true },
      after: "2026-01-06T00:00:00Z",
      expected: ["2026-01-06T09:00:00+00:00", "2026-01-07T09:00:00+00:00", "2026-01-12T09:00:00+00:00", "2026-01-19T09:00:00+00:00", "2026-01-26T09:00:00+00:00"].map((t) => `${t}[UTC]`),
    },
    {
      // day_or=False: a Monday among days 1-7, the first Monday of each month (5 Jan 2026 is a Monday).
      name: "day_or false runs on the first Monday of each month",
      schedule: { cron: "0 9 1-7 * 1", day_or: false },
      after: "2026-01-06T00:00:00Z",
      expected: ["2026-02-02T09:00:00+00:00", "2026-03-02T09:00:00+00:00", "2026-04-06T09:00:00+00:00", "2026-05-04T09:00:00+00:00", "2026-06-01T09:00:00+00:00"].map((t) => `${t}[UTC]`),
    },
    {
      // Prefect steps one second back from the start and croniter moves on to the next whole minute.
      name: "a start inside the minute of a run skips that run",
      schedule: { cron: "0 9 * * *" },
      after: "2026-01-01T09:00:30Z",
      count: 2,
      expected: ["2026-01-02T09:00:00+00:00[UTC]", "2026-01-03T09:00:00+00:00[UTC]"],
    },
    {
      // test_cron_schedule_handles_scheduling_near_dst_boundary: a start on the day of the change, before it; UTC hour 4 each day.
      name: "a start on a spring-forward day before the change finds the next day's run",
      schedule: { cron: "10 0 * * *", timezone: "America/Montreal" },
      after: "2023-03-12T05:10:02Z",
      count: 2,
      expected: ["2023-03-13T00:10:00-04:00[America/Montreal]", "2023-03-14T00:10:00-04:00[America/Montreal]"],
    },
    {
      // croniter's 7-field form: minute hour day month weekday second year; 2028 has one 1 January.
      name: "a year field ends the schedule",
      schedule: { cron: "0 9 1 1 * 0 2028" },
      after: "2026-01-01T00:00:00Z",
      expected: ["2028-01-01T09:00:00+00:00[UTC]"],
    },
    {
      name: "an alias reads as croniter reads it",
      schedule: { cron: "@weekly", timezone: "UTC" },
      after: "2026-01-01T00:00:00Z",
      count: 2,
      expected: ["2026-01-04T00:00:00+00:00[UTC]", "2026-01-11T00:00:00+00:00[UTC]"],
    },
  ])("$name", (row) => {
    expect(runs(row)).toEqual(row.expected);
  });
});

describe("interval schedules", () => {
  test.each<Row>([
    {
      // test_interval_schedule_hourly_daylight_savings_time_forward: NY hours 23, 0, 1, 3, 4; UTC 4..8.
      name: "an hourly interval fires every UTC hour across spring forward",
      schedule: { interval: 3600, anchor_date: "2018-01-01T00:00:00Z", timezone: NY },
      after: "2018-03-10T23:00:00-05:00",
      expected: ["2018-03-10T23:00:00-05:00", "2018-03-11T00:00:00-05:00", "2018-03-11T01:00:00-05:00", "2018-03-11T03:00:00-04:00", "2018-03-11T04:00:00-04:00"].map((t) => `${t}[${NY}]`),
    },
    {
      // test_interval_schedule_hourly_daylight_savings_time_backward (Python 3.13+): NY hours 23, 0, 1, 1, 2.
      name: "an hourly interval fires twice at 1am when New York falls back",
      schedule: { interval: 3600, anchor_date: "2018-01-01T00:00:00Z", timezone: NY },
      after: "2018-11-03T23:00:00-04:00",
      expected: ["2018-11-03T23:00:00-04:00", "2018-11-04T00:00:00-04:00", "2018-11-04T01:00:00-04:00", "2018-11-04T01:00:00-05:00", "2018-11-04T02:00:00-05:00"].map((t) => `${t}[${NY}]`),
    },
    {
      // test_interval_schedule_daily_start_daylight_savings_time_forward: one calendar day per step.
      name: "a daily interval keeps 9am local across spring forward",
      schedule: { interval: 86_400, anchor_date: "2026-03-06T09:00:00-05:00", timezone: NY },
      after: "2026-03-06T09:00:00-05:00",
      expected: ["2026-03-06T09:00:00-05:00", "2026-03-07T09:00:00-05:00", "2026-03-08T09:00:00-04:00", "2026-03-09T09:00:00-04:00", "2026-03-10T09:00:00-04:00"].map((t) => `${t}[${NY}]`),
    },
    {
      name: "a daily interval keeps 9am local across fall back",
      schedule: { interval: 86_400, anchor_date: "2026-10-30T09:00:00-04:00", timezone: NY },
      after: "2026-10-30T09:00:00-04:00",
      expected: ["2026-10-30T09:00:00-04:00", "2026-10-31T09:00:00-04:00", "2026-11-01T09:00:00-05:00", "2026-11-02T09:00:00-05:00", "2026-11-03T09:00:00-05:00"].map((t) => `${t}[${NY}]`),
    },
    {
      // Elapsed from the anchor (5 Jan 14:00Z) to the start (20 Mar 12:00Z): 73 days 22 hours. Prefect
      // jumps 73 x 86400 s to 19 Mar 14:00Z (10:00 EDT), then steps one calendar day: 10:00 EDT.
      name: "a daily interval anchored in winter runs an hour later by the clock from a summer start",
      schedule: { interval: 86_400, anchor_date: "2026-01-05T09:00:00-05:00", timezone: NY },
      after: "2026-03-20T12:00:00Z",
      count: 3,
      expected: ["2026-03-20T10:00:00-04:00", "2026-03-21T10:00:00-04:00", "2026-03-22T10:00:00-04:00"].map((t) => `${t}[${NY}]`),
    },
    {
      // whenever moves a skipped time later by the gap, and every later step adds a day to that.
      name: "a daily interval at a time London skips moves an hour later and stays there",
      schedule: { interval: 86_400, anchor_date: "2026-03-27T01:30:00Z", timezone: LONDON },
      after: "2026-03-27T01:30:00Z",
      count: 4,
      expected: ["2026-03-27T01:30:00+00:00", "2026-03-28T01:30:00+00:00", "2026-03-29T02:30:00+01:00", "2026-03-30T02:30:00+01:00"].map((t) => `${t}[${LONDON}]`),
    },
    {
      // test_get_dates_from_future_anchor: 07:24 on 1 Jul 2021, then every 17 hours.
      name: "a future anchor yields runs before it, on its phase",
      schedule: { interval: 17 * 3600, anchor_date: "2030-02-02T05:24:00Z" },
      after: "2021-07-01T00:00:00Z",
      expected: ["2021-07-01T07:24:00", "2021-07-02T00:24:00", "2021-07-02T17:24:00", "2021-07-03T10:24:00", "2021-07-04T03:24:00"].map((t) => `${t}+00:00[UTC]`),
    },
    {
      // test_get_dates_from_anchor: 23:35 each day from 1 Jul 2021.
      name: "a past anchor keeps its time of day",
      schedule: { interval: 86_400, anchor_date: "2020-02-02T23:35:00Z" },
      after: "2021-07-01T00:00:00Z",
      count: 2,
      expected: ["2021-07-01T23:35:00+00:00[UTC]", "2021-07-02T23:35:00+00:00[UTC]"],
    },
    {
      // anchor_date's default_factory is the time the schedule is stored.
      name: "an interval without an anchor counts from the start",
      schedule: { interval: 3600 },
      after: "2026-01-01T00:00:30Z",
      count: 2,
      expected: ["2026-01-01T00:00:30+00:00[UTC]", "2026-01-01T01:00:30+00:00[UTC]"],
    },
  ])("$name", (row) => {
    expect(runs(row)).toEqual(row.expected);
  });
});

describe("rrule schedules", () => {
  test.each<Row>([
    {
      name: "COUNT ends the rule; a TZID start keeps 9am in the schedule's zone across spring forward",
      schedule: { rrule: "DTSTART;TZID=America/New_York:20260305T090000\nRRULE:FREQ=DAILY;COUNT=5", timezone: NY },
      after: "2026-01-01T00:00:00Z",
      count: 10,
      expected: ["2026-03-05T09:00:00-05:00", "2026-03-06T09:00:00-05:00", "2026-03-07T09:00:00-05:00", "2026-03-08T09:00:00-04:00", "2026-03-09T09:00:00-04:00"].map((t) => `${t}[${NY}]`),
    },
    {
      // to_rrule replaces DTSTART's zone with the schedule's timezone, UTC by default.
      name: "a TZID in the rule gives way to the schedule's timezone",
      schedule: { rrule: "DTSTART;TZID=America/New_York:20260305T090000\nRRULE:FREQ=DAILY;COUNT=2" },
      after: "2026-01-01T00:00:00Z",
      expected: ["2026-03-05T09:00:00+00:00[UTC]", "2026-03-06T09:00:00+00:00[UTC]"],
    },
    {
      // UNTIL is inclusive and compared on the wall clock.
      name: "UNTIL ends the rule, its own day included",
      schedule: { rrule: "DTSTART:20260305T090000\nRRULE:FREQ=DAILY;UNTIL=20260307T090000", timezone: LONDON },
      after: "2026-01-01T00:00:00Z",
      expected: ["2026-03-05T09:00:00+00:00", "2026-03-06T09:00:00+00:00", "2026-03-07T09:00:00+00:00"].map((t) => `${t}[${LONDON}]`),
    },
    {
      // No DTSTART: 2020-01-01T00:00, so minutes and seconds are 0. 26 Mar 2026 is a Thursday.
      name: "BYDAY picks Mondays and Thursdays at 9am Berlin time",
      schedule: { rrule: "FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=9", timezone: "Europe/Berlin" },
      after: "2026-03-26T00:00:00Z",
      count: 3,
      expected: ["2026-03-26T09:00:00+01:00", "2026-03-30T09:00:00+02:00", "2026-04-02T09:00:00+02:00"].map((t) => `${t}[Europe/Berlin]`),
    },
    {
      // dateutil gives a skipped wall time the offset after the change: 02:30-04:00 is 01:30 EST.
      name: "an rrule time New York skips runs an hour earlier that night",
      schedule: { rrule: "FREQ=DAILY;BYHOUR=2;BYMINUTE=30", timezone: NY },
      after: "2026-03-07T00:00:00-05:00",
      count: 3,
      expected: ["2026-03-07T02:30:00-05:00", "2026-03-08T01:30:00-05:00", "2026-03-09T02:30:00-04:00"].map((t) => `${t}[${NY}]`),
    },
    {
      name: "an rrule time New York repeats runs once, at its first occurrence",
      schedule: { rrule: "FREQ=DAILY;BYHOUR=1;BYMINUTE=30", timezone: NY },
      after: "2026-10-31T00:00:00-04:00",
      count: 3,
      expected: ["2026-10-31T01:30:00-04:00", "2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"].map((t) => `${t}[${NY}]`),
    },
    {
      // test_rrule_schedule_hourly_daylight_savings_time_backward: UTC hours 3, 4, 5, 7, 8.
      name: "an hourly rrule runs 1am once when New York falls back",
      schedule: { rrule: "DTSTART:20181103T230000\nRRULE:FREQ=HOURLY", timezone: NY },
      after: "2018-11-03T23:00:00-04:00",
      expected: ["2018-11-03T23:00:00-04:00", "2018-11-04T00:00:00-04:00", "2018-11-04T01:00:00-04:00", "2018-11-04T02:00:00-05:00", "2018-11-04T03:00:00-05:00"].map((t) => `${t}[${NY}]`),
    },
    {
      // 3,646,683 minutes from 2020-01-01T00:00 to the start, 5 past a multiple of 7: the next are 2, 9 and 16 minutes on.
      name: "a minutely rule without DTSTART keeps its phase from 2020",
      schedule: { rrule: "FREQ=MINUTELY;INTERVAL=7" },
      after: "2026-12-07T10:03:00Z",
      count: 3,
      expected: ["2026-12-07T10:05:00+00:00[UTC]", "2026-12-07T10:12:00+00:00[UTC]", "2026-12-07T10:19:00+00:00[UTC]"],
    },
  ])("$name", (row) => {
    expect(runs(row)).toEqual(row.expected);
  });
});

describe("nextRuns", () => {
  test("lists five runs unless told otherwise", () => {
    expect(nextRuns({ cron: "* * * * *" }, { after: new Date("2026-01-01T00:00:00Z") })).toHaveLength(5);
  });

  test("formats a run in its zone with offset and zone name", () => {
    expect(formatRunTime(new Date("2026-03-09T13:00:00Z"), NY)).toBe("2026-03-09T09:00:00-04:00[America/New_York]");
    expect(formatRunTime(new Date("2026-07-01T00:00:00Z"), "Asia/Kolkata")).toBe("2026-07-01T05:30:00+05:30[Asia/Kolkata]");
  });
});
