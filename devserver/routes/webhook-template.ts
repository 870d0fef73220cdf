// Webhook templates are Jinja2 on Prefect Cloud. We render them with nunjucks set up to behave
// like the environment Prefect uses for user templates (prefect/server/utilities/user_templates.py):
// no autoescaping, missing values render empty and chain (`body.a.b` on a missing `a`), Python
// literals and dict/list methods, the Jinja2 filters and tests nunjucks lacks, Prefect's
// `from_cloud_event` and the humanize filters, and a sandbox: no access to private or
// prototype attributes, no mutating methods, ranges of at most 100 items, at most 10 for
// loops nested at most 2 deep. Known differences from Jinja2 that remain: empty lists and
// dicts are truthy, Python string methods (`.upper()`, `.startswith()`) and the `%` operator
// on strings are not available (the `format` filter is), and errors are worded by nunjucks.
import nunjucks from "nunjucks";
import {
  apnumber,
  attr,
  format,
  fromCloudEvent,
  intcomma,
  intword,
  items,
  JINJA_TESTS,
  mapItems,
  max,
  min,
  naturaldate,
  naturalday,
  naturaldelta,
  naturalsize,
  naturaltime,
  ordinal,
  precisedelta,
  pythonRepr,
  tojson,
  unique,
  withPythonStrings,
} from "./webhook-filters.js";

/** The parts of nunjucks' runtime and parser that @types/nunjucks does not declare. */
interface TemplateNode {
  fields: string[];
  children?: TemplateNode[];
  [field: string]: unknown;
}
interface NunjucksInternals {
  runtime: { memberLookup: (...args: unknown[]) => unknown; suppressValue: (value: unknown, autoescape: boolean) => unknown };
  parser: { parse(src: string, extensions?: unknown[], opts?: unknown): TemplateNode };
  nodes: { Node: abstract new () => TemplateNode; For: abstract new () => TemplateNode };
}

const MAX_TEMPLATE_RANGE = 100;
const MAX_LOOP_COUNT = 10;
const MAX_NESTED_LOOP_DEPTH = 2;

/** A template that cannot be rendered; `message` says why, with the position when known. */
export class TemplateError extends Error {
  readonly code = "TEMPLATE_ERROR";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TemplateError";
  }
}

const internals = nunjucks as unknown as NunjucksInternals;

// Jinja2's Python literals (True/None), slices and dict/list methods. nunjucks installs them
// process-wide, so every nunjucks template in the devserver gets the same Jinja2 flavour.
nunjucks.installJinjaCompat();

// The sandbox and Python-style printing below patch nunjucks' shared runtime, so they apply
// only while a webhook template renders: other nunjucks users in the process keep nunjucks'
// own behaviour.
let webhookRenders = 0;

const MUTATING_METHODS = new Set([
  "append", "extend", "insert", "pop", "popitem", "remove", "clear", "update", "setdefault",
  "push", "shift", "unshift", "splice", "sort", "reverse", "fill", "copyWithin",
]);
const UNSAFE_ATTRIBUTES = new Set(["constructor", "prototype", "caller", "callee", "arguments"]);

function pythonTypeName(value: unknown): string {
  if (Array.isArray(value)) return "list";
  if (typeof value === "string") return "str";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "function") return "function";
  return "dict";
}

// Jinja2's ImmutableSandboxedEnvironment refuses private attributes and mutating methods; for
// nunjucks the dangerous ones are the prototype chain (`"".constructor.constructor` is
// Function, i.e. arbitrary code). Installed once, on top of the Jinja2 compatibility layer.
const compatibleLookup = internals.runtime.memberLookup;
internals.runtime.memberLookup = function sandboxedLookup(this: unknown, ...args: unknown[]): unknown {
  const [target, key] = args;
  if (!webhookRenders) return compatibleLookup.apply(this, args);
  // Four arguments is a slice (`x[1:3]`), which reads items only.
  if (args.length !== 4 && typeof key === "string" && target !== null && target !== undefined) {
    // A key of the request's own data wins over a method of the same name: `body['update']`
    // and `body.update` compile alike in nunjucks, and webhook payloads use such keys.
    if (typeof target === "object" && Object.prototype.propertyIsEnumerable.call(target, key)) {
      return (target as Record<string, unknown>)[key];
    }
    const mutating = (Array.isArray(target) || typeof target === "object") && MUTATING_METHODS.has(key);
    if (key.startsWith("_") || UNSAFE_ATTRIBUTES.has(key) || mutating) {
      throw new TemplateError(`access to attribute '${key}' of '${pythonTypeName(target)}' object is unsafe.`);
    }
  }
  return compatibleLookup.apply(this, args);
};

// Jinja2 prints Python values: `True`, `None`, `['a', 'b']`, `{'k': 'v'}`.
const nunjucksSuppressValue = internals.runtime.suppressValue;
internals.runtime.suppressValue = function pythonOutput(value: unknown, autoescape: boolean): unknown {
  if (webhookRenders && (value === null || typeof value === "boolean" || (typeof value === "object" && !(value instanceof nunjucks.runtime.SafeString)))) {
    return nunjucksSuppressValue(pythonRepr(value), autoescape);
  }
  return nunjucksSuppressValue(value, autoescape);
};

/** The clock the time-relative humanize filters read; set for the duration of one render. */
let renderClock = new Date();

const environment = new nunjucks.Environment([], { autoescape: false, throwOnUndefined: false });
const FILTERS: Record<string, (...args: never[]) => unknown> = {
  tojson,
  items,
  attr,
  max,
  min,
  unique,
  format,
  map: mapItems,
  from_cloud_event: fromCloudEvent,
  humanize_intcomma: intcomma,
  humanize_ordinal: ordinal,
  humanize_apnumber: apnumber,
  humanize_intword: intword,
  humanize_naturalsize: naturalsize,
  humanize_naturaldelta: (value: unknown) => naturaldelta(value, renderClock),
  humanize_naturaltime: (value: unknown) => naturaltime(value, renderClock),
  humanize_naturalday: (value: unknown) => naturalday(value, renderClock),
  humanize_naturaldate: (value: unknown) => naturaldate(value, renderClock),
  humanize_precisedelta: (value: unknown) => precisedelta(value, renderClock),
};
for (const [name, filter] of Object.entries(FILTERS)) environment.addFilter(name, filter as (...args: unknown[]) => unknown);
for (const [name, test] of Object.entries(JINJA_TESTS)) {
  (environment as unknown as { addTest(name: string, test: (...args: unknown[]) => boolean): void }).addTest(name, test);
}

const nunjucksRange = environment.getGlobal("range") as (...args: unknown[]) => unknown[];
environment.addGlobal("range", (...args: unknown[]) => {
  const numbers = args.map(Number);
  const [first = 0, second, step = 1] = numbers;
  const [start, stop] = second === undefined ? [0, first] : [first, second];
  const length = step === 0 ? 0 : Math.max(0, Math.ceil((stop - start) / step));
  if (length > MAX_TEMPLATE_RANGE) {
    throw new TemplateError(`Range too big. The sandbox blocks ranges larger than MAX_TEMPLATE_RANGE=${MAX_TEMPLATE_RANGE}.`);
  }
  return nunjucksRange(...args);
});

/** nunjucks' "(unknown path) [Line 1, Column 7]\n  unexpected token: %}" -> "unexpected token: %} (line 1, column 7)". */
function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const position = /\[Line (\d+), Column (\d+)\]/.exec(text);
  // Errors raised inside includes and filters arrive wrapped in several such prefixes.
  let reason = text;
  for (let previous = ""; previous !== reason; ) {
    previous = reason;
    reason = reason
      .replace(/^\(unknown path\)\s*(\[Line \d+, Column \d+\])?\s*/, "")
      .replace(/^(Template render error|Error|TypeError|RangeError|TemplateError):\s*/, "")
      .trim();
  }
  return position ? `${reason} (line ${position[1]}, column ${position[2]})` : reason;
}

function childrenOf(node: TemplateNode): TemplateNode[] {
  if (Array.isArray(node.children)) return node.children;
  return node.fields.map((field) => node[field]).filter((value): value is TemplateNode => value instanceof internals.nodes.Node);
}

function loopDepth(node: TemplateNode): number {
  const inner = Math.max(0, ...childrenOf(node).map(loopDepth));
  return (node instanceof internals.nodes.For ? 1 : 0) + inner;
}

function countLoops(node: TemplateNode): number {
  return (node instanceof internals.nodes.For ? 1 : 0) + childrenOf(node).reduce((sum, child) => sum + countLoops(child), 0);
}

/**
 * Why a template is not a valid webhook template (its syntax, or the sandbox's loop limits),
 * or `undefined` when it is valid. Only the syntax is checked, as Prefect does: a template
 * need not render to JSON until a request arrives (`{{ body|from_cloud_event(headers) }}`).
 */
export function templateProblem(template: string): string | undefined {
  let root: TemplateNode;
  try {
    // Compiling first: its errors carry the line and column.
    new nunjucks.Template(template, environment, undefined, true);
    root = internals.parser.parse(template);
  } catch (error) {
    return describe(error);
  }
  const loops = countLoops(root);
  if (loops > MAX_LOOP_COUNT) {
    return `Contains ${loops} for loops. Templates can contain no more than ${MAX_LOOP_COUNT} for loops.`;
  }
  const depth = loopDepth(root);
  if (depth > MAX_NESTED_LOOP_DEPTH) {
    return `Contains nested for loops at a depth of ${depth}. Templates can nest for loops no more than ${MAX_NESTED_LOOP_DEPTH} loops deep.`;
  }
  return undefined;
}

/** What a webhook template sees of the request. */
export interface TemplateContext {
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * A header map that finds names in any case (`headers['Content-Length']`), like the
 * case-insensitive dictionary Prefect Cloud gives templates. Names are stored lower-cased.
 */
function caseInsensitive(headers: Record<string, string>): Record<string, string> {
  return new Proxy(headers, {
    get: (target, key, receiver) => Reflect.get(target, typeof key === "string" && !(key in target) ? key.toLowerCase() : key, receiver),
    has: (target, key) => Reflect.has(target, typeof key === "string" ? key.toLowerCase() : key),
  });
}

/** Render a webhook template against a request; throws TemplateError with the reason on failure. */
export function renderTemplate(template: string, context: TemplateContext, now: Date): string {
  renderClock = now;
  webhookRenders++;
  try {
    const compiled = new nunjucks.Template(template, environment, undefined, true);
    return compiled.render({
      method: context.method,
      headers: caseInsensitive(withPythonStrings({ ...context.headers })),
      body: withPythonStrings(structuredClone(context.body)),
    });
  } catch (error) {
    throw new TemplateError(describe(error), { cause: error });
  } finally {
    webhookRenders--;
  }
}
