// A workspace as Prefect's own CLI makes it: `prefect work-pool create pd-pool --type process`
// then `prefect --no-prompt deploy --all` of the prefect.yaml recorded with it. The requests
// that made its objects are the ones Prefect 3.8's CLI sent to a real server
// (prefect-recordings/prefect-cli.jsonl, copied to test/fixtures/prefect-deploy/cli-writes.jsonl),
// and what the real server then listed is prefect-deploy-workspace.json (copied to
// workspace.json). Tests use it for "objects made by Prefect's own tools".
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compareBodies, IdMap, type Mismatch } from "../conformance/compare.js";
import { REPO_ROOT } from "./cli.js";

export const PREFECT_DEPLOY_FIXTURES = join(REPO_ROOT, "test", "fixtures", "prefect-deploy");

/** The CLI recording made its pool as `cli-pool`; the workspace recording as `pd-pool`. */
const RECORDED_POOL = "cli-pool";
export const PREFECT_DEPLOY_POOL = "pd-pool";

interface Write {
  seq: number;
  method: string;
  path: string;
  request: unknown;
  status: number;
  response: unknown;
}

/** What the real server listed afterwards, per kind. */
export interface PrefectDeployWorkspace {
  made_by: string;
  prefect_yaml: string;
  work_pools: Record<string, unknown>[];
  work_queues: Record<string, unknown>[];
  flows: Record<string, unknown>[];
  deployments: Record<string, unknown>[];
  automations: Record<string, unknown>[];
  concurrency_limits: Record<string, unknown>[];
}

const renamePool = (value: unknown): unknown => JSON.parse(JSON.stringify(value).replaceAll(RECORDED_POOL, PREFECT_DEPLOY_POOL));

export function prefectDeployWrites(): Write[] {
  return readFileSync(join(PREFECT_DEPLOY_FIXTURES, "cli-writes.jsonl"), "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => renamePool(JSON.parse(line)) as Write);
}

export function prefectDeployWorkspace(): PrefectDeployWorkspace {
  return JSON.parse(readFileSync(join(PREFECT_DEPLOY_FIXTURES, "workspace.json"), "utf8")) as PrefectDeployWorkspace;
}

/**
 * Whether the recording kept an answer's body: the recording proxy stored gzip-compressed
 * answers (the larger ones) as undecodable text, so those say nothing but their status.
 */
const readable = (body: unknown): boolean => typeof body !== "string";

const OWNED_BY = /\/automations\/owned-by\/prefect\.deployment\.([0-9a-f-]{36})$/;

/**
 * Send the CLI's writes to a server (`baseUrl` ends with `/api`), recorded ids replaced by the
 * ones the server made. Returns the id pairing and every way the answers differed from the
 * real server's.
 */
export async function makePrefectDeployWorkspace(baseUrl: string, headers: Record<string, string> = {}): Promise<{ ids: IdMap; mismatches: (Mismatch & { seq: number })[] }> {
  const ids = new IdMap();
  const mismatches: (Mismatch & { seq: number })[] = [];
  let lastDeploymentId: string | undefined;
  for (const write of prefectDeployWrites()) {
    // `prefect deploy` clears a deployment's automations right after making it, naming the
    // deployment: where its answer was not kept, that names the recorded id of the live one.
    const owner = OWNED_BY.exec(write.path)?.[1];
    if (owner && lastDeploymentId && ids.live(owner) === undefined) ids.pair(owner, lastDeploymentId);
    const response = await fetch(baseUrl + ids.rewriteText(write.path.replace(/^\/api/, "")), {
      method: write.method,
      headers: { ...(write.request === null ? {} : { "content-type": "application/json" }), ...headers },
      body: write.request === null ? undefined : JSON.stringify(ids.rewrite(write.request)),
    });
    const text = await response.text();
    const body: unknown = text ? JSON.parse(text) : null;
    if (write.path.endsWith("/deployments/")) lastDeploymentId = (body as { id?: string } | null)?.id;
    if (response.status !== write.status) mismatches.push({ seq: write.seq, path: "status", kind: "status", recorded: write.status, live: response.status });
    else if (readable(write.response)) mismatches.push(...compareBodies(write.response, body, ids).map((mismatch) => ({ ...mismatch, seq: write.seq })));
  }
  return { ids, mismatches };
}
