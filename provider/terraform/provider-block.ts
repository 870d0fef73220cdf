// The provider block's attributes (`provider "prefect" { ... }`), as the official provider has
// them: how to reach Prefect.
import { attr } from "../kinds/attributes.js";

export const PROVIDER_ATTRIBUTES = {
  account_id: attr.string({ description: "Prefect Cloud account id (PREFECT_CLOUD_ACCOUNT_ID).", optional: true }),
  api_key: attr.string({ description: "Prefect Cloud API key (PREFECT_API_KEY).", optional: true, sensitive: true }),
  basic_auth_key: attr.string({ description: "user:password for basic auth on a self-hosted server (PREFECT_API_AUTH_STRING).", optional: true, sensitive: true }),
  csrf_enabled: attr.bool({ description: "Fetch and send CSRF tokens (servers with CSRF protection).", optional: true }),
  custom_headers: attr.string({ description: "Extra headers on every request, as a JSON object (PREFECT_CLIENT_CUSTOM_HEADERS).", optional: true, sensitive: true }),
  endpoint: attr.string({ description: "The API URL, e.g. http://127.0.0.1:4200/api or https://api.prefect.cloud (PREFECT_API_URL).", optional: true }),
  profile: attr.string({ description: "The Prefect profile to read settings from.", optional: true }),
  profile_file: attr.string({ description: "Where profiles.toml is (PREFECT_PROFILES_PATH).", optional: true }),
  workspace_id: attr.string({ description: "Prefect Cloud workspace id (PREFECT_CLOUD_WORKSPACE_ID).", optional: true }),
};
