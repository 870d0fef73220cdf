// Our data source schemas against the official provider's (v3.4.1): the same attribute names,
// types and top-level flags wherever the official provider has the data source.
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { AttributeJson, SchemaJson } from "../schema-export.js";
import { DATA_SOURCES, dataSourceSchemas, validateDataSource } from "./data-sources.js";

const OFFICIAL = new URL("../../../../shared/terraform-provider/prefect-provider-schema.json", import.meta.url);

const flags = (json: AttributeJson): string => (["required", "optional", "computed", "sensitive"] as const).filter((flag) => json[flag]).join(",");
const typeOf = (json: AttributeJson): unknown => json.type ?? json.nested_type?.nesting_mode;

describe.skipIf(!existsSync(OFFICIAL))("data source schemas", () => {
  const official = (): Record<string, SchemaJson> => {
    const schema = JSON.parse(readFileSync(OFFICIAL, "utf8")) as { provider_schemas: Record<string, { data_source_schemas: Record<string, SchemaJson> }> };
    return Object.values(schema.provider_schemas)[0]!.data_source_schemas;
  };
  const ours = dataSourceSchemas();

  it.each(Object.keys(DATA_SOURCES).filter((type) => type !== "prefect_flow"))("%s has the official data source's attributes, types and flags", (type) => {
    const theirs = official()[type]!.block.attributes;
    const mine = ours[type]!.block.attributes;
    expect(Object.keys(mine).sort()).toEqual(Object.keys(theirs).sort());
    for (const [name, json] of Object.entries(theirs)) {
      expect(`${name}: ${flags(mine[name]!)} ${JSON.stringify(typeOf(mine[name]!))}`).toBe(`${name}: ${flags(json)} ${JSON.stringify(typeOf(json))}`);
    }
  });

  it("has prefect_flow, which the official provider has not, found by id or name", () => {
    expect(official().prefect_flow).toBeUndefined();
    expect(ours.prefect_flow!.block.attributes.name).toMatchObject({ optional: true, computed: true });
  });

  it.each<[string, Record<string, string | null>, RegExp | undefined]>([
    ["prefect_work_pool", { name: "etl" }, undefined],
    ["prefect_work_pool", { name: null }, /set id or name/],
    ["prefect_block", { name: "b", type_slug: null }, /set id, or name and type_slug/],
    ["prefect_deployment", { name: "d", flow_name: null }, /set id, or name and flow_name/],
    ["prefect_webhook", {}, /Unknown data source/],
  ])("validates %s %j", (type, config, problem) => {
    const found = validateDataSource(type, config);
    if (problem) expect(found.map((d) => `${d.summary} ${d.detail ?? ""}`).join()).toMatch(problem);
    else expect(found).toEqual([]);
  });
});
