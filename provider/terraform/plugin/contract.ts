// The seam between the plugin-protocol server (handshake, gRPC, the value codec) and the resource
// operations (plan, apply, read, import on the kinds). The server decodes each request's values
// into `TfValue`s by the schema, calls one method here, and encodes the answer back; the resource
// side never sees MessagePack or gRPC, and the protocol side never sees a kind.
import type { ProviderSchemasJson } from "../schema-export.js";

/** A value Terraform will know only after apply (an msgpack extension value on the wire). */
export const UNKNOWN: unique symbol = Symbol.for("prefect-gitops.terraform.unknown");
export type Unknown = typeof UNKNOWN;

/**
 * A Terraform value in its schema's shape: objects carry every attribute of their schema (null
 * when unset), lists and sets are arrays, maps are plain objects, numbers are JS numbers, and
 * `dynamic` attributes hold whatever their concrete value is.
 */
export type TfValue = null | string | number | boolean | Unknown | TfValue[] | { [key: string]: TfValue };
export type TfObject = { [key: string]: TfValue };

/** A path into a value: strings are attribute names, numbers are list or set element indexes. */
export type TfPath = (string | number)[];

export interface TfDiagnostic {
  severity: "error" | "warning";
  summary: string;
  detail?: string;
  /** The attribute the diagnostic is about, when known. */
  attribute?: TfPath;
}

export interface PlanRequest {
  /** The state before (null when creating). */
  prior: TfObject | null;
  /** Terraform's proposed new state: config merged with prior computed values (null when destroying). */
  proposed: TfObject | null;
  /** The configuration as written (null when destroying). */
  config: TfObject | null;
  priorPrivate?: Uint8Array;
}

export interface PlanResponse {
  planned: TfObject | null;
  /** Attribute paths whose change forces replacement. */
  requiresReplace: TfPath[];
  plannedPrivate?: Uint8Array;
  diagnostics: TfDiagnostic[];
}

export interface ApplyRequest {
  prior: TfObject | null;
  /** The planned state (null when destroying). */
  planned: TfObject | null;
  config: TfObject | null;
  plannedPrivate?: Uint8Array;
}

export interface StateResponse {
  /** The new state; null when the object is gone (destroyed, or deleted out of band on read). */
  state: TfObject | null;
  private?: Uint8Array;
  diagnostics: TfDiagnostic[];
}

/** What the protocol server calls; one instance per provider process. */
export interface ResourceProvider {
  /** The schemas served by GetProviderSchema: provider block, resources and data sources. */
  schemas(): ProviderSchemasJson;
  validateProviderConfig(config: TfObject): TfDiagnostic[];
  configure(config: TfObject): Promise<TfDiagnostic[]>;
  validateResourceConfig(typeName: string, config: TfObject): TfDiagnostic[];
  validateDataSourceConfig(typeName: string, config: TfObject): TfDiagnostic[];
  planResource(typeName: string, request: PlanRequest): Promise<PlanResponse>;
  applyResource(typeName: string, request: ApplyRequest): Promise<StateResponse>;
  readResource(typeName: string, state: TfObject, priv?: Uint8Array): Promise<StateResponse>;
  /** The states an import id stands for (ReadResource completes each afterwards). */
  importResource(typeName: string, id: string): Promise<{ states: TfObject[]; diagnostics: TfDiagnostic[] }>;
  /** A stored state (JSON, as Terraform saved it) written by schema `version`, in today's shape. */
  upgradeResource(typeName: string, version: number, stored: Record<string, unknown>): Promise<{ state: TfObject | null; diagnostics: TfDiagnostic[] }>;
  readDataSource(typeName: string, config: TfObject): Promise<{ state: TfObject | null; diagnostics: TfDiagnostic[] }>;
  /** StopProvider: abandon in-flight work. */
  stop(): Promise<void>;
}
