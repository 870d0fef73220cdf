import { describe, expect, test } from "vitest";
import { durationSeconds } from "./durations.js";

describe("durationSeconds", () => {
  test.each([
    [900, 900],
    [900.5, 900.5],
    ["900", 900],
    ["900.0", 900],
    ["PT900S", 900],
    ["PT30M", 1800],
    ["PT1H30M", 5400],
    ["P1D", 86_400],
    ["P1DT2H", 93_600],
    ["P1W", 604_800],
    ["P1Y", 31_536_000],
    ["PT0.5S", 0.5],
    ["-PT10S", -10],
    ["pt15m", 900],
  ])("reads %j as %d seconds", (value, seconds) => {
    expect(durationSeconds(value)).toBe(seconds);
  });

  test.each([[null], [undefined], [""], ["P"], ["PT"], ["1 hour"], [{}], [Number.NaN], ["P1DT"]])("refuses %j", (value) => {
    expect(durationSeconds(value)).toBeUndefined();
  });
});
