import { describe, expect, it } from "vitest";
import { factsOf, attr } from "../../provider/kinds/attributes.js";
import { evaluateRaw, type EvalScope } from "../config/evaluate.js";
import { ExpressionError } from "../config/expressions.js";
import { encodeAttribute, escapeTemplate, Expression, hclExpression, plainJson } from "./encode.js";

const scope: EvalScope = {
  variable: (name) => {
    if (name === "secret") return { value: 'p"a$${s}%{w}\\d', sensitive: true };
    throw new ExpressionError(`no variable ${name}`, name);
  },
  local: (name) => {
    throw new ExpressionError(`no local ${name}`, name);
  },
  resource: (type, name, _key, path) => `${type}.${name}.${String(path[0])}`,
  resourceMode: () => "single",
};

/** What the engine reads back from a value written in Terraform JSON. */
const readBack = (written: unknown) => evaluateRaw(JSON.parse(JSON.stringify(written)), scope);

const TRICKY = ["plain", "${not.a.ref}", "$${already.escaped}", "100%{x}", "%%{y}", 'quote " and \\ backslash', "line\nbreak\ttab\r", "ctrl \u0001 \u007f", "unicode é 🚀", "{{ jinja }} {% if %}", "$", "%", "${", "}"];

describe("writing values as Terraform JSON", () => {
  it.each(TRICKY)("reads the literal %j back as written", (text) => {
    expect(readBack(escapeTemplate(text)).value).toBe(text);
    expect(readBack(plainJson({ list: [text], [text]: text })).value).toEqual({ list: [text], [text]: text });
  });

  it.each(TRICKY)("reads %j back through jsonencode of an HCL expression", (text) => {
    const document = { [text]: [text, 1.5, -2, true, null, { nested: text }], ref: new Expression("prefect_flow.etl.id", "x") };
    const written = encodeAttribute(factsOf(attr.json({ description: "d" })), document);
    expect(written).toMatch(/^\$\{jsonencode\(/);
    expect(JSON.parse(readBack(written).value as string)).toEqual({ [text]: [text, 1.5, -2, true, null, { nested: text }], ref: "prefect_flow.etl.id" });
  });

  it("writes a value with a key that reads as a template as one HCL expression", () => {
    const written = plainJson({ "${key}": ["%{v}"], plain: 1 });
    expect(written).toBe('${{"$${key}" = ["%%{v}"], "plain" = 1}}');
    expect(readBack(written).value).toEqual({ "${key}": ["%{v}"], plain: 1 });
  });

  it("writes a JSON document without expressions as its JSON text, escaped", () => {
    const written = encodeAttribute(factsOf(attr.json({ description: "d" })), { command: "echo ${HOME}" });
    expect(written).toBe('{"command":"echo $${HOME}"}');
    expect(readBack(written).value).toBe('{"command":"echo ${HOME}"}');
  });

  it("keeps a sensitive variable's value out of the text and marks what uses it sensitive", () => {
    const written = encodeAttribute(factsOf(attr.json({ description: "d" })), { url: new Expression("var.secret", "unused") });
    expect(written).toBe('${jsonencode({"url" = var.secret})}');
    const evaluated = readBack(written);
    expect(evaluated.sensitive).toBe(true);
    expect(JSON.parse(evaluated.value as string)).toEqual({ url: 'p"a$${s}%{w}\\d' });
  });

  it("writes nested attributes as objects, leaving out defaults and absent values", () => {
    const facts = factsOf(attr.objectList({ type: attr.string({ description: "t", required: true }), parameters: attr.json({ description: "p", default: {} }), id: attr.string({ description: "i" }) }, { description: "l" }));
    expect(encodeAttribute(facts, [{ type: "a", parameters: {}, id: undefined }, { type: "b", parameters: { x: 1 }, id: new Expression("prefect_flow.f.id", "1") }])).toEqual([
      { type: "a" },
      { type: "b", parameters: '{"x":1}', id: "${prefect_flow.f.id}" },
    ]);
  });

  it("writes HCL numbers, booleans, null and empty collections", () => {
    expect(hclExpression({ a: 1e21, b: [], c: {}, d: null, e: false })).toBe('{"a" = 1e+21, "b" = [], "c" = {}, "d" = null, "e" = false}');
  });
});
