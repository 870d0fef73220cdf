import { describe, expect, test } from "vitest";
import { PLAN_FORMAT, summarize, type Plan, type ResourceChange } from "../plan/model.js";
import { GITHUB_COMMENT_LIMIT, changeCounts, parseCommentMarker, renderPlanComment } from "./comment.js";

function change(address: string, action: ResourceChange["action"], after: Record<string, unknown> = { name: address }): ResourceChange {
  const type = address.split(".")[0]!;
  return { address, type, label: address, action, changes: [], replacePaths: [], dependencies: [], after, ...(action === "create" ? {} : { id: "00000000-0000-0000-0000-000000000001", before: { name: address } }) };
}

function plan(changes: ResourceChange[], diagnostics: Plan["diagnostics"] = []): Plan {
  return { format: PLAN_FORMAT, mode: "normal", createdAt: "2026-12-07T00:00:00Z", dir: "/x", configHash: "h", liveFingerprint: "f", stateLineage: "", stateSerial: 0, target: "http://127.0.0.1/api", changes, drift: [], diagnostics, summary: summarize(changes) };
}

const SHA = "0123456789abcdef0123456789abcdef01234567";

describe("the pull request comment", () => {
  test.each([
    ["creates and updates", [change("prefect_variable.a", "create"), change("prefect_flow.b", "update")], "`+1 ~1 -0 -/+0`"],
    ["a replacement and a deletion", [change("prefect_block.c", "replace"), change("prefect_variable.d", "delete")], "`+0 ~0 -1 -/+1`"],
    ["nothing", [change("prefect_variable.e", "no-op")], "`+0 ~0 -0 -/+0`"],
  ])("counts %s as + ~ - -/+", (_name, changes, counts) => {
    expect(changeCounts(plan(changes))).toBe(counts);
  });

  test("starts with the marker and the summary, with the details collapsed below", () => {
    const [body, ...rest] = renderPlanComment({ stack: "dev", sha: SHA, plan: plan([change("prefect_variable.a", "create")]) });
    expect(rest).toEqual([]);
    expect(parseCommentMarker(body!)).toEqual({ stack: "dev", part: 1 });
    const summaryAt = body!.indexOf("**Plan:** 1 to add, 0 to change, 0 to destroy.");
    expect(summaryAt).toBeGreaterThan(0);
    expect(body!.indexOf("<details><summary>Plan details</summary>")).toBeGreaterThan(summaryAt);
    expect(body).toContain("`0123456789ab`");
  });

  test("says there is nothing to do, without details, when nothing changes", () => {
    const [body] = renderPlanComment({ stack: "dev", sha: SHA, plan: plan([change("prefect_variable.a", "no-op")]) });
    expect(body).toContain("**No changes.**");
    expect(body).not.toContain("<details>");
  });

  test("lists errors with their file and line", () => {
    const [body] = renderPlanComment({ stack: "dev", sha: SHA, problems: [{ severity: "error", code: "CONFIG_INVALID", summary: "Unsupported argument", file: "main.tf", line: 12 }] });
    expect(body).toContain(":x: 1 error");
    expect(body).toContain("on main.tf line 12");
  });

  test("splits a plan over GitHub's limit into numbered parts, each below it, each with its marker", () => {
    const big = Array.from({ length: 400 }, (_, index) => change(`prefect_variable.v${index}`, "create", { name: `v${index}`, value: "x".repeat(400) }));
    const parts = renderPlanComment({ stack: "prod", sha: SHA, plan: plan(big) });
    expect(parts.length).toBeGreaterThan(2);
    parts.forEach((part, index) => {
      expect(part.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
      expect(parseCommentMarker(part)).toEqual({ stack: "prod", part: index + 1 });
    });
    expect(parts.join("\n")).toContain("v399");
    expect(parts[1]).toContain(`part 2 of ${parts.length}`);
  });

  test("puts what the schedule previews hook returns under the summary", () => {
    const [body] = renderPlanComment({ stack: "dev", sha: SHA, plan: plan([change("prefect_deployment_schedule.s", "create")]), schedulePreviews: (p) => `Next runs: ${p.changes.length}` });
    expect(body!.indexOf("Next runs: 1")).toBeGreaterThan(body!.indexOf("**Plan:**"));
    expect(body!.indexOf("Next runs: 1")).toBeLessThan(body!.indexOf("<details>"));
  });

  test.each([
    ["ours", "<!-- prefect-gitops:plan stack=dev part=2 -->\nbody", { stack: "dev", part: 2 }],
    ["someone else's", "Looks good to me", undefined],
    ["a quote of ours", "> <!-- prefect-gitops:plan stack=dev part=1 -->", undefined],
  ])("recognises %s comment", (_name, body, expected) => {
    expect(parseCommentMarker(body)).toEqual(expected);
  });
});
