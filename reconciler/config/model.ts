// The configuration as the engine sees it, whatever it was written in (HCL, Terraform JSON, a
// CDKTF app): a provider block, variables, locals and resource blocks holding raw Terraform
// JSON values (strings may be `${...}` templates), each with where it was written.

export interface SourceLocation {
  file: string;
  line?: number;
}

export interface Lifecycle {
  preventDestroy: boolean;
  /** Attribute names whose differences are ignored, or every attribute. */
  ignoreChanges: string[] | "all";
}

export interface ResourceBlock {
  type: string;
  name: string;
  /** Attribute values as written (Terraform JSON; strings may be templates). */
  attributes: Record<string, unknown>;
  count?: unknown;
  forEach?: unknown;
  /** `depends_on` entries as written (`prefect_flow.etl` or `${prefect_flow.etl}`). */
  dependsOn: string[];
  lifecycle: Lifecycle;
  location: SourceLocation;
  /** Line of each attribute, where known. */
  attributeLines: Record<string, number>;
  /** For CDKTF output: the construct path (`stack/pool`), to name the construct in messages. */
  constructPath?: string;
}

export interface VariableBlock {
  name: string;
  hasDefault: boolean;
  default?: unknown;
  /** The declared type expression, e.g. `string`, `number`, `list(string)`. */
  type?: string;
  sensitive: boolean;
  description?: string;
  location: SourceLocation;
}

export interface LocalValue {
  name: string;
  value: unknown;
  location: SourceLocation;
}

export interface ProviderBlock {
  attributes: Record<string, unknown>;
  location: SourceLocation;
}

export interface OutputBlock {
  name: string;
  value: unknown;
  sensitive: boolean;
  location: SourceLocation;
}

export type ConfigFormat = "hcl" | "tf.json" | "cdk.tf.json" | "cdktf-app";

export interface ConfigModel {
  dir: string;
  format: ConfigFormat;
  /** Files read, relative to `dir`. */
  files: string[];
  provider?: ProviderBlock;
  variables: Map<string, VariableBlock>;
  locals: Map<string, LocalValue>;
  resources: ResourceBlock[];
  outputs: Map<string, OutputBlock>;
  /** Variable values from tfvars files found beside the configuration. */
  tfvars: Record<string, unknown>;
  /** The text of every file read, for the configuration hash a saved plan is checked against. */
  contents: string[];
}
