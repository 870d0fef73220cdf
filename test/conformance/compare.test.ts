// The replay's comparison and judgement: equal modulo ids and timestamps, nothing more lenient.
import { describe, expect, it } from "vitest";
import { compareBodies, compareResponses, IdMap } from "./compare.js";
import { judge, statusOnly, type Deviation } from "./judge.js";
import { RECORDING_DEFECTS } from "./deviations.js";
import type { RecordedExchange } from "./recordings.js";
import type { Finding } from "./replay.js";

const A = "9d588979-c0ea-44d8-a69d-9eb9a6de12f8";
const B = "be64a3aa-24c9-4dfd-aa56-2f14eb06f63e";
const X = "11111111-2222-4333-8444-555555555555";
const Y = "66666666-7777-4888-8999-aaaaaaaaaaaa";

describe("compareBodies", () => {
  it.each([
    ["equal scalars", { a: 1, b: "x", c: null, d: true }, { a: 1, b: "x", c: null, d: true }, []],
    ["a different value", { a: 1 }, { a: 2 }, [{ path: "$.a", kind: "value", recorded: 1, live: 2 }]],
    ["null against a value", { a: null }, { a: "NOT_READY" }, [{ path: "$.a", kind: "type", recorded: null, live: "NOT_READY" }]],
    ["a number against text", { interval: "PT30M" }, { interval: 1800 }, [{ path: "$.interval", kind: "type", recorded: "PT30M", live: 1800 }]],
    ["a missing key", { a: 1, b: 2 }, { a: 1 }, [{ path: "$.b", kind: "missing", recorded: 2, live: undefined }]],
    ["an extra key", { a: 1 }, { a: 1, b: 2 }, [{ path: "$.b", kind: "extra", recorded: undefined, live: 2 }]],
    ["arrays of other lengths, reported once", [1, 2, 3], [1, 2], [{ path: "$", kind: "length", recorded: 3, live: 2 }]],
    ["arrays in another order", ["a", "b"], ["b", "a"], [{ path: "$[0]", kind: "value", recorded: "a", live: "b" }, { path: "$[1]", kind: "value", recorded: "b", live: "a" }]],
    ["timestamps of the same form", { created: "2026-12-07T15:14:29.446423Z" }, { created: "2027-01-01T00:00:00.000100Z" }, []],
    ["timestamps of another form", { created: "2026-12-07T15:14:29.446423Z" }, { created: "2026-12-07T15:14:29.446423+00:00" }, [{ path: "$.created", kind: "value", recorded: "2026-12-07T15:14:29.446423Z", live: "2026-12-07T15:14:29.446423+00:00" }]],
    ["a timestamp against other text", { t: "2026-12-07T15:14:29.446423Z" }, { t: "soon" }, [{ path: "$.t", kind: "value", recorded: "2026-12-07T15:14:29.446423Z", live: "soon" }]],
    ["ids inside text", { name: `deployment:${A}` }, { name: `deployment:${X}` }, []],
    ["other text around an id", { name: `deployment:${A}` }, { name: `limit:${X}` }, [{ path: "$.name", kind: "value", recorded: `deployment:${A}`, live: `limit:${X}` }]],
    ["keys that are not identifiers", { "a-b": 1 }, { "a-b": 2 }, [{ path: '$["a-b"]', kind: "value", recorded: 1, live: 2 }]],
  ] as const)("%s", (_name, recorded, live, expected) => {
    expect(compareBodies(recorded, live, new IdMap())).toEqual(expected);
  });

  it("pairs ids by order of appearance and then holds both sides to the pairing", () => {
    const ids = new IdMap();
    expect(compareBodies({ id: A, pool: B }, { id: X, pool: Y }, ids)).toEqual([]);
    expect(ids.live(A)).toBe(X);
    // The same recorded id must come back as the same live id...
    expect(compareBodies({ id: A }, { id: Y }, ids)).toEqual([{ path: "$.id", kind: "id", recorded: A, live: Y }]);
    // ...and a live id already paired cannot stand for another recorded one.
    const fresh = "0f0f0f0f-1111-4222-8333-444444444444";
    expect(compareBodies({ id: fresh }, { id: X }, ids)).toEqual([{ path: "$.id", kind: "id", recorded: fresh, live: X }]);
  });

  it("reports a list of known objects in another order once, then compares them pair by pair", () => {
    const ids = new IdMap();
    ids.pair(A, X);
    ids.pair(B, Y);
    expect(compareBodies([{ id: A, limit: 2 }, { id: B, limit: 1 }], [{ id: Y, limit: 1 }, { id: X, limit: 3 }], ids)).toEqual([
      { path: "$", kind: "order", recorded: [A, B], live: [Y, X] },
      { path: "$[0].limit", kind: "value", recorded: 2, live: 3 },
    ]);
    // Sorted by names that differ only in their ids, the order follows the ids: no mismatch.
    expect(
      compareBodies([{ id: A, name: `deployment:${A}` }, { id: B, name: `deployment:${B}` }], [{ id: Y, name: `deployment:${Y}` }, { id: X, name: `deployment:${X}` }], ids),
    ).toEqual([]);
    // Objects not yet paired are compared in order.
    expect(compareBodies([{ id: "0f0f0f0f-1111-4222-8333-444444444444" }, { id: A }], [{ id: X }, { id: X }], new IdMap())).toEqual([
      { path: "$[1].id", kind: "id", recorded: A, live: X },
    ]);
  });

  it("holds a recorded time seen again to the live time it was first paired with", () => {
    const ids = new IdMap();
    const created = "2026-12-07T15:14:29.446423Z";
    expect(compareBodies({ created, updated: created }, { created: "2026-12-07T21:00:00.001000Z", updated: "2026-12-07T21:00:00.001000Z" }, ids)).toEqual([]);
    // Read back later: the same recorded time must be the same live time (an `updated` bumped by a read is caught).
    expect(compareBodies({ updated: created }, { updated: "2026-12-07T21:00:05.000000Z" }, ids)).toEqual([
      { path: "$.updated", kind: "time", recorded: created, live: "2026-12-07T21:00:05.000000Z" },
    ]);
    // One way only: another recorded time may share a live time (the devserver's clock steps by milliseconds).
    expect(compareBodies({ created: "2026-12-07T15:14:29.446999Z" }, { created: "2026-12-07T21:00:00.001000Z" }, ids)).toEqual([]);
  });

  it("looks up keys that are ids under their live pair", () => {
    const ids = new IdMap();
    ids.pair(A, X);
    expect(compareBodies({ [A]: 1 }, { [X]: 1 }, ids)).toEqual([]);
    expect(compareBodies({ [A]: 1 }, { [A]: 1 }, ids)).toEqual([
      { path: `$["${A}"]`, kind: "missing", recorded: 1, live: undefined },
      { path: `$["${A}"]`, kind: "extra", recorded: undefined, live: 1 },
    ]);
  });
});

describe("IdMap.rewrite", () => {
  it("sends paired ids and times as their live pair, at any depth and inside text, and unpaired ones as they are", () => {
    const ids = new IdMap();
    ids.pair(A, X);
    expect(ids.rewrite({ work_pool_id: A, ids: { any_: [A, B] }, name: `deployment:${A.toUpperCase()}` })).toEqual({
      work_pool_id: X,
      ids: { any_: [X, B] },
      name: `deployment:${X}`,
    });
    expect(ids.rewriteText(`/deployments/${A}/schedules`)).toBe(`/deployments/${X}/schedules`);
    // A time the server told the client goes back as the live server's time; one it never told, as recorded.
    ids.pairTime("2026-12-07T15:12:13.387326Z", "2026-12-07T21:00:00.001000Z");
    expect(ids.rewrite({ anchor_date: "2026-12-07T15:12:13.387326Z", other: "2026-01-01T00:00:00Z" })).toEqual({
      anchor_date: "2026-12-07T21:00:00.001000Z",
      other: "2026-01-01T00:00:00Z",
    });
  });
});

describe("compareResponses", () => {
  it("compares bodies only when the statuses agree", () => {
    expect(compareResponses({ status: 201, body: { a: 1 } }, { status: 409, body: { detail: "x" } }, new IdMap())).toEqual([
      { path: "status", kind: "status", recorded: 201, live: 409 },
    ]);
    expect(compareResponses({ status: 204, body: null }, { status: 204, body: undefined }, new IdMap())).toEqual([]);
  });
});

describe("judge", () => {
  const finding = (exchange: string, path: string): Finding => ({ recording: "r.jsonl", exchange, at: "#1", path, kind: "value", recorded: 1, live: 2 });
  const deviation = (exchange: string, path: string): Deviation => ({ recording: "r.jsonl", exchange, path, reason: "because" });

  it("fails on an unlisted deviation and on a listed one that no longer occurs", () => {
    const listed = [deviation("GET /a", "$.x"), deviation("GET /b", "$.y")];
    const result = judge([finding("GET /a", "$.x"), finding("GET /a", "$.z")], listed, ["r.jsonl"]);
    expect(result.unlisted).toEqual([finding("GET /a", "$.z")]);
    expect(result.stale).toEqual([deviation("GET /b", "$.y")]);
  });

  it.each([
    ["[*] for any index", "$[*].status", "$[3].status", true],
    ["[*] only for an index", "$[*].status", "$.status", false],
    ["a subtree", "$.block_schema.**", "$.block_schema.fields[0].x", true],
    ["a subtree includes its root", "$.block_schema.**", "$.block_schema", true],
    ["a subtree is not a prefix of a longer key", "$.block_schema.**", "$.block_schema_id", false],
    ["an exact path", "$.a", "$.ab", false],
  ])("matches paths: %s", (_name, pattern, path, matches) => {
    expect(judge([finding("GET /a", path)], [deviation("GET /a", pattern)], ["r.jsonl"]).unlisted.length === 0).toBe(matches);
  });

  it("leaves other recordings' entries alone", () => {
    expect(judge([], [{ ...deviation("GET /a", "$"), recording: "other.jsonl" }], ["r.jsonl"]).stale).toEqual([]);
  });
});

describe("recording defects", () => {
  const exchange = (response: unknown): RecordedExchange => ({ at: "#1", key: "GET /work_pools/{name}", method: "GET", path: "/work_pools/p", request: null, status: 200, response });
  // The first bytes of a gzip answer as the proxy stored them: 1f 8b 08 read as text.
  const mangled = "\u001f\ufffd\b\u0000\u0000\u0000\u0000\u0000\u0002\u0003\ufffdU";

  it("compares only the status of a gzip body stored as text, in the recording the defect is listed for", () => {
    expect(statusOnly(RECORDING_DEFECTS, "prefect-cli.jsonl")(exchange(mangled))).toBe(true);
    expect(statusOnly(RECORDING_DEFECTS, "client-suite.jsonl.gz")(exchange(mangled))).toBe(false);
  });

  it.each([
    ["an object", { name: "p" }],
    ["a list", []],
    ["no body", null],
    ["other text", "\u001fplain"],
  ])("keeps comparing the body of %s", (_name, response) => {
    expect(statusOnly(RECORDING_DEFECTS, "prefect-cli.jsonl")(exchange(response))).toBe(false);
  });
});
