// The tfplugin6 Provider service: each RPC decodes its values by the schema, calls the
// ResourceProvider and encodes the answer. Requests and responses are plain objects in the
// shapes @grpc/proto-loader gives (keepCase, enums by name); server.ts binds them to gRPC.
// Every failure becomes a diagnostic: Terraform sees an error on the attribute, never a crash.
import type { ResourceProvider, TfDiagnostic, TfObject, TfValue } from "./contract.js";
import type { CtyType } from "./codec/cty-type.js";
import { decodeDynamicValue, encodeDynamicValue, type DynamicValueMessage } from "./codec/dynamic-value.js";
import { blockType } from "./codec/schema-type.js";
import { attributePathSteps } from "./attribute-path.js";
import { diagnosticMessages, errorDiagnostic, failureDiagnostic, notSupported, type DiagnosticMessage } from "./diagnostics.js";
import { schemaMessage, type SchemaMessage } from "./schema-proto.js";
import type { SchemaJson } from "../schema-export.js";

/** Messages are loosely typed at this edge: proto-loader gives plain objects. */
type Request = Record<string, unknown> & { type_name?: string };
type Response = Record<string, unknown>;
export type Handler = (request: Request) => Promise<Response>;

const SERVER_CAPABILITIES = {
  // PlanResourceChange is called for destroys too (proposed state null), so the resource side
  // can refuse a destroy with a diagnostic at plan time.
  plan_destroy: true,
  get_provider_schema_optional: false,
  move_resource_state: true,
};

interface Served {
  schema: SchemaJson;
  type: CtyType;
}

const served = (schemas: Record<string, SchemaJson>): Map<string, Served> =>
  new Map(Object.entries(schemas).map(([name, schema]) => [name, { schema, type: blockType(schema.block) }]));

const bytes = (value: unknown): Uint8Array | undefined => (value instanceof Uint8Array && value.length > 0 ? value : undefined);
/** A RawState's JSON form (Upgrade and Move both receive one), parsed; undefined when it has none (the legacy flatmap). */
const storedJson = (raw: unknown): Record<string, unknown> | undefined => {
  const json = bytes((raw as { json?: unknown } | undefined)?.json);
  return json ? (JSON.parse(Buffer.from(json).toString("utf8")) as Record<string, unknown>) : undefined;
};
const asObject = (value: TfValue): TfObject | null => (value === null || typeof value !== "object" || Array.isArray(value) ? null : (value as TfObject));

/** The Provider service's handlers, by RPC name. `log` gets one line per call, never a value. */
export function providerHandlers(provider: ResourceProvider, log: (line: string) => void): Record<string, Handler> {
  const schemas = Object.values(provider.schemas().provider_schemas)[0];
  if (!schemas) throw new Error("The resource provider's schemas() holds no provider schema.");
  const providerType = blockType(schemas.provider.block);
  const resources = served(schemas.resource_schemas);
  const dataSources = served(schemas.data_source_schemas);

  /** Runs one call; whatever it throws becomes a diagnostic in `diagnostics` (typed by `type`). */
  const guarded =
    (rpc: string, fail: (diagnostics: DiagnosticMessage[]) => Response, body: (request: Request) => Promise<Response>): Handler =>
    async (request) => {
      log(`${rpc}${request.type_name ? ` ${request.type_name}` : ""}`);
      try {
        return await body(request);
      } catch (error) {
        log(`${rpc} failed: ${error instanceof Error ? error.name : "error"}`);
        return fail(diagnosticMessages([failureDiagnostic(rpc, error)], typeFor(request)));
      }
    };

  function typeFor(request: Request): CtyType | undefined {
    const name = request.type_name ?? (request.target_type_name as string | undefined);
    return name ? (resources.get(name)?.type ?? dataSources.get(name)?.type) : providerType;
  }

  const unknownType = (kind: string, name: string | undefined, known: Map<string, Served>): TfDiagnostic[] =>
    known.has(name ?? "") ? [] : [errorDiagnostic(`Unknown ${kind} type "${name}"`, `The prefect provider serves these ${kind} types: ${[...known.keys()].join(", ") || "none"}.`)];

  const decodeObject = (message: unknown, type: CtyType): TfObject | null => asObject(decodeDynamicValue(message as DynamicValueMessage, type));
  const encode = (value: TfObject | null, type: CtyType) => encodeDynamicValue(value, type);
  const diagnosticsOnly = (diagnostics: DiagnosticMessage[]) => ({ diagnostics });

  // The schemas never change in a process: their messages are built on the first
  // GetProviderSchema (Terraform asks on every launch of the plugin), not on each call.
  let schemaResponse: Response | undefined;
  const providerSchemaResponse = (): Response => {
    const messages = (from: Map<string, Served>): Record<string, SchemaMessage> => Object.fromEntries([...from].map(([name, { schema }]) => [name, schemaMessage(schema)]));
    return {
      provider: schemaMessage(schemas.provider),
      resource_schemas: messages(resources),
      data_source_schemas: messages(dataSources),
      functions: {},
      ephemeral_resource_schemas: {},
      diagnostics: [],
      server_capabilities: SERVER_CAPABILITIES,
    };
  };

  /** For RPCs on one resource type: refuses an unknown type before decoding anything. */
  const resourceCall = (rpc: string, fail: (d: DiagnosticMessage[]) => Response, body: (request: Request, resource: Served) => Promise<Response>, from = resources, kind = "resource") =>
    guarded(rpc, fail, async (request) => {
      const unknown = unknownType(kind, request.type_name, from);
      if (unknown.length > 0) return fail(diagnosticMessages(unknown));
      return body(request, from.get(request.type_name!)!);
    });

  return {
    GetMetadata: guarded("GetMetadata", diagnosticsOnly, async () => ({
      server_capabilities: SERVER_CAPABILITIES,
      diagnostics: [],
      resources: [...resources.keys()].map((type_name) => ({ type_name })),
      data_sources: [...dataSources.keys()].map((type_name) => ({ type_name })),
      functions: [],
      ephemeral_resources: [],
    })),

    GetProviderSchema: guarded("GetProviderSchema", diagnosticsOnly, async () => (schemaResponse ??= providerSchemaResponse())),

    ValidateProviderConfig: guarded("ValidateProviderConfig", diagnosticsOnly, async (request) => {
      const config = decodeObject(request.config, providerType) ?? {};
      return { diagnostics: diagnosticMessages(provider.validateProviderConfig(config), providerType) };
    }),

    ConfigureProvider: guarded("ConfigureProvider", diagnosticsOnly, async (request) => {
      const config = decodeObject(request.config, providerType) ?? {};
      return { diagnostics: diagnosticMessages(await provider.configure(config), providerType) };
    }),

    ValidateResourceConfig: resourceCall("ValidateResourceConfig", diagnosticsOnly, async (request, { type }) => ({
      diagnostics: diagnosticMessages(provider.validateResourceConfig(request.type_name!, decodeObject(request.config, type) ?? {}), type),
    })),

    ValidateDataResourceConfig: resourceCall(
      "ValidateDataResourceConfig",
      diagnosticsOnly,
      async (request, { type }) => ({ diagnostics: diagnosticMessages(provider.validateDataSourceConfig(request.type_name!, decodeObject(request.config, type) ?? {}), type) }),
      dataSources,
      "data source",
    ),

    UpgradeResourceState: resourceCall("UpgradeResourceState", diagnosticsOnly, async (request, { type }) => {
      const stored = storedJson(request.raw_state);
      if (!stored) return { diagnostics: diagnosticMessages([notSupported("Upgrading a state in the legacy flatmap format")]) };
      const { state, diagnostics } = await provider.upgradeResource(request.type_name!, Number(request.version ?? 0), stored);
      return { upgraded_state: encode(state, type), diagnostics: diagnosticMessages(diagnostics, type) };
    }),

    ReadResource: resourceCall("ReadResource", diagnosticsOnly, async (request, { type }) => {
      const current = decodeObject(request.current_state, type);
      if (!current) return { new_state: encode(null, type), diagnostics: [] };
      const { state, private: priv, diagnostics } = await provider.readResource(request.type_name!, current, bytes(request.private));
      return { new_state: encode(state, type), private: priv ?? Buffer.alloc(0), diagnostics: diagnosticMessages(diagnostics, type) };
    }),

    PlanResourceChange: resourceCall("PlanResourceChange", diagnosticsOnly, async (request, { type }) => {
      const answer = await provider.planResource(request.type_name!, {
        prior: decodeObject(request.prior_state, type),
        proposed: decodeObject(request.proposed_new_state, type),
        config: decodeObject(request.config, type),
        priorPrivate: bytes(request.prior_private),
      });
      return {
        planned_state: encode(answer.planned, type),
        requires_replace: answer.requiresReplace.map((path) => ({ steps: attributePathSteps(path, type) })).filter((path) => path.steps.length > 0),
        planned_private: answer.plannedPrivate ?? Buffer.alloc(0),
        diagnostics: diagnosticMessages(answer.diagnostics, type),
      };
    }),

    ApplyResourceChange: resourceCall("ApplyResourceChange", diagnosticsOnly, async (request, { type }) => {
      const answer = await provider.applyResource(request.type_name!, {
        prior: decodeObject(request.prior_state, type),
        planned: decodeObject(request.planned_state, type),
        config: decodeObject(request.config, type),
        plannedPrivate: bytes(request.planned_private),
      });
      return { new_state: encode(answer.state, type), private: answer.private ?? Buffer.alloc(0), diagnostics: diagnosticMessages(answer.diagnostics, type) };
    }),

    ImportResourceState: resourceCall("ImportResourceState", diagnosticsOnly, async (request, { type }) => {
      const { states, diagnostics } = await provider.importResource(request.type_name!, String(request.id ?? ""));
      return {
        imported_resources: states.map((state) => ({ type_name: request.type_name, state: encode(state, type), private: Buffer.alloc(0) })),
        diagnostics: diagnosticMessages(diagnostics, type),
      };
    }),

    // Cheap moves only: the same resource type from another provider address (a fork, or the
    // official provider under another name), whose state has our shape; it goes through the
    // same upgrade as a stored state of that schema version.
    MoveResourceState: guarded("MoveResourceState", diagnosticsOnly, async (request) => {
      const target = request.target_type_name as string;
      const unknown = unknownType("resource", target, resources);
      if (unknown.length > 0) return { diagnostics: diagnosticMessages(unknown) };
      if (request.source_type_name !== target) {
        return { diagnostics: diagnosticMessages([errorDiagnostic(`Moving a ${String(request.source_type_name)} to ${target} is not supported`, "The prefect provider moves states only between resources of the same type (from another provider address).")]) };
      }
      const stored = storedJson(request.source_state);
      if (!stored) return { diagnostics: diagnosticMessages([notSupported("Moving a state without its JSON form")]) };
      const type = resources.get(target)!.type;
      const { state, diagnostics } = await provider.upgradeResource(target, Number(request.source_schema_version ?? 0), stored);
      return { target_state: encode(state, type), target_private: Buffer.alloc(0), diagnostics: diagnosticMessages(diagnostics, type) };
    }),

    ReadDataSource: resourceCall(
      "ReadDataSource",
      diagnosticsOnly,
      async (request, { type }) => {
        const { state, diagnostics } = await provider.readDataSource(request.type_name!, decodeObject(request.config, type) ?? {});
        return { state: encode(state, type), diagnostics: diagnosticMessages(diagnostics, type) };
      },
      dataSources,
      "data source",
    ),

    StopProvider: async () => {
      log("StopProvider");
      try {
        await provider.stop();
        return { Error: "" };
      } catch (error) {
        return { Error: error instanceof Error ? error.message : String(error) };
      }
    },

    GetFunctions: async () => ({ functions: {}, diagnostics: [] }),
    CallFunction: async (request) => ({ error: { text: `The prefect provider has no function "${String(request.name)}".` } }),
    ValidateEphemeralResourceConfig: async () => diagnosticsOnly(diagnosticMessages([notSupported("Ephemeral resources")])),
    OpenEphemeralResource: async () => diagnosticsOnly(diagnosticMessages([notSupported("Ephemeral resources")])),
    RenewEphemeralResource: async () => diagnosticsOnly(diagnosticMessages([notSupported("Ephemeral resources")])),
    CloseEphemeralResource: async () => diagnosticsOnly(diagnosticMessages([notSupported("Ephemeral resources")])),
  };
}
