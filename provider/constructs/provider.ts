// The provider "prefect" block: how Terraform, or the engine, reaches Prefect. Every setting
// falls back to the environment (PREFECT_API_URL, PREFECT_API_KEY, ...) and Prefect profiles, so
// the usual stack declares none and the same code runs against any workspace.
import { Construct, TerraformStack, Token } from "../cdk.js";
import { PrefectProvider as PrefectProviderL1 } from "../generated/prefect/provider/index.js";
import { checkForOfficialProvider } from "./official-provider-check.js";
import { resolveSecret, type SecretValue } from "./secret-value.js";
import { jsonAttribute, validateAtSynth } from "./support.js";

/** Properties of a {@link PrefectProvider}. */
export interface PrefectProviderProps {
  /**
   * The API URL: `http://127.0.0.1:4200/api` for a self-hosted server, `https://api.prefect.cloud`
   * (with `accountId` and `workspaceId`) or a full workspace URL for Prefect Cloud.
   *
   * @default - PREFECT_API_URL, or the URL of the Prefect profile in use
   */
  readonly endpoint?: string;

  /**
   * The Prefect Cloud API key, from where it is kept when the plan runs: leave it out and
   * PREFECT_API_KEY is read, or take it from a sensitive Terraform variable
   * (`SecretValue.fromEnvironment("prefect_api_key")` reads TF_VAR_prefect_api_key;
   * `SecretValue.fromVariable(v)`). Either way cdk.tf.json holds no key. Only
   * `SecretValue.unsafePlainText(...)` writes one, in clear text.
   *
   * @default - PREFECT_API_KEY, or the key of the Prefect profile in use
   */
  readonly apiKey?: SecretValue;

  /**
   * The Prefect Cloud account id.
   *
   * @default - PREFECT_CLOUD_ACCOUNT_ID, or the account in the endpoint's path
   */
  readonly accountId?: string;

  /**
   * The Prefect Cloud workspace id.
   *
   * @default - PREFECT_CLOUD_WORKSPACE_ID, or the workspace in the endpoint's path
   */
  readonly workspaceId?: string;

  /**
   * `user:password` for a self-hosted server behind basic authentication. A secret, given like
   * `apiKey` (`SecretValue.fromEnvironment("prefect_auth_string")`).
   *
   * @default - PREFECT_API_AUTH_STRING
   */
  readonly basicAuthKey?: SecretValue;

  /**
   * Extra HTTP headers sent with every request (values may be variables' values).
   *
   * @default - PREFECT_CLIENT_CUSTOM_HEADERS
   */
  readonly customHeaders?: { readonly [name: string]: string };

  /**
   * Whether to fetch and send CSRF tokens, for servers with CSRF protection enabled.
   *
   * @default - PREFECT_CLIENT_CSRF_SUPPORT_ENABLED
   */
  readonly csrfEnabled?: boolean;

  /**
   * The Prefect profile to read settings from.
   *
   * @default - the active profile of profiles.toml
   */
  readonly profile?: string;

  /**
   * Where profiles.toml is.
   *
   * @default - PREFECT_PROFILES_PATH, or ~/.prefect/profiles.toml
   */
  readonly profileFile?: string;
}

/**
 * The Prefect provider of a stack: where its objects live. One per stack; without props it
 * connects as the Prefect CLI does (PREFECT_API_URL, PREFECT_API_KEY, profiles).
 *
 * @example
 * // Prefect Cloud: the key comes from TF_VAR_prefect_api_key when the plan runs.
 * new PrefectProvider(stack, "prefect", {
 *   endpoint: "https://api.prefect.cloud",
 *   accountId: "9b6e5f8c-0d3e-4a57-9c3f-2f0b6f1c2d3e",
 *   workspaceId: "0e7a1c4b-6f2d-4e8a-b1c9-5d4f3a2b1c0d",
 *   apiKey: SecretValue.fromEnvironment("prefect_api_key"),
 * });
 */
export class PrefectProvider extends Construct {
  constructor(scope: Construct, id: string, props: PrefectProviderProps = {}) {
    super(scope, id);
    const apiKey = props.apiKey === undefined ? undefined : resolveSecret(props.apiKey, this);
    const basicAuthKey = props.basicAuthKey === undefined ? undefined : resolveSecret(props.basicAuthKey, this);
    // Named "Default" so that the provider is this construct's default child (node.defaultChild).
    const provider = new PrefectProviderL1(this, "Default", {
      endpoint: props.endpoint,
      apiKey: apiKey?.value,
      accountId: props.accountId,
      workspaceId: props.workspaceId,
      basicAuthKey: basicAuthKey?.value,
      customHeaders: jsonAttribute(props.customHeaders),
      csrfEnabled: props.csrfEnabled,
      profile: props.profile,
      profileFile: props.profileFile,
    });
    validateAtSynth(this, () => [
      ...(apiKey?.problems() ?? []).map((problem) => `apiKey: ${problem}`),
      ...(basicAuthKey?.problems() ?? []).map((problem) => `basicAuthKey: ${problem}`),
      ...providerProblems(props.endpoint, basicAuthKey?.value, props.customHeaders),
      ...this.duplicateProblems(provider),
    ]);
    // The provider block is what makes the output Terraform's too: every stack with one is
    // checked for declarations the official provider cannot apply.
    checkForOfficialProvider(TerraformStack.of(this));
  }

  /** The engine and Terraform read one unaliased prefect provider per configuration. */
  private duplicateProblems(mine: PrefectProviderL1): string[] {
    const others = TerraformStack.of(this)
      .node.findAll()
      .filter((construct) => construct instanceof PrefectProviderL1 && construct !== mine);
    if (!others.length) return [];
    return [`the stack has another Prefect provider (${others.map((other) => other.node.path).join(", ")}); a stack takes one PrefectProvider`];
  }
}

/** The rules the engine applies to the connection settings, for the values known now. */
function providerProblems(endpoint: string | undefined, basicAuthKey: string | undefined, customHeaders: PrefectProviderProps["customHeaders"]): string[] {
  const problems: string[] = [];
  const known = (value: string | undefined): value is string => value !== undefined && !Token.isUnresolved(value);
  if (known(endpoint)) {
    let url: URL | undefined;
    try {
      url = new URL(endpoint);
    } catch {
      problems.push(`endpoint: ${JSON.stringify(endpoint)} is not a URL; expected something like http://127.0.0.1:4200/api or https://api.prefect.cloud`);
    }
    if (url && url.protocol !== "http:" && url.protocol !== "https:") problems.push(`endpoint: ${JSON.stringify(endpoint)} must be an http:// or https:// URL`);
    if (url && (url.username || url.password)) problems.push("endpoint: must not carry credentials; use apiKey or basicAuthKey");
  }
  if (known(basicAuthKey) && !basicAuthKey.includes(":")) problems.push("basicAuthKey: must be user:password (the value is sensitive and not shown)");
  for (const [name, value] of Object.entries(customHeaders ?? {})) {
    if (name.trim() === "" || /[\s:]/.test(name)) problems.push(`customHeaders: ${JSON.stringify(name)} is not an HTTP header name`);
    else if (typeof value !== "string") problems.push(`customHeaders.${name}: must be a string`);
  }
  return problems;
}
