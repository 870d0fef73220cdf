// `terraform import` ids, in the official provider's formats (v3.4.1), each optionally followed
// by `,<workspace_id>`: work pools by name (helpers.ImportStateByName), work queues by
// `<work_pool_name>,<name>` (work_queue.go WorkQueueResource.ImportState), variables by id or
// `name/<name>` (variable.go VariableResource.ImportState), everything else by id
// (helpers.ImportStateByID in internal/provider/helpers/import_state.go). Schedules, which the
// official provider cannot import, by `<deployment_id>,<schedule_id>` or the schedule id alone.
import { UUID } from "../../kinds/attributes.js";

export interface ImportKey {
  /** The attributes the id names, to be found by ReadResource. */
  attributes: Record<string, string>;
  /** The workspace the id names, when it names one. */
  workspaceId?: string;
}

export type ImportParse = { ok: true; key: ImportKey } | { ok: false; message: string };

const byName = new Set(["prefect_work_pool"]);

function workspaceOf(part: string | undefined, format: string, id: string): { ok: true; workspaceId?: string } | { ok: false; message: string } {
  if (part === undefined) return { ok: true };
  if (!UUID.test(part)) return { ok: false, message: `The workspace id in ${JSON.stringify(id)} is not a UUID; expected ${format}.` };
  return { ok: true, workspaceId: part.toLowerCase() };
}

/** What an import id names for a resource type. */
export function parseImportId(type: string, id: string): ImportParse {
  const parts = id.split(",");
  if (parts.some((part) => part.trim() === "")) return { ok: false, message: `The import id ${JSON.stringify(id)} has an empty part; expected ${formatOf(type)}.` };
  if (type === "prefect_work_queue") {
    if (parts.length < 2 || parts.length > 3) return { ok: false, message: `Expected an import id in the form ${formatOf(type)}, got ${JSON.stringify(id)}.` };
    const workspace = workspaceOf(parts[2], formatOf(type), id);
    return workspace.ok ? { ok: true, key: { attributes: { work_pool_name: parts[0]!, name: parts[1]! }, workspaceId: workspace.workspaceId } } : workspace;
  }
  if (type === "prefect_deployment_schedule") {
    if (parts.length > 2) return { ok: false, message: `Expected an import id in the form ${formatOf(type)}, got ${JSON.stringify(id)}.` };
    const ids = parts.length === 2 ? { deployment_id: parts[0]!, id: parts[1]! } : { id: parts[0]! };
    const bad = Object.values(ids).find((value) => !UUID.test(value));
    if (bad !== undefined) return { ok: false, message: `${JSON.stringify(bad)} is not a UUID; expected ${formatOf(type)}.` };
    return { ok: true, key: { attributes: Object.fromEntries(Object.entries(ids).map(([name, value]) => [name, value.toLowerCase()])) } };
  }
  if (parts.length > 2) return { ok: false, message: `Expected an import id in the form ${formatOf(type)}, got ${JSON.stringify(id)}.` };
  const workspace = workspaceOf(parts[1], formatOf(type), id);
  if (!workspace.ok) return workspace;
  const first = parts[0]!;
  if (byName.has(type)) return { ok: true, key: { attributes: { name: first }, workspaceId: workspace.workspaceId } };
  if (type === "prefect_variable" && first.startsWith("name/")) return { ok: true, key: { attributes: { name: first.slice("name/".length) }, workspaceId: workspace.workspaceId } };
  if (!UUID.test(first)) return { ok: false, message: `${JSON.stringify(first)} is not an id (UUID); expected ${formatOf(type)}.` };
  return { ok: true, key: { attributes: { id: first.toLowerCase() }, workspaceId: workspace.workspaceId } };
}

/** The import id format of a type, for messages. */
export function formatOf(type: string): string {
  if (type === "prefect_work_queue") return "`<work_pool_name>,<name>` or `<work_pool_name>,<name>,<workspace_id>`";
  if (type === "prefect_deployment_schedule") return "`<deployment_id>,<schedule_id>` or `<schedule_id>`";
  if (byName.has(type)) return "`<name>` or `<name>,<workspace_id>`";
  if (type === "prefect_variable") return "`<id>`, `name/<name>`, or either followed by `,<workspace_id>`";
  return "`<id>` or `<id>,<workspace_id>`";
}
