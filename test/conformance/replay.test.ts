// The replay against a real devserver: recorded ids are sent as the live ones they were paired
// with, and a recorded answer the devserver does not give is a finding.
import { describe, expect, it } from "vitest";
import { useDevServer } from "../support/devserver.js";
import type { RecordedExchange } from "./recordings.js";
import { replay } from "./replay.js";

const RECORDED_ID = "9d588979-c0ea-44d8-a69d-9eb9a6de12f8";
const AT = "2026-12-07T15:14:29.446423Z";

function exchange(at: string, method: string, path: string, request: unknown, status: number, response: unknown): RecordedExchange {
  return { at, key: `${method} ${path}`, method, path, request, status, response };
}

describe("replay", () => {
  const ctx = useDevServer();

  it("sends recorded ids as their live pairs and finds nothing when the answers agree", async () => {
    const variable = { id: RECORDED_ID, created: AT, updated: AT, name: "replayed", value: 1, tags: [] };
    const findings = await replay(
      "test.jsonl",
      [
        exchange("create", "POST", "/variables/", { name: "replayed", value: 1 }, 201, variable),
        exchange("read", "GET", `/variables/${RECORDED_ID}`, null, 200, variable),
        exchange("patch", "PATCH", `/variables/${RECORDED_ID}`, { value: 2 }, 204, null),
        exchange("duplicate", "POST", "/variables/", { name: "replayed", value: 3 }, 409, { detail: "A variable with the name 'replayed' already exists." }),
      ],
      ctx.server.url,
    );
    expect(findings).toEqual([]);
  });

  it("reports each answer that differs, with where it is in the recording", async () => {
    const findings = await replay(
      "test.jsonl",
      [
        exchange("create", "POST", "/variables/", { name: "differs", value: 1 }, 201, { id: RECORDED_ID, created: AT, updated: AT, name: "differs", value: 2, tags: [] }),
        exchange("missing", "GET", "/variables/name/nobody", null, 200, {}),
      ],
      ctx.server.url,
    );
    expect(findings).toEqual([
      { recording: "test.jsonl", exchange: "POST /variables/", at: "create", path: "$.value", kind: "value", recorded: 2, live: 1 },
      { recording: "test.jsonl", exchange: "GET /variables/name/nobody", at: "missing", path: "status", kind: "status", recorded: 200, live: 404 },
    ]);
  });
});
