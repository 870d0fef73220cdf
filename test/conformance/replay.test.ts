// The replay against a real devserver: recorded ids are sent as the live ones they were paired
// with, and a recorded answer the devserver does not give is a finding.
import { describe, expect, it } from "vitest";
import { useDevServer } from "../support/devserver.js";
import type { RecordedExchange } from "./recordings.js";
import { collectionOf, namedIds, replay } from "./replay.js";

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

  it("compares only the status of an unreadable answer, and pairs the id it carried from the next request that names one of its kind", async () => {
    const mangled = "\u001f\ufffd\b\u0000 mangled gzip";
    const unreadable = (e: RecordedExchange): boolean => typeof e.response === "string";
    const variable = { id: RECORDED_ID, created: AT, updated: AT, name: "unread", value: 1, tags: [] };
    const exchanges = [
      exchange("create", "POST", "/variables/", { name: "unread", value: 1 }, 201, mangled),
      exchange("read", "GET", `/variables/${RECORDED_ID}`, null, 200, variable),
    ];
    expect(await replay("test.jsonl", exchanges, ctx.server.url, { statusOnly: unreadable })).toEqual([]);
    // Without the rule the body is compared, and the id stays unknown: the read is a 404.
    const strict = await replay("test.jsonl", [exchange("create", "POST", "/variables/", { name: "unread-2", value: 1 }, 201, mangled), exchanges[1] as RecordedExchange], ctx.server.url);
    expect(strict.map((finding) => `${finding.at} ${finding.path} ${finding.kind}`)).toEqual(["create $ type", "read status status"]);
  });

  it("still finds a status that differs on an unreadable answer", async () => {
    const findings = await replay("test.jsonl", [exchange("missing", "GET", "/variables/name/nobody", null, 200, "\u001f\ufffd\b")], ctx.server.url, { statusOnly: () => true });
    expect(findings).toEqual([{ recording: "test.jsonl", exchange: "GET /variables/name/nobody", at: "missing", path: "status", kind: "status", recorded: 200, live: 404 }]);
  });
});

describe("the ids a request names, with their kind", () => {
  it.each([
    ["a path segment after its collection", `/deployments/${RECORDED_ID}/schedules`, null, [{ id: RECORDED_ID, collection: "deployments" }]],
    ["a Prefect resource id", `/automations/owned-by/prefect.deployment.${RECORDED_ID}`, null, [{ id: RECORDED_ID, collection: "deployments" }]],
    ["a hyphenated resource kind", `/automations/related-to/prefect.work-pool.${RECORDED_ID}`, null, [{ id: RECORDED_ID, collection: "work_pools" }]],
    ["a body's <kind>_id field", "/deployments/", { flow_id: RECORDED_ID, schedules: [{ work_queue_id: RECORDED_ID }] }, [{ id: RECORDED_ID, collection: "flows" }, { id: RECORDED_ID, collection: "work_queues" }]],
    ["an id whose kind is not said", "/flows/filter", { flows: { id: { any_: [RECORDED_ID] } } }, []],
  ] as const)("%s", (_name, path, body, expected) => {
    expect(namedIds(path, body)).toEqual(expected);
  });

  it.each([
    ["/deployments/name/etl/nightly", "deployments"],
    ["/v2/concurrency_limits/cli-gcl", "concurrency_limits"],
    ["/work_pools/?x=1", "work_pools"],
  ])("%s is about %s", (path, collection) => {
    expect(collectionOf(path)).toBe(collection);
  });
});
