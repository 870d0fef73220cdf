// Data sources of the resource kinds (`data "prefect_work_pool" "x" { name = "etl" }`): the
// resource's attributes, all computed but the ones that find the object, with the flags of the
// official provider's data sources (v3.4.1 schema) where it has one; read by id or natural key.
import type { AttributeFacts } from "../../kinds/attributes.js";
import { flowKind } from "../../kinds/flow/api.js";
import type { Kind, KindContext, Spec } from "../../kinds/kind.js";
import { kindFor } from "../../kinds/registry.js";
import type { TfDiagnostic, TfObject, TfValue } from "../plugin/contract.js";
import { UNKNOWN } from "../plugin/contract.js";
import { attributeJson, type AttributeJson, type SchemaJson } from "../schema-export.js";
import { errorDiagnostics } from "./diagnostics.js";
import { attributesOf, tfOf } from "./values.js";

interface DataSourceShape {
  /** Optional and computed: the attributes that find the object, and those the official data source lets a user set. */
  optionalComputed: string[];
  /** Optional, not computed (the official data sources' account_id/workspace_id). */
  optional?: string[];
  required?: string[];
  /** Attributes the data source has beyond the resource's (the official deployment data source's flow_name). */
  extra?: Record<string, AttributeJson>;
}

const SCOPE = ["account_id", "workspace_id"];

// From the official schema's data_source_schemas (shared/terraform-provider/prefect-provider-schema.json).
export const DATA_SOURCES: Readonly<Record<string, DataSourceShape>> = {
  prefect_work_pool: { optionalComputed: ["concurrency_limit", "default_queue_id", "description", "id", "name"], optional: SCOPE },
  prefect_work_queue: { optionalComputed: ["concurrency_limit", "description", "id", "name"], optional: SCOPE, required: ["work_pool_name"] },
  prefect_deployment: {
    optionalComputed: ["account_id", "flow_name", "id", "name", "workspace_id"],
    extra: { flow_name: { type: "string", description: "The name of the deployment's flow (with name, finds the deployment).", description_kind: "plain", optional: true, computed: true } },
  },
  // The official provider has no prefect_flow data source: found by id or name.
  prefect_flow: { optionalComputed: ["id", "name"], optional: SCOPE },
  prefect_block: { optionalComputed: ["id", "name", "type_slug"], optional: SCOPE },
  prefect_variable: { optionalComputed: ["id", "name"], optional: SCOPE },
  prefect_automation: { optionalComputed: [], optional: SCOPE, required: ["id"] },
  prefect_global_concurrency_limit: { optionalComputed: ["account_id", "created", "id", "name", "updated", "workspace_id"] },
};

/** An attribute's schema without the flags a data source sets its own way. */
function withoutFlags(json: AttributeJson): AttributeJson {
  const { required: _required, optional: _optional, computed: _computed, write_only: _writeOnly, ...out } = json;
  return out.nested_type ? { ...out, nested_type: { ...out.nested_type, attributes: Object.fromEntries(Object.entries(out.nested_type.attributes).map(([name, child]) => [name, computedOnly(child)])) } } : out;
}

/** Every nested attribute computed, as a data source's nested values are. */
const computedOnly = (json: AttributeJson): AttributeJson => ({ ...withoutFlags(json), computed: true });

/** The resource's attribute (schema-export.ts) without its flags, which the data source's shape sets. */
const attributeJsonOf = (facts: AttributeFacts): AttributeJson => withoutFlags(attributeJson(facts));

/** Attributes a data source leaves out: write-only and state-only ones have nothing to read. */
const readable = (facts: AttributeFacts): boolean => !facts.writeOnly && !facts.stateOnly;

export function dataSourceSchema(kind: Kind): SchemaJson {
  const shape = DATA_SOURCES[kind.type]!;
  const attributes: Record<string, AttributeJson> = {};
  for (const [name, facts] of attributesOf(kind)) {
    if (!readable(facts)) continue;
    const json = attributeJsonOf(facts);
    if (shape.required?.includes(name)) json.required = true;
    else if (shape.optional?.includes(name)) json.optional = true;
    else if (shape.optionalComputed.includes(name)) Object.assign(json, { optional: true, computed: true });
    else json.computed = true;
    attributes[name] = json;
  }
  Object.assign(attributes, shape.extra ?? {});
  const sorted = Object.fromEntries(Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b)));
  return { version: 0, block: { attributes: sorted, description: `Reads an existing ${kind.title}: ${kind.description}`, description_kind: "plain" } };
}

export function dataSourceSchemas(): Record<string, SchemaJson> {
  return Object.fromEntries(Object.keys(DATA_SOURCES).map((type) => [type, dataSourceSchema(kindFor(type)!)]));
}

const known = (value: TfValue | undefined): value is string => typeof value === "string" && value !== "";

/** The attributes that must be set for a data source to find one object. */
function lookupProblem(type: string, config: TfObject): string | undefined {
  if (Object.values(config).some((value) => value === UNKNOWN)) return undefined;
  if (known(config.id)) return undefined;
  switch (type) {
    case "prefect_work_queue":
    case "prefect_work_pool":
    case "prefect_flow":
    case "prefect_variable":
    case "prefect_global_concurrency_limit":
      return known(config.name) ? undefined : "set id or name";
    case "prefect_block":
      return known(config.name) && known(config.type_slug) ? undefined : "set id, or name and type_slug";
    case "prefect_deployment":
      return known(config.name) && known(config.flow_name) ? undefined : "set id, or name and flow_name";
    default:
      return undefined;
  }
}

export function validateDataSource(type: string, config: TfObject): TfDiagnostic[] {
  if (!DATA_SOURCES[type]) return [{ severity: "error", summary: `Unknown data source ${type}`, detail: `This provider has data sources ${Object.keys(DATA_SOURCES).join(", ")}.` }];
  const problem = lookupProblem(type, config);
  return problem ? [{ severity: "error", summary: `Not enough to find the ${type.replace(/^prefect_/, "").replace(/_/g, " ")}`, detail: problem }] : [];
}

async function find(kind: Kind, config: TfObject, ctx: KindContext): Promise<{ live: unknown; flowName?: string }> {
  if (known(config.id)) return { live: await kind.read(ctx, config.id) };
  if (kind.type === "prefect_deployment") {
    const flow = (await flowKind.find(ctx, { name: String(config.flow_name), tags: [] })) as { id: string; name: string } | undefined;
    return { live: flow ? await kind.find(ctx, { name: config.name, flow_id: flow.id } as Spec) : undefined, flowName: flow?.name };
  }
  const lookup: Spec = Object.fromEntries(Object.entries(config).filter(([, value]) => value !== null));
  return { live: await kind.find(ctx, lookup) };
}

export async function readDataSource(type: string, config: TfObject, ctx: KindContext): Promise<{ state: TfObject | null; diagnostics: TfDiagnostic[] }> {
  const problems = validateDataSource(type, config);
  if (problems.length) return { state: null, diagnostics: problems };
  const kind = kindFor(type)!;
  try {
    const found = await find(kind, config, ctx);
    if (found.live === undefined) {
      const by = Object.entries(config).filter(([, value]) => typeof value === "string" && value !== "").map(([name, value]) => `${name} = ${JSON.stringify(value)}`).join(", ");
      return { state: null, diagnostics: [{ severity: "error", summary: `No such ${kind.title}`, detail: `No ${kind.title} has ${by}.` }] };
    }
    const spec = kind.toSpec(found.live);
    const state: TfObject = {};
    for (const [name, facts] of attributesOf(kind)) if (readable(facts)) state[name] = tfOf(facts, spec[name]);
    if (type === "prefect_deployment") {
      const flowId = String(spec.flow_id);
      state.flow_name = found.flowName ?? ((await flowKind.read(ctx, flowId)) as { name?: string } | undefined)?.name ?? null;
    }
    // Values the configuration set stay as written (Terraform holds a data source to them).
    for (const [name, value] of Object.entries(config)) if (value !== null && name in state) state[name] = value;
    return { state, diagnostics: [] };
  } catch (error) {
    return { state: null, diagnostics: errorDiagnostics(kind, "read", error) };
  }
}
