import { expect, test } from "vitest";
import { EventPayloadError, defaultBranchOf, eventFromPayload } from "./event.js";

const comment = (body: string, extra: Record<string, unknown> = {}) => ({ action: "created", issue: { number: 7, pull_request: { url: "u" } }, comment: { body, user: { login: "maria" } }, ...extra });

test.each([
  ["a pull request", "pull_request", { action: "opened", number: 3 }, { kind: "pull_request", number: 3, action: "opened" }],
  ["the plan command on a pull request", "issue_comment", comment("/prefect-gitops plan"), { kind: "command", number: 7, commenter: "maria", command: "plan" }],
  ["the apply command on a pull request", "issue_comment", comment("/prefect-gitops apply"), { kind: "command", number: 7, commenter: "maria", command: "apply" }],
  ["the plan command with text below", "issue_comment", comment("/prefect-gitops plan\nplease"), { kind: "command", number: 7, commenter: "maria", command: "plan" }],
  ["another comment", "issue_comment", comment("LGTM"), undefined],
  ["the command on an issue", "issue_comment", { ...comment("/prefect-gitops plan"), issue: { number: 7 } }, undefined],
  ["an edited comment", "issue_comment", comment("/prefect-gitops plan", { action: "edited" }), undefined],
  ["a push to a branch", "push", { ref: "refs/heads/main" }, { kind: "push", branch: "main" }],
  ["a tag push", "push", { ref: "refs/tags/v1" }, undefined],
  ["a schedule", "schedule", { schedule: "17 * * * *" }, { kind: "schedule" }],
  ["a manual run", "workflow_dispatch", {}, { kind: "schedule" }],
] as const)("reads %s", (_name, name, payload, expected) => {
  expect(eventFromPayload(name, payload)).toEqual(expected);
});

test("refuses a payload of another event, naming the field", () => {
  expect(() => eventFromPayload("pull_request", { ref: "refs/heads/main" })).toThrow(EventPayloadError);
  expect(() => eventFromPayload("pull_request", { ref: "refs/heads/main" })).toThrow(/number/);
});

test("finds the default branch in the payload when it is there", () => {
  expect(defaultBranchOf({ repository: { default_branch: "trunk" } })).toBe("trunk");
  expect(defaultBranchOf({ schedule: "x" })).toBeUndefined();
});
