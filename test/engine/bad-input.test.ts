// Bad input gets a clear error naming the file, the resource address and the attribute, what
// was expected and how to fix it; the command exits 1 and nothing is changed in Prefect.
import { describe, expect, it } from "vitest";
import { mutatingRequests, workdir } from "../support/cli.js";
import { useDevServer } from "../support/devserver.js";
import { cli, ossWorkspace, output } from "../support/engine.js";

interface BadInput {
  name: string;
  files: Record<string, string>;
  /** Every one of these must appear in the output. */
  expect: (string | RegExp)[];
  env?: Record<string, string>;
}

const variable = (body: string) => `resource "prefect_variable" "v" {\n${body}\n}\n`;

const CASES: BadInput[] = [
  { name: "HCL that does not parse", files: { "main.tf": 'resource "prefect_variable" "v" {\n  name = "a"\n  value = \n}\n' }, expect: ["main.tf", /not valid HCL/] },
  { name: "Terraform JSON that does not parse", files: { "main.tf.json": '{"resource": {"prefect_variable": {"v": {"name": "a",}}}}' }, expect: ["main.tf.json", /not valid JSON/, /line 1/] },
  { name: "an unknown resource type", files: { "main.tf": 'resource "prefect_varible" "v" {\n  name = "a"\n}\n' }, expect: ["main.tf line 1", "prefect_varible.v", /Unsupported resource type/, /did you mean "prefect_variable"/] },
  { name: "an unknown attribute", files: { "main.tf": variable('  name = "a"\n  valeu = 1') }, expect: ["main.tf line 3", "prefect_variable.v", "valeu", /did you mean "value"/] },
  { name: "a missing required attribute", files: { "main.tf": variable('  name = "a"') }, expect: ["prefect_variable.v", "value", /is required/] },
  { name: "a value of the wrong type", files: { "main.tf": variable('  name = "a"\n  value = 1\n  tags = "x"') }, expect: ["main.tf line 4", "tags", /must be a list, got string "x"/] },
  { name: "a name Prefect rejects", files: { "main.tf": variable('  name = "Not Allowed"\n  value = 1') }, expect: ["main.tf line 2", "prefect_variable.v", /use only lowercase letters, digits, dashes and underscores/] },
  { name: "a computed attribute declared", files: { "main.tf": variable('  name = "a"\n  value = 1\n  id = "00000000-0000-4000-8000-000000000000"') }, expect: ["id", /is set by Prefect and cannot be declared/] },
  { name: "a reference to an undeclared resource", files: { "main.tf": variable("  name = prefect_variable.other.name\n  value = 1") }, expect: ["main.tf line 2", /there is no resource prefect_variable.other/] },
  {
    name: "resources that refer to each other in a cycle",
    files: { "main.tf": 'resource "prefect_variable" "a" {\n  name = "a"\n  value = prefect_variable.b.id\n}\nresource "prefect_variable" "b" {\n  name = "b"\n  value = prefect_variable.a.id\n}\n' },
    expect: [/cycle/, /prefect_variable.a -> prefect_variable.b -> prefect_variable.a/],
  },
  { name: "an operator in an expression", files: { "main.tf": variable('  name = "a"\n  value = 1 + 2') }, expect: ["main.tf line 3", "value", /the operator "\+" is not supported/] },
  { name: "an unsupported function", files: { "main.tf": variable('  name = upper("a")\n  value = 1') }, expect: ["name", /upper\(\) is not supported/, /supported functions: jsonencode/] },
  { name: "a data source", files: { "main.tf": 'data "prefect_work_pool" "p" {\n  name = "x"\n}\n' }, expect: ["main.tf", /Unsupported block "data"/, /data sources are not supported/] },
  { name: "a module", files: { "main.tf": 'module "m" {\n  source = "./m"\n}\n' }, expect: [/Unsupported block "module"/] },
  { name: "another provider", files: { "main.tf": 'provider "aws" {\n  region = "x"\n}\n' + variable('  name = "a"\n  value = 1') }, expect: [/Unsupported provider "aws"/, "main.tf line 1"] },
  { name: "a required variable without a value", files: { "main.tf": 'variable "token" {\n  type = string\n}\n' + variable("  name = var.token\n  value = 1") }, expect: ["main.tf line 1", /No value for required variable "token"/, /TF_VAR_token/] },
  { name: "a variable value of the wrong type", files: { "main.tf": 'variable "n" {\n  type = number\n}\n' + variable('  name = "a"\n  value = var.n') }, env: { TF_VAR_n: "many" }, expect: [/Invalid value for variable "n"/, /is a number/] },
  { name: "the same address in two files", files: { "a.tf": variable('  name = "a"\n  value = 1'), "b.tf": variable('  name = "b"\n  value = 2') }, expect: [/Duplicate resource prefect_variable.v/, "b.tf"] },
  {
    name: "two declarations of one object",
    files: { "main.tf": 'resource "prefect_variable" "a" {\n  name = "same"\n  value = 1\n}\nresource "prefect_variable" "b" {\n  name = "same"\n  value = 2\n}\n' },
    expect: [/variable "same" is declared twice/, "prefect_variable.a and prefect_variable.b"],
  },
  { name: "a count that is not a number", files: { "main.tf": variable('  count = "two"\n  name = "a"\n  value = 1') }, expect: ["count", /count must be a whole number/] },
  { name: "a for_each that is not a set or map", files: { "main.tf": variable('  for_each = 3\n  name = "a"\n  value = 1') }, expect: ["for_each", /for_each must be a set of strings or a map/] },
  { name: "an unsupported lifecycle argument", files: { "main.tf": variable('  name = "a"\n  value = 1\n  lifecycle {\n    create_before_destroy = true\n  }') }, expect: [/Unsupported lifecycle argument "create_before_destroy"/, "prefect_variable.v"] },
  { name: "an unknown provider argument", files: { "main.tf": 'provider "prefect" {\n  endpoint = "http://x/api"\n  region = "eu"\n}\n' + variable('  name = "a"\n  value = 1') }, expect: [/Unsupported argument "region" in provider "prefect"/, "main.tf line 1"] },
  { name: "depends_on that is not a reference", files: { "main.tf": variable('  name = "a"\n  value = 1\n  depends_on = ["x"]') }, expect: [/depends_on entries must be resource references/] },
  { name: "a negative concurrency limit", files: { "main.tf": 'resource "prefect_global_concurrency_limit" "l" {\n  name = "l"\n  limit = -1\n}\n' }, expect: ["main.tf line 3", "prefect_global_concurrency_limit.l", "limit", /at least 0|>= 0|0 or more/] },
  {
    name: "an automation trigger posture Prefect does not know",
    files: {
      "main.tf":
        'resource "prefect_automation" "a" {\n  name = "a"\n  trigger = {\n    event = {\n      posture = "Sometimes"\n      expect = ["prefect.flow-run.Failed"]\n    }\n  }\n  actions = [{ type = "do-nothing" }]\n}\n',
    },
    expect: ["prefect_automation.a", "trigger", /Reactive|Proactive/],
  },
  { name: "an empty directory", files: {}, expect: [/No configuration in/] },
  { name: "a JSON attribute that is not JSON", files: { "main.tf": 'resource "prefect_automation" "a" {\n  name = "a"\n  trigger = {\n    event = {\n      posture = "Reactive"\n      match = "{not json"\n    }\n  }\n  actions = [{ type = "do-nothing" }]\n}\n' }, expect: ["prefect_automation.a", /match/, /must be a JSON document/] },
];

describe("bad input", () => {
  const ctx = useDevServer();

  it.each(CASES.map((item) => [item.name, item] as const))("%s: exit 1, a clear error, nothing changed", async (_name, item) => {
    const dir = workdir(item.files);
    ctx.server.resetRequestCounts();
    const result = await cli(dir, ossWorkspace(ctx.server), ["plan"], item.env);
    const text = output(result);
    expect(result.code, text).toBe(1);
    for (const expected of item.expect) {
      if (typeof expected === "string") expect(text, text).toContain(expected);
      else expect(text, text).toMatch(expected);
    }
    expect(mutatingRequests(ctx.server.requestCounts())).toEqual({});
  });

  it("has at least 20 kinds of bad input", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(20);
  });

  it("never prints the value of a sensitive variable in an error", async () => {
    const dir = workdir({
      "main.tf": 'variable "secret" {\n  sensitive = true\n}\nresource "prefect_variable" "v" {\n  name = var.secret\n  value = 1\n}\n',
    });
    const result = await cli(dir, ossWorkspace(ctx.server), ["plan"], { TF_VAR_secret: "Hunter2 Is Secret" });
    expect(result.code).toBe(1);
    expect(`${result.stdout}${result.stderr}`).not.toContain("Hunter2");
    expect(`${result.stdout}${result.stderr}`).toContain("prefect_variable.v");
  });
});
