import { describe, expect, it } from "vitest";
import { StatusBook } from "./status.js";

const at = new Date("2026-12-08T00:00:00Z");
const book = () => new StatusBook("acme/config", "main", (text) => text.split("pnu_secret").join("***"), () => at);

describe("StatusBook", () => {
  it.each([
    ["a push applied", { kind: "push", branch: "main" }, { stack: "dev", sha: "abc", status: "applied" }, { lastCommit: "abc", lastApplied: { sha: "abc", at: at.toISOString(), status: "applied" }, lastSuccessAt: at.toISOString() }],
    ["an audit with drift", { kind: "schedule" }, { stack: "dev", sha: "abc", status: "drift", drifted: 2 }, { drifted: 2, lastAudit: { sha: "abc", at: at.toISOString(), status: "drift", drifted: 2 } }],
    ["a failed apply, its secret masked", { kind: "push", branch: "main" }, { stack: "dev", sha: "abc", status: "failed", retryable: true, message: "key pnu_secret refused" }, { lastError: { at: at.toISOString(), message: "key *** refused", retryable: true } }],
  ] as const)("%s", (_name, event, outcome, expected) => {
    const status = book();
    status.record(event, { outcomes: [outcome] });
    const [record] = status.snapshot(0).stacks;
    expect(record).toMatchObject({ stack: "dev", ...expected });
    if (outcome.status === "failed") expect(record!.lastApplied).toBeUndefined();
  });
});
