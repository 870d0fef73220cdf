// Test support for prefect_deployment and prefect_deployment_schedule: their attributes must be
// the official provider's, nested attributes included (the annotations name those by path).
import { existsSync, readFileSync } from "node:fs";
import { expect } from "vitest";
import { factsOf } from "../attributes.js";
import { attributeFactsOf, type KindSchema } from "../kind.js";
import { SCHEMA_DIFFERENCES } from "../../terraform/schema-differences.js";

const official = new URL("../../../../shared/terraform-provider/", import.meta.url);

/** Whether the official provider's schema is there to compare with (it lives outside the repository). */
export const OFFICIAL_SCHEMA_PRESENT = existsSync(official);

type Facts = ReturnType<typeof attributeFactsOf>;
type Official = Record<string, { type?: unknown; nested_type?: { attributes: Record<string, Official[string]>; nesting_mode: string }; required?: boolean; optional?: boolean; computed?: boolean; sensitive?: boolean }>;

/** A default as the annotations print it (`stringdefault.StaticString('{}')`), as our facts hold it. */
function literal(text: string, format: string | undefined): unknown {
  if (/\[\]\)*$/.test(text)) return [];
  const value = /Static\w+\((.*)\)$/.exec(text)?.[1] ?? "";
  if (value === "True" || value === "False") return value === "True";
  if (/^'.*'$/.test(value)) return format === "json" ? JSON.parse(value.slice(1, -1)) : value.slice(1, -1);
  return Number(value);
}

/** Compare attribute facts with the official schema and annotations, nested attributes included. */
function expectOfficial(ours: Facts, theirs: Official, annotations: Record<string, Record<string, unknown>>, prefix = ""): void {
  expect(Object.keys(ours).sort(), prefix || "top level").toEqual(Object.keys(theirs).sort());
  for (const [name, official] of Object.entries(theirs)) {
    const facts = ours[name]!;
    const path = prefix + name;
    const note = (annotations[path] ?? {}) as { force_new?: boolean; default?: string; format?: string; use_state_for_unknown?: boolean };
    const type = official.nested_type ? { nested: official.nested_type.nesting_mode } : official.type;
    expect({ path, type: facts.tfType, required: facts.required, optional: facts.optional, computed: facts.computed, sensitive: facts.sensitive }).toEqual({
      path,
      type,
      required: official.required === true,
      optional: official.optional === true,
      computed: official.computed === true,
      // Intended differences are listed, with their reasons, in provider/terraform/schema-differences.ts.
      sensitive: official.sensitive === true || SCHEMA_DIFFERENCES.some((entry) => entry.path === `prefect_deployment.${path}` && entry.kind === "flags"),
    });
    expect({ path, forceNew: facts.forceNew, default: facts.default, format: facts.format, stable: facts.stable }).toEqual({
      path,
      forceNew: note.force_new === true,
      default: note.default === undefined ? undefined : literal(note.default, note.format),
      format: note.format,
      stable: note.use_state_for_unknown === true,
    });
    if (official.nested_type) {
      const nested = Object.fromEntries(Object.entries(facts.nested ?? {}).map(([child, schema]) => [child, factsOf(schema)]));
      expectOfficial(nested, official.nested_type.attributes, annotations, `${path}.`);
    }
  }
}

/** Expect the kind's version and attributes to be exactly the official provider's. */
export function expectOfficialSchema(kind: KindSchema): void {
  const schema = JSON.parse(readFileSync(new URL("prefect-provider-schema.json", official), "utf8"));
  const annotations = JSON.parse(readFileSync(new URL("prefect-provider-annotations.json", official), "utf8")).resource[kind.type] ?? {};
  const resource = schema.provider_schemas["registry.terraform.io/prefecthq/prefect"].resource_schemas[kind.type];
  expect(kind.version).toBe(resource.version);
  expectOfficial(attributeFactsOf(kind), resource.block.attributes, annotations);
}
