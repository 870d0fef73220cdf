import { describe, expect, it } from "vitest";
import { parseSpec } from "../kind.js";
import { ACTION_TYPES } from "./action-attributes.js";
import { automationSchema } from "./schema.js";

// The attributes, flags and annotations against the official provider's schema are checked
// for every kind in provider/terraform/schema-export.test.ts.

describe("prefect_automation schema", () => {
  it("accepts every action type of the Prefect API and no other", () => {
    expect([...ACTION_TYPES].sort()).toEqual(
      [
        "call-webhook",
        "cancel-flow-run",
        "change-flow-run-state",
        "delete-flow-run",
        "do-nothing",
        "pause-automation",
        "pause-deployment",
        "pause-work-pool",
        "pause-work-queue",
        "resume-automation",
        "resume-deployment",
        "resume-flow-run",
        "resume-work-pool",
        "resume-work-queue",
        "run-deployment",
        "send-notification",
        "suspend-flow-run",
      ].sort(),
    );
  });

  it("fills the official defaults into a minimal declaration", () => {
    const parsed = parseSpec(automationSchema, { name: "n", trigger: { event: { posture: "Reactive" } }, actions: [{ type: "do-nothing" }] });
    expect(parsed.ok && parsed.spec).toEqual({
      name: "n",
      description: "",
      enabled: true,
      trigger: { event: { posture: "Reactive", match: {}, match_related: {}, after: [], expect: [], for_each: [] } },
      actions: [{ type: "do-nothing", parameters: {}, job_variables: {} }],
      actions_on_trigger: [],
      actions_on_resolve: [],
    });
  });
});
