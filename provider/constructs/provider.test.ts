import { describe, expect, it } from "vitest";
import { TerraformStack, TerraformVariable, Testing } from "../cdk.js";
import { PrefectProvider as PrefectProviderL1 } from "../generated/prefect/provider/index.js";
import { PrefectProvider, type PrefectProviderProps } from "./provider.js";
import { SecretValue } from "./secret-value.js";
import { expectOfficialAttributes, OFFICIAL_SCHEMA_PRESENT, synth, synthError } from "./synth.testing.js";

const ACCOUNT = "9b6e5f8c-0d3e-4a57-9c3f-2f0b6f1c2d3e";
const WORKSPACE = "0e7a1c4b-6f2d-4e8a-b1c9-5d4f3a2b1c0d";

function stackWith(props?: PrefectProviderProps): TerraformStack {
  const stack = new TerraformStack(Testing.app(), "test");
  new PrefectProvider(stack, "prefect", props);
  return stack;
}

describe("PrefectProvider", () => {
  it("synthesizes an empty provider block without props: the connection comes from the environment", () => {
    const json = synth(stackWith());
    expect(json.provider).toEqual({ prefect: [{}] });
    expect(json.terraform).toEqual({ required_providers: { prefect: { source: "registry.terraform.io/prefecthq/prefect" } } });
  });

  it("writes the official attribute names, taking the API key from a sensitive variable rather than inlining it", () => {
    const stack = stackWith({
      endpoint: "https://api.prefect.cloud",
      accountId: ACCOUNT,
      workspaceId: WORKSPACE,
      apiKey: SecretValue.fromEnvironment("prefect_api_key"),
      customHeaders: { "X-Team": "data" },
      csrfEnabled: true,
      profile: "prod",
      profileFile: "/etc/prefect/profiles.toml",
    });
    const json = synth(stack);
    expect(json.provider?.prefect).toEqual([
      {
        endpoint: "https://api.prefect.cloud",
        account_id: ACCOUNT,
        workspace_id: WORKSPACE,
        api_key: "${var.prefect_api_key}",
        custom_headers: '{"X-Team":"data"}',
        csrf_enabled: true,
        profile: "prod",
        profile_file: "/etc/prefect/profiles.toml",
      },
    ]);
    expect(json.variable?.prefect_api_key).toMatchObject({ type: "string", sensitive: true, nullable: false });
    expect(json.variable?.prefect_api_key).not.toHaveProperty("default");
  });

  it("takes a secret from a variable of your own, and writes a literal only when asked to in so many words", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const auth = new TerraformVariable(stack, "auth", { type: "string", sensitive: true });
    new PrefectProvider(stack, "prefect", { endpoint: "http://prefect.internal:4200/api", basicAuthKey: SecretValue.fromVariable(auth), apiKey: SecretValue.unsafePlainText("pnu_test") });
    expect(synth(stack).provider?.prefect).toEqual([{ endpoint: "http://prefect.internal:4200/api", basic_auth_key: "${var.auth}", api_key: "pnu_test" }]);
  });

  it("exposes the generated provider as node.defaultChild", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    expect(new PrefectProvider(stack, "prefect").node.defaultChild).toBeInstanceOf(PrefectProviderL1);
  });

  describe("validation at synth", () => {
    it.each<[string, PrefectProviderProps, string]>([
      ["an endpoint that is not a URL", { endpoint: "localhost:4200" }, '[test/prefect] endpoint: "localhost:4200" must be an http:// or https:// URL'],
      ["an endpoint that cannot be parsed", { endpoint: "not a url" }, '[test/prefect] endpoint: "not a url" is not a URL'],
      ["an endpoint that is not http(s)", { endpoint: "ftp://prefect.internal/api" }, "must be an http:// or https:// URL"],
      ["an endpoint carrying credentials", { endpoint: "https://user:pass@prefect.internal/api" }, "[test/prefect] endpoint: must not carry credentials; use apiKey or basicAuthKey"],
      ["a basic auth key that is not user:password", { basicAuthKey: SecretValue.unsafePlainText("secret") }, "[test/prefect] basicAuthKey: must be user:password (the value is sensitive and not shown)"],
      ["a header name with a colon", { customHeaders: { "X-A:": "1" } }, '[test/prefect] customHeaders: "X-A:" is not an HTTP header name'],
    ])("refuses %s", (_, props, message) => {
      const error = synthError(stackWith(props));
      expect(error).toContain(message);
      expect(error).not.toContain("secret\"");
    });

    it("refuses a secret variable that is not sensitive", () => {
      const stack = new TerraformStack(Testing.app(), "test");
      const key = new TerraformVariable(stack, "key", { type: "string" });
      new PrefectProvider(stack, "prefect", { apiKey: SecretValue.fromVariable(key) });
      expect(synthError(stack)).toContain('[test/prefect] apiKey: the variable "key" holding a secret is not sensitive');
    });

    it("refuses a second provider in the stack", () => {
      const stack = stackWith();
      new PrefectProvider(stack, "again");
      const message = synthError(stack);
      expect(message).toContain("[test/prefect] the stack has another Prefect provider (test/again/Default); a stack takes one PrefectProvider");
      expect(message).toContain("[test/again] the stack has another Prefect provider (test/prefect/Default)");
    });

    it("reports every problem at once, each with the construct path", () => {
      const message = synthError(stackWith({ endpoint: "ftp://x", basicAuthKey: SecretValue.unsafePlainText("nocolon"), customHeaders: { "": "x" } }));
      expect(message).toContain("[test/prefect] endpoint:");
      expect(message).toContain("[test/prefect] basicAuthKey:");
      expect(message).toContain("[test/prefect] customHeaders:");
      expect(message).not.toContain("nocolon");
    });
  });

  it.skipIf(!OFFICIAL_SCHEMA_PRESENT)("checks synthesized JSON against the official provider's schema (the check used by every construct test)", () => {
    expect(() => expectOfficialAttributes({ provider: { prefect: [{ api_url: "x" }] } })).toThrow(/provider\.prefect\.api_url is an attribute of the official provider/);
    expect(() => expectOfficialAttributes({ resource: { prefect_flow: { f: { name: "f", id: "x" } } } })).toThrow(/prefect_flow\.f\.id can be declared/);
    expect(() => expectOfficialAttributes({ resource: { prefect_work_queue: { q: { name: "q" } } } })).toThrow(/prefect_work_queue\.q\.work_pool_name is required/);
    expect(() => expectOfficialAttributes({ resource: { prefect_deployment: { d: { name: "d", flow_id: "x", pull_steps: [{ type: "git_clone", repo: "r" }] } } } })).toThrow(
      /pull_steps\[0\]\.repo is an attribute/,
    );
  });
});
