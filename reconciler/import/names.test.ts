import { describe, expect, it } from "vitest";
import { IDENTIFIER, identifierFrom, NameAllocator } from "./names.js";

describe("resource names from Prefect names", () => {
  it.each([
    ["etl", "etl"],
    ["ETL Nightly (v2)", "etl_nightly_v2"],
    ["my-pool", "my_pool"],
    ["  --weird__name--  ", "weird_name"],
    ["Café crème", "cafe_creme"],
    ["2024 report", "flow_2024_report"],
    ["🚀", "flow"],
    ["", "flow"],
  ])("makes %j a Terraform identifier: %j", (text, expected) => {
    const name = identifierFrom(text, "flow");
    expect(name).toBe(expected);
    expect(name).toMatch(IDENTIFIER);
  });

  it("hands out each name once, later askers getting a numbered one, reserved names never", () => {
    const names = new NameAllocator(["etl"]);
    expect([names.allocate("etl"), names.allocate("etl"), names.allocate("other"), names.allocate("etl_2")]).toEqual(["etl_2", "etl_3", "other", "etl_2_2"]);
  });
});
