import { describe, expect, it } from "vitest";
import { evaluateRaw, type EvalScope } from "./evaluate.js";
import { ExpressionError, parseExpression, parseTemplateString, referencesOf } from "./expressions.js";

const scope = (overrides: Partial<EvalScope> = {}): EvalScope => ({
  variable: (name) => {
    const vars: Record<string, { value: unknown; sensitive: boolean }> = {
      env: { value: "prod", sensitive: false },
      token: { value: "s3cr3t", sensitive: true },
      list: { value: ["a", "b"], sensitive: false },
      obj: { value: { k: { deep: 5 } }, sensitive: false },
    };
    const variable = vars[name];
    if (!variable) throw new ExpressionError(`there is no variable "${name}"`, `var.${name}`);
    return variable;
  },
  local: (name) => {
    if (name === "prefix") return { value: "app", sensitive: false };
    throw new ExpressionError(`there is no local value "${name}"`, `local.${name}`);
  },
  resource: (type, name, key, path) => {
    if (type === "prefect_flow" && name === "etl" && path[0] === "id") return { $unknown: "prefect_flow.etl.id" };
    if (type === "prefect_flow" && name === "etl" && path[0] === "name") return "etl";
    if (type === "prefect_work_pool" && name === "many" && key === 1 && path[0] === "name") return "pool-1";
    throw new ExpressionError(`no ${type}.${name}`, type);
  },
  resourceMode: (type, name) => (type === "prefect_flow" && name === "etl" ? "single" : type === "prefect_work_pool" && name === "many" ? "count" : undefined),
  ...overrides,
});

const evaluate = (raw: unknown, overrides?: Partial<EvalScope>) => evaluateRaw(raw, scope(overrides));

describe("evaluating Terraform JSON values", () => {
  it.each([
    ["a literal string", "plain", "plain"],
    ["a number", 4, 4],
    ["an escaped interpolation", "$${not.a.ref}", "${not.a.ref}"],
    ["a template", "${local.prefix}-${var.env}", "app-prod"],
    ["a whole-string reference keeps its type", "${var.list}", ["a", "b"]],
    ["an index into a list", "${var.list[1]}", "b"],
    ["an attribute path into an object", "${var.obj.k.deep}", 5],
    ["a quoted index into an object", '${var.obj["k"]["deep"]}', 5],
    ["jsonencode of an object literal", '${jsonencode({a = 1, "b" = [true, null], c: "x"})}', '{"a":1,"b":[true,null],"c":"x"}'],
    ["jsonencode across lines", '${jsonencode({\n  a = var.env\n  b = 2\n})}', '{"a":"prod","b":2}'],
    ["jsondecode", '${jsondecode("{\\"x\\": [1]}")}', { x: [1] }],
    ["toset removes duplicates", '${toset(["a", "a", "b"])}', ["a", "b"]],
    ["tonumber", '${tonumber("42")}', 42],
    ["a negative number", "${-3}", -3],
    ["a reference to a counted instance", "${prefect_work_pool.many[1].name}", "pool-1"],
    ["a declared attribute of a resource", "${prefect_flow.etl.name}-x", "etl-x"],
    ["escaped interpolations and directives inside a quoted string", '${jsonencode({"a" = "100%%{x} $${y}"})}', '{"a":"100%{x} ${y}"}'],
    ["nested values in lists and objects", { list: ["${var.env}", 1], nested: { n: "${local.prefix}" } }, { list: ["prod", 1], nested: { n: "app" } }],
  ])("evaluates %s", (_name, raw, expected) => {
    expect(evaluate(raw).value).toEqual(expected);
  });

  it("gives an unknown marker for a value not known until apply, also through templates and jsonencode", () => {
    expect(evaluate("${prefect_flow.etl.id}").value).toEqual({ $unknown: "prefect_flow.etl.id" });
    expect(evaluate("flow-${prefect_flow.etl.id}").value).toEqual({ $unknown: "prefect_flow.etl.id" });
    expect(evaluate("${jsonencode({id = prefect_flow.etl.id})}").value).toEqual({ $unknown: "prefect_flow.etl.id" });
    expect(evaluate(["${prefect_flow.etl.id}", "x"]).value).toEqual([{ $unknown: "prefect_flow.etl.id" }, "x"]);
  });

  it("marks a value derived from a sensitive variable as sensitive", () => {
    expect(evaluate("Bearer ${var.token}")).toEqual({ value: "Bearer s3cr3t", sensitive: true });
    expect(evaluate("${var.env}").sensitive).toBe(false);
  });

  it.each([
    ["an operator", "${1 + 2}", /the operator "\+" is not supported/],
    ["a conditional", '${var.env == "prod" ? 1 : 2}', /the operator "==" is not supported/],
    ["a for expression", "${[for x in var.list : x]}", /for expressions are not supported/],
    ["a splat", "${var.list[*]}", /splat expressions/],
    ["an unsupported function", '${upper("a")}', /the function upper\(\) is not supported/],
    ["a data source", "${data.prefect_work_pool.x.id}", /data sources are not supported/],
    ["a template directive", "%{ if true }x%{ endif }", /template directives/],
    ["an unknown variable", "${var.nope}", /there is no variable "nope"/],
    ["an undeclared resource", "${prefect_flow.nope.id}", /there is no resource prefect_flow.nope/],
    ["a counted resource without index", "${prefect_work_pool.many.name}", /has count: refer to one instance/],
    ["a non-prefect reference", "${aws_s3_bucket.b.arn}", /unknown reference "aws_s3_bucket"/],
    ["an object into a template", "x-${var.obj}", /cannot insert an object into a string template/],
    ["an unterminated interpolation", "${var.env", /unterminated/],
  ])("refuses %s with a message naming it", (_name, raw, message) => {
    let caught: unknown;
    try {
      evaluate(raw);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ExpressionError);
    expect((caught as ExpressionError).message).toMatch(message);
    expect((caught as ExpressionError).expression).toBe(raw);
  });
});

describe("parsing", () => {
  it("finds the references an expression makes", () => {
    const refs = referencesOf(parseTemplateString('${jsonencode({a = prefect_flow.etl.id, b = [var.env, local.prefix]})}-${prefect_work_pool.many[0].name}'));
    expect(refs.map((ref) => ref.root)).toEqual(["prefect_flow", "var", "local", "prefect_work_pool"]);
    expect(refs[0]?.text).toBe("prefect_flow.etl.id");
    expect(refs[3]?.text).toBe("prefect_work_pool.many[0].name");
  });

  it("parses HCL object literals with comments, newlines and both separators", () => {
    const expr = parseExpression('{\n  # a comment\n  a = 1 // another\n  "b": "x"\n  /* block */ c = [1, 2,]\n}');
    expect(evaluateRaw(`\${${'{\n  # a comment\n  a = 1 // another\n  "b": "x"\n  /* block */ c = [1, 2,]\n}'}}`, scope()).value).toEqual({ a: 1, b: "x", c: [1, 2] });
    expect(expr.type).toBe("object");
  });
});
