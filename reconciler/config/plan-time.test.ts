import { describe, expect, it } from "vitest";
import type { ConfigModel, ResourceBlock } from "./model.js";
import { knownAtPlan, literal } from "./plan-time.js";
import { resolveConfig } from "./resolve.js";

const location = { file: "main.tf.json", line: 1 };
const block = (type: string, name: string, attributes: Record<string, unknown>, extra: Partial<ResourceBlock> = {}): ResourceBlock => ({ type, name, attributes, dependsOn: [], lifecycle: {} as ResourceBlock["lifecycle"], location, attributeLines: {}, ...extra });

/** A resolved configuration with `var.prefix = "team"`, `local.env = "${var.prefix}-prod"` and the given blocks. */
function configOf(...resources: ResourceBlock[]) {
  const model: ConfigModel = {
    dir: "/nowhere",
    format: "tf.json",
    files: [],
    variables: new Map([["prefix", { name: "prefix", hasDefault: true, default: "team", sensitive: false, location }]]),
    locals: new Map([["env", { name: "env", value: "${var.prefix}-prod", location }]]),
    resources,
    outputs: new Map(),
    tfvars: {},
    contents: [],
  };
  const { config, diagnostics } = resolveConfig(model);
  expect(diagnostics).toEqual([]);
  return config!;
}

describe("values known at plan time", () => {
  it.each([
    ["plain", "plain"],
    ["escaped $${not} %%{either}", "escaped ${not} %{either}"],
    ["${var.name}", undefined],
    ["team-%{ if true }x%{ endif }", undefined],
    [42, undefined],
  ])("takes %j as the literal %j", (raw, expected) => {
    expect(literal(raw)).toBe(expected);
  });

  it.each([
    ["a literal", "etl", "etl"],
    ["a variable", "${var.prefix}-etl", "team-etl"],
    ["a local made of a variable", "${local.env}-etl", "team-prod-etl"],
    ["another object's attribute, known only after apply", "${prefect_work_pool.pool.id}-etl", undefined],
    ["another object's declared name (not consulted)", "${prefect_work_pool.pool.name}", undefined],
    ["an undeclared variable (the plan reports it)", "${var.missing}", undefined],
    ["a number", 7, undefined],
  ])("a name made of %s: %j is %j", (_what, name, expected) => {
    const config = configOf(block("prefect_work_pool", "pool", { name: "pool", type: "process" }), block("prefect_flow", "f", { name }));
    const instance = config.instances.find((candidate) => candidate.address === "prefect_flow.f")!;
    expect(knownAtPlan(config, instance, "name")).toBe(expected);
  });

  it("evaluates count.index and each.key per instance", () => {
    const config = configOf(block("prefect_variable", "counted", { name: "${var.prefix}-${count.index}" }, { count: 2 }), block("prefect_variable", "keyed", { name: "k-${each.key}" }, { forEach: { a: 1, b: 2 } }));
    expect(config.instances.map((instance) => knownAtPlan(config, instance, "name"))).toEqual(["team-0", "team-1", "k-a", "k-b"]);
  });
});
