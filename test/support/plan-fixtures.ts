// Builders for the plan phases' unit tests (reconciler/plan/*.test.ts): instances as the
// configuration loader makes them, state entries and documents, and live variables and work
// pools shaped as Prefect answers them. No server: the phases are pure.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Kind, Spec } from "../../provider/kinds/kind.js";
import { parseSpec } from "../../provider/kinds/kind.js";
import { kindFor } from "../../provider/kinds/registry.js";
import { loadConfig } from "../../reconciler/config/load.js";
import type { Lifecycle } from "../../reconciler/config/model.js";
import { resolveConfig, type ResolvedConfig, type ResourceInstance } from "../../reconciler/config/resolve.js";
import type { PendingCreate, StateDocument, StateEntry } from "../../reconciler/state/model.js";

export const VARIABLE = kindFor("prefect_variable")!;
export const WORK_POOL = kindFor("prefect_work_pool")!;
/** A kind without natural key (as automations and webhooks are), shaped as variables for brevity. */
export const KEYLESS: Kind = { ...VARIABLE, identity: () => undefined, identityOf: () => undefined };

export function instance(address: string, attributes: Record<string, unknown> = {}, lifecycle: Partial<Lifecycle> = {}): ResourceInstance {
  const [type = "", name = ""] = address.split(".");
  return {
    address,
    type,
    name,
    block: { type, name, attributes, dependsOn: [], lifecycle: { preventDestroy: false, ignoreChanges: [], ...lifecycle }, location: { file: "main.tf.json", line: 1 }, attributeLines: {} },
  } as ResourceInstance;
}

export function entry(address: string, id: string, fields: Partial<StateEntry> = {}): StateEntry {
  return { address, type: address.split(".")[0]!, id, appliedHash: "h", values: {}, dependencies: [], schemaVersion: 1, updatedAt: "2026-01-01T00:00:00Z", ...fields };
}

export function pending(address: string, startedAt: string, fields: Partial<PendingCreate> = {}): PendingCreate {
  return { address, type: address.split(".")[0]!, specHash: "h", startedAt, ...fields };
}

export function stateOf(entries: StateEntry[] = [], pendings: PendingCreate[] = []): StateDocument {
  return {
    version: 1,
    lineage: "lineage-1",
    serial: 3,
    salt: "salt",
    target: "http://127.0.0.1:1/api",
    resources: Object.fromEntries(entries.map((item) => [item.address, item])),
    pending: Object.fromEntries(pendings.map((item) => [item.address, item])),
  } as StateDocument;
}

/** A variable as /variables/filter answers it. */
export function liveVariable(id: string, name: string, value: unknown = "v", created = "2026-01-01T00:00:00Z") {
  return { id, name, value, tags: [], created, updated: created };
}

/** The declared spec of a kind, validated as a plan validates it. */
export function declare(kind: Kind, attributes: Record<string, unknown>): Spec {
  const parsed = parseSpec(kind, attributes);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.spec;
}

/** A configuration from Terraform JSON written to a new directory, resolved with these variable values. */
export async function configFrom(terraform: Record<string, unknown>, vars: Record<string, string> = {}): Promise<ResolvedConfig> {
  const dir = mkdtempSync(join(tmpdir(), "plan-unit-"));
  writeFileSync(join(dir, "main.tf.json"), JSON.stringify(terraform));
  const { model, diagnostics } = await loadConfig(dir, {});
  if (diagnostics.some((d) => d.severity === "error")) throw new Error(JSON.stringify(diagnostics));
  const resolved = resolveConfig(model, { vars, env: {} });
  if (!resolved.config) throw new Error(JSON.stringify(resolved.diagnostics));
  return resolved.config;
}
