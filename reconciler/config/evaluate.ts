// Evaluating parsed expressions. Values are plain JSON, except where a value depends on an
// object not created yet: there the result is an unknown marker `{ "$unknown": "<ref>" }`,
// resolved at apply time once the object exists. Use of a sensitive variable taints the
// result so the plan masks it.
import { isUnknown, type UnknownValue } from "../../provider/kinds/compare.js";
import { ExpressionError, parseTemplateString, type Expr, type TraversalStep } from "./expressions.js";

export type { UnknownValue };
export { isUnknown };

/** What an expression can refer to. Each lookup throws ExpressionError for an unknown name. */
export interface EvalScope {
  variable(name: string): { value: unknown; sensitive: boolean };
  local(name: string): { value: unknown; sensitive: boolean };
  /**
   * An attribute of a resource instance: `path` starts with the attribute name. `key` is the
   * count index or for_each key when the reference has one.
   */
  resource(type: string, name: string, key: string | number | undefined, path: (string | number)[], text: string): unknown;
  /** Whether a resource block uses count or for_each (then references must index it). */
  resourceMode(type: string, name: string): "single" | "count" | "for_each" | undefined;
  each?: { key: string; value: unknown };
  count?: { index: number };
}

export interface Evaluation {
  value: unknown;
  sensitive: boolean;
}

/** Whether a value has an unknown anywhere inside. */
export function containsUnknown(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/** The first unknown inside a value (depth first), if any. */
export function firstUnknown(value: unknown): UnknownValue | undefined {
  if (isUnknown(value)) return value;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = firstUnknown(item);
      if (found) return found;
    }
  } else if (value && typeof value === "object") {
    for (const item of Object.values(value)) {
      const found = firstUnknown(item);
      if (found) return found;
    }
  }
  return undefined;
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

function stringify(value: unknown, expression: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value === null) throw new ExpressionError("cannot insert null into a string template", expression);
  throw new ExpressionError(`cannot insert ${typeName(value)} into a string template`, expression, "use jsonencode(...) to turn it into text");
}

class Evaluator {
  sensitive = false;
  constructor(
    private readonly scope: EvalScope,
    private readonly text: string,
  ) {}

  eval(expr: Expr): unknown {
    switch (expr.type) {
      case "literal":
        return expr.value;
      case "template": {
        const pieces = expr.parts.map((part) => (typeof part === "string" ? part : this.eval(part)));
        const unknownPiece = pieces.find(isUnknown);
        if (unknownPiece) return unknownPiece;
        return pieces.map((piece) => stringify(piece, this.text)).join("");
      }
      case "tuple":
        return expr.items.map((item) => this.eval(item));
      case "object": {
        const out: Record<string, unknown> = {};
        for (const item of expr.items) {
          const key = typeof item.key === "string" ? item.key : this.eval(item.key);
          if (isUnknown(key)) return key;
          out[stringify(key, this.text)] = this.eval(item.value);
        }
        return out;
      }
      case "call":
        return this.call(expr.name, expr.args.map((arg) => this.eval(arg)));
      case "traversal":
        return this.traverse(expr.root, expr.steps, expr.text);
    }
  }

  private call(name: string, args: unknown[]): unknown {
    const arity = (n: number) => {
      if (args.length !== n) throw new ExpressionError(`${name}() takes ${n} argument${n === 1 ? "" : "s"}, got ${args.length}`, this.text);
    };
    const pending = args.map(firstUnknown).find(Boolean);
    if (pending) return pending;
    const [arg] = args;
    switch (name) {
      case "jsonencode":
        arity(1);
        return JSON.stringify(arg);
      case "jsondecode":
        arity(1);
        if (typeof arg !== "string") throw new ExpressionError(`jsondecode() needs a string, got ${typeName(arg)}`, this.text);
        try {
          return JSON.parse(arg);
        } catch (error) {
          throw new ExpressionError(`jsondecode(): not valid JSON (${(error as Error).message})`, this.text);
        }
      case "toset":
      case "tolist":
        arity(1);
        if (!Array.isArray(arg)) throw new ExpressionError(`${name}() needs a list, got ${typeName(arg)}`, this.text);
        return name === "toset" ? [...new Map(arg.map((item) => [JSON.stringify(item), item])).values()] : arg;
      case "tomap":
        arity(1);
        if (!arg || typeof arg !== "object" || Array.isArray(arg)) throw new ExpressionError(`tomap() needs an object, got ${typeName(arg)}`, this.text);
        return arg;
      case "tostring":
        arity(1);
        if (arg === null) return null;
        if (typeof arg === "object") throw new ExpressionError(`tostring() cannot convert ${typeName(arg)}`, this.text);
        return String(arg);
      case "tonumber": {
        arity(1);
        if (arg === null) return null;
        const number = typeof arg === "number" ? arg : typeof arg === "string" && arg.trim() !== "" ? Number(arg) : NaN;
        if (Number.isNaN(number)) throw new ExpressionError(`tonumber() cannot convert ${JSON.stringify(arg)}`, this.text);
        return number;
      }
      case "tobool":
        arity(1);
        if (arg === null || typeof arg === "boolean") return arg;
        if (arg === "true" || arg === "false") return arg === "true";
        throw new ExpressionError(`tobool() cannot convert ${JSON.stringify(arg)}`, this.text);
      default:
        throw new ExpressionError(`the function ${name}() is not supported`, this.text, undefined, "CONFIG_UNSUPPORTED");
    }
  }

  private index(value: unknown, step: TraversalStep, text: string): unknown {
    if (isUnknown(value)) return value;
    const key = "attr" in step ? step.attr : this.eval(step.index);
    if (isUnknown(key)) return key;
    if (Array.isArray(value)) {
      if (typeof key !== "number" || !Number.isInteger(key)) throw new ExpressionError(`a list is indexed by a whole number, not ${JSON.stringify(key)}`, text);
      if (key < 0 || key >= value.length) throw new ExpressionError(`index ${key} is out of range (the list has ${value.length} items)`, text);
      return value[key];
    }
    if (value && typeof value === "object") {
      const name = String(key);
      if (!(name in value)) throw new ExpressionError(`the object has no attribute "${name}" (it has: ${Object.keys(value).join(", ") || "none"})`, text);
      return (value as Record<string, unknown>)[name];
    }
    throw new ExpressionError(`cannot index ${typeName(value)} with ${JSON.stringify(key)}`, text);
  }

  private walk(start: unknown, steps: TraversalStep[], text: string): unknown {
    let value = start;
    for (const step of steps) value = this.index(value, step, text);
    return value;
  }

  private traverse(root: string, steps: TraversalStep[], text: string): unknown {
    const first = steps[0];
    const firstName = first && "attr" in first ? first.attr : undefined;
    switch (root) {
      case "var": {
        if (!firstName) throw new ExpressionError("var needs a variable name: var.NAME", text);
        const variable = this.scope.variable(firstName);
        if (variable.sensitive) this.sensitive = true;
        return this.walk(variable.value, steps.slice(1), text);
      }
      case "local": {
        if (!firstName) throw new ExpressionError("local needs a name: local.NAME", text);
        const local = this.scope.local(firstName);
        if (local.sensitive) this.sensitive = true;
        return this.walk(local.value, steps.slice(1), text);
      }
      case "each":
        if (!this.scope.each) throw new ExpressionError("each.key and each.value exist only in a resource with for_each", text);
        if (firstName === "key") return this.walk(this.scope.each.key, steps.slice(1), text);
        if (firstName === "value") return this.walk(this.scope.each.value, steps.slice(1), text);
        throw new ExpressionError("each has only key and value", text);
      case "count":
        if (!this.scope.count) throw new ExpressionError("count.index exists only in a resource with count", text);
        if (firstName === "index") return this.scope.count.index;
        throw new ExpressionError("count has only index", text);
      case "data":
        throw new ExpressionError("data sources are not supported", text, "declare the object as a resource, or pass its id in a variable", "CONFIG_UNSUPPORTED");
      case "path":
      case "terraform":
      case "self":
      case "module":
        throw new ExpressionError(`${root}.* references are not supported`, text, "refer to resources, variables or locals", "CONFIG_UNSUPPORTED");
      default:
        return this.resource(root, steps, text);
    }
  }

  private resource(type: string, steps: TraversalStep[], text: string): unknown {
    if (!type.startsWith("prefect_")) {
      throw new ExpressionError(`unknown reference "${type}"`, text, "references are var.NAME, local.NAME, each.*, count.index or prefect_TYPE.NAME.ATTRIBUTE", "REFERENCE_UNDECLARED");
    }
    const [nameStep, ...rest] = steps;
    if (!nameStep || !("attr" in nameStep)) throw new ExpressionError(`${type} needs a resource name: ${type}.NAME.ATTRIBUTE`, text);
    const name = nameStep.attr;
    const mode = this.scope.resourceMode(type, name);
    if (!mode) throw new ExpressionError(`there is no resource ${type}.${name} in the configuration`, text, undefined, "REFERENCE_UNDECLARED");
    let key: string | number | undefined;
    let remaining = rest;
    if (mode !== "single") {
      const indexStep = rest[0];
      if (!indexStep || !("index" in indexStep)) {
        throw new ExpressionError(
          `${type}.${name} has ${mode}: refer to one instance, e.g. ${type}.${name}[${mode === "count" ? "0" : '"key"'}].id`,
          text,
        );
      }
      const evaluated = this.eval(indexStep.index);
      if (isUnknown(evaluated)) return evaluated;
      key = evaluated as string | number;
      remaining = rest.slice(1);
    }
    const path: (string | number)[] = [];
    for (const step of remaining) {
      if ("attr" in step) path.push(step.attr);
      else {
        const index = this.eval(step.index);
        if (isUnknown(index)) return index;
        path.push(index as string | number);
      }
    }
    if (!path.length) throw new ExpressionError(`refer to an attribute of ${type}.${name}, e.g. ${type}.${name}.id`, text);
    return this.scope.resource(type, name, key, path, text);
  }
}

/** Evaluate a parsed expression. */
export function evaluateExpr(expr: Expr, scope: EvalScope, text: string): Evaluation {
  const evaluator = new Evaluator(scope, text);
  const value = evaluator.eval(expr);
  return { value, sensitive: evaluator.sensitive };
}

/**
 * Evaluate a raw Terraform JSON value: strings are templates, lists and objects are walked.
 * Object keys are literal (as in Terraform JSON).
 */
export function evaluateRaw(raw: unknown, scope: EvalScope): Evaluation {
  let sensitive = false;
  const walk = (value: unknown): unknown => {
    if (typeof value === "string") {
      try {
        const result = evaluateExpr(parseTemplateString(value), scope, value);
        sensitive ||= result.sensitive;
        return result.value;
      } catch (caught) {
        // Name the whole expression as written; the message names the part that failed.
        if (caught instanceof ExpressionError && caught.expression !== value) throw new ExpressionError(caught.message, value, caught.hint, caught.code);
        throw caught;
      }
    }
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === "object") {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[key] = walk(item);
      return out;
    }
    return value;
  };
  const value = walk(raw);
  return { value, sensitive };
}
