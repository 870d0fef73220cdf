import { describe, expect, it } from "vitest";
import type { ReadScope } from "./kind.js";
import { listingIsCheaper, listingPages, scopedCost, worthCounting } from "./listing-cost.js";

const ids = (n: number, prefix = "id") => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
const scope = (idCount: number, nameCount: number, ownedNames = 0): ReadScope => ({ ids: ids(idCount), names: ids(nameCount, "name"), ownedNames: ids(ownedNames, "owned") });

describe("listing cost", () => {
  it.each([
    [0, 1],
    [1, 1],
    [200, 1],
    [201, 2],
    [1000, 5],
  ])("a listing of %i objects takes %i pages", (count, pages) => {
    expect(listingPages(count)).toBe(pages);
  });

  it.each([
    ["ids only", scope(450, 0), {}, { requests: 3, wanted: 450 }],
    ["ids and names in pages of their own", scope(200, 1), {}, { requests: 2, wanted: 201 }],
    ["ids counted once, whatever their case", { ids: ["A", "a", "b"], names: [] }, {}, { requests: 1, wanted: 2 }],
    ["a deployment's schedules' parents in the same id pages", scope(150, 0), { extraIds: [...ids(150), ...ids(100, "parent")] }, { requests: 2, wanted: 250 }],
    ["by name: owned names paged, ids not", scope(300, 10, 300), { byName: true }, { requests: 2, wanted: 310 }],
    ["nothing wanted", scope(0, 0), {}, { requests: 0, wanted: 0 }],
  ])("the scoped read of %s", (_what, read, options, expected) => {
    expect(scopedCost(read, options)).toEqual(expected);
  });

  it.each([
    [1, false],
    [2, false],
    [3, true],
  ])("a scoped read of %i requests is worth a count: %s", (requests, expected) => {
    expect(worthCounting({ requests, wanted: 600 })).toBe(expected);
  });

  it.each([
    ["the workspace holds only part of what is wanted (first plan of a growing stack)", { requests: 3, wanted: 450 }, 150, true],
    ["nothing exists yet", { requests: 3, wanted: 500 }, 0, true],
    ["as many pages either way", { requests: 3, wanted: 600 }, 400, false],
    ["one page fewer, but the count eats it", { requests: 3, wanted: 600 }, 390, false],
    ["fewer requests but more objects answered (a crowded workspace)", { requests: 5, wanted: 400 }, 401, false],
    ["a crowded workspace, whatever the pages", { requests: 6, wanted: 1000 }, 12500, false],
    ["exactly the wanted objects in fewer pages", { requests: 6, wanted: 1000 }, 1000, false],
    ["the wanted objects in two pages fewer", { requests: 7, wanted: 1000 }, 1000, true],
  ])("%s", (_what, cost, count, expected) => {
    expect(listingIsCheaper(cost, count)).toBe(expected);
  });
});
