// Generated code is committed; CI fails when regenerating it would change it.
import { describe, expect, it } from "vitest";
import { staleGeneratedFiles } from "../../scripts/generate.js";

describe("generated code", () => {
  it("is what `npm run generate` produces (wire types and L1 bindings)", async () => {
    const stale = await staleGeneratedFiles();
    expect(stale, "run `npm run generate` and commit the result").toEqual([]);
  });
});
