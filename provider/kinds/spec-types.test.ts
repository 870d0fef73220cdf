// The spec types are derived from the attribute definitions (attributes.ts SpecOf): a value is
// always there when the attribute is required or has a default filled in at parsing, optional
// otherwise. These checks run in the type checker (npm run typecheck) and in vitest.
import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { attr, type SpecOf } from "./attributes.js";
import type { DeploymentSpec, PullStepSpec } from "./deployment/schema.js";
import type { GlobalConcurrencyLimitSpec } from "./global-concurrency-limit/schema.js";
import type { WorkPoolSpec } from "./work-pool/schema.js";

const sample = {
  required: attr.string({ description: "r", required: true }),
  defaulted: attr.bool({ description: "d", computed: true, default: false }),
  onCreate: attr.number({ description: "c", optional: true, computed: true, default: 0, defaultOnCreate: true }),
  optional: attr.stringSet({ description: "o", optional: true }),
  document: attr.json({ description: "j" }),
  nested: attr.object({ inner: attr.string({ description: "i", required: true }) }, { description: "n", optional: true }),
};

describe("spec types derived from attributes", () => {
  it("makes required and defaulted attributes always present, the others optional", () => {
    expectTypeOf<SpecOf<typeof sample>>().toEqualTypeOf<{
      required: string;
      defaulted: boolean;
      onCreate?: number;
      optional?: string[];
      document?: Record<string, unknown>;
      nested?: { inner: string };
    }>();
  });

  it("matches what parsing does: a default filled in is there, a default on create is not", () => {
    expect(z.strictObject(sample).parse({ required: "x" })).toStrictEqual({ required: "x", defaulted: false });
  });

  it("gives the kinds' specs the types their attributes hold", () => {
    expectTypeOf<WorkPoolSpec["name"]>().toEqualTypeOf<string>();
    expectTypeOf<Pick<WorkPoolSpec, "paused" | "concurrency_limit">>().toEqualTypeOf<{ paused: boolean; concurrency_limit?: number }>();
    expectTypeOf<Pick<GlobalConcurrencyLimitSpec, "active_slots">>().toEqualTypeOf<{ active_slots?: number }>();
    expectTypeOf<DeploymentSpec["pull_steps"]>().toEqualTypeOf<PullStepSpec[]>();
    expectTypeOf<PullStepSpec["type"]>().toEqualTypeOf<string>();
  });
});
