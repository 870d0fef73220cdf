// The vendored contract is the shared one, and the generated wire types are fresh.
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generateWireTypes } from "../../contract/generate-wire.js";

const shared = new URL("../../../shared/prefect-api/server-openapi.json", import.meta.url);

describe("the contract", () => {
  it.skipIf(!existsSync(shared))("contract/prefect-openapi.json is the shared OpenAPI document, unchanged", () => {
    const vendored = readFileSync(new URL("../../contract/prefect-openapi.json", import.meta.url), "utf8");
    expect(JSON.parse(vendored)).toEqual(JSON.parse(readFileSync(shared, "utf8")));
  });

  it("contract/wire.gen.ts is what `npm run generate` produces", async () => {
    const committed = readFileSync(new URL("../../contract/wire.gen.ts", import.meta.url), "utf8");
    expect(committed === (await generateWireTypes()), "contract/wire.gen.ts is stale: run `npm run generate`").toBe(true);
  });
});
