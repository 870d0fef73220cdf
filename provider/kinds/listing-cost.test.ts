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
    ["ids only", scope(450, 0), {}, { requests: 3, wanted: 450, owned: 450 }],
    ["ids and names in pages of their own", scope(200, 1), {}, { requests: 2, wanted: 201, owned: 200 }],
    ["ids counted once, whatever their case", { ids: ["A", "a", "b"], names: [] }, {}, { requests: 1, wanted: 2, owned: 2 }],
    ["a deployment's schedules' parents in the same id pages", scope(150, 0), { extraIds: [...ids(150), ...ids(100, "parent")] }, { requests: 2, wanted: 250, owned: 250 }],
    ["by name: owned names paged, ids not", scope(300, 10, 300), { byName: true }, { requests: 2, wanted: 310, owned: 300 }],
    ["nothing wanted", scope(0, 0), {}, { requests: 0, wanted: 0, owned: 0 }],
  ])("the scoped read of %s", (_what, read, options, expected) => {
    expect(scopedCost(read, options)).toEqual(expected);
  });

  it.each([
    ["one request", { requests: 1, wanted: 200, owned: 0 }, false],
    ["two requests", { requests: 2, wanted: 400, owned: 0 }, false],
    ["three pages of names, nothing owned (a first plan)", { requests: 3, wanted: 600, owned: 0 }, true],
    ["1,000 owned ids: a listing is 5 pages at least (a no-change plan)", { requests: 5, wanted: 1000, owned: 1000 }, false],
    ["1,000 owned ids and 400 new names", { requests: 7, wanted: 1400, owned: 1000 }, true],
    ["200 owned and 200 new names", { requests: 2, wanted: 400, owned: 200 }, false],
  ])("a scoped read of %s is worth a count: %s", (_what, cost, expected) => {
    expect(worthCounting(cost)).toBe(expected);
  });

  it.each([
    ["the workspace holds only part of what is wanted (first plan of a growing stack)", { requests: 3, wanted: 450, owned: 0 }, 150, true],
    ["nothing exists yet", { requests: 3, wanted: 500, owned: 0 }, 0, true],
    ["as many pages either way", { requests: 3, wanted: 600, owned: 0 }, 400, false],
    ["one page fewer, but the count eats it", { requests: 3, wanted: 600, owned: 0 }, 390, false],
    ["fewer requests but more objects answered (a crowded workspace)", { requests: 5, wanted: 400, owned: 0 }, 401, false],
    ["a crowded workspace, whatever the pages", { requests: 6, wanted: 1000, owned: 0 }, 12500, false],
    ["exactly the wanted objects in fewer pages", { requests: 6, wanted: 1000, owned: 0 }, 1000, false],
    ["the wanted objects in two pages fewer", { requests: 7, wanted: 1000, owned: 0 }, 1000, true],
  ])("%s", (_what, cost, count, expected) => {
    expect(listingIsCheaper(cost, count)).toBe(expected);
  });
});
