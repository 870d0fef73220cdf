import { describe, expect, test } from "vitest";
import { devStackYaml } from "../../test/gitops/fixtures.js";
import { parseGitopsConfig } from "./config.js";

const VALID = `${devStackYaml()}  - name: prod
    path: stacks/prod
    workspace:
      api_url_env: PREFECT_PROD_API_URL
    state:
      name: production
    options:
      auto_apply: false
      self_heal: true
`;

describe("prefect-gitops.yaml", () => {
  test("fills the defaults: workspace backend named after the stack, auto-apply on, self-heal off, write permission to plan, no apply from pull requests", () => {
    const { config, diagnostics } = parseGitopsConfig(VALID);
    expect(diagnostics).toEqual([]);
    expect(config?.stacks[0]).toEqual({
      name: "dev",
      path: "stacks/dev",
      workspace: { api_url_env: "PREFECT_DEV_API_URL", api_key_env: "PREFECT_DEV_API_KEY" },
      state: { backend: "workspace" },
      options: { auto_apply: true, self_heal: false, plan_permission: "write", apply_from_pull_request: false },
    });
    expect(config?.stacks[1]?.state).toEqual({ backend: "workspace", name: "production" });
    expect(config?.stacks[1]?.options).toEqual({ auto_apply: false, self_heal: true, plan_permission: "write", apply_from_pull_request: false });
    expect(config?.synth).toEqual({ timeout_seconds: 300, memory_mb: 2048 });
  });

  test.each([
    ["./stacks/dev/", "stacks/dev"],
    ["stacks//dev", "stacks/dev"],
    [".", "."],
  ])("normalizes the stack path %s to %s", (written, expected) => {
    expect(parseGitopsConfig(VALID.replace("path: stacks/dev", `path: ${written}`)).config?.stacks[0]?.path).toBe(expected);
  });

  test.each([
    ["a literal API key", VALID.replace("api_key_env: PREFECT_DEV_API_KEY", "api_key: pnu_abc"), 7, /unknown key "api_key"/, /api_key_env/],
    ["a value where a variable name belongs", VALID.replace("api_url_env: PREFECT_DEV_API_URL", "api_url_env: https://x/api"), 6, /NAME of an environment variable/, /reference/],
    ["a path leaving the repository", VALID.replace("path: stacks/dev", "path: ../other"), 4, /inside the repository/, /reference/],
    ["an unknown option", VALID.replace("self_heal: true", "self_heal: true\n      selfheal: true"), 17, /unknown key "selfheal"/, /spelling/],
    ["a wrong type", VALID.replace("auto_apply: false", "auto_apply: sometimes"), 15, /stacks\.1\.options\.auto_apply/, /reference/],
    ["a missing workspace", VALID.replace(/ {4}workspace:\n {6}api_url_env: PREFECT_PROD_API_URL\n/, ""), 8, /stacks\.1\.workspace/, /reference/],
    ["a duplicate stack", VALID.replace("name: prod", "name: dev"), 8, /declared twice/, /line 3/],
    ["broken YAML", VALID.replace("  - name: prod", "  - name: prod\n   bad: [1"), 9, /not valid YAML/, /syntax/],
    ["an unknown version", VALID.replace("version: 1", "version: 2"), 1, /version/, /reference/],
  ])("refuses %s, naming the line", (_name, text, line, summary, detail) => {
    const { config, diagnostics } = parseGitopsConfig(text);
    expect(config).toBeUndefined();
    expect(diagnostics[0]).toMatchObject({ severity: "error", file: "prefect-gitops.yaml", line });
    expect(diagnostics[0]?.summary).toMatch(summary);
    expect(diagnostics[0]?.detail).toMatch(detail);
  });
});
