// From a loaded configuration to resource instances the engine can plan: variables resolved
// (defaults < TF_VAR_* < tfvars files < --var), count/for_each expanded, the provider block
// evaluated, and each instance's attributes evaluated against what is known so far.
import { error, type Diagnostic } from "../diagnostics.js";
import { errorCode, type ErrorCode } from "../errors.js";
import { canonicalJson, sha256 } from "../state/hash.js";
import { evaluateRaw, isUnknown, type EvalScope, type Evaluation } from "./evaluate.js";
import { ExpressionError, parseExpression, parseTemplateString, referencesOf, type Expr } from "./expressions.js";
import type { ConfigModel, ResourceBlock, VariableBlock } from "./model.js";

export interface ResourceInstance {
  /** `prefect_flow.etl`, `prefect_flow.etl[0]` or `prefect_flow.etl["key"]`. */
  address: string;
  type: string;
  name: string;
  key?: string | number;
  block: ResourceBlock;
  each?: { key: string; value: unknown };
  count?: { index: number };
}

/** What the configuration says about the connection (provider "prefect" block), evaluated. */
export interface ProviderSettings {
  endpoint?: string;
  apiKey?: string;
  accountId?: string;
  workspaceId?: string;
  basicAuthKey?: string;
  customHeaders?: Record<string, string>;
  csrfEnabled?: boolean;
  profile?: string;
  profileFile?: string;
}

export interface ResolvedConfig {
  model: ConfigModel;
  variables: Map<string, { value: unknown; sensitive: boolean }>;
  instances: ResourceInstance[];
  provider: ProviderSettings;
  /** Hash of the files read and the variable values: a saved plan is stale when it changes. */
  hash: string;
}

export interface ResolveOptions {
  /** `--var name=value` values. */
  vars?: Record<string, string>;
  /** The environment, for TF_VAR_* (the CLI passes process.env). */
  env?: Record<string, string | undefined>;
  /**
   * Treat variables without a value as known later instead of refusing them (validate, like
   * Terraform's, needs no secrets: CI can check a stack without its credentials).
   */
  missingAsUnknown?: boolean;
}

export function instanceAddress(type: string, name: string, key?: string | number): string {
  if (key === undefined) return `${type}.${name}`;
  return typeof key === "number" ? `${type}.${name}[${key}]` : `${type}.${name}[${JSON.stringify(key)}]`;
}

/** Convert a variable value given as text (TF_VAR_*, --var) to the variable's type. */
function fromText(text: string, type: string | undefined, name: string): unknown {
  if (!type || type === "string" || type === "any") return text;
  if (type === "number") {
    const number = Number(text);
    if (text.trim() === "" || Number.isNaN(number)) throw new ExpressionError(`variable "${name}" is a number, got ${JSON.stringify(text)}`, text);
    return number;
  }
  if (type === "bool") {
    if (text === "true" || text === "false") return text === "true";
    throw new ExpressionError(`variable "${name}" is a bool: use true or false`, text);
  }
  // Complex types are written as HCL literals (["a", "b"], { k = "v" }), as Terraform reads them.
  const expr = parseExpression(text);
  return evaluateLiteral(expr, text);
}

function evaluateLiteral(expr: Expr, text: string): unknown {
  const noRefs: EvalScope = {
    variable: () => {
      throw new ExpressionError("a variable value cannot refer to other variables", text);
    },
    local: () => {
      throw new ExpressionError("a variable value cannot refer to locals", text);
    },
    resource: () => {
      throw new ExpressionError("a variable value cannot refer to resources", text);
    },
    resourceMode: () => undefined,
  };
  return evaluateRaw(expr.type === "literal" ? expr.value : `\${${text}}`, noRefs).value;
}

function checkType(value: unknown, type: string | undefined): boolean {
  if (!type || type === "any" || value === null) return true;
  if (type === "string") return typeof value === "string";
  if (type === "number") return typeof value === "number";
  if (type === "bool") return typeof value === "boolean";
  if (type.startsWith("list") || type.startsWith("set") || type.startsWith("tuple")) return Array.isArray(value);
  if (type.startsWith("map") || type.startsWith("object")) return typeof value === "object" && !Array.isArray(value);
  return true;
}

/** Resolve variables, locals scope, instances and the provider block. Problems come back as diagnostics. */
export function resolveConfig(model: ConfigModel, options: ResolveOptions = {}): { config?: ResolvedConfig; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const variables = resolveVariables(model, options, diagnostics);
  const scope = staticScope(model, variables);
  const instances = expandInstances(model, scope, diagnostics);
  const provider = evaluateProvider(model, scope, diagnostics);
  if (diagnostics.some((d) => d.severity === "error")) return { diagnostics };
  return { config: { model, variables, instances, provider, hash: configHash(model, variables) }, diagnostics };
}

type Variables = ResolvedConfig["variables"];

/** Each declared variable's value, by precedence: default < TF_VAR_* < tfvars files < --var. */
function resolveVariables(model: ConfigModel, options: ResolveOptions, diagnostics: Diagnostic[]): Variables {
  const env = options.env ?? {};
  const vars = options.vars ?? {};
  const variables: Variables = new Map();
  for (const name of Object.keys(vars)) {
    if (!model.variables.has(name)) diagnostics.push(error("VARIABLE_INVALID", `--var ${name}: no variable "${name}" is declared`, { detail: `Declare it: variable "${name}" {} (declared: ${[...model.variables.keys()].join(", ") || "none"}).` }));
  }
  for (const [name, block] of model.variables) {
    let given: { value?: unknown; found: boolean };
    try {
      given = givenValue(model, name, block, env, vars);
    } catch (caught) {
      diagnostics.push(error("VARIABLE_INVALID", `Invalid value for variable "${name}"`, { file: block.location.file, line: block.location.line, detail: (caught as Error).message }));
      continue;
    }
    const { value, found } = given;
    if (!found && options.missingAsUnknown) {
      variables.set(name, { value: { $unknown: `var.${name}` }, sensitive: block.sensitive });
      continue;
    }
    if (!found) {
      diagnostics.push(
        error("VARIABLE_MISSING", `No value for required variable "${name}"`, {
          file: block.location.file,
          line: block.location.line,
          detail: `Set it with the environment variable TF_VAR_${name}, with --var ${name}=VALUE, or in terraform.tfvars.json; or give the variable a default.`,
        }),
      );
      continue;
    }
    if (!checkType(value, block.type)) {
      diagnostics.push(error("VARIABLE_INVALID", `Variable "${name}" must be of type ${block.type}`, { file: block.location.file, line: block.location.line, detail: block.sensitive ? "The value given has another type." : `Got ${JSON.stringify(value)}.` }));
      continue;
    }
    variables.set(name, { value, sensitive: block.sensitive });
  }
  return variables;
}

/** The value of one variable from the source that wins; throws an ExpressionError for text that does not fit its type. */
function givenValue(model: ConfigModel, name: string, block: VariableBlock, env: Record<string, string | undefined>, vars: Record<string, string>): { value?: unknown; found: boolean } {
  let given: { value?: unknown; found: boolean } = { found: false };
  if (block.hasDefault) given = { value: block.default, found: true };
  const fromEnv = env[`TF_VAR_${name}`];
  if (fromEnv !== undefined) given = { value: fromText(fromEnv, block.type, name), found: true };
  if (name in model.tfvars) given = { value: model.tfvars[name], found: true };
  if (vars[name] !== undefined) given = { value: fromText(vars[name], block.type, name), found: true };
  return given;
}

/** The scope count, for_each and the provider block are evaluated in: variables and locals, no resources. */
function staticScope(model: ConfigModel, variables: Variables): EvalScope {
  // Locals are evaluated lazily (they may refer to each other and to resources).
  const localCache = new Map<string, Evaluation>();
  const localStack: string[] = [];
  const modes = new Map<string, "single" | "count" | "for_each">();
  for (const block of model.resources) modes.set(`${block.type}.${block.name}`, block.count !== undefined ? "count" : block.forEach !== undefined ? "for_each" : "single");

  const scope: EvalScope = {
    variable(name) {
      const variable = variables.get(name);
      if (!variable) {
        if (model.variables.has(name)) throw new ExpressionError(`variable "${name}" has no value`, `var.${name}`);
        throw new ExpressionError(`there is no variable "${name}"`, `var.${name}`, `declare it: variable "${name}" {}`, "REFERENCE_UNDECLARED");
      }
      return variable;
    },
    local(name) {
      const cached = localCache.get(name);
      if (cached) return cached;
      const local = model.locals.get(name);
      if (!local) throw new ExpressionError(`there is no local value "${name}"`, `local.${name}`, undefined, "REFERENCE_UNDECLARED");
      if (localStack.includes(name)) throw new ExpressionError(`local values refer to each other in a cycle: ${[...localStack, name].join(" -> ")}`, `local.${name}`);
      localStack.push(name);
      try {
        const evaluated = evaluateRaw(local.value, scope);
        localCache.set(name, evaluated);
        return evaluated;
      } finally {
        localStack.pop();
      }
    },
    resource(_type, _name, _key, _path, text) {
      throw new ExpressionError("count, for_each and the provider block cannot refer to resources", text, "use literals, variables or locals");
    },
    resourceMode: (type, name) => modes.get(`${type}.${name}`),
  };
  return scope;
}

/** Every resource block's instances, with count and for_each expanded. */
function expandInstances(model: ConfigModel, scope: EvalScope, diagnostics: Diagnostic[]): ResourceInstance[] {
  const instances: ResourceInstance[] = [];
  for (const block of model.resources) {
    try {
      instances.push(...expandBlock(block, scope, diagnostics));
    } catch (caught) {
      if (!(caught instanceof ExpressionError)) throw caught;
      const attribute = block.count !== undefined ? "count" : "for_each";
      diagnostics.push(expressionDiagnostic(caught, block, attribute, `${block.type}.${block.name}`));
    }
  }
  return instances;
}

function expandBlock(block: ResourceBlock, scope: EvalScope, diagnostics: Diagnostic[]): ResourceInstance[] {
  const base = { type: block.type, name: block.name, block };
  const attributeLine = (name: string) => block.attributeLines[name] ?? block.location.line;
  if (block.count !== undefined && block.forEach !== undefined) {
    diagnostics.push(error("CONFIG_INVALID", `${block.type}.${block.name} has both count and for_each`, { file: block.location.file, line: block.location.line, address: `${block.type}.${block.name}`, detail: "Use one of them." }));
    return [];
  }
  if (block.count !== undefined) {
    const count = evaluateRaw(block.count, scope).value;
    if (typeof count !== "number" || !Number.isInteger(count) || count < 0) {
      diagnostics.push(error("CONFIG_INVALID", `count must be a whole number >= 0`, { file: block.location.file, line: attributeLine("count"), address: `${block.type}.${block.name}`, attribute: "count", expression: JSON.stringify(block.count) }));
      return [];
    }
    return Array.from({ length: count }, (_, index) => ({ ...base, address: instanceAddress(block.type, block.name, index), key: index, count: { index } }));
  }
  if (block.forEach !== undefined) {
    const forEach = evaluateRaw(block.forEach, scope).value;
    let entries: [string, unknown][];
    if (Array.isArray(forEach) && forEach.every((item) => typeof item === "string")) entries = forEach.map((item) => [item as string, item]);
    else if (forEach && typeof forEach === "object" && !Array.isArray(forEach)) entries = Object.entries(forEach);
    else {
      diagnostics.push(error("CONFIG_INVALID", `for_each must be a set of strings or a map`, { file: block.location.file, line: attributeLine("for_each"), address: `${block.type}.${block.name}`, attribute: "for_each", expression: JSON.stringify(block.forEach), detail: 'Write for_each = toset(["a", "b"]) or for_each = { a = ..., b = ... }.' }));
      return [];
    }
    return entries.map(([key, value]) => ({ ...base, address: instanceAddress(block.type, block.name, key), key, each: { key, value } }));
  }
  return [{ ...base, address: instanceAddress(block.type, block.name) }];
}

/** The provider "prefect" block's arguments, by the ProviderSettings key each sets. */
const PROVIDER_ARGUMENTS: Record<string, keyof ProviderSettings> = {
  endpoint: "endpoint",
  api_key: "apiKey",
  account_id: "accountId",
  workspace_id: "workspaceId",
  basic_auth_key: "basicAuthKey",
  custom_headers: "customHeaders",
  csrf_enabled: "csrfEnabled",
  profile: "profile",
  profile_file: "profileFile",
};

function evaluateProvider(model: ConfigModel, scope: EvalScope, diagnostics: Diagnostic[]): ProviderSettings {
  const provider: ProviderSettings = {};
  if (!model.provider) return provider;
  for (const [attribute, raw] of Object.entries(model.provider.attributes)) {
    const key = PROVIDER_ARGUMENTS[attribute];
    if (!key) {
      diagnostics.push(error("CONFIG_UNSUPPORTED", `Unsupported argument "${attribute}" in provider "prefect"`, { file: model.provider.location.file, line: model.provider.location.line, attribute, detail: `The provider takes ${Object.keys(PROVIDER_ARGUMENTS).join(", ")}.` }));
      continue;
    }
    try {
      let value = evaluateRaw(raw, scope).value;
      if (key === "customHeaders" && typeof value === "string") value = JSON.parse(value);
      (provider as Record<string, unknown>)[key] = value ?? undefined;
    } catch (caught) {
      diagnostics.push(error("CONNECTION_INVALID", `Invalid provider "prefect" argument ${attribute}`, { file: model.provider.location.file, line: model.provider.location.line, attribute, detail: (caught as Error).message }));
    }
  }
  return provider;
}

/** Hash of the files read and the variable values: a saved plan is stale when it changes. */
function configHash(model: ConfigModel, variables: Variables): string {
  return sha256(
    canonicalJson({
      files: model.contents,
      vars: [...variables.entries()].map(([name, variable]) => [name, sha256(canonicalJson(variable.value))]),
    }),
  );
}

export function expressionDiagnostic(caught: ExpressionError, block: ResourceBlock, attribute: string, address: string): Diagnostic {
  return error(caught.code, `Unsupported or invalid expression: ${caught.message}`, {
    file: block.location.file,
    line: block.attributeLines[attribute.split(".")[0] ?? attribute] ?? block.location.line,
    address,
    attribute,
    expression: caught.expression.length > 200 ? `${caught.expression.slice(0, 200)}...` : caught.expression,
    detail: caught.hint ?? "The engine evaluates literals, references (prefect_TYPE.NAME.ATTRIBUTE, var.*, local.*, each.*, count.index), string templates and jsonencode/jsondecode.",
  });
}

/** What the evaluation of other instances may look up: declared attributes, or known live values. */
export interface InstanceValues {
  /** The evaluated value of a declared attribute of another instance (may contain unknowns). */
  declared(address: string, attribute: string): { found: boolean; value?: unknown };
  /** Known values (declared + server-computed) of an instance that exists; undefined when not created yet. */
  known(address: string): Record<string, unknown> | undefined;
}

/** The resource instances a configuration refers to from one instance (attributes and depends_on). */
export function instanceReferences(instance: ResourceInstance, all: Map<string, ResourceInstance[]>): { references: Set<string>; problems: Diagnostic[] } {
  const references = new Set<string>();
  const problems: Diagnostic[] = [];
  const blockKey = (type: string, name: string) => `${type}.${name}`;
  const addAll = (type: string, name: string, text: string, attribute: string) => {
    const targets = all.get(blockKey(type, name));
    if (!targets) {
      problems.push(error("REFERENCE_UNDECLARED", `Reference to undeclared resource ${type}.${name}`, { file: instance.block.location.file, line: instance.block.attributeLines[attribute] ?? instance.block.location.line, address: instance.address, attribute, expression: text, detail: "Declare the resource, or fix the name." }));
      return;
    }
    for (const target of targets) references.add(target.address);
  };
  const scan = (raw: unknown, attribute: string): void => {
    if (typeof raw === "string") {
      let expr: Expr;
      try {
        expr = parseTemplateString(raw);
      } catch (caught) {
        if (caught instanceof ExpressionError) problems.push(expressionDiagnostic(caught, instance.block, attribute, instance.address));
        return;
      }
      for (const reference of referencesOf(expr)) {
        if (!reference.root.startsWith("prefect_")) continue;
        const nameStep = reference.steps[0];
        if (nameStep && "attr" in nameStep) addAll(reference.root, nameStep.attr, reference.text, attribute);
      }
    } else if (Array.isArray(raw)) raw.forEach((item) => scan(item, attribute));
    else if (raw && typeof raw === "object") for (const item of Object.values(raw)) scan(item, attribute);
  };
  for (const [attribute, raw] of Object.entries(instance.block.attributes)) scan(raw, attribute);
  for (const entry of instance.block.dependsOn) {
    const match = /^(prefect_[a-z_]+)\.([A-Za-z0-9_-]+)$/.exec(entry);
    if (!match) {
      problems.push(error("CONFIG_INVALID", `depends_on entries must be resource references`, { file: instance.block.location.file, line: instance.block.attributeLines.depends_on ?? instance.block.location.line, address: instance.address, attribute: "depends_on", expression: entry, detail: "Write depends_on = [prefect_TYPE.NAME]." }));
      continue;
    }
    addAll(match[1]!, match[2]!, entry, "depends_on");
  }
  references.delete(instance.address);
  return { references, problems };
}

/**
 * Evaluate one instance's declared attributes. References to other instances resolve to their
 * declared value when declared, else to their known (live) value, else to an unknown marker.
 */
export function evaluateInstance(
  config: ResolvedConfig,
  instance: ResourceInstance,
  values: InstanceValues,
): { attributes: Record<string, unknown>; sensitive: Set<string>; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const attributes: Record<string, unknown> = {};
  const sensitive = new Set<string>();
  const scope = makeScope(config, instance, values);
  for (const [attribute, raw] of Object.entries(instance.block.attributes)) {
    try {
      const result = evaluateRaw(raw, scope);
      attributes[attribute] = result.value;
      if (result.sensitive) sensitive.add(attribute);
    } catch (caught) {
      if (!(caught instanceof ExpressionError)) throw caught;
      diagnostics.push(expressionDiagnostic(caught, instance.block, attribute, instance.address));
    }
  }
  return { attributes, sensitive, diagnostics };
}

/** Evaluate one declared attribute of an instance (see evaluateInstance); throws ExpressionError. */
export function evaluateAttribute(config: ResolvedConfig, instance: ResourceInstance, attribute: string, values: InstanceValues): Evaluation {
  return evaluateRaw(instance.block.attributes[attribute], makeScope(config, instance, values));
}

interface ConfigIndex {
  modes: Map<string, "single" | "count" | "for_each">;
  byAddress: Map<string, ResourceInstance>;
  byBlock: Map<string, ResourceInstance[]>;
}

/** Lookups derived from a configuration, built once per configuration (not per evaluation). */
const indexes = new WeakMap<ResolvedConfig, ConfigIndex>();

function indexOf(config: ResolvedConfig): ConfigIndex {
  let index = indexes.get(config);
  if (!index) {
    index = { modes: new Map(), byAddress: new Map(), byBlock: new Map() };
    for (const block of config.model.resources) index.modes.set(`${block.type}.${block.name}`, block.count !== undefined ? "count" : block.forEach !== undefined ? "for_each" : "single");
    for (const instance of config.instances) {
      index.byAddress.set(instance.address, instance);
      const key = `${instance.type}.${instance.name}`;
      index.byBlock.set(key, [...(index.byBlock.get(key) ?? []), instance]);
    }
    indexes.set(config, index);
  }
  return index;
}

/** The instances of each resource block (`prefect_flow.etl`), for `instanceReferences`. */
export function instancesByBlock(config: ResolvedConfig): Map<string, ResourceInstance[]> {
  return indexOf(config).byBlock;
}

function makeScope(config: ResolvedConfig, instance: ResourceInstance | undefined, values: InstanceValues): EvalScope {
  const { modes, byAddress, byBlock } = indexOf(config);
  const locals = new Map<string, Evaluation>();
  const scope: EvalScope = {
    variable(name) {
      const variable = config.variables.get(name);
      if (!variable) throw new ExpressionError(`there is no variable "${name}"`, `var.${name}`, `declare it: variable "${name}" {}`, "REFERENCE_UNDECLARED");
      return variable;
    },
    local(name) {
      const cached = locals.get(name);
      if (cached) return cached;
      const local = config.model.locals.get(name);
      if (!local) throw new ExpressionError(`there is no local value "${name}"`, `local.${name}`, undefined, "REFERENCE_UNDECLARED");
      locals.set(name, { value: { $unknown: `local.${name}` }, sensitive: false }); // cycle guard
      const evaluated = evaluateRaw(local.value, { ...scope, each: undefined, count: undefined });
      locals.set(name, evaluated);
      return evaluated;
    },
    resource(type, name, key, path, text) {
      const address = instanceAddress(type, name, key);
      const [attribute, ...rest] = path;
      if (typeof attribute !== "string") throw new ExpressionError(`refer to an attribute by name`, text);
      const target = byAddress.get(address);
      if (!target) {
        const available = (byBlock.get(`${type}.${name}`) ?? []).map((candidate) => candidate.address);
        throw new ExpressionError(`there is no instance ${address}`, text, available.length ? `instances: ${available.join(", ")}` : undefined, "REFERENCE_UNDECLARED");
      }
      const declared = values.declared(address, attribute);
      let value: unknown;
      if (declared.found) value = declared.value;
      else {
        const known = values.known(address);
        value = known ? known[attribute] : { $unknown: `${address}.${attribute}` };
      }
      for (const step of rest) {
        if (isUnknown(value)) return value;
        if (value === null || value === undefined || typeof value !== "object") throw new ExpressionError(`${address}.${attribute} has no ${String(step)}`, text);
        value = (value as Record<string | number, unknown>)[step];
      }
      return value === undefined ? null : value;
    },
    resourceMode: (type, name) => modes.get(`${type}.${name}`),
    each: instance?.each,
    count: instance?.count,
  };
  return scope;
}

export interface OutputValue {
  name: string;
  value: unknown;
  /** Declared sensitive, or derived from a sensitive value: never printed. */
  sensitive: boolean;
  /** The value could not be computed (it refers to something not created). */
  error?: string;
  /** With `error`: its code (REFERENCE_UNDECLARED, EXPRESSION_INVALID...). */
  code?: ErrorCode;
}

/**
 * The configuration's outputs, evaluated against known values. A value is sensitive when the
 * output says so, when it uses a sensitive variable, or when it holds a value the state keeps
 * only as a hash (`isProtected`).
 */
export function evaluateOutputs(config: ResolvedConfig, values: InstanceValues, isProtected: (value: unknown) => boolean): OutputValue[] {
  const scope = makeScope(config, undefined, values);
  const holdsProtected = (value: unknown): boolean =>
    isProtected(value) || (Array.isArray(value) ? value.some(holdsProtected) : !!value && typeof value === "object" && Object.values(value).some(holdsProtected));
  return [...config.model.outputs.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((output) => {
      try {
        const result = evaluateRaw(output.value, scope);
        return { name: output.name, value: result.value, sensitive: output.sensitive || result.sensitive || holdsProtected(result.value) };
      } catch (caught) {
        return { name: output.name, value: undefined, sensitive: output.sensitive, error: (caught as Error).message, code: errorCode(caught) };
      }
    });
}
