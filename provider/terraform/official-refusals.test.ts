// The list of declarations only prefect-gitops can apply: each is found where it is declared and
// nowhere else, each is a declaration both schemas accept (so a behaviour of the official
// provider, not a schema difference), and each cites the official provider's code.
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { KIND_SCHEMAS } from "../kinds/schemas.js";
import { checkDeclaration } from "../kinds/validate.js";
import { describeRefusal, OFFICIAL_REFUSALS, officialRefusalsOf } from "./official-refusals.js";

const OFFICIAL = new URL("../../../shared/terraform-provider/prefect-provider-schema.json", import.meta.url);
const DEPLOYMENT_ID = "6f1d1c2e-8a4b-4c3d-9e2f-1a2b3c4d5e6f";

/** A declaration of each refusal that the engine accepts. */
const DECLARATIONS: Record<string, { type: string; attributes: Record<string, unknown> }> = {
  "work-queue-default": { type: "prefect_work_queue", attributes: { work_pool_name: "etl-pool", name: "default", priority: 1 } },
  "deployment-schedule-day-or-false": { type: "prefect_deployment_schedule", attributes: { deployment_id: DEPLOYMENT_ID, cron: "0 6 1-7 * 1", day_or: false } },
};

describe("OFFICIAL_REFUSALS", () => {
  it.each([
    { type: "prefect_work_queue", attributes: { work_pool_name: "etl-pool", name: "default" }, codes: ["work-queue-default"] },
    { type: "prefect_work_queue", attributes: { work_pool_name: "etl-pool", name: "standard" }, codes: [] },
    { type: "prefect_work_queue", attributes: { work_pool_name: "default", name: "Default" }, codes: [] },
    { type: "prefect_work_queue", attributes: { work_pool_name: "etl-pool", name: "${var.queue}" }, codes: [] },
    { type: "prefect_work_pool", attributes: { name: "default" }, codes: [] },
    { type: "prefect_deployment", attributes: { name: "nightly", work_queue_name: "default" }, codes: [] },
    { type: "prefect_deployment_schedule", attributes: { deployment_id: DEPLOYMENT_ID, cron: "0 6 1-7 * 1", day_or: false }, codes: ["deployment-schedule-day-or-false"] },
    { type: "prefect_deployment_schedule", attributes: { deployment_id: DEPLOYMENT_ID, cron: "0 6 * * 1", day_or: true }, codes: [] },
    { type: "prefect_deployment_schedule", attributes: { deployment_id: DEPLOYMENT_ID, cron: "0 6 * * 1" }, codes: [] },
  ])("$type $attributes: $codes", ({ type, attributes, codes }) => {
    expect(officialRefusalsOf(type, attributes).map((finding) => finding.refusal.code)).toEqual(codes);
  });

  it("has a declaration of every refusal here, and each is one the engine applies", () => {
    expect(Object.keys(DECLARATIONS).sort()).toEqual(OFFICIAL_REFUSALS.map((refusal) => refusal.code).sort());
    for (const refusal of OFFICIAL_REFUSALS) {
      const { type, attributes } = DECLARATIONS[refusal.code]!;
      expect(officialRefusalsOf(type, attributes).map((finding) => finding.refusal), refusal.code).toEqual([refusal]);
      const kind = KIND_SCHEMAS.find((schema) => schema.type === type);
      expect(kind, type).toBeDefined();
      expect(checkDeclaration(kind!, attributes, () => false).issues, refusal.code).toEqual([]);
    }
  });

  it("cites the official provider's code for each, says what to do instead, and names the attribute in its message", () => {
    expect(new Set(OFFICIAL_REFUSALS.map((refusal) => refusal.code)).size).toBe(OFFICIAL_REFUSALS.length);
    for (const refusal of OFFICIAL_REFUSALS) {
      expect(refusal.source, refusal.code).toMatch(/^internal\/[\w/]+\.go, \w/);
      expect(refusal.refused.length, refusal.code).toBeGreaterThan(60);
      expect(refusal.instead.length, refusal.code).toBeGreaterThan(30);
      const { attributes } = DECLARATIONS[refusal.code]!;
      const message = describeRefusal({ refusal, value: attributes[refusal.attribute] });
      expect(message).toContain(`${refusal.type}.${refusal.attribute} = ${JSON.stringify(attributes[refusal.attribute])}`);
      expect(message).toContain(refusal.instead);
    }
  });

  it.skipIf(!existsSync(OFFICIAL))("lists only declarations the official schema accepts (else it would be a schema difference)", () => {
    const schemas = JSON.parse(readFileSync(OFFICIAL, "utf8")).provider_schemas["registry.terraform.io/prefecthq/prefect"].resource_schemas as Record<
      string,
      { block: { attributes: Record<string, { optional?: boolean; required?: boolean; type?: unknown }> } }
    >;
    for (const refusal of OFFICIAL_REFUSALS) {
      const attribute = schemas[refusal.type]?.block.attributes[refusal.attribute];
      expect(attribute?.optional || attribute?.required, `${refusal.type}.${refusal.attribute}`).toBe(true);
    }
  });
});
