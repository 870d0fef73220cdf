// Loading a configuration directory: a CDKTF project (its app is run to synthesize), a
// synthesized cdk.tf.json, or *.tf / *.tf.json files merged as Terraform merges them. Every
// construct the engine does not support is refused with its file and line, never ignored.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { DiagnosticsError, error, throwIfErrors, warning, type Diagnostic } from "../diagnostics.js";
import { synthesizeCdktfApp, type AppRunner } from "./cdktf.js";
import type { ConfigFormat, ConfigModel, Lifecycle, SourceLocation } from "./model.js";
import { readHclSource, readJsonSource, SourceError, type SourceDocument } from "./sources.js";

export interface LoadOptions {
  /** Runs a CDKTF app's `app` command (the CLI provides one). Without it, cdktf.json is refused. */
  runner?: AppRunner;
  /** Which stack of a multi-stack CDKTF app. */
  stack?: string;
}

/** Top-level sections of Terraform configuration and what the engine does with them. */
const IGNORED_SECTIONS = new Set(["terraform", "//"]);
const SUPPORTED_SECTIONS = new Set(["provider", "variable", "locals", "resource", "output"]);
const UNSUPPORTED_SECTIONS: Record<string, string> = {
  data: "data sources are not supported: declare the object as a resource, or pass its id in a variable",
  module: "modules are not supported: put the resources in this directory (or synthesize them with CDKTF)",
  check: "check blocks are not supported",
  import: "import blocks are not supported: use `prefect-gitops import ADDRESS ID`",
  moved: "moved blocks are not supported: use `prefect-gitops state mv` is not available either; re-import the object under its new address",
  removed: "removed blocks are not supported: use `prefect-gitops state rm ADDRESS`",
};
const RESOURCE_META = new Set(["count", "for_each", "depends_on", "lifecycle", "provider", "//"]);

/** The block bodies of a section entry: Terraform JSON allows an object or a list of objects. */
function bodies(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.filter((item): item is Record<string, unknown> => !!item && typeof item === "object");
  if (value && typeof value === "object") return [value as Record<string, unknown>];
  return [];
}

/** `${x}` -> `x` for values that are bare references in HCL (types, depends_on, ignore_changes). */
function bare(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^\$\{(.*)\}$/s.exec(value.trim());
  return (match ? match[1] : value)?.trim();
}

function configFiles(dir: string): { hcl: string[]; json: string[] } {
  const names = readdirSync(dir).filter((name) => statSync(join(dir, name)).isFile()).sort();
  return {
    hcl: names.filter((name) => name.endsWith(".tf")),
    json: names.filter((name) => name.endsWith(".tf.json") && name !== "cdk.tf.json"),
  };
}

function tfvarsFiles(dir: string): string[] {
  const names = readdirSync(dir).sort();
  const auto = names.filter((name) => name.endsWith(".auto.tfvars") || name.endsWith(".auto.tfvars.json"));
  return [...["terraform.tfvars", "terraform.tfvars.json"].filter((name) => names.includes(name)), ...auto];
}

class ModelBuilder {
  readonly diagnostics: Diagnostic[] = [];
  readonly model: ConfigModel;

  constructor(dir: string, format: ConfigFormat) {
    this.model = emptyConfig(dir, format);
  }

  add(source: SourceDocument): void {
    this.model.files.push(source.file);
    this.model.contents.push(source.text);
    for (const [section, value] of Object.entries(source.document)) {
      if (IGNORED_SECTIONS.has(section)) continue;
      const at = (key: string): SourceLocation => ({ file: source.file, line: source.lines.get(key)?.line });
      if (!SUPPORTED_SECTIONS.has(section)) {
        this.diagnostics.push(
          error("CONFIG_UNSUPPORTED", `Unsupported block "${section}"`, {
            file: source.file,
            line: [...source.lines.entries()].find(([key]) => key === section || key.startsWith(`${section}.`))?.[1].line,
            detail: UNSUPPORTED_SECTIONS[section] ?? `The engine reads provider, variable, locals, resource and output blocks only.`,
          }),
        );
        continue;
      }
      switch (section) {
        case "provider":
          this.providers(value, at);
          break;
        case "variable":
          for (const [name, body] of Object.entries((value ?? {}) as Record<string, unknown>)) this.variable(name, bodies(body)[0] ?? {}, at(`variable.${name}`));
          break;
        case "locals":
          for (const body of bodies(value)) {
            for (const [name, local] of Object.entries(body)) {
              const location = { file: source.file, line: source.lines.get("locals")?.attributes.get(name) };
              if (this.model.locals.has(name)) this.diagnostics.push(error("CONFIG_DUPLICATE", `Duplicate local value "${name}"`, { ...location, detail: "Each local value may be defined once." }));
              this.model.locals.set(name, { name, value: local, location });
            }
          }
          break;
        case "output":
          for (const [name, body] of Object.entries((value ?? {}) as Record<string, unknown>)) {
            const block = bodies(body)[0] ?? {};
            this.model.outputs.set(name, { name, value: block.value, sensitive: block.sensitive === true, location: at(`output.${name}`) });
          }
          break;
        case "resource":
          for (const [type, byName] of Object.entries((value ?? {}) as Record<string, unknown>)) {
            for (const [name, body] of Object.entries((byName ?? {}) as Record<string, unknown>)) {
              const lines = source.lines.get(`resource.${type}.${name}`);
              for (const block of bodies(body)) this.resource(type, name, block, { file: source.file, line: lines?.line }, Object.fromEntries(lines?.attributes ?? []));
            }
          }
          break;
      }
    }
  }

  private providers(value: unknown, at: (key: string) => SourceLocation): void {
    for (const [name, body] of Object.entries((value ?? {}) as Record<string, unknown>)) {
      const location = at(`provider.${name}`);
      if (name !== "prefect") {
        this.diagnostics.push(error("CONFIG_UNSUPPORTED", `Unsupported provider "${name}"`, { ...location, detail: "The engine manages Prefect objects only: remove this provider block, or apply it with Terraform." }));
        continue;
      }
      const blocks = bodies(body);
      if (blocks.length > 1 || this.model.provider || blocks.some((block) => "alias" in block)) {
        this.diagnostics.push(error("CONFIG_UNSUPPORTED", 'More than one provider "prefect" block', { ...location, detail: "Provider aliases are not supported: use one provider block per configuration directory." }));
        continue;
      }
      const block = blocks[0] ?? {};
      const { "//": _metadata, ...attributes } = block;
      this.model.provider = { attributes, location };
    }
  }

  private variable(name: string, body: Record<string, unknown>, location: SourceLocation): void {
    if (this.model.variables.has(name)) {
      this.diagnostics.push(error("CONFIG_DUPLICATE", `Duplicate variable "${name}"`, { ...location, detail: "Each variable may be declared once." }));
      return;
    }
    for (const key of Object.keys(body)) {
      if (!["default", "type", "description", "sensitive", "nullable"].includes(key)) {
        this.diagnostics.push(error("CONFIG_UNSUPPORTED", `Unsupported argument "${key}" in variable "${name}"`, { ...location, detail: key === "validation" ? "Variable validation blocks are not supported." : "A variable takes default, type, description, sensitive and nullable." }));
      }
    }
    this.model.variables.set(name, {
      name,
      hasDefault: "default" in body,
      default: body.default,
      type: bare(body.type),
      sensitive: body.sensitive === true,
      description: typeof body.description === "string" ? body.description : undefined,
      location,
    });
  }

  private resource(type: string, name: string, body: Record<string, unknown>, location: SourceLocation, attributeLines: Record<string, number>): void {
    const address = `${type}.${name}`;
    if (this.model.resources.some((resource) => resource.type === type && resource.name === name)) {
      this.diagnostics.push(error("CONFIG_DUPLICATE", `Duplicate resource ${address}`, { ...location, address, detail: "A resource address may be declared once across all files." }));
      return;
    }
    const attributes: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(body)) {
      if (RESOURCE_META.has(key)) continue;
      if (key === "provisioner" || key === "connection") {
        this.diagnostics.push(error("CONFIG_UNSUPPORTED", `Unsupported block "${key}" in ${address}`, { ...location, line: attributeLines[key] ?? location.line, address, detail: "Provisioners run programs on machines; the engine manages Prefect objects only." }));
        continue;
      }
      attributes[key] = value;
    }
    const provider = bare(body.provider);
    if (provider !== undefined && provider !== "prefect") {
      this.diagnostics.push(error("CONFIG_UNSUPPORTED", `Unsupported provider reference in ${address}`, { ...location, address, attribute: "provider", expression: String(body.provider), detail: "Provider aliases are not supported: remove the provider argument." }));
    }
    const dependsOn: string[] = [];
    if (body.depends_on !== undefined) {
      if (!Array.isArray(body.depends_on)) {
        this.diagnostics.push(error("CONFIG_INVALID", `depends_on must be a list in ${address}`, { ...location, address, attribute: "depends_on", detail: "Write depends_on = [prefect_flow.name, ...]." }));
      } else for (const entry of body.depends_on) dependsOn.push(bare(entry) ?? String(entry));
    }
    const metadata = (body["//"] as { metadata?: { path?: string } } | undefined)?.metadata;
    this.model.resources.push({
      type,
      name,
      attributes,
      count: body.count,
      forEach: body.for_each,
      dependsOn,
      lifecycle: this.lifecycle(body.lifecycle, address, location),
      location,
      attributeLines,
      constructPath: metadata?.path,
    });
  }

  private lifecycle(value: unknown, address: string, location: SourceLocation): Lifecycle {
    const lifecycle: Lifecycle = { preventDestroy: false, ignoreChanges: [] };
    for (const body of bodies(value)) {
      for (const [key, setting] of Object.entries(body)) {
        if (key === "prevent_destroy") {
          if (typeof setting !== "boolean") this.diagnostics.push(error("CONFIG_INVALID", `lifecycle.prevent_destroy must be true or false in ${address}`, { ...location, address, attribute: "lifecycle.prevent_destroy" }));
          else lifecycle.preventDestroy = setting;
        } else if (key === "ignore_changes") {
          const all = bare(setting);
          if (all === "all") lifecycle.ignoreChanges = "all";
          else if (Array.isArray(setting)) lifecycle.ignoreChanges = setting.map((entry) => bare(entry) ?? String(entry));
          else this.diagnostics.push(error("CONFIG_INVALID", `lifecycle.ignore_changes must be a list of attribute names or all in ${address}`, { ...location, address, attribute: "lifecycle.ignore_changes" }));
        } else {
          this.diagnostics.push(
            error("CONFIG_UNSUPPORTED", `Unsupported lifecycle argument "${key}" in ${address}`, {
              ...location,
              address,
              attribute: `lifecycle.${key}`,
              detail: "The engine supports lifecycle { prevent_destroy, ignore_changes }. Prefect names are unique, so objects are always replaced by deleting first.",
            }),
          );
        }
      }
    }
    return lifecycle;
  }
}

async function readSource(dir: string, file: string): Promise<SourceDocument> {
  const text = readFileSync(join(dir, file), "utf8");
  return file.endsWith(".json") ? readJsonSource(file, text) : readHclSource(file, text);
}

function sourceDiagnostic(caught: unknown): Diagnostic {
  if (caught instanceof SourceError) return error("CONFIG_SYNTAX", `${caught.file} ${caught.message}`, { file: caught.file, line: caught.line, detail: "Fix the syntax error; the engine reads Terraform HCL (.tf) and Terraform JSON (.tf.json)." });
  throw caught;
}

/** Which stack a CDKTF output directory holds, or the one asked for. */
function pickStack(outdir: string, stack: string | undefined, dir: string): string {
  const stacksDir = join(outdir, "stacks");
  const stacks = existsSync(stacksDir) ? readdirSync(stacksDir).filter((name) => existsSync(join(stacksDir, name, "cdk.tf.json"))).sort() : [];
  if (!stacks.length) throw new DiagnosticsError([error("CDKTF_APP_FAILED", `No synthesized stack in ${relative(dir, outdir) || outdir}`, { detail: "The CDKTF app ran but wrote no cdktf.out/stacks/<stack>/cdk.tf.json: check that it calls app.synth()." })]);
  if (stack) {
    if (!stacks.includes(stack)) throw new DiagnosticsError([error("ARGUMENT_INVALID", `No stack named "${stack}"`, { detail: `The app synthesized: ${stacks.join(", ")}.` })]);
    return join(stacksDir, stack, "cdk.tf.json");
  }
  if (stacks.length > 1) throw new DiagnosticsError([error("ARGUMENT_INVALID", "The CDKTF app has several stacks", { detail: `Choose one with --stack: ${stacks.join(", ")}.` })]);
  return join(stacksDir, stacks[0] ?? "", "cdk.tf.json");
}

/**
 * What a directory holds: no configuration yet, Terraform files (*.tf, *.tf.json), or a CDKTF
 * project or its output (then *.tf.json files beside it are not read).
 */
export function configurationLayout(dir: string): "none" | "terraform" | "cdktf" {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return "none";
  if (["cdktf.json", "cdk.tf.json"].some((name) => existsSync(join(dir, name))) || existsSync(join(dir, "cdktf.out", "stacks"))) return "cdktf";
  const { hcl, json } = configFiles(dir);
  return hcl.length || json.length ? "terraform" : "none";
}

/** The model of a directory that declares nothing (yet). */
export function emptyConfig(dir: string, format: ConfigFormat = "tf.json"): ConfigModel {
  return { dir, format, files: [], variables: new Map(), locals: new Map(), resources: [], outputs: new Map(), tfvars: {}, contents: [] };
}

/**
 * Load the configuration in `dir`. Throws DiagnosticsError when it cannot be read or uses
 * anything unsupported; warnings are returned with the model.
 */
export async function loadConfig(dir: string, options: LoadOptions = {}): Promise<{ model: ConfigModel; diagnostics: Diagnostic[] }> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throwIfErrors([error("CONFIG_NOT_FOUND", `${dir} is not a directory`, { detail: "Give the directory holding your *.tf, *.tf.json, cdk.tf.json or cdktf.json." })]);
  }
  let builder: ModelBuilder;
  if (existsSync(join(dir, "cdktf.json"))) {
    if (!options.runner) {
      throwIfErrors([error("CONFIG_UNSUPPORTED", "This directory is a CDKTF project but no app runner is available", { file: "cdktf.json", detail: "Synthesize it first (cdktf synth) and point the engine at cdktf.out/stacks/<stack>." })]);
    }
    const outdir = await synthesizeCdktfApp(dir, options.runner!);
    const file = pickStack(outdir, options.stack, dir);
    builder = new ModelBuilder(dir, "cdktf-app");
    builder.add(readJsonSource(relative(dir, file), readFileSync(file, "utf8")));
  } else if (existsSync(join(dir, "cdk.tf.json"))) {
    builder = new ModelBuilder(dir, "cdk.tf.json");
    builder.add(await readSource(dir, "cdk.tf.json"));
  } else if (existsSync(join(dir, "cdktf.out", "stacks"))) {
    const file = pickStack(join(dir, "cdktf.out"), options.stack, dir);
    builder = new ModelBuilder(dir, "cdk.tf.json");
    builder.add(readJsonSource(relative(dir, file), readFileSync(file, "utf8")));
  } else {
    const { hcl, json } = configFiles(dir);
    if (!hcl.length && !json.length) {
      throwIfErrors([error("CONFIG_NOT_FOUND", `No configuration in ${dir}`, { detail: "Expected *.tf or *.tf.json files, a cdk.tf.json, a cdktf.out/stacks/<stack>/cdk.tf.json, or a CDKTF project (cdktf.json)." })]);
    }
    builder = new ModelBuilder(dir, hcl.length ? "hcl" : "tf.json");
    const failures: Diagnostic[] = [];
    for (const file of [...hcl, ...json]) {
      try {
        builder.add(await readSource(dir, file));
      } catch (caught) {
        failures.push(sourceDiagnostic(caught));
      }
    }
    throwIfErrors(failures);
  }
  for (const file of tfvarsFiles(dir)) {
    try {
      const source = await readSource(dir, file);
      Object.assign(builder.model.tfvars, source.document);
      builder.model.contents.push(source.text);
    } catch (caught) {
      throwIfErrors([sourceDiagnostic(caught)]);
    }
  }
  const diagnostics = builder.diagnostics;
  if (!builder.model.resources.length) diagnostics.push(warning("CONFIG_EMPTY", "The configuration declares no resources", { detail: "A plan of it deletes every object the state owns; use destroy for that." }));
  throwIfErrors(diagnostics);
  return { model: builder.model, diagnostics };
}
