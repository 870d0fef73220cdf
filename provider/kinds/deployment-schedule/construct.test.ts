import { describe, expect, it } from "vitest";
import { TerraformVariable } from "../../cdk.js";
import { newStack, only, resolved, synth, synthError } from "../../constructs/synth.testing.js";
import { Deployment } from "../deployment/construct.js";
import { DeploymentSchedule, Schedule, type ScheduleOptions } from "./construct.js";

const DEPLOYMENT_ID = "4c1f2e3d-5b6a-4798-8a9b-0c1d2e3f4a5b";

describe("Schedule", () => {
  it("builds cron schedules", () => {
    expect(Schedule.cron("0 6 * * 1-5").toAttributes()).toEqual({ cron: "0 6 * * 1-5" });
    expect(Schedule.cron("0 6 1 * 1", { dayOr: false }).toAttributes()).toEqual({ cron: "0 6 1 * 1", day_or: false });
    expect(Schedule.cron("@daily").kind).toBe("cron");
  });

  it("builds interval schedules from seconds or a duration, anchored on a string or a Date", () => {
    expect(Schedule.interval(90).toAttributes()).toEqual({ interval: 90 });
    expect(Schedule.interval({ days: 1, hours: 2, minutes: 3, seconds: 4 }).toAttributes()).toEqual({ interval: 86400 + 7200 + 180 + 4 });
    expect(Schedule.interval({ minutes: 15 }, { anchorDate: "2025-01-01T00:05:00+01:00" }).toAttributes()).toEqual({ interval: 900, anchor_date: "2025-01-01T00:05:00+01:00" });
    expect(Schedule.interval(60, { anchorDate: new Date(Date.UTC(2025, 0, 1, 9)) }).toAttributes()).toEqual({ interval: 60, anchor_date: "2025-01-01T09:00:00.000Z" });
  });

  it("builds rrule schedules", () => {
    expect(Schedule.rrule("FREQ=WEEKLY;BYDAY=MO;BYHOUR=9").toAttributes()).toEqual({ rrule: "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9" });
  });
});

describe("DeploymentSchedule", () => {
  it("synthesizes a prefect_deployment_schedule with the official attribute names", () => {
    const stack = newStack();
    new DeploymentSchedule(stack, "nightly", {
      deployment: Deployment.fromDeploymentId(stack, "Etl", DEPLOYMENT_ID),
      schedule: Schedule.cron("0 2 * * *", { dayOr: true }),
      timezone: "America/New_York",
      active: false,
      slug: "nightly",
      parameters: { full_refresh: true },
      maxScheduledRuns: 5,
    });
    expect(only(synth(stack), "prefect_deployment_schedule")).toEqual({
      deployment_id: DEPLOYMENT_ID,
      cron: "0 2 * * *",
      day_or: true,
      timezone: "America/New_York",
      active: false,
      slug: "nightly",
      parameters: '{"full_refresh":true}',
      max_scheduled_runs: 5,
    });
  });

  it("exposes a reference to its id and the schedule it was given", () => {
    const stack = newStack();
    const schedule = Schedule.interval(60);
    const made = new DeploymentSchedule(stack, "every-minute", { deployment: Deployment.fromDeploymentId(stack, "Etl", DEPLOYMENT_ID), schedule });
    expect(made.schedule).toBe(schedule);
    expect(resolved(stack, { id: made.scheduleId })).toEqual({ id: "${prefect_deployment_schedule.every-minute.id}" });
  });

  it("writes parameters holding references with jsonencode", () => {
    const stack = newStack();
    const region = new TerraformVariable(stack, "region", { type: "string" });
    new DeploymentSchedule(stack, "s", { deployment: Deployment.fromDeploymentId(stack, "Etl", DEPLOYMENT_ID), schedule: Schedule.rrule("FREQ=DAILY"), parameters: { region: region.stringValue } });
    expect(only(synth(stack), "prefect_deployment_schedule").parameters).toBe('${jsonencode({"region" = var.region})}');
  });

  describe("validation at synth, with the engine's rules", () => {
    const failure = (schedule: Schedule, options: ScheduleOptions = {}, deploymentId = DEPLOYMENT_ID) => {
      const stack = newStack();
      new DeploymentSchedule(stack, "schedule", { ...options, deployment: Deployment.fromDeploymentId(stack, "Etl", deploymentId), schedule });
      return synthError(stack);
    };

    it.each([
      ["a cron expression with too few fields", Schedule.cron("0 6 * *"), {}, '[test/schedule] schedule (cron): "0 6 * *" is not a valid cron expression: use 5 fields'],
      ["a cron expression with a bad field", Schedule.cron("0 25 * * *"), {}, '[test/schedule] schedule (cron): "0 25 * * *" is not a valid cron expression'],
      ["a hashed cron field", Schedule.cron("H 6 * * *"), {}, "uses a hashed (H) field, which Prefect does not support"],
      ["an unknown cron alias", Schedule.cron("@fortnightly"), {}, '"@fortnightly" is not a valid cron expression'],
      ["an interval of 0 seconds", Schedule.interval(0), {}, "[test/schedule] schedule (interval): is 0; interval must be a number of seconds greater than 0"],
      ["a negative interval", Schedule.interval({ minutes: -5 }), {}, "[test/schedule] schedule (interval): is -300"],
      ["an anchor date without an offset", Schedule.interval(60, { anchorDate: "2025-01-01 09:00" }), {}, '[test/schedule] schedule (anchorDate): "2025-01-01 09:00" is not an RFC 3339 date-time'],
      ["an invalid rrule", Schedule.rrule("FREQ=SOMETIMES"), {}, '[test/schedule] schedule (rrule): "FREQ=SOMETIMES" is not a valid RRule'],
      ["an rrule with a non-integer part", Schedule.rrule("FREQ=DAILY;INTERVAL=1.5"), {}, "INTERVAL must be a whole number"],
      ["an unknown time zone", Schedule.cron("0 6 * * *"), { timezone: "Mars/Olympus" }, '[test/schedule] timezone: "Mars/Olympus" is not an IANA time zone'],
      ["a blank slug", Schedule.cron("0 6 * * *"), { slug: " " }, '[test/schedule] slug: is " "; leave slug out or give it a value that is not blank'],
      ["max scheduled runs below 1", Schedule.cron("0 6 * * *"), { maxScheduledRuns: 0 }, "[test/schedule] maxScheduledRuns: is 0; max_scheduled_runs must be a whole number of runs, at least 1"],
    ])("refuses %s", (_, schedule, options, message) => {
      expect(failure(schedule, options)).toContain(message);
    });

    it("refuses a deployment id that is not a UUID", () => {
      expect(failure(Schedule.cron("0 6 * * *"), {}, "nightly")).toContain("[test/schedule] deployment: must be a UUID");
    });

    it("reports every problem at once, each with the construct path", () => {
      const message = failure(Schedule.cron("0 6 * *"), { timezone: "Nowhere", maxScheduledRuns: -1 }, "not-an-id");
      for (const prop of ["deployment", "schedule (cron)", "timezone", "maxScheduledRuns"]) expect(message).toContain(`[test/schedule] ${prop}:`);
    });
  });
});
