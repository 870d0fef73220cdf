// Test support for constructs: a stack with its provider, synthesized (validations run) into
// the Terraform JSON `cdktf synth` writes, and a check that every attribute written is one the
// official prefecthq/prefect provider knows, so the output stays valid for Terraform too.
import { existsSync, readFileSync } from "node:fs";
import { expect } from "vitest";
import { TerraformOutput, TerraformStack, Testing, type Construct } from "../cdk.js";
import { PrefectProvider } from "./provider.js";

export type TerraformJson = {
  provider?: { prefect?: Record<string, unknown>[] };
  variable?: Record<string, Record<string, unknown>>;
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  [section: string]: unknown;
};

/** A stack with a PrefectProvider, in an app of its own. */
export function newStack(id = "test"): TerraformStack {
  const stack = new TerraformStack(Testing.app(), id);
  new PrefectProvider(stack, "prefect");
  return stack;
}

/** The stack as Terraform JSON, after every construct's validation ran. */
export function synth(stack: TerraformStack): TerraformJson {
  const json = JSON.parse(Testing.synth(stack, true)) as TerraformJson;
  expectOfficialAttributes(json);
  return json;
}

/** The resources of one type, by address name. */
export function resources(json: TerraformJson, type: string): Record<string, Record<string, unknown>> {
  return json.resource?.[type] ?? {};
}

/** The only resource of a type. */
export function only(json: TerraformJson, type: string): Record<string, unknown> {
  const all = Object.values(resources(json, type));
  expect(all, `one ${type}`).toHaveLength(1);
  return all[0]!;
}

/** The address name of a construct's resource (its default child), as references use it. */
export function addressOf(construct: Construct): string {
  const resource = construct.node.defaultChild as { friendlyUniqueId?: string } | undefined;
  if (!resource?.friendlyUniqueId) throw new Error(`${construct.node.path} has no resource`);
  return resource.friendlyUniqueId;
}

/** What values synthesize to (references as `${type.name.attribute}`), through outputs of the stack. */
export function resolved(stack: TerraformStack, values: Record<string, unknown>): Record<string, unknown> {
  for (const [name, value] of Object.entries(values)) new TerraformOutput(stack, `resolved-${name}`, { value });
  const outputs = (JSON.parse(Testing.synth(stack)) as { output: Record<string, { value: unknown }> }).output;
  return Object.fromEntries(Object.keys(values).map((name) => [name, outputs[`resolved-${name}`]?.value]));
}

/** The warnings synth leaves on the stack's constructs (run it first), by construct path. */
export function warnings(stack: TerraformStack): { path: string; message: string }[] {
  return stack.node
    .findAll()
    .flatMap((construct) => construct.node.metadata.filter((entry) => entry.type === "@cdktf/warn").map((entry) => ({ path: construct.node.path, message: String(entry.data) })));
}

/** The message synth fails with (its validations' problems, each with a construct path). */
export function synthError(stack: TerraformStack): string {
  try {
    Testing.synth(stack, true);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("synth succeeded, but a validation failure was expected");
}

const OFFICIAL = new URL("../../../shared/terraform-provider/prefect-provider-schema.json", import.meta.url);

/** Whether the official provider's schema is there to compare with (it lives outside the repository). */
export const OFFICIAL_SCHEMA_PRESENT = existsSync(OFFICIAL);

type Block = { attributes?: Record<string, { required?: boolean; optional?: boolean; computed?: boolean; nested_type?: { attributes: Block["attributes"] } }> };

/** Every attribute written is the official provider's (and settable), nested attributes included; required ones are there. */
export function expectOfficialAttributes(json: TerraformJson): void {
  if (!OFFICIAL_SCHEMA_PRESENT) return;
  const schema = JSON.parse(readFileSync(OFFICIAL, "utf8")).provider_schemas["registry.terraform.io/prefecthq/prefect"] as {
    provider: { block: Block };
    resource_schemas: Record<string, { block: Block }>;
  };
  const check = (where: string, body: Record<string, unknown>, block: Block["attributes"] = {}) => {
    for (const [name, value] of Object.entries(body)) {
      if (["//", "depends_on", "lifecycle", "provider", "count", "for_each"].includes(name)) continue;
      const attribute = block[name];
      expect(attribute, `${where}.${name} is an attribute of the official provider`).toBeDefined();
      expect(attribute?.optional || attribute?.required, `${where}.${name} can be declared`).toBe(true);
      const nested = attribute?.nested_type?.attributes;
      if (nested && value && typeof value === "object") {
        for (const [index, item] of (Array.isArray(value) ? value : [value]).entries()) check(`${where}.${name}[${index}]`, item as Record<string, unknown>, nested);
      }
    }
    for (const [name, attribute] of Object.entries(block)) {
      if (attribute.required) expect(body[name], `${where}.${name} is required`).toBeDefined();
    }
  };
  for (const body of json.provider?.prefect ?? []) check("provider.prefect", body, schema.provider.block.attributes);
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    const resource = schema.resource_schemas[type];
    expect(resource, `${type} is a resource of the official provider`).toBeDefined();
    for (const [name, body] of Object.entries(byName)) check(`${type}.${name}`, body, resource?.block.attributes);
  }
}
