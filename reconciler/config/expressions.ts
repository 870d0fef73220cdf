// The Terraform expression subset the engine understands, parsed from the `${...}` template
// strings that Terraform JSON, CDKTF output and hcl2json all use: literals, template strings,
// references (`prefect_flow.etl.id`, `var.x`, `local.y`, `each.key`, `count.index`, indexes),
// tuples, objects and a few functions. Anything else (operators, conditionals, `for`, splats)
// is refused with the expression named, never silently ignored.
import { EngineError, type ErrorCode } from "../errors.js";

export type Expr =
  | { type: "literal"; value: unknown }
  | { type: "template"; parts: (string | Expr)[] }
  | { type: "traversal"; root: string; steps: TraversalStep[]; text: string }
  | { type: "call"; name: string; args: Expr[] }
  | { type: "tuple"; items: Expr[] }
  | { type: "object"; items: { key: string | Expr; value: Expr }[] };

export type TraversalStep = { attr: string } | { index: Expr };

/** Functions the engine evaluates. */
export const SUPPORTED_FUNCTIONS = ["jsonencode", "jsondecode", "toset", "tolist", "tomap", "tostring", "tonumber", "tobool"] as const;

/** An expression that cannot be parsed or evaluated. @default code EXPRESSION_INVALID */
export class ExpressionError extends EngineError {
  constructor(
    message: string,
    /** The expression text the problem is in. */
    readonly expression: string,
    /** How to fix it. */
    readonly hint?: string,
    code: ErrorCode = "EXPRESSION_INVALID",
  ) {
    super(code, message);
  }
}

type Token =
  | { kind: "ident"; value: string; pos: number }
  | { kind: "number"; value: number; pos: number }
  | { kind: "string"; parts: (string | Expr)[]; pos: number }
  | { kind: "punct"; value: string; pos: number }
  | { kind: "newline"; pos: number }
  | { kind: "eof"; pos: number };

const PUNCT = ["...", "==", "!=", "<=", ">=", "&&", "||", "=>", "(", ")", "[", "]", "{", "}", ",", ".", "=", ":", "?", "+", "-", "*", "/", "%", "!", "<", ">"];
const OPERATORS = new Set(["==", "!=", "<=", ">=", "&&", "||", "?", "+", "*", "/", "%", "!", "<", ">"]);

class Lexer {
  private pos = 0;
  constructor(
    private readonly text: string,
    private readonly whole: string,
  ) {}

  tokens(): Token[] {
    const out: Token[] = [];
    for (;;) {
      const token = this.next();
      out.push(token);
      if (token.kind === "eof") return out;
    }
  }

  private next(): Token {
    const { text } = this;
    while (this.pos < text.length) {
      const ch = text[this.pos] ?? "";
      if (ch === "\n") {
        this.pos++;
        return { kind: "newline", pos: this.pos - 1 };
      }
      if (ch === " " || ch === "\t" || ch === "\r") {
        this.pos++;
        continue;
      }
      if (ch === "#" || (ch === "/" && text[this.pos + 1] === "/")) {
        while (this.pos < text.length && text[this.pos] !== "\n") this.pos++;
        continue;
      }
      if (ch === "/" && text[this.pos + 1] === "*") {
        const end = text.indexOf("*/", this.pos + 2);
        this.pos = end < 0 ? text.length : end + 2;
        continue;
      }
      break;
    }
    const start = this.pos;
    if (this.pos >= text.length) return { kind: "eof", pos: start };
    const ch = text[this.pos] ?? "";
    if (/[A-Za-z_]/.test(ch)) {
      while (this.pos < text.length && /[A-Za-z0-9_-]/.test(text[this.pos] ?? "")) this.pos++;
      return { kind: "ident", value: text.slice(start, this.pos), pos: start };
    }
    if (/[0-9]/.test(ch)) {
      const match = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(this.pos));
      const literal = match?.[0] ?? ch;
      this.pos += literal.length;
      return { kind: "number", value: Number(literal), pos: start };
    }
    if (ch === '"') return { kind: "string", parts: this.quoted(), pos: start };
    if (ch === "<" && text.startsWith("<<", this.pos)) {
      throw new ExpressionError("heredoc strings inside expressions are not supported", this.whole, "write the text as a quoted string", "CONFIG_UNSUPPORTED");
    }
    for (const punct of PUNCT) {
      if (text.startsWith(punct, this.pos)) {
        this.pos += punct.length;
        return { kind: "punct", value: punct, pos: start };
      }
    }
    throw new ExpressionError(`unexpected character ${JSON.stringify(ch)}`, this.whole);
  }

  /** A quoted string with escapes and `${...}` interpolations. */
  private quoted(): (string | Expr)[] {
    const { text } = this;
    this.pos++; // opening quote
    const parts: (string | Expr)[] = [];
    let literal = "";
    while (this.pos < text.length) {
      const ch = text[this.pos] ?? "";
      if (ch === '"') {
        this.pos++;
        if (literal || !parts.length) parts.push(literal);
        return parts;
      }
      if (ch === "\\") {
        const escaped = text[this.pos + 1] ?? "";
        const map: Record<string, string> = { n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\" };
        if (escaped === "u") {
          literal += String.fromCharCode(parseInt(text.slice(this.pos + 2, this.pos + 6), 16));
          this.pos += 6;
          continue;
        }
        literal += map[escaped] ?? escaped;
        this.pos += 2;
        continue;
      }
      if (text.startsWith("$${", this.pos)) {
        literal += "${";
        this.pos += 3;
        continue;
      }
      if (text.startsWith("%%{", this.pos)) {
        literal += "%{";
        this.pos += 3;
        continue;
      }
      if (text.startsWith("%{", this.pos)) {
        throw new ExpressionError("template directives (%{if}, %{for}) are not supported", this.whole, "compute the text outside the template", "CONFIG_UNSUPPORTED");
      }
      if (text.startsWith("${", this.pos)) {
        if (literal) parts.push(literal);
        literal = "";
        const end = matchingBrace(text, this.pos + 2, this.whole);
        parts.push(parseExpression(text.slice(this.pos + 2, end).replace(/^~|~$/g, ""), this.whole));
        this.pos = end + 1;
        continue;
      }
      literal += ch;
      this.pos++;
    }
    throw new ExpressionError("unterminated string", this.whole);
  }
}

/** The index of the `}` closing an interpolation that starts at `from`, skipping nested braces and strings. */
function matchingBrace(text: string, from: number, whole: string): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
      continue;
    }
    if (ch === "{") depth++;
    else if (ch === "}") {
      if (depth === 0) return i;
      depth--;
    }
  }
  throw new ExpressionError("unterminated ${ interpolation", whole);
}

class Parser {
  private index = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly whole: string,
  ) {}

  parseAll(): Expr {
    this.skipNewlines();
    const expr = this.expression();
    this.skipNewlines();
    const rest = this.peek();
    if (rest.kind !== "eof") this.refuseAt(rest);
    return expr;
  }

  private peek(): Token {
    return this.tokens[this.index] ?? { kind: "eof", pos: 0 };
  }

  private take(): Token {
    const token = this.peek();
    this.index++;
    return token;
  }

  private skipNewlines(): void {
    while (this.peek().kind === "newline") this.index++;
  }

  private isPunct(value: string): boolean {
    const token = this.peek();
    return token.kind === "punct" && token.value === value;
  }

  private expect(value: string): void {
    this.skipNewlines();
    const token = this.take();
    if (token.kind !== "punct" || token.value !== value) throw new ExpressionError(`expected "${value}"`, this.whole);
  }

  private refuseAt(token: Token): never {
    if (token.kind === "punct" && OPERATORS.has(token.value)) {
      throw new ExpressionError(
        `the operator "${token.value}" is not supported`,
        this.whole,
        "the engine evaluates literals, references, jsonencode/jsondecode and string templates; compute the value in a local or a variable default",
        "CONFIG_UNSUPPORTED",
      );
    }
    if (token.kind === "punct" && (token.value === "[" || token.value === ".") && this.tokens[this.index]?.kind === "punct") {
      throw new ExpressionError("splat expressions ([*], .*) are not supported", this.whole, undefined, "CONFIG_UNSUPPORTED");
    }
    throw new ExpressionError(`unexpected ${token.kind === "punct" ? `"${token.value}"` : token.kind}`, this.whole);
  }

  private expression(): Expr {
    const expr = this.primary();
    const next = this.peek();
    if (next.kind === "punct" && (OPERATORS.has(next.value) || next.value === "-")) this.refuseAt(next);
    return expr;
  }

  private primary(): Expr {
    this.skipNewlines();
    const token = this.take();
    switch (token.kind) {
      case "number":
        return { type: "literal", value: token.value };
      case "string":
        return token.parts.length === 1 && typeof token.parts[0] === "string" ? { type: "literal", value: token.parts[0] } : { type: "template", parts: token.parts };
      case "punct":
        if (token.value === "-" && this.peek().kind === "number") {
          return { type: "literal", value: -(this.take() as { value: number }).value };
        }
        if (token.value === "[") return this.tuple();
        if (token.value === "{") return this.object();
        if (token.value === "(") {
          const inner = this.expression();
          this.expect(")");
          return inner;
        }
        return this.refuseAt(token);
      case "ident":
        return this.identifier(token);
      default:
        return this.refuseAt(token);
    }
  }

  private identifier(token: { value: string; pos: number }): Expr {
    if (token.value === "true" || token.value === "false") return { type: "literal", value: token.value === "true" };
    if (token.value === "null") return { type: "literal", value: null };
    if (token.value === "for") {
      throw new ExpressionError("for expressions are not supported", this.whole, "list the values literally, or use count/for_each on the resource", "CONFIG_UNSUPPORTED");
    }
    if (this.isPunct("(")) {
      this.take();
      const args: Expr[] = [];
      this.skipNewlines();
      while (!this.isPunct(")")) {
        args.push(this.expression());
        this.skipNewlines();
        if (this.isPunct("...")) throw new ExpressionError("argument expansion (...) is not supported", this.whole, undefined, "CONFIG_UNSUPPORTED");
        if (this.isPunct(",")) this.take();
        this.skipNewlines();
      }
      this.take();
      if (!(SUPPORTED_FUNCTIONS as readonly string[]).includes(token.value)) {
        throw new ExpressionError(
          `the function ${token.value}() is not supported`,
          this.whole,
          `supported functions: ${SUPPORTED_FUNCTIONS.join(", ")}`,
          "CONFIG_UNSUPPORTED",
        );
      }
      return { type: "call", name: token.value, args };
    }
    const steps: TraversalStep[] = [];
    const start = token.pos;
    let end = token.pos + token.value.length;
    for (;;) {
      if (this.isPunct(".")) {
        this.take();
        const next = this.take();
        if (next.kind === "ident") {
          steps.push({ attr: next.value });
          end = next.pos + next.value.length;
        } else if (next.kind === "number") {
          steps.push({ index: { type: "literal", value: next.value } });
          end = next.pos + String(next.value).length;
        } else if (next.kind === "punct" && next.value === "*") {
          throw new ExpressionError("splat expressions (.*) are not supported", this.whole, undefined, "CONFIG_UNSUPPORTED");
        } else {
          this.refuseAt(next);
        }
        continue;
      }
      if (this.isPunct("[")) {
        this.take();
        if (this.isPunct("*")) throw new ExpressionError("splat expressions ([*]) are not supported", this.whole, undefined, "CONFIG_UNSUPPORTED");
        const index = this.expression();
        this.expect("]");
        const close = this.tokens[this.index - 1];
        end = (close?.pos ?? end) + 1;
        steps.push({ index });
        continue;
      }
      break;
    }
    return { type: "traversal", root: token.value, steps, text: this.source(start, end) };
  }

  private source(start: number, end: number): string {
    return this.sourceText.slice(start, end);
  }

  sourceText = "";

  private tuple(): Expr {
    const items: Expr[] = [];
    this.skipNewlines();
    while (!this.isPunct("]")) {
      items.push(this.expression());
      this.skipNewlines();
      if (this.isPunct(",")) this.take();
      else if (!this.isPunct("]")) throw new ExpressionError('expected "," or "]" in a list', this.whole);
      this.skipNewlines();
    }
    this.take();
    return { type: "tuple", items };
  }

  private object(): Expr {
    const items: { key: string | Expr; value: Expr }[] = [];
    this.skipNewlines();
    while (!this.isPunct("}")) {
      const keyToken = this.take();
      let key: string | Expr;
      if (keyToken.kind === "ident") key = keyToken.value;
      else if (keyToken.kind === "string") key = keyToken.parts.length === 1 && typeof keyToken.parts[0] === "string" ? keyToken.parts[0] : { type: "template", parts: keyToken.parts };
      else if (keyToken.kind === "number") key = String(keyToken.value);
      else if (keyToken.kind === "punct" && keyToken.value === "(") {
        key = this.expression();
        this.expect(")");
      } else throw new ExpressionError("expected an object key", this.whole);
      this.skipNewlines();
      const separator = this.take();
      if (separator.kind !== "punct" || (separator.value !== "=" && separator.value !== ":")) {
        throw new ExpressionError('expected "=" or ":" after an object key', this.whole);
      }
      const value = this.expression();
      items.push({ key, value });
      const next = this.peek();
      if (next.kind === "punct" && next.value === ",") this.take();
      else if (next.kind !== "newline" && !(next.kind === "punct" && next.value === "}")) {
        if (next.kind === "punct" && (OPERATORS.has(next.value) || next.value === "-")) this.refuseAt(next);
        throw new ExpressionError('expected "," or a new line between object items', this.whole);
      }
      this.skipNewlines();
    }
    this.take();
    return { type: "object", items };
  }
}

/** Parse one HCL expression (the text inside `${ }` or a whole attribute value). */
export function parseExpression(text: string, whole: string = text): Expr {
  const lexer = new Lexer(text, whole);
  const parser = new Parser(lexer.tokens(), whole);
  parser.sourceText = text;
  return parser.parseAll();
}

/**
 * Parse a Terraform JSON string: a literal, a template with interpolations, or (when the
 * whole string is one `${...}`) that expression's own value. The string is already unescaped
 * JSON content: only `$${` (a literal `${`) and interpolations are special.
 */
export function parseTemplateString(text: string): Expr {
  if (!text.includes("${") && !text.includes("%{")) return { type: "literal", value: text };
  const parts: (string | Expr)[] = [];
  let literal = "";
  let i = 0;
  while (i < text.length) {
    if (text.startsWith("$${", i)) {
      literal += "${";
      i += 3;
      continue;
    }
    if (text.startsWith("%%{", i)) {
      literal += "%{";
      i += 3;
      continue;
    }
    if (text.startsWith("%{", i)) {
      throw new ExpressionError("template directives (%{if}, %{for}) are not supported", text, "compute the text outside the template", "CONFIG_UNSUPPORTED");
    }
    if (text.startsWith("${", i)) {
      if (literal) parts.push(literal);
      literal = "";
      const end = matchingBrace(text, i + 2, text);
      parts.push(parseExpression(text.slice(i + 2, end).replace(/^~/, "").replace(/~$/, ""), text));
      i = end + 1;
      continue;
    }
    literal += text[i];
    i++;
  }
  if (literal) parts.push(literal);
  if (parts.length === 1 && typeof parts[0] === "object") return parts[0];
  if (parts.every((part) => typeof part === "string")) return { type: "literal", value: parts.join("") };
  return { type: "template", parts };
}

/** The references an expression makes (traversal roots and their first steps). */
export function referencesOf(expr: Expr): { root: string; steps: TraversalStep[]; text: string }[] {
  const found: { root: string; steps: TraversalStep[]; text: string }[] = [];
  const walk = (node: Expr): void => {
    switch (node.type) {
      case "traversal":
        found.push(node);
        for (const step of node.steps) if ("index" in step) walk(step.index);
        break;
      case "template":
        for (const part of node.parts) if (typeof part !== "string") walk(part);
        break;
      case "call":
        node.args.forEach(walk);
        break;
      case "tuple":
        node.items.forEach(walk);
        break;
      case "object":
        for (const item of node.items) {
          if (typeof item.key !== "string") walk(item.key);
          walk(item.value);
        }
        break;
      default:
        break;
    }
  };
  walk(expr);
  return found;
}
