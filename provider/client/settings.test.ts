import { describe, expect, it } from "vitest";
import { ConfigurationError } from "./errors.js";
import { describeSettings, resolveSettings } from "./settings.js";

const profiles = `
active = "dev"

[profiles.dev]
PREFECT_API_URL = "http://profile-host:4200/api"
PREFECT_API_KEY = "pnu_profile"

[profiles.cloud]
PREFECT_API_URL = "https://api.prefect.cloud/api/accounts/aaa/workspaces/bbb"
PREFECT_API_KEY = "pnu_cloud"
`;

const files = (map: Record<string, string>) => (path: string) => map[path];

describe("resolveSettings", () => {
  it("takes each setting from options, then the environment, then the active profile", () => {
    const readFile = files({ "/home/u/.prefect/profiles.toml": profiles });
    expect(resolveSettings({}, { env: {}, homeDir: "/home/u", readFile })).toMatchObject({
      baseUrl: "http://profile-host:4200/api",
      apiKey: "pnu_profile",
      urlSource: "profile dev",
    });
    expect(resolveSettings({}, { env: { PREFECT_API_URL: "http://env:1/api" }, homeDir: "/home/u", readFile })).toMatchObject({
      baseUrl: "http://env:1/api",
      apiKey: "pnu_profile",
      urlSource: "environment",
    });
    expect(
      resolveSettings({ apiUrl: "http://opt:2/api", apiKey: "pnu_opt" }, { env: { PREFECT_API_URL: "http://env:1/api", PREFECT_API_KEY: "pnu_env" }, homeDir: "/home/u", readFile }),
    ).toMatchObject({ baseUrl: "http://opt:2/api", apiKey: "pnu_opt", urlSource: "option" });
  });

  it("selects the profile named by PREFECT_PROFILE and reads PREFECT_PROFILES_PATH", () => {
    const readFile = files({ "/etc/prefect.toml": profiles });
    const settings = resolveSettings({}, { env: { PREFECT_PROFILE: "cloud", PREFECT_PROFILES_PATH: "/etc/prefect.toml" }, readFile });
    expect(settings.cloud).toEqual({ accountId: "aaa", workspaceId: "bbb" });
    expect(settings.apiKey).toBe("pnu_cloud");
  });

  it("refuses a profile that was asked for by name but does not exist", () => {
    const readFile = files({ "/p.toml": profiles });
    expect(() => resolveSettings({ profile: "nope", profilesPath: "/p.toml" }, { env: {}, readFile })).toThrow(/Profile "nope" is not in \/p.toml \(profiles there: dev, cloud\)/);
  });

  it("appends /api to a server URL without it", () => {
    expect(resolveSettings({ apiUrl: "http://localhost:4200" }, { env: {}, readFile: () => undefined }).baseUrl).toBe("http://localhost:4200/api");
    expect(resolveSettings({ apiUrl: "http://localhost:4200/api/" }, { env: {}, readFile: () => undefined }).baseUrl).toBe("http://localhost:4200/api");
  });

  it("builds the Cloud path from account and workspace ids", () => {
    const settings = resolveSettings(
      { apiUrl: "https://api.prefect.cloud", accountId: "acc", workspaceId: "wsp", apiKey: "pnu_x" },
      { env: {}, readFile: () => undefined },
    );
    expect(settings.baseUrl).toBe("https://api.prefect.cloud/api/accounts/acc/workspaces/wsp");
    expect(settings.cloud).toEqual({ accountId: "acc", workspaceId: "wsp" });
  });

  it.each([
    ["a Cloud URL without an API key", { apiUrl: "https://api.prefect.cloud/api/accounts/a/workspaces/w" }, {}, /needs an API key/],
    ["an account id without a workspace id", { apiUrl: "https://api.prefect.cloud", accountId: "a", apiKey: "k" }, {}, /both an account id and a workspace id/],
    ["ids that contradict the Cloud URL", { apiUrl: "https://x/api/accounts/a/workspaces/w", accountId: "other", apiKey: "k" }, {}, /differ/],
    ["no URL anywhere", {}, {}, /No Prefect API URL/],
    ["a URL that is not one", { apiUrl: "localhost 4200" }, {}, /is not a URL/],
    ["credentials in the URL", { apiUrl: "http://user:pw@host/api" }, {}, /must not carry credentials/],
    ["custom headers that are not JSON", { apiUrl: "http://h/api" }, { PREFECT_CLIENT_CUSTOM_HEADERS: "X-A: b" }, /PREFECT_CLIENT_CUSTOM_HEADERS must be a JSON object/],
    ["an auth string without a colon", { apiUrl: "http://h/api" }, { PREFECT_API_AUTH_STRING: "justuser" }, /user:password/],
    ["a negative retry count", { apiUrl: "http://h/api" }, { PREFECT_CLIENT_MAX_RETRIES: "-1" }, /PREFECT_CLIENT_MAX_RETRIES must be a whole number of at least 0 \(got "-1"\)/],
    ["a fractional retry count", { apiUrl: "http://h/api" }, { PREFECT_CLIENT_MAX_RETRIES: "2.5" }, /PREFECT_CLIENT_MAX_RETRIES must be a whole number/],
    ["a jitter factor that is not a number", { apiUrl: "http://h/api" }, { PREFECT_CLIENT_RETRY_JITTER_FACTOR: "lots" }, /PREFECT_CLIENT_RETRY_JITTER_FACTOR must be a number/],
    ["extra codes that are not statuses", { apiUrl: "http://h/api" }, { PREFECT_CLIENT_RETRY_EXTRA_CODES: "500,oops" }, /PREFECT_CLIENT_RETRY_EXTRA_CODES must list HTTP status codes/],
    ["a zero keep-alive timeout", { apiUrl: "http://h/api" }, { PREFECT_GITOPS_CLIENT_KEEPALIVE_TIMEOUT: "0" }, /PREFECT_GITOPS_CLIENT_KEEPALIVE_TIMEOUT must be a number above 0/],
    ["a zero backoff cap", { apiUrl: "http://h/api" }, { PREFECT_GITOPS_CLIENT_RETRY_MAX_DELAY: "0" }, /PREFECT_GITOPS_CLIENT_RETRY_MAX_DELAY must be a number above 0/],
  ])("refuses %s with a configuration error", (_name, options, env, message) => {
    let caught: unknown;
    try {
      resolveSettings(options, { env, readFile: () => undefined });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigurationError);
    expect((caught as ConfigurationError).code).toBe("configuration");
    expect((caught as Error).message).toMatch(message);
  });

  it("adds custom headers but never lets them override protected ones", () => {
    const settings = resolveSettings(
      { apiUrl: "http://h/api" },
      { env: { PREFECT_CLIENT_CUSTOM_HEADERS: '{"X-Trace": "dev", "User-Agent": "evil"}' }, readFile: () => undefined },
    );
    expect(settings.customHeaders).toEqual({ "X-Trace": "dev" });
    expect(settings.warnings).toEqual(["The custom header User-Agent is protected and was ignored."]);
  });

  it("reads retry and keep-alive settings under Prefect's names, from the environment or the profile", () => {
    const none = resolveSettings({ apiUrl: "http://h/api" }, { env: {}, readFile: () => undefined });
    expect(none.retry).toEqual({});
    expect(none.keepAliveTimeoutMs).toBeUndefined();
    const env = {
      PREFECT_API_URL: "http://h/api",
      PREFECT_CLIENT_MAX_RETRIES: "3",
      PREFECT_CLIENT_RETRY_JITTER_FACTOR: "0",
      PREFECT_CLIENT_RETRY_EXTRA_CODES: "500, 504,500",
      PREFECT_GITOPS_CLIENT_RETRY_MAX_DELAY: "2.5",
      PREFECT_GITOPS_CLIENT_KEEPALIVE_TIMEOUT: "1.5",
    };
    expect(resolveSettings({}, { env, readFile: () => undefined })).toMatchObject({
      retry: { maxRetries: 3, jitterFactor: 0, extraCodes: [500, 504], maxDelayMs: 2500 },
      keepAliveTimeoutMs: 1500,
    });
    const profile = `active = "p"\n[profiles.p]\nPREFECT_API_URL = "http://h/api"\nPREFECT_CLIENT_MAX_RETRIES = 9\nPREFECT_CLIENT_RETRY_EXTRA_CODES = [409]\n`;
    const fromProfile = resolveSettings({}, { env: {}, homeDir: "/u", readFile: files({ "/u/.prefect/profiles.toml": profile }) });
    expect(fromProfile.retry).toEqual({ maxRetries: 9, extraCodes: [409] });
    expect(resolveSettings({ maxRetries: 1 }, { env, readFile: () => undefined }).retry?.maxRetries).toBe(1);
  });

  it("describes settings without credentials", () => {
    const settings = resolveSettings({ apiUrl: "https://api.prefect.cloud/api/accounts/a/workspaces/w", apiKey: "pnu_topsecret" }, { env: {}, readFile: () => undefined });
    const text = describeSettings(settings);
    expect(text).toContain("Prefect Cloud workspace w");
    expect(text).not.toContain("pnu_topsecret");
  });
});
