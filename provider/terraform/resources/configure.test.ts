import { describe, expect, it } from "vitest";
import { UNKNOWN, type TfObject } from "../plugin/contract.js";
import { configure } from "./configure.js";

const ACCOUNT = "11111111-2222-4333-8444-555555555555";
const WORKSPACE = "66666666-7777-4888-8999-000000000000";
const block = (values: TfObject): TfObject => ({ endpoint: null, api_key: null, basic_auth_key: null, account_id: null, workspace_id: null, csrf_enabled: null, custom_headers: null, profile: null, profile_file: null, ...values });

describe("configure", () => {
  it.each<[string, TfObject, Record<string, string>, string, string | undefined]>([
    ["the environment alone", block({}), { PREFECT_API_URL: "http://127.0.0.1:4200/api" }, "http://127.0.0.1:4200/api", undefined],
    ["endpoint over the environment", block({ endpoint: "http://prefect.internal:4200/api" }), { PREFECT_API_URL: "http://127.0.0.1:4200/api" }, "http://prefect.internal:4200/api", undefined],
    ["an endpoint without /api, as the official provider takes it", block({ endpoint: "http://prefect.internal:4200" }), {}, "http://prefect.internal:4200/api", undefined],
    [
      "Cloud from endpoint, account_id, workspace_id and api_key",
      block({ endpoint: "https://api.prefect.cloud", account_id: ACCOUNT, workspace_id: WORKSPACE, api_key: "pnu_key" }),
      {},
      `https://api.prefect.cloud/api/accounts/${ACCOUNT}/workspaces/${WORKSPACE}`,
      "pnu_key",
    ],
    ["the API key from the environment", block({ endpoint: `https://api.prefect.cloud/api/accounts/${ACCOUNT}/workspaces/${WORKSPACE}` }), { PREFECT_API_KEY: "pnu_env" }, `https://api.prefect.cloud/api/accounts/${ACCOUNT}/workspaces/${WORKSPACE}`, "pnu_env"],
    ["an endpoint not known yet as unset", block({ endpoint: UNKNOWN }), { PREFECT_API_URL: "http://127.0.0.1:4200/api" }, "http://127.0.0.1:4200/api", undefined],
  ])("takes %s", (_label, config, env, baseUrl, apiKey) => {
    const result = configure(config, env);
    expect(result.ok, JSON.stringify(result.diagnostics)).toBe(true);
    if (!result.ok) return;
    expect(result.settings.baseUrl).toBe(baseUrl);
    expect(result.settings.apiKey).toBe(apiKey);
  });

  it("takes basic auth from basic_auth_key", () => {
    const result = configure(block({ endpoint: "http://127.0.0.1:4200/api", basic_auth_key: "user:pass" }), {});
    expect(result.ok && result.settings.authString).toBe("user:pass");
  });

  it.each<[string, TfObject, Record<string, string>, string, RegExp]>([
    ["no URL anywhere", block({}), {}, "endpoint", /No Prefect API URL/],
    ["Cloud without an API key", block({ endpoint: "https://api.prefect.cloud", account_id: ACCOUNT, workspace_id: WORKSPACE }), {}, "api_key", /needs an API key/],
    ["an account without a workspace", block({ endpoint: "https://api.prefect.cloud", account_id: ACCOUNT, api_key: "k" }), {}, "workspace_id", /both an account id and a workspace id/],
    ["custom headers that are not a JSON object", block({ endpoint: "http://x/api", custom_headers: '{"Authorization": "Bearer tok-9931"' }), {}, "custom_headers", /JSON object of header names/],
  ])("refuses %s on the attribute, without secrets", (_label, config, env, attribute, message) => {
    const result = configure(config, env);
    expect(result.ok).toBe(false);
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((d) => d.attribute?.[0])).toEqual([attribute]);
    expect(errors[0]!.detail).toMatch(message);
    expect(JSON.stringify(result.diagnostics)).not.toContain("tok-9931");
  });
});
