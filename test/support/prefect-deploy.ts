// A workspace as Prefect's own CLI makes it: `prefect work-pool create pd-pool --type process`
// then `prefect --no-prompt deploy --all` of the prefect.yaml recorded with it. The requests
// that made its objects are the ones Prefect 3.8's CLI sent to a real server
// (prefect-recordings/prefect-cli.jsonl, copied to test/fixtures/prefect-deploy/cli-writes.jsonl),
// and what the real server then listed is prefect-deploy-workspace.json (copied to
// workspace.json). Tests use it for "objects made by Prefect's own tools".
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { proxiedExchange, readRecordingLines, type RecordedLine } from "../conformance/recordings.js";
import { replay, type Finding } from "../conformance/replay.js";
import { REPO_ROOT } from "./cli.js";

export const PREFECT_DEPLOY_FIXTURES = join(REPO_ROOT, "test", "fixtures", "prefect-deploy");

/** The CLI recording made its pool as `cli-pool`; the workspace recording as `pd-pool`. */
const RECORDED_POOL = "cli-pool";
export const PREFECT_DEPLOY_POOL = "pd-pool";

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

export function prefectDeployWrites(): RecordedLine[] {
  return readRecordingLines(join(PREFECT_DEPLOY_FIXTURES, "cli-writes.jsonl")).map((line) => renamePool(line) as RecordedLine);
}

export function prefectDeployWorkspace(): PrefectDeployWorkspace {
  return JSON.parse(readFileSync(join(PREFECT_DEPLOY_FIXTURES, "workspace.json"), "utf8")) as PrefectDeployWorkspace;
}

/**
 * Send the CLI's writes to a server (`baseUrl` ends with `/api`), recorded ids replaced by the
 * ones the server made, and return every way the answers differed from the real server's. The
 * recording proxy stored the larger (gzip-compressed) answers as undecodable text: those are
 * compared by status, and the ids they carried are paired from the requests that name them
 * (the conformance replay's rule, test/conformance/replay.ts).
 */
export async function makePrefectDeployWorkspace(baseUrl: string): Promise<Finding[]> {
  return replay("prefect-deploy", prefectDeployWrites().map(proxiedExchange), baseUrl, { statusOnly: (exchange) => typeof exchange.response === "string" });
}
