import { expect, test } from "vitest";
import { hclogLine } from "./log.js";

test("writes hclog JSON with the six-digit timestamp go-plugin parses", () => {
  expect(JSON.parse(hclogLine("debug", "ReadResource prefect_flow", new Date("2026-12-07T23:46:14.821Z")))).toEqual({
    "@level": "debug",
    "@message": "ReadResource prefect_flow",
    "@timestamp": "2026-12-07T23:46:14.821000Z",
  });
});
