// The ResourceProvider the plugin server calls: Terraform's resource operations on the kinds
// (parseSpec, read/find/create/update/delete/toSpec, compare.ts) through one PrefectClient made
// from the provider block, the PREFECT_* environment and Prefect profiles.
import { PrefectClient } from "../../client/client.js";
import { describeSettings } from "../../client/settings.js";
import { changedAttributes, withRecordedValues } from "../../kinds/compare.js";
import { parseSpec, type Kind, type KindContext, type Spec } from "../../kinds/kind.js";
import { kindFor } from "../../kinds/registry.js";
import { createKindContext } from "../../kinds/runtime.js";
import { KIND_SCHEMAS } from "../../kinds/schemas.js";
import { checkDeclaration } from "../../kinds/validate.js";
import type { ApplyRequest, PlanRequest, PlanResponse, ResourceProvider, StateResponse, TfDiagnostic, TfObject } from "../plugin/contract.js";
import { providerSchemaJson, PROVIDER_SOURCE, type ProviderSchemasJson } from "../schema-export.js";
import { configure, optionsOf } from "./configure.js";
import { dataSourceSchemas, readDataSource, validateDataSource } from "./data-sources.js";
import { errorDiagnostics, issueDiagnostic } from "./diagnostics.js";
import { formatOf, parseImportId } from "./import-ids.js";
import { planChange, specOfState } from "./plan.js";
import { sharedMemo } from "./context.js";
import { BatchedReads } from "./reads.js";
import { upgradeState } from "./upgrade.js";
import { declarationOf, emptyState, isImportStub, isUnknownTf, stateOf } from "./values.js";
import { WriteQueues } from "./write-queues.js";

export interface ResourceProviderOptions {
  /** The environment PREFECT_* settings are read from (the executable passes process.env). */
  env: Record<string, string | undefined>;
  /** Where operational lines go (stderr of the plugin: Terraform's TF_LOG). Never values. */
  log: (line: string) => void;
  /** How long reads of one kind wait for others to share a request with. @default 10 */
  readWindowMs?: number;
}

const NOT_CONFIGURED: TfDiagnostic = { severity: "error", summary: "The prefect provider is not configured", detail: "ConfigureProvider did not succeed: see its diagnostics." };

const unknownType = (typeName: string): TfDiagnostic => ({ severity: "error", summary: `Unknown resource type ${typeName}`, detail: `This provider implements ${KIND_SCHEMAS.map((kind) => kind.type).join(", ")}.` });

/**
 * Kinds Prefect upserts by name, so an existing one is the declared one: flows (a name that exists
 * answers 200 with that flow: client-suite #2688) and deployments (keyed by flow and name:
 * scenarios.jsonl "dep upsert d4 (same body)").
 */
const UPSERTED = new Set(["prefect_flow", "prefect_deployment"]);

const importHint = (kind: Kind, spec: Spec): string => {
  if (kind.type === "prefect_work_pool") return `terraform import <address> ${String(spec.name)}`;
  if (kind.type === "prefect_work_queue") return `terraform import <address> ${String(spec.work_pool_name)},${String(spec.name)}`;
  if (kind.type === "prefect_variable") return `terraform import <address> name/${String(spec.name)}`;
  return `terraform import <address> <id> (${formatOf(kind.type)})`;
};

/** The provider's resource side, for the plugin server. */
export function createResourceProvider(options: ResourceProviderOptions): ResourceProvider {
  let client: PrefectClient | undefined;
  let shared: KindContext | undefined;
  const context = (): KindContext => {
    if (!client) throw new Error(NOT_CONFIGURED.summary);
    shared ??= createKindContext(client);
    return sharedMemo(createKindContext(client), shared);
  };
  const reads = new BatchedReads(context, options.log, options.readWindowMs);
  const writes = new WriteQueues();
  const schemas: ProviderSchemasJson = providerSchemaJson(KIND_SCHEMAS);
  schemas.provider_schemas[PROVIDER_SOURCE]!.data_source_schemas = dataSourceSchemas();

  const withKind = <T>(typeName: string, fallback: (diagnostic: TfDiagnostic) => T, run: (kind: Kind) => T): T => {
    const kind = kindFor(typeName);
    return kind ? run(kind) : fallback(unknownType(typeName));
  };

  /** The live object a state stands for: by id (batched), or by natural key after an import by name. */
  async function readLive(kind: Kind, state: TfObject): Promise<unknown> {
    const id = typeof state.id === "string" ? state.id : undefined;
    if (id === undefined) return kind.find(context(), declarationOf(kind, state));
    if (kind.type === "prefect_deployment_schedule" && typeof state.deployment_id !== "string") return kind.read(context(), id);
    return reads.read(kind, { id, name: typeof state.name === "string" ? state.name : undefined, parentId: typeof state.deployment_id === "string" ? state.deployment_id : undefined });
  }

  async function create(kind: Kind, request: ApplyRequest): Promise<StateResponse> {
    const parsed = parseSpec(kind, declarationOf(kind, request.config ?? {}));
    if (!parsed.ok) return { state: null, diagnostics: parsed.issues.map((issue) => issueDiagnostic(kind, issue)) };
    try {
      const ctx = context();
      // Someone else's object of the declared name is not taken over (the engine's ownership rule,
      // and the official provider's 409): it is imported. Prefect itself upserts flows and
      // deployments by name, and a pool's default queue is adopted (Kind.adoptImplicitly).
      if (!UPSERTED.has(kind.type) && !kind.adoptImplicitly?.(parsed.spec)) {
        const existing = await kind.find(ctx, parsed.spec);
        if (existing !== undefined) {
          return {
            state: null,
            diagnostics: [{ severity: "error", summary: `The ${kind.title} already exists`, detail: `${kind.label(parsed.spec)} exists already (id ${kind.idOf(existing)}). To manage it here, import it: ${importHint(kind, parsed.spec)}` }],
          };
        }
      }
      const live = await writes.run(kind.serialization?.(parsed.spec), () => kind.create(ctx, parsed.spec));
      options.log(`created ${kind.type} ${kind.idOf(live)}`);
      return { state: stateOf(kind, kind.toSpec(live), request.planned), diagnostics: [] };
    } catch (error) {
      return { state: null, diagnostics: errorDiagnostics(kind, "create", error, importHint(kind, parsed.spec)) };
    }
  }

  async function update(kind: Kind, request: ApplyRequest, prior: TfObject): Promise<StateResponse> {
    const parsed = parseSpec(kind, declarationOf(kind, request.config ?? {}));
    if (!parsed.ok) return { state: prior, diagnostics: parsed.issues.map((issue) => issueDiagnostic(kind, issue)) };
    const id = String(prior.id);
    try {
      const ctx = context();
      const live = await kind.read(ctx, id);
      if (live === undefined) {
        return { state: null, diagnostics: [{ severity: "error", summary: `The ${kind.title} ${id} was deleted outside Terraform`, detail: "Run terraform apply again: the next plan creates it anew." }] };
      }
      const changed = changedAttributes(kind, parsed.spec, withRecordedValues(kind, kind.toSpec(live), specOfState(kind, prior)));
      const after = changed.length ? await writes.run(kind.serialization?.(parsed.spec), () => kind.update(ctx, id, parsed.spec, live, changed)) : live;
      options.log(`updated ${kind.type} ${id}${changed.length ? ` (${changed.join(", ")})` : " (nothing to send)"}`);
      return { state: stateOf(kind, kind.toSpec(after), request.planned), diagnostics: [] };
    } catch (error) {
      return { state: prior, diagnostics: errorDiagnostics(kind, "update", error) };
    }
  }

  async function destroy(kind: Kind, prior: TfObject): Promise<StateResponse> {
    const id = String(prior.id);
    try {
      await kind.delete(context(), id);
      options.log(`deleted ${kind.type} ${id}`);
      return { state: null, diagnostics: [] };
    } catch (error) {
      return { state: prior, diagnostics: errorDiagnostics(kind, "delete", error) };
    }
  }

  return {
    schemas: () => schemas,

    validateProviderConfig: (config) => optionsOf(config).diagnostics,

    async configure(config) {
      const result = configure(config, options.env);
      if (!result.ok) return result.diagnostics;
      await client?.close();
      client = new PrefectClient(result.settings);
      // What this process read belongs to the previous configuration: a reattached provider
      // (`--debug`) is configured again by each Terraform command, which must read afresh.
      shared = undefined;
      reads.invalidate();
      options.log(`configured: ${describeSettings(result.settings)}`);
      return result.diagnostics;
    },

    validateResourceConfig: (typeName, config) =>
      withKind(typeName, (d) => [d], (kind) => checkDeclaration(kind, declarationOf(kind, config), isUnknownTf).issues.map((issue) => issueDiagnostic(kind, issue))),

    validateDataSourceConfig: (typeName, config) => validateDataSource(typeName, config),

    async planResource(typeName: string, request: PlanRequest): Promise<PlanResponse> {
      return withKind(typeName, (d) => ({ planned: null, requiresReplace: [], diagnostics: [d] }), (kind) => {
        if (request.proposed === null || request.config === null) return { planned: null, requiresReplace: [], diagnostics: [] };
        const checked = checkDeclaration(kind, declarationOf(kind, request.config), isUnknownTf);
        if (checked.issues.length) return { planned: null, requiresReplace: [], diagnostics: checked.issues.map((issue) => issueDiagnostic(kind, issue)) };
        const plan = planChange(kind, request.config, request.prior);
        const diagnostics: TfDiagnostic[] = plan.reasons.map((reason) => ({ severity: "warning", summary: `${kind.type} must be replaced`, detail: reason }));
        return { planned: plan.planned, requiresReplace: plan.requiresReplace, diagnostics };
      });
    },

    async applyResource(typeName, request) {
      return withKind<Promise<StateResponse>>(typeName, async (d) => ({ state: null, diagnostics: [d] }), async (kind) => {
        if (!client) return { state: request.prior, diagnostics: [NOT_CONFIGURED] };
        reads.invalidate();
        if (request.planned === null) return request.prior ? destroy(kind, request.prior) : { state: null, diagnostics: [] };
        if (request.prior === null) return create(kind, request);
        return update(kind, request, request.prior);
      });
    },

    async readResource(typeName, state) {
      return withKind(typeName, async (d) => ({ state, diagnostics: [d] }), async (kind) => {
        if (!client) return { state, diagnostics: [NOT_CONFIGURED] };
        try {
          const live = await readLive(kind, state);
          if (live === undefined) {
            options.log(`${kind.type} ${String(state.id ?? "")} no longer exists`);
            return { state: null, diagnostics: [] };
          }
          // After an import, everything comes from the live object (a configuration that leaves
          // out an attribute Prefect has then plans its removal, as with the official provider).
          return { state: stateOf(kind, kind.toSpec(live), isImportStub(state) ? null : state), diagnostics: [] };
        } catch (error) {
          return { state, diagnostics: errorDiagnostics(kind, "read", error) };
        }
      });
    },

    async importResource(typeName, id) {
      return withKind<Promise<{ states: TfObject[]; diagnostics: TfDiagnostic[] }>>(typeName, async (d) => ({ states: [], diagnostics: [d] }), async (kind) => {
        const parsed = parseImportId(kind.type, id);
        if (!parsed.ok) return { states: [], diagnostics: [{ severity: "error", summary: "Unexpected import identifier", detail: parsed.message }] };
        const here = client?.settings.cloud?.workspaceId.toLowerCase();
        if (parsed.key.workspaceId !== undefined && parsed.key.workspaceId !== here) {
          return {
            states: [],
            diagnostics: [{ severity: "error", summary: "Import from another workspace", detail: `The import id names workspace ${parsed.key.workspaceId}, but the provider is configured for ${here ? `workspace ${here}` : "a Prefect server"}: import with a provider configured for that workspace.` }],
          };
        }
        return { states: [emptyState(kind, parsed.key.attributes)], diagnostics: [] };
      });
    },

    upgradeResource: async (typeName, version, stored) => withKind(typeName, async (d) => ({ state: null, diagnostics: [d] }), async (kind) => upgradeState(kind, version, stored)),

    readDataSource: async (typeName, config) => (client ? readDataSource(typeName, config, context()) : { state: null, diagnostics: [NOT_CONFIGURED] }),

    async stop() {
      await client?.close();
      client = undefined;
    },
  };
}
