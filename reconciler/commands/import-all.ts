// import --all [DIR] [--out FILE]: bring a whole workspace under management. Every object the
// state does not own yet is written as configuration (FILE, default DIR/imported.tf.json) and
// recorded in the state, so that the next plan shows no changes. Objects the configuration
// already declares are recorded under their declared address instead of being written again.
// Secrets go to a separate tfvars file beside FILE, never into the configuration or the state.
import { appendFileSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { diffSpec } from "../../provider/kinds/compare.js";
import { kindFor, KINDS } from "../../provider/kinds/registry.js";
import { configurationLayout } from "../config/load.js";
import type { ResolvedConfig } from "../config/resolve.js";
import { DiagnosticsError, error } from "../diagnostics.js";
import type { Engine } from "../engine.js";
import { EngineError } from "../errors.js";
import { generateConfiguration, terraformDocument, type GeneratedConfiguration } from "../import/generate.js";
import { declaredEntry, importedEntry } from "../import/state-entry.js";
import type { StateEntry } from "../state/model.js";
import type { StateStore } from "../state/store.js";
import type { LiveInventory } from "../plan/plan.js";
import { EXIT_OK, engineFor, type CommandContext } from "./context.js";
import { guarded, reportFailure, withLock } from "./run.js";

export interface ImportAllFlags {
  /** Where to write the configuration. @default DIR/imported.tf.json */
  out?: string;
}

/** The configuration file import --all writes when --out is not given. */
export const DEFAULT_IMPORT_FILE = "imported.tf.json";

const TF_JSON = ".tf.json";

/** `imported.tf.json` -> `imported.auto.tfvars.json`: read with the configuration, kept apart from it. */
export function secretsFileFor(file: string): string {
  return `${file.slice(0, -TF_JSON.length)}.auto.tfvars.json`;
}

/** A file name beside `file` that does not exist yet: `imported-2.tf.json`, ... */
function freeName(file: string): string {
  const stem = file.slice(0, -TF_JSON.length);
  for (let n = 2; ; n++) {
    const candidate = `${stem}-${n}${TF_JSON}`;
    if (!existsSync(candidate) && !existsSync(secretsFileFor(candidate))) return candidate;
  }
}

/** Make sure `.gitignore` in `dir` lists `name`; answers whether it had to be added. */
function ignoreInGit(dir: string, name: string): boolean {
  const path = join(dir, ".gitignore");
  const existing = existsSync(path) ? readFileSync(path, "utf8") : "";
  if (existing.split(/\r?\n/).some((line) => line.trim() === name || line.trim() === `/${name}`)) return false;
  appendFileSync(path, `${existing && !existing.endsWith("\n") ? "\n" : ""}# Secret values written by prefect-gitops import --all: never commit them.\n${name}\n`);
  return true;
}

/** Where to write, checked: in DIR (the engine reads only DIR's own files), a *.tf.json file, nothing overwritten. */
function checkPaths(ctx: CommandContext, dir: string, flags: ImportAllFlags): { file: string; secretsFile: string } {
  const file = resolve(ctx.cwd, flags.out ?? join(dir, DEFAULT_IMPORT_FILE));
  const problems = [];
  if (!file.endsWith(TF_JSON) || basename(file) === "cdk.tf.json" || basename(file) === TF_JSON) {
    problems.push(error("ARGUMENT_INVALID", `--out ${flags.out} is not a Terraform JSON file name`, { detail: `Give a name ending in ${TF_JSON} (not cdk.tf.json), e.g. --out ${join(relative(ctx.cwd, dir) || ".", DEFAULT_IMPORT_FILE)}.` }));
  } else if (dirname(file) !== dir) {
    problems.push(
      error("ARGUMENT_INVALID", `--out ${flags.out} is not in ${relative(ctx.cwd, dir) || "."}`, {
        detail: `The engine reads the configuration files of the directory itself, and the state will own every imported object: write the configuration there, e.g. --out ${join(relative(ctx.cwd, dir) || ".", basename(file))}.`,
      }),
    );
  }
  if (problems.length) throw new DiagnosticsError(problems);
  return { file, secretsFile: secretsFileFor(file) };
}

export async function importAllCommand(ctx: CommandContext, dirArg: string | undefined, extra: string | undefined, flags: ImportAllFlags): Promise<number> {
  if (extra !== undefined) {
    return reportFailure(
      ctx,
      new EngineError("ARGUMENT_INVALID", `import --all takes one DIR at most, got "${dirArg}" and "${extra}".\nImport everything with prefect-gitops import --all [DIR] [--out FILE], or one object with prefect-gitops import ADDRESS ID [DIR].`),
    );
  }
  const dir = resolve(ctx.cwd, dirArg ?? ".");
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    return reportFailure(ctx, new EngineError("CONFIG_NOT_FOUND", `${dirArg ?? dir} is not a directory.\nCreate it first (mkdir -p ${dirArg ?? dir}), then run import --all there.`));
  }
  const layout = configurationLayout(dir);
  if (layout === "cdktf") {
    return reportFailure(
      ctx,
      new EngineError(
        "CONFIG_UNSUPPORTED",
        `${dirArg ?? "."} holds a CDKTF project (cdktf.json, cdk.tf.json or cdktf.out), whose synthesized stack is the whole configuration.\nTerraform JSON written beside it would not be read, so the imported objects would be deleted by the next apply. Run import --all in a directory of its own.`,
      ),
    );
  }
  const engine = engineFor(ctx, dir, { allowEmpty: true });
  return guarded(ctx, engine, async () => {
    const target: ImportTarget = { dir, dirArg, layout, ...checkPaths(ctx, dir, flags) };
    const { config } = await engine.load();
    const settings = await engine.settings();
    const state = await engine.openState();
    const kindContext = await engine.context();
    return withLock(ctx, state, "import --all", () => importWorkspace({ ctx, engine, state, config, settings, target }, kindContext));
  });
}

/** Where import --all writes, and what it was asked. */
interface ImportTarget {
  dir: string;
  dirArg: string | undefined;
  layout: ReturnType<typeof configurationLayout>;
  file: string;
  secretsFile: string;
}

interface ImportRun {
  ctx: CommandContext;
  engine: Engine;
  state: StateStore;
  config: ResolvedConfig;
  settings: Awaited<ReturnType<Engine["settings"]>>;
  target: ImportTarget;
}

/** A live object the configuration declares, recorded under its declared address. */
interface DeclaredObject {
  entry: StateEntry;
  label: string;
}

/** Under the state lock: read the workspace, write what is not managed yet, record it all in the state. */
async function importWorkspace(run: ImportRun, kindContext: Awaited<ReturnType<Engine["context"]>>): Promise<number> {
  const { ctx, engine, settings, target } = run;
  const live = await engine.readLive([...KINDS], kindContext);
  const notServed = KINDS.filter((kind) => kind.cloudOnly && !settings.cloud);
  refuseUnreadKinds(live, notServed, settings.baseUrl);
  const { generated, declaredLive } = await sortLive(run, live);

  const skippedKinds = notServed.map((kind) => `${kind.title}s: only Prefect Cloud serves them, and ${settings.baseUrl} is a Prefect server`);
  if (!generated.resources.length && !declaredLive.length) {
    ctx.out("Nothing to import: the state already manages every object of the workspace" + (run.config.instances.length ? " or the configuration declares it." : "."));
    report(ctx, generated, skippedKinds);
    return EXIT_OK;
  }
  const ignored = generated.resources.length ? await writeConfiguration(ctx, target, generated) : false;
  await recordInState(run.state, declaredLive, generated);
  printImported(ctx, target, generated, declaredLive);
  report(ctx, generated, skippedKinds);
  warnOfSecrets(ctx, target, generated, ignored);
  ctx.out(`\nRun \`prefect-gitops plan${target.dirArg ? ` ${target.dirArg}` : ""}\`: it should show no changes.`);
  return EXIT_OK;
}

/** Nothing is written from a partial listing: a kind that could not be read would look absent. */
function refuseUnreadKinds(live: LiveInventory, notServed: readonly { type: string }[], baseUrl: string): void {
  const unread = [...live.kinds].filter(([type, inventory]) => inventory.error && !notServed.some((kind) => kind.type === type));
  if (unread.length) {
    throw new DiagnosticsError(
      unread.map(([type, inventory]) => error("LIVE_READ_FAILED", `Could not list the ${kindFor(type)?.title ?? type}s of ${baseUrl}`, { detail: `${inventory.error}\nNothing was written: run import --all again once they can be read.` })),
    );
  }
}

/** Live objects the configuration declares (recorded as declared) apart from the rest (generated). */
async function sortLive({ engine, state, config }: ImportRun, live: LiveInventory): Promise<{ generated: GeneratedConfiguration; declaredLive: DeclaredObject[] }> {
  // What is already managed or declared is not written again.
  const instances = new Map(config.instances.map((instance) => [instance.address, instance]));
  const taken = new Map<string, string | undefined>();
  for (const entry of Object.values(state.document.resources)) taken.set(`${entry.type}:${entry.id}`, instances.has(entry.address) ? entry.address : undefined);
  const declaredLive = config.instances.length ? await recordDeclared(engine, state, live, taken, config) : [];
  const reservedNames = new Map<string, Set<string>>();
  const reserve = (type: string, name: string) => (reservedNames.get(type) ?? reservedNames.set(type, new Set()).get(type)!).add(name);
  for (const block of config.model.resources) reserve(block.type, block.name);
  for (const entry of Object.values(state.document.resources)) reserve(entry.type, entry.address.slice(entry.type.length + 1).replace(/\[.*$/, ""));
  const liveByType = new Map([...live.kinds].filter(([, inventory]) => !inventory.error).map(([type, inventory]) => [type, [...inventory.byId.values()]]));
  const generated = generateConfiguration({ kinds: KINDS, live: liveByType, taken, reservedNames, reservedVariables: new Set(config.model.variables.keys()) });
  return { generated, declaredLive };
}

/** Write the configuration and its secrets beside it, never over a file; answers whether .gitignore had to list the secrets. */
async function writeConfiguration(ctx: CommandContext, { dir, layout, file, secretsFile }: ImportTarget, generated: GeneratedConfiguration): Promise<boolean> {
  const clash = [file, ...(Object.keys(generated.secrets).length ? [secretsFile] : [])].find((path) => existsSync(path));
  if (clash) {
    const next = freeName(file);
    throw new DiagnosticsError([
      error("FILE_EXISTS", `${relative(ctx.cwd, clash)} exists already`, {
        detail: `import --all never overwrites a file, and ${generated.resources.length} object${generated.resources.length === 1 ? " is" : "s are"} still to import. Write them to another file: --out ${relative(ctx.cwd, next)}`,
      }),
    ]);
  }
  const comment = [
    "Written by `prefect-gitops import --all`: one resource per object of the workspace, referring to each other by address.",
    Object.keys(generated.secrets).length ? `Secret values are not in this file: the sensitive variables below get them from ${basename(secretsFile)}, which must never be committed.` : "",
  ]
    .filter(Boolean)
    .join(" ");
  const document = terraformDocument(generated, { comment, requiredProviders: layout === "none" });
  const written: string[] = [];
  let ignored = false;
  try {
    writeFileSync(file, JSON.stringify(document, null, 2) + "\n", { flag: "wx" });
    written.push(file);
    if (Object.keys(generated.secrets).length) {
      writeFileSync(secretsFile, JSON.stringify(generated.secrets, null, 2) + "\n", { flag: "wx", mode: 0o600 });
      written.push(secretsFile);
      ignored = ignoreInGit(dir, basename(secretsFile));
    }
    // The state will own these objects: the configuration must read back before it does.
    await engineFor(ctx, dir).load();
  } catch (caught) {
    for (const path of written) rmSync(path, { force: true });
    throw caught;
  }
  return ignored;
}

async function recordInState(state: StateStore, declaredLive: DeclaredObject[], generated: GeneratedConfiguration): Promise<void> {
  await state.begin();
  for (const { entry } of declaredLive) await state.put(entry);
  for (const resource of generated.resources) {
    await state.put(importedEntry(resource.kind, resource.live, { address: resource.address, salt: state.salt, dependencies: resource.dependencies, sensitive: resource.sensitive }));
  }
  await state.save();
}

const shown = (ctx: CommandContext, path: string): string => relative(ctx.cwd, path) || path;

function printImported(ctx: CommandContext, { file }: ImportTarget, generated: GeneratedConfiguration, declaredLive: DeclaredObject[]): void {
  if (generated.resources.length) {
    ctx.out(ctx.style.green(`Imported ${generated.resources.length} object${generated.resources.length === 1 ? "" : "s"} into ${shown(ctx, file)}:`));
    const width = Math.max(...generated.resources.map((resource) => resource.address.length));
    for (const resource of generated.resources) ctx.out(`  ${resource.address.padEnd(width)}  ${oneLine(resource.kind.label(resource.spec))} (id ${resource.id})`);
  }
  if (declaredLive.length) {
    ctx.out(ctx.style.green(`Recorded ${declaredLive.length} object${declaredLive.length === 1 ? "" : "s"} the configuration already declares:`));
    const width = Math.max(...declaredLive.map((item) => item.entry.address.length));
    for (const { entry, label } of declaredLive) ctx.out(`  ${entry.address.padEnd(width)}  ${oneLine(label)} (id ${entry.id})`);
  }
}

function warnOfSecrets(ctx: CommandContext, { file, secretsFile }: ImportTarget, generated: GeneratedConfiguration, ignored: boolean): void {
  const secretCount = Object.keys(generated.secrets).length;
  if (!secretCount) return;
  ctx.err(
    ctx.style.yellow(
      `\nWarning: ${shown(ctx, secretsFile)} holds ${secretCount} secret value${secretCount === 1 ? "" : "s"} in clear (block secret fields, access tokens): never commit it. ` +
        `${ignored ? "It was added to .gitignore. " : ""}Keep the values in your secret manager and pass them as TF_VAR_<name> in CI; ${shown(ctx, file)} refers to them as sensitive variables.`,
    ),
  );
}

/**
 * The live objects the configuration already declares but the state does not own: found by
 * natural key, or (kinds without one: automations, webhooks, schedules without a slug) by
 * content, an identical unowned object being the one declared. Each is recorded in the state
 * document in memory at once (written with the rest), so that declarations referring to it
 * evaluate in the next round: a configuration written by an earlier run whose state was lost
 * is matched whole, and nothing it declares is generated again.
 */
async function recordDeclared(engine: Engine, state: StateStore, live: LiveInventory, taken: Map<string, string | undefined>, config: ResolvedConfig): Promise<DeclaredObject[]> {
  const recorded: DeclaredObject[] = [];
  const instances = new Map(config.instances.map((instance) => [instance.address, instance]));
  for (let round = 0; round <= instances.size; round++) {
    const result = await engine.plan(state, { live });
    const found: { address: string; type: string; id: string }[] = [...result.lookalikes];
    for (const change of result.plan.changes) {
      if (change.importing && change.id) found.push({ address: change.address, type: change.type, id: change.id });
      const planned = result.instances.get(change.address);
      if (change.action !== "create" || !planned || planned.kind.identity(planned.spec) !== undefined) continue;
      const { kind, spec } = planned;
      const match = [...(live.kinds.get(kind.type)?.byId.values() ?? [])]
        .filter((object) => !taken.has(`${kind.type}:${kind.idOf(object)}`) && !found.some((item) => item.type === kind.type && item.id === kind.idOf(object)))
        .filter((object) => diffSpec(kind, spec, kind.toSpec(object)).length === 0)
        .sort((a, b) => String(kind.toSpec(a).created ?? "").localeCompare(String(kind.toSpec(b).created ?? "")))[0];
      if (match !== undefined) found.push({ address: change.address, type: kind.type, id: kind.idOf(match) });
    }
    let added = 0;
    for (const { address, type, id } of found) {
      if (taken.has(`${type}:${id}`)) continue;
      taken.set(`${type}:${id}`, address);
      const kind = kindFor(type);
      const object = live.kinds.get(type)?.byId.get(id);
      const instance = instances.get(address);
      if (!kind || object === undefined || !instance || state.document.resources[address]) continue;
      const entry = declaredEntry(config, instance, kind, object, state.salt);
      state.document.resources[address] = entry;
      recorded.push({ entry, label: kind.label(kind.toSpec(object)) });
      added++;
    }
    if (!added) break;
  }
  return recorded;
}

/** A label on one line (an rrule's DTSTART comes before a line break). */
const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, " ");

/** What was left out, and declarations that cannot say everything the live object has. */
function report(ctx: CommandContext, generated: GeneratedConfiguration, skippedKinds: string[]): void {
  if (generated.skipped.length || skippedKinds.length) {
    ctx.out("Not imported:");
    for (const line of skippedKinds) ctx.out(`  ${line}`);
    for (const item of generated.skipped) ctx.out(`  ${oneLine(item.label)} (id ${item.id}): ${item.reason}`);
  }
  for (const resource of generated.resources.filter((item) => item.differences.length)) {
    ctx.err(ctx.style.yellow(`Warning: ${resource.address} cannot declare ${resource.differences.join(", ")} exactly as Prefect has it: the plan will show a change there.`));
  }
}
