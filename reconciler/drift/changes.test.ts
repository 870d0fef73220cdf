import { describe, expect, it } from "vitest";
import { attributeFactsOf } from "../../provider/kinds/kind.js";
import { VARIABLE } from "../../test/support/plan-fixtures.js";
import { sensitiveHash } from "../state/hash.js";
import { driftChanges } from "./changes.js";

const facts = attributeFactsOf(VARIABLE);
const SALT = "salt";

describe("drift of one object against the last apply", () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>, string[]]>([
    ["none when live matches what was applied", { name: "a", value: "x" }, { name: "a", value: "x" }, []],
    ["a value changed outside", { name: "a", value: "x" }, { name: "a", value: "y" }, ["value"]],
    ["tags compared as a set", { name: "a", tags: ["b", "a"] }, { name: "a", tags: ["a", "b"] }, []],
    ["attributes the state never recorded are not drift", { name: "a" }, { name: "a", value: "new" }, []],
    ["server-computed attributes are not drift", { name: "a", updated: "2026-01-01T00:00:00Z" }, { name: "a", updated: "2026-02-01T00:00:00Z" }, []],
    ["a recorded secret compared through its hash: unchanged", { value: sensitiveHash(SALT, "s") }, { value: "s" }, []],
    ["a recorded secret compared through its hash: changed", { value: sensitiveHash(SALT, "s") }, { value: "t" }, ["value"]],
    ["a secret recorded as null and absent now", { value: sensitiveHash(SALT, null) }, {}, []],
  ])("%s", (_name, recorded, live, expected) => {
    expect(driftChanges(facts, { values: recorded }, live, SALT).map((change) => change.path.join("."))).toEqual(expected);
  });

  it("marks a changed secret sensitive, so the plan masks it", () => {
    const [change] = driftChanges(facts, { values: { value: sensitiveHash(SALT, "s") } }, { value: "t" }, SALT);
    expect(change).toMatchObject({ sensitive: true, before: sensitiveHash(SALT, "s") });
  });
});
