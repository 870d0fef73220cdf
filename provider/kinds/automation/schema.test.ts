import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { factsOf } from "../attributes.js";
import { parseSpec } from "../kind.js";
import { ACTION_TYPES } from "./action-attributes.js";
import { automationSchema } from "./schema.js";

interface TfAttribute {
  type?: unknown;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  nested_type?: { attributes: Record<string, TfAttribute>; nesting_mode: string };
}

type Notes = Record<string, { force_new?: boolean; format?: string; default?: string; validators?: string[] }>;

// The official provider's schema sits beside the repository (shared/terraform-provider/).
const SHARED = new URL("../../../../shared/terraform-provider/", import.meta.url);
const hasOfficial = existsSync(new URL("prefect-provider-schema.json", SHARED));
const readJson = <T>(name: string): T => JSON.parse(readFileSync(new URL(name, SHARED), "utf8")) as T;
const official: Record<string, TfAttribute> = hasOfficial
  ? Object.values(
      readJson<{ provider_schemas: Record<string, { resource_schemas: Record<string, { block: { attributes: Record<string, TfAttribute> } }> }> }>(
        "prefect-provider-schema.json",
      ).provider_schemas,
    )[0]!.resource_schemas.prefect_automation!.block.attributes
  : {};
const officialNotes: Notes = hasOfficial ? readJson<{ resource: Record<string, Notes> }>("prefect-provider-annotations.json").resource.prefect_automation! : {};

/** Every attribute path with its flags, in the official schema's terms. */
function officialFlags(attributes: Record<string, TfAttribute>, prefix = ""): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, attribute] of Object.entries(attributes)) {
    const path = prefix + name;
    const type = attribute.nested_type ? { nested: attribute.nested_type.nesting_mode } : attribute.type;
    out[path] = { type, required: attribute.required ?? false, optional: attribute.optional ?? false, computed: attribute.computed ?? false };
    if (attribute.nested_type) Object.assign(out, officialFlags(attribute.nested_type.attributes, `${path}.`));
  }
  return out;
}

function ourFlags(attributes: Record<string, z.ZodType>, prefix = ""): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(attributes)) {
    const facts = factsOf(schema);
    const path = prefix + name;
    out[path] = { type: facts.tfType, required: facts.required, optional: facts.optional, computed: facts.computed };
    if (facts.nested) Object.assign(out, ourFlags(facts.nested, `${path}.`));
  }
  return out;
}

function factsAt(path: string) {
  let attributes = automationSchema.attributes as Record<string, z.ZodType>;
  const parts = path.split(".");
  for (const part of parts.slice(0, -1)) attributes = factsOf(attributes[part]!).nested!;
  return factsOf(attributes[parts[parts.length - 1]!]!);
}

/** The value a framework default expression stands for: StaticString('{}'), StaticBool(True), empty lists and sets. */
function defaultValue(expression: string, format: string | undefined): unknown {
  const text = /StaticString\('(.*)'\)/.exec(expression);
  if (text) return format === "json" ? JSON.parse(text[1]!) : text[1];
  if (/StaticBool\(True\)/.test(expression)) return true;
  if (/StaticBool\(False\)/.test(expression)) return false;
  if (/List|Set/.test(expression) && /\[\]\)\)$/.test(expression)) return [];
  throw new Error(`unknown default ${expression}`);
}

describe("prefect_automation schema", () => {
  it.skipIf(!hasOfficial)("has exactly the official provider's attributes, types and flags at every nesting level", () => {
    expect(ourFlags(automationSchema.attributes as Record<string, z.ZodType>)).toEqual(officialFlags(official));
  });

  it.skipIf(!hasOfficial).each(Object.entries(officialNotes))("carries the official annotation of %s", (path, note) => {
    const facts = factsAt(path);
    expect(facts.forceNew).toBe(note.force_new ?? false);
    if (note.format) expect(facts.format).toBe(note.format);
    if (note.default) expect(facts.default).toEqual(defaultValue(note.default, note.format));
  });

  it("accepts every action type of the Prefect API and no other", () => {
    expect([...ACTION_TYPES].sort()).toEqual(
      [
        "call-webhook",
        "cancel-flow-run",
        "change-flow-run-state",
        "delete-flow-run",
        "do-nothing",
        "pause-automation",
        "pause-deployment",
        "pause-work-pool",
        "pause-work-queue",
        "resume-automation",
        "resume-deployment",
        "resume-flow-run",
        "resume-work-pool",
        "resume-work-queue",
        "run-deployment",
        "send-notification",
        "suspend-flow-run",
      ].sort(),
    );
  });

  it("fills the official defaults into a minimal declaration", () => {
    const parsed = parseSpec(automationSchema, { name: "n", trigger: { event: { posture: "Reactive" } }, actions: [{ type: "do-nothing" }] });
    expect(parsed.ok && parsed.spec).toEqual({
      name: "n",
      description: "",
      enabled: true,
      trigger: { event: { posture: "Reactive", match: {}, match_related: {}, after: [], expect: [], for_each: [] } },
      actions: [{ type: "do-nothing", parameters: {}, job_variables: {} }],
      actions_on_trigger: [],
      actions_on_resolve: [],
    });
  });
});
