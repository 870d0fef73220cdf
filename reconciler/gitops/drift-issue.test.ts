import { expect, test } from "vitest";
import type { DriftReport } from "../drift/drift.js";
import { driftMarker, isDriftIssueOf, renderDriftIssue } from "./drift-issue.js";

const report: DriftReport = {
  modified: [{ address: "prefect_variable.a", type: "prefect_variable", label: 'variable "a"', id: "id-1", kind: "modified", changes: [{ path: ["value"], before: "declared", after: "by hand", impact: "update", sensitive: false }] }],
  deleted: [{ address: "prefect_flow.f", type: "prefect_flow", label: 'flow "f"', id: "id-2", kind: "deleted", changes: [] }],
  pending: [],
  lookalikes: [],
  unchecked: [],
  errors: [],
  clean: false,
};

test.each([
  ["without self-heal, says how to correct it", undefined, /self_heal: true/],
  ["after self-heal, says the branch was applied", "applied", /\*\*Self-heal:\*\* the branch was applied/],
  ["after a failed self-heal, says the drift remains", "failed", /drift remains/],
] as const)("the drift issue %s", (_name, healed, expected) => {
  const { title, body } = renderDriftIssue({ stack: "prod", branch: "main", sha: "0123456789abcdef", report, healed });
  expect(title).toBe("Drift in Prefect stack prod");
  expect(isDriftIssueOf(body, "prod")).toBe(true);
  expect(isDriftIssueOf(body, "dev")).toBe(false);
  expect(body.startsWith(driftMarker("prod"))).toBe(true);
  expect(body).toContain("`prefect_variable.a`");
  expect(body).toContain('`"declared"` → `"by hand"`');
  expect(body).toContain("Deleted outside prefect-gitops");
  expect(body).toMatch(expected);
});
