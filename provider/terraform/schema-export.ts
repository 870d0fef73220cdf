// The Terraform provider schema (the `terraform providers schema -json` form) built from the
// kinds' attribute facts: what the L1 bindings are generated from and what the plugin serves.
import type { z } from "zod";
import { factsOf, type AttributeFacts, type TfType } from "../kinds/attributes.js";
import type { KindSchema } from "../kinds/kind.js";
import { PROVIDER_ATTRIBUTES } from "./provider-block.js";

export const PROVIDER_SOURCE = "registry.terraform.io/prefecthq/prefect";

export interface AttributeJson {
  type?: TfType;
  nested_type?: { attributes: Record<string, AttributeJson>; nesting_mode: "single" | "list" | "set" };
  description?: string;
  description_kind?: "plain";
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
  write_only?: boolean;
}

export interface BlockJson {
  attributes: Record<string, AttributeJson>;
  description?: string;
  description_kind?: "plain";
}

export interface SchemaJson {
  version: number;
  block: BlockJson;
}

export interface ProviderSchemasJson {
  format_version: "1.0";
  provider_schemas: Record<string, { provider: SchemaJson; resource_schemas: Record<string, SchemaJson>; data_source_schemas: Record<string, SchemaJson> }>;
}

/** One attribute as `terraform providers schema -json` prints it. */
export function attributeJson(facts: AttributeFacts): AttributeJson {
  const out: AttributeJson = {};
  if (typeof facts.tfType === "object" && !Array.isArray(facts.tfType)) {
    out.nested_type = { attributes: attributesJson(facts.nested ?? {}), nesting_mode: facts.tfType.nested };
  } else {
    out.type = facts.tfType;
  }
  if (facts.description) {
    out.description = facts.description;
    out.description_kind = "plain";
  }
  if (facts.required) out.required = true;
  if (facts.optional) out.optional = true;
  if (facts.computed) out.computed = true;
  if (facts.sensitive) out.sensitive = true;
  if (facts.writeOnly) out.write_only = true;
  return out;
}

/** The JSON schema of a set of attributes, sorted by name as Terraform prints them. */
export function attributesJson(attributes: Record<string, z.ZodType>): Record<string, AttributeJson> {
  return Object.fromEntries(
    Object.keys(attributes)
      .sort()
      .map((name) => [name, attributeJson(factsOf(attributes[name]!))]),
  );
}

export function resourceSchemaJson(kind: KindSchema): SchemaJson {
  return {
    version: kind.version,
    block: { attributes: attributesJson(kind.attributes as Record<string, z.ZodType>), description: kind.description, description_kind: "plain" },
  };
}

/** The whole provider schema for the given kinds. */
export function providerSchemaJson(kinds: readonly KindSchema[]): ProviderSchemasJson {
  const resources = [...kinds].sort((a, b) => a.type.localeCompare(b.type));
  return {
    format_version: "1.0",
    provider_schemas: {
      [PROVIDER_SOURCE]: {
        provider: { version: 0, block: { attributes: attributesJson(PROVIDER_ATTRIBUTES), description: "Prefect, managed as code: a Prefect server or a Prefect Cloud workspace.", description_kind: "plain" } },
        resource_schemas: Object.fromEntries(resources.map((kind) => [kind.type, resourceSchemaJson(kind)])),
        data_source_schemas: {},
      },
    },
  };
}
