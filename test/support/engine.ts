// Helpers of the end-to-end engine suites (test/engine/): configurations written as Terraform
// JSON, the CLI pointed at a devserver workspace, and direct reads of what is live (through the
// devserver's HTTP API, never through the engine) and of what the state records.
import type { ChildProcess } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createFileBackend } from "../../reconciler/state/file-backend.js";
import type { StateDocument } from "../../reconciler/state/model.js";
import { runCli, spawnCli, type CliResult } from "./cli.js";
import { CLOUD_API_KEY, type TestDevServer } from "./devserver.js";
import { rawApi, type RawApi } from "./http.js";

export type Json = Record<string, unknown>;

/** One Prefect workspace of the devserver: the OSS API or a Cloud workspace. */
export interface Workspace {
  url: string;
  env: Record<string, string>;
  api: RawApi;
}

export function ossWorkspace(server: TestDevServer): Workspace {
  return { url: server.url, env: { PREFECT_API_URL: server.url }, api: rawApi(server.url) };
}

/** The devserver's default Cloud workspace, or (given ids) a workspace of its own that nothing else sees. */
export function cloudWorkspace(server: TestDevServer, accountId?: string, workspaceId?: string): Workspace {
  const url = server.cloudUrl(accountId, workspaceId);
  return { url, env: { PREFECT_API_URL: url, PREFECT_API_KEY: CLOUD_API_KEY }, api: rawApi(url, { authorization: `Bearer ${CLOUD_API_KEY}` }) };
}

// Declarations, in Terraform JSON (what `cdktf synth` writes).

export const variable = (name: string, value: unknown, extra: Json = {}): Json => ({ name, value, ...extra });
export const limit = (name: string, slots: number, extra: Json = {}): Json => ({ name, limit: slots, ...extra });
export const automation = (name: string, extra: Json = {}): Json => ({
  name,
  trigger: { event: { posture: "Reactive", expect: ["prefect.flow-run.Failed"] } },
  actions: [{ type: "do-nothing" }],
  ...extra,
});
/** The body of an automation as the API takes it, matching `automation(name)`. */
export const liveAutomation = (name: string): Json => ({
  name,
  trigger: { type: "event", posture: "Reactive", expect: ["prefect.flow-run.Failed"], threshold: 1, within: 0 },
  actions: [{ type: "do-nothing" }],
});
export const webhook = (name: string, extra: Json = {}): Json => ({
  name,
  template: JSON.stringify({ event: "order.created", resource: { "prefect.resource.id": `shop.${name}` } }),
  ...extra,
});

export interface Declarations {
  variables?: Record<string, Json>;
  limits?: Record<string, Json>;
  automations?: Record<string, Json>;
  webhooks?: Record<string, Json>;
  /** Terraform `variable` blocks. */
  inputs?: Record<string, Json>;
}

/** A Terraform JSON document declaring these resources (empty sections left out). */
function terraformJson(declarations: Declarations): Json {
  const resource: Json = {};
  const sections: [keyof Declarations, string][] = [
    ["variables", "prefect_variable"],
    ["limits", "prefect_global_concurrency_limit"],
    ["automations", "prefect_automation"],
    ["webhooks", "prefect_webhook"],
  ];
  for (const [key, type] of sections) {
    const blocks = declarations[key];
    if (blocks && Object.keys(blocks).length) resource[type] = blocks;
  }
  const document: Json = {};
  if (declarations.inputs) document.variable = declarations.inputs;
  // A configuration that declares nothing still needs a file the engine reads.
  document.resource = resource;
  return document;
}

/** Write the configuration of `dir` (main.tf.json), replacing the previous one. */
export function declare(dir: string, declarations: Declarations): void {
  writeFileSync(join(dir, "main.tf.json"), JSON.stringify(terraformJson(declarations), null, 2) + "\n");
}

/** The CLI in process, against a workspace, with `--no-color`. */
export function cli(dir: string, workspace: Workspace, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCli([...args, "--no-color"], { cwd: dir, env: { ...workspace.env, ...env } });
}

/** The CLI as a child process, still running. */
export function startCli(dir: string, workspace: Workspace, args: string[], env: Record<string, string> = {}): ChildProcess & { output(): string; exited: Promise<number | null> } {
  const child = spawnCli([...args, "--no-color"], { cwd: dir, env: { ...workspace.env, ...env } });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return Object.assign(child, { output: () => output, exited });
}

/** Both streams, for assertion messages. */
export const output = (result: CliResult): string => `${result.stdout}\n${result.stderr}`;

/** Wait until `check` holds (polling), or fail after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000, pollMs = 20): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

// What is live, read straight from the API.

interface Named {
  id: string;
  name: string;
}

/** The body of a request that must succeed (2xx), or an error naming `what`. */
export async function ok<T = Json>(request: Promise<{ status: number; body: unknown }>, what: string): Promise<T> {
  const response = await request;
  if (response.status >= 300) throw new Error(`${what} answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body as T;
}

export async function variablesNamed(workspace: Workspace, name: string): Promise<(Named & { value: unknown; tags: string[] })[]> {
  return ok(workspace.api.post("/variables/filter", { variables: { name: { any_: [name] } } }), "POST /variables/filter");
}

export async function limitsNamed(workspace: Workspace, name: string): Promise<(Named & { limit: number; active: boolean })[]> {
  const all = await ok<(Named & { limit: number; active: boolean })[]>(workspace.api.post("/v2/concurrency_limits/filter", { limit: 200 }), "POST /v2/concurrency_limits/filter");
  return all.filter((item) => item.name === name);
}

export async function automationsNamed(workspace: Workspace, name: string): Promise<(Named & Json)[]> {
  return ok(workspace.api.post("/automations/filter", { automations: { operator: "and_", name: { any_: [name] } } }), "POST /automations/filter");
}

export async function webhooksNamed(workspace: Workspace, name: string): Promise<(Named & Json)[]> {
  return ok(workspace.api.post("/webhooks/filter", { webhooks: { name: { any_: [name] } } }), "POST /webhooks/filter");
}

/** Create an object behind the engine's back; answers its id. */
export async function createLive(workspace: Workspace, path: string, object: Json): Promise<string> {
  const created = await ok<{ id: string }>(workspace.api.post(path, object), `POST ${path}`);
  return created.id;
}

// The state, as the file backend keeps it.

export interface StateFile {
  serial: number;
  lineage: string;
  salt: string;
  resources: Record<string, { address: string; type: string; id: string; identity?: string; values: Json; appliedHash: string; preventDestroy?: boolean }>;
  pending: Record<string, Json>;
}

export const statePath = (dir: string) => join(dir, "prefect-gitops.state.json");

/** The snapshot (not the journal) of the default state file of `dir`. */
export function readState(dir: string, path = statePath(dir)): StateFile {
  return JSON.parse(readFileSync(path, "utf8")) as StateFile;
}

/** The state as the next run will see it: the snapshot with the journal replayed (what a killed run left). */
export async function loadState(dir: string, path = statePath(dir)): Promise<StateDocument | undefined> {
  return createFileBackend(path).load();
}

/** The state's text: snapshot, journal and lock file, whatever exists. */
export function stateFilesText(dir: string, path = statePath(dir)): string {
  return [path, `${path}.journal`, `${path}.lock`]
    .filter((file) => existsSync(file))
    .map((file) => readFileSync(file, "utf8"))
    .join("\n");
}

/** Journal lines of a given op (`put`, `intent`, ...). */
export function journalOps(dir: string, op: string, path = statePath(dir)): Json[] {
  const file = `${path}.journal`;
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Json];
      } catch {
        return [];
      }
    })
    .filter((change) => change.op === op);
}

/** Addresses the state owns, with their ids, as `state list --json` prints them. */
export async function ownedByState(dir: string, workspace: Workspace, args: string[] = []): Promise<{ address: string; id: string }[]> {
  const result = await cli(dir, workspace, ["state", "list", "--json", ...args]);
  if (result.code !== 0) throw new Error(`state list failed: ${output(result)}`);
  return JSON.parse(result.stdout) as { address: string; id: string }[];
}
