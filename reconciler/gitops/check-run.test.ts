import { expect, test } from "vitest";
import { PLAN_FORMAT, type Plan } from "../plan/model.js";
import { annotationsOf, renderCheckRun } from "./check-run.js";

const plan = { format: PLAN_FORMAT, mode: "normal", createdAt: "", dir: "", configHash: "", liveFingerprint: "", stateLineage: "", stateSerial: 0, target: "", changes: [], drift: [], diagnostics: [], summary: { add: 0, change: 0, destroy: 0, import: 0 } } as Plan;

test.each([
  ["a stack file, under the stack's path", { severity: "error", code: "CONFIG_INVALID", summary: "bad", file: "main.tf", line: 4 }, "stacks/dev", [], { path: "stacks/dev/main.tf", start_line: 4, annotation_level: "failure" }],
  ["prefect-gitops.yaml, at the root", { severity: "error", code: "CONFIG_INVALID", summary: "bad", file: "prefect-gitops.yaml", line: 7 }, ".", ["prefect-gitops.yaml"], { path: "prefect-gitops.yaml", start_line: 7 }],
  ["a warning, as a warning", { severity: "warning", code: "CONFIG_INVALID", summary: "meh", file: "main.tf" }, "s", [], { path: "s/main.tf", start_line: 1, annotation_level: "warning" }],
] as const)("annotates %s", (_name, diagnostic, stackPath, rootFiles, expected) => {
  expect(annotationsOf([diagnostic], stackPath, rootFiles)).toEqual([expect.objectContaining(expected)]);
});

test("a valid plan succeeds; errors fail with their text and annotations", () => {
  expect(renderCheckRun({ stack: "dev", stackPath: "s", sha: "abc", plan, problems: [] })).toMatchObject({ name: "prefect-gitops / dev", conclusion: "success", title: "No changes" });
  const failed = renderCheckRun({ stack: "dev", stackPath: "s", sha: "abc", problems: [{ severity: "error", code: "CONFIG_INVALID", summary: "Unsupported argument", file: "main.tf", line: 3, detail: "valeu is not an attribute" }] });
  expect(failed).toMatchObject({ conclusion: "failure", title: "1 error in stack dev" });
  expect(failed.text).toContain("on main.tf line 3");
  expect(failed.annotations).toHaveLength(1);
});
