import { describe, expect, it } from "vitest";
import { declare, entry, instance, KEYLESS, liveVariable, pending, stateOf, VARIABLE } from "../../test/support/plan-fixtures.js";
import type { PendingCreate, StateEntry } from "../state/model.js";
import { LiveIndex } from "./live-index.js";
import { locateLive } from "./locate.js";

const ADDRESS = "prefect_variable.v";
const spec = declare(VARIABLE, { name: "team", value: "x" });

interface Case {
  entries?: StateEntry[];
  pendings?: PendingCreate[];
  live: ReturnType<typeof liveVariable>[];
  adopt?: boolean;
  readError?: string;
  declared?: string[];
}

function locate({ entries = [], pendings = [], live, adopt = false, readError, declared = [ADDRESS] }: Case, kind = VARIABLE, declaredSpec = spec) {
  const state = stateOf(entries, pendings);
  const index = new LiveIndex({ kinds: new Map([[kind.type, { byId: new Map(live.map((item) => [item.id, item])), error: readError }]]) }, state);
  return locateLive({
    instance: instance(ADDRESS),
    kind,
    spec: declaredSpec,
    label: `variable "team"`,
    entry: state.resources[ADDRESS],
    pending: state.pending[ADDRESS],
    index,
    declared: (address) => declared.includes(address),
    mode: "normal",
    adopt,
  });
}

describe("locating the live object of a declaration", () => {
  it.each<[string, Case, { id?: string; importing: boolean; reason?: string; blocked?: boolean }]>([
    ["through the state's id", { entries: [entry(ADDRESS, "id-1")], live: [liveVariable("id-1", "renamed")] }, { id: "id-1", importing: false }],
    ["nothing live and nothing owned: a create", { live: [] }, { importing: false }],
    ["by name when the owned object was re-created outside", { entries: [entry(ADDRESS, "gone")], live: [liveVariable("id-2", "team")] }, { id: "id-2", importing: true, reason: "re-created outside prefect-gitops; adopting it" }],
    ["by name with --adopt", { live: [liveVariable("id-3", "team")], adopt: true }, { id: "id-3", importing: true, reason: "adopting an existing object (--adopt)" }],
    ["by name when a create was interrupted", { pendings: [pending(ADDRESS, "2026-01-01T00:00:00Z")], live: [liveVariable("id-4", "team")] }, { id: "id-4", importing: true, reason: "resuming an interrupted create" }],
    ["an unowned look-alike blocks the create", { live: [liveVariable("id-5", "team")] }, { importing: false, blocked: true }],
    ["an object owned by another declared address blocks it", { entries: [entry("prefect_variable.other", "id-6")], live: [liveVariable("id-6", "team")], declared: [ADDRESS, "prefect_variable.other"] }, { importing: false, blocked: true }],
  ])("%s", (_name, input, expected) => {
    const located = locate(input);
    expect(located.object === undefined ? undefined : VARIABLE.idOf(located.object)).toBe(expected.id);
    expect(located.importing).toBe(expected.importing);
    expect(located.reason).toBe(expected.reason);
    expect(Boolean(located.blocked)).toBe(Boolean(expected.blocked));
  });

  it("reports the look-alike and how to import it", () => {
    const located = locate({ live: [liveVariable("id-5", "team")] });
    expect(located.lookalike).toEqual({ address: ADDRESS, type: "prefect_variable", id: "id-5", label: `variable "team"` });
    expect(located.diagnostics[0]).toMatchObject({ severity: "error", code: "RESOURCE_EXISTS", address: ADDRESS });
    expect(located.diagnostics[0]!.detail).toContain(`prefect-gitops import ${ADDRESS} id-5`);
  });

  it("warns when the kind could not be read to check an owned object", () => {
    const located = locate({ entries: [entry(ADDRESS, "id-1")], live: [], readError: "503" });
    expect(located.object).toBeUndefined();
    expect(located.diagnostics).toEqual([expect.objectContaining({ severity: "warning", detail: "503" })]);
  });

  it("refuses a state entry of another type", () => {
    const located = locate({ entries: [entry(ADDRESS, "id-1", { type: "prefect_flow" })], live: [] });
    expect(located.blocked).toBe(true);
    expect(located.diagnostics[0]!.summary).toContain("recorded in the state as a prefect_flow");
  });

  describe("by content, for kinds without natural key after an interrupted create", () => {
    const keyless = declare(KEYLESS, { name: "team", value: "x" });
    it.each<[string, ReturnType<typeof liveVariable>[], PendingCreate[], StateEntry[], string | undefined]>([
      ["finds the object the create made", [liveVariable("a-1", "team", "x", "2026-01-01T00:00:30Z")], [pending(ADDRESS, "2026-01-01T00:00:00Z")], [], "a-1"],
      ["allows a minute of clock skew", [liveVariable("a-2", "team", "x", "2025-12-31T23:59:30Z")], [pending(ADDRESS, "2026-01-01T00:00:00Z")], [], "a-2"],
      ["ignores an object made long before the create", [liveVariable("a-3", "team", "x", "2025-12-31T00:00:00Z")], [pending(ADDRESS, "2026-01-01T00:00:00Z")], [], undefined],
      ["ignores an object of other content", [liveVariable("a-4", "team", "other", "2026-01-01T00:00:30Z")], [pending(ADDRESS, "2026-01-01T00:00:00Z")], [], undefined],
      ["ignores an object another address owns", [liveVariable("a-5", "team", "x", "2026-01-01T00:00:30Z")], [pending(ADDRESS, "2026-01-01T00:00:00Z")], [entry("prefect_variable.other", "a-5")], undefined],
      ["does not look without an interrupted create", [liveVariable("a-6", "team", "x", "2026-01-01T00:00:30Z")], [], [], undefined],
    ])("%s", (_name, live, pendings, entries, expected) => {
      const located = locate({ live, pendings, entries }, KEYLESS, keyless);
      expect(located.object === undefined ? undefined : KEYLESS.idOf(located.object)).toBe(expected);
      if (expected) expect(located).toMatchObject({ importing: true, reason: "resuming an interrupted create" });
    });
  });
});
