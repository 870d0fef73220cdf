// The GitHub contract itself: it must accept GitHub's own documented answers and payloads and
// refuse broken ones, or the simulator's checks would prove nothing.
import { expect, test } from "vitest";
import { githubContract } from "./openapi.js";

test("accepts a documented answer and refuses one missing required fields", () => {
  const contract = githubContract();
  expect(contract.response("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", 201, contract.example("issue-comment"))).toEqual([]);
  const { id: _id, ...withoutId } = contract.example("issue-comment");
  expect(contract.response("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", 201, withoutId).join("\n")).toMatch(/required property 'id'/);
  expect(contract.response("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", 418, {})).toEqual(["POST /repos/{owner}/{repo}/issues/{issue_number}/comments does not document a 418 answer"]);
});

test("checks request bodies and webhook payloads", () => {
  const contract = githubContract();
  expect(contract.request("POST", "/repos/{owner}/{repo}/check-runs", { name: "x", head_sha: "abc", conclusion: "success", status: "completed" })).toEqual([]);
  expect(contract.request("POST", "/repos/{owner}/{repo}/check-runs", { name: "x", head_sha: "abc", conclusion: "great" }).join("\n")).toMatch(/conclusion/);
  expect(contract.webhook("pull-request-opened", { action: "opened" }).length).toBeGreaterThan(0);
});
