import { describe, expect, it } from "vitest";
import { TerraformOutput, Testing, type TerraformStack } from "../../cdk.js";
import { newStack, synth as synthJson } from "../../constructs/synth.testing.js";
import { GlobalConcurrencyLimit } from "./construct.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const synth = (stack: TerraformStack): Json => synthJson(stack) as Json;
const LIMIT_ID = "7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

describe("GlobalConcurrencyLimit", () => {
  describe("synthesizes", () => {
    it("the official attribute names", () => {
      const stack = newStack();
      new GlobalConcurrencyLimit(stack, "vendor", { name: "vendor-api", limit: 10, active: false, slotDecayPerSecond: 0.5 });
      expect(synth(stack).resource.prefect_global_concurrency_limit.vendor).toEqual({ name: "vendor-api", limit: 10, active: false, slot_decay_per_second: 0.5 });
    });

    it("only what is declared, leaving Prefect's defaults", () => {
      const stack = newStack();
      new GlobalConcurrencyLimit(stack, "warehouse", { name: "warehouse", limit: 0 });
      expect(synth(stack).resource.prefect_global_concurrency_limit.warehouse).toEqual({ name: "warehouse", limit: 0 });
    });

    it("exposes its id and name as references", () => {
      const stack = newStack();
      const limit = new GlobalConcurrencyLimit(stack, "warehouse", { name: "warehouse", limit: 4 });
      new TerraformOutput(stack, "id", { value: limit.limitId });
      new TerraformOutput(stack, "name", { value: limit.limitName });
      expect(synth(stack).output).toEqual({ id: { value: "${prefect_global_concurrency_limit.warehouse.id}" }, name: { value: "${prefect_global_concurrency_limit.warehouse.name}" } });
    });

    it("references limits managed elsewhere by id, and by id and name", () => {
      const stack = newStack();
      const byId = GlobalConcurrencyLimit.fromLimitId(stack, "Shared", LIMIT_ID);
      expect(byId.limitId).toBe(LIMIT_ID);
      expect(() => byId.limitName).toThrow(/test\/Shared: the concurrency limit was referenced by id only .* use GlobalConcurrencyLimit\.fromLimitAttributes/);
      const full = GlobalConcurrencyLimit.fromLimitAttributes(stack, "Full", { limitId: LIMIT_ID, limitName: "warehouse" });
      expect([full.limitId, full.limitName]).toEqual([LIMIT_ID, "warehouse"]);
      expect(synth(stack).resource?.prefect_global_concurrency_limit).toBeUndefined();
    });
  });

  describe("validates at synth", () => {
    it.each<[string, ConstructorParameters<typeof GlobalConcurrencyLimit>[2], RegExp]>([
      ["an empty name", { name: "", limit: 1 }, /^name: must not be empty$/],
      ["a name with characters Prefect refuses", { name: "a/b>c", limit: 1 }, /^name: "a\/b>c" is not a valid concurrency limit name: Prefect refuses the characters \/ % & > < \(found \/ >\); e\.g\. "a-b-c"$/],
      ["the name of a deployment's own limit", { name: "deployment:3f0c2a51-7d8e-4b6a-9c1d-2e3f4a5b6c7d", limit: 1 }, /^name: "deployment:3f0c2a51-7d8e-4b6a-9c1d-2e3f4a5b6c7d" is the name Prefect gives a deployment's own concurrency limit/],
      ["a negative limit", { name: "x", limit: -1 }, /^limit: is -1; a limit must be 0 or more$/],
      ["a fractional limit", { name: "x", limit: 1.5 }, /^limit: is 1\.5; a limit must be a whole number of slots \(0 or more\)$/],
      ["a negative slot decay", { name: "x", limit: 1, slotDecayPerSecond: -0.1 }, /^slotDecayPerSecond: is -0\.1; slot_decay_per_second must be 0 or more/],
    ])("refuses %s", (_name, props, message) => {
      const found = new GlobalConcurrencyLimit(newStack(), "l", props).node.validate();
      expect(found, found.join("\n")).toHaveLength(1);
      expect(found[0]).toMatch(message);
    });

    it("reports every problem together, naming the construct path", () => {
      const stack = newStack();
      new GlobalConcurrencyLimit(stack, "l", { name: "a%b", limit: -2, slotDecayPerSecond: -1 });
      expect(() => Testing.synth(stack, true)).toThrow(/\[test\/l\] name: [^\n]*\n\s+\[test\/l\] limit: is -2[^\n]*\n\s+\[test\/l\] slotDecayPerSecond: is -1/);
    });
  });
});
