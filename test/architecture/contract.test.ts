// The vendored contract is the shared one (generated/test freshness: test/architecture/generated.test.ts).
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const shared = new URL("../../../shared/prefect-api/server-openapi.json", import.meta.url);

describe("the contract", () => {
  it.skipIf(!existsSync(shared))("contract/prefect-openapi.json is the shared OpenAPI document, unchanged", () => {
    const vendored = readFileSync(new URL("../../contract/prefect-openapi.json", import.meta.url), "utf8");
    expect(JSON.parse(vendored)).toEqual(JSON.parse(readFileSync(shared, "utf8")));
  });
});
