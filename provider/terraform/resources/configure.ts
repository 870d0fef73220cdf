// ConfigureProvider: the provider block's attributes (the official provider's names) over the
// same settings the client resolves from PREFECT_* variables and Prefect profiles.
import type { ClientOptions, ClientSettings } from "../../client/settings.js";
import { resolveSettings } from "../../client/settings.js";
import { ConfigurationError } from "../../client/errors.js";
import type { TfDiagnostic, TfObject, TfValue } from "../plugin/contract.js";
import { UNKNOWN } from "../plugin/contract.js";

export type Configured = { ok: true; settings: ClientSettings; diagnostics: TfDiagnostic[] } | { ok: false; diagnostics: TfDiagnostic[] };

const text = (value: TfValue | undefined): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

/** The provider block as client options; unknown values (known only after apply) count as unset, with a warning. */
export function optionsOf(config: TfObject): { options: ClientOptions; diagnostics: TfDiagnostic[] } {
  const diagnostics: TfDiagnostic[] = [];
  for (const [name, value] of Object.entries(config)) {
    if (value === UNKNOWN) diagnostics.push({ severity: "warning", summary: `provider "prefect" ${name} is not known yet`, detail: "It is treated as unset (the environment and profiles apply).", attribute: [name] });
  }
  const options: ClientOptions = {
    apiUrl: text(config.endpoint),
    apiKey: text(config.api_key),
    authString: text(config.basic_auth_key),
    accountId: text(config.account_id),
    workspaceId: text(config.workspace_id),
    profile: text(config.profile),
    profilesPath: text(config.profile_file),
    ...(typeof config.csrf_enabled === "boolean" ? { csrfEnabled: config.csrf_enabled } : {}),
  };
  const headers = text(config.custom_headers);
  if (headers !== undefined) {
    try {
      const parsed: unknown = JSON.parse(headers);
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed) || !Object.values(parsed).every((value) => typeof value === "string")) throw new Error("not an object of strings");
      options.customHeaders = parsed as Record<string, string>;
    } catch {
      // The headers may hold a token: the message never quotes them.
      diagnostics.push({ severity: "error", summary: "Invalid custom_headers", detail: 'custom_headers must be a JSON object of header names to string values, e.g. jsonencode({"X-Team" = "data"}).', attribute: ["custom_headers"] });
    }
  }
  return { options, diagnostics };
}

/** The provider block's attribute for each client setting a ConfigurationError names. */
const ATTRIBUTE_OF_SETTING: Record<NonNullable<ConfigurationError["setting"]>, string> = {
  apiUrl: "endpoint",
  apiKey: "api_key",
  authString: "basic_auth_key",
  workspace: "workspace_id",
};

/** Resolve the settings of a provider block against the environment and profiles. */
export function configure(config: TfObject, env: Record<string, string | undefined>): Configured {
  const { options, diagnostics } = optionsOf(config);
  if (diagnostics.some((diagnostic) => diagnostic.severity === "error")) return { ok: false, diagnostics };
  try {
    const settings = resolveSettings(options, { env });
    for (const warning of settings.warnings) diagnostics.push({ severity: "warning", summary: "Prefect client settings", detail: warning });
    return { ok: true, settings, diagnostics };
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    const attribute = error.setting && ATTRIBUTE_OF_SETTING[error.setting];
    diagnostics.push({ severity: "error", summary: "Cannot reach Prefect with this configuration", detail: error.message, ...(attribute ? { attribute: [attribute] } : {}) });
    return { ok: false, diagnostics };
  }
}
