// Benchmark: `list` of every kind with 1,000 objects of mixed kinds in the devserver: how many
// requests each kind's bulk read takes and how long, with a fresh KindContext (nothing
// memoized) each time, as a plan run starts.
//
//   node --import tsx bench/list.ts [--objects 1000] [--repeat 5] [--quiet-wait 120] [--out list]
import { PrefectClient } from "../provider/client/client.js";
import { resolveSettings } from "../provider/client/settings.js";
import type { Kind } from "../provider/kinds/kind.js";
import { KINDS } from "../provider/kinds/registry.js";
import { createKindContext } from "../provider/kinds/runtime.js";
import { waitForQuiet } from "./support/contention.js";
import { RawApi } from "./support/http.js";
import { load, objectCount, type Mix } from "./support/objects.js";
import { flags, median, round, table, writeResults } from "./support/report.js";
import { startServerProcess, type ServerProcess } from "./support/server.js";

/** Any key will do for the devserver's Cloud workspaces; the client requires one for Cloud URLs. */
const CLOUD_API_KEY = "pnu_bench_devserver";

/** 1,000 objects: every kind, schedules counted (they are resources of their own), queues besides the pools' `default` ones. */
function listMix(total: number): Mix {
  const scale = total / 1000;
  const n = (count: number) => Math.max(1, Math.round(count * scale));
  return {
    workPools: n(25),
    workQueues: n(75),
    flows: n(100),
    deployments: n(175),
    schedulesPerDeployment: 1,
    blocks: n(100),
    variables: n(150),
    concurrencyLimits: n(75),
    automations: n(75),
    webhooks: n(50),
  };
}

interface Run {
  ms: number;
  objects: number;
  /** Requests the client sent (PrefectClient.stats()). */
  clientRequests: number;
  /** Requests the devserver received (its per-route counters). */
  serverRequests: number;
  byRoute: Record<string, number>;
}

interface KindResult {
  type: string;
  workspace: "oss" | "cloud";
  objects: number;
  requests: number;
  byRoute: Record<string, number>;
  medianMs: number;
  minMs: number;
  maxMs: number;
  runsMs: number[];
  /** Objects per request: what a bulk read saves over reading one object per request. */
  objectsPerRequest: number;
  note?: string;
}

async function timed(server: ServerProcess, client: PrefectClient, work: () => Promise<number>): Promise<Run> {
  await server.resetCounts();
  client.resetStats();
  const started = performance.now();
  const objects = await work();
  const ms = performance.now() - started;
  const stats = client.stats();
  const counts = await server.counts();
  return { ms, objects, clientRequests: stats.requests, serverRequests: counts.total, byRoute: counts.routes };
}

const NOTES: Record<string, string> = {
  prefect_work_queue: "every queue of every pool through /work_queues/filter; pages cut inside a group of same-named queues (every pool has `default`) are re-read by name",
  prefect_deployment_schedule: "derived from the deployment list (each deployment carries its schedules): the requests are the deployments' (memoized per run, so none of its own in a plan)",
  prefect_block: "also reads the block type and schema catalog alongside (for the run's creates and updates)",
  prefect_webhook: "Cloud workspace",
};

async function main(): Promise<void> {
  const options = flags(process.argv.slice(2));
  const total = Number(options.objects ?? 1000);
  const repeat = Number(options.repeat ?? 5);
  const mix = listMix(total);
  const expected = objectCount(mix);
  console.log(`list benchmark: ${total} objects of every kind, ${repeat} runs per kind`);

  const server = await startServerProcess();
  const api = new RawApi(server.url);
  const cloudApi = new RawApi(server.cloudUrl, { headers: { authorization: `Bearer ${CLOUD_API_KEY}` } });
  const loaded = await load(api, mix, { cloud: cloudApi, prefix: "list" });
  await api.close();
  await cloudApi.close();
  console.log(`loaded in ${(loaded.loadMs / 1000).toFixed(1)} s: ${JSON.stringify(expected)}`);

  const oss = new PrefectClient(resolveSettings({ apiUrl: server.url }, { env: {} }));
  const cloud = new PrefectClient(resolveSettings({ apiUrl: server.cloudUrl, apiKey: CLOUD_API_KEY }, { env: {} }));
  const clientFor = (kind: Kind): PrefectClient => (kind.cloudOnly ? cloud : oss);

  // Warm up: the first request of a process pays for connections and JIT, not for the kind.
  for (const kind of KINDS) await kind.list(createKindContext(clientFor(kind)));
  const idleBefore = await waitForQuiet({ maxWaitS: Number(options["quiet-wait"] ?? 120) });

  const results: KindResult[] = [];
  for (const kind of KINDS) {
    const client = clientFor(kind);
    const runs: Run[] = [];
    for (let i = 0; i < repeat; i++) runs.push(await timed(server, client, async () => (await kind.list(createKindContext(client))).length));
    const last = runs.at(-1)!;
    if (runs.some((run) => run.clientRequests !== run.serverRequests)) throw new Error(`${kind.type}: the client and the server disagree on the request count`);
    const ms = runs.map((run) => run.ms);
    results.push({
      type: kind.type,
      workspace: kind.cloudOnly ? "cloud" : "oss",
      objects: last.objects,
      requests: last.serverRequests,
      byRoute: last.byRoute,
      medianMs: round(median(ms), 1),
      minMs: round(Math.min(...ms), 1),
      maxMs: round(Math.max(...ms), 1),
      runsMs: ms.map((value) => round(value, 1)),
      objectsPerRequest: round(last.objects / Math.max(1, last.serverRequests), 1),
      note: NOTES[kind.type],
    });
    console.log(`${kind.type.padEnd(34)} ${String(last.objects).padStart(5)} objects  ${String(last.serverRequests).padStart(3)} requests  median ${median(ms).toFixed(1)} ms`);
  }

  // Every kind at once, as a plan reads them (Engine.readLive: one context per workspace, all kinds in parallel).
  const together: Run[] = [];
  for (let i = 0; i < repeat; i++) {
    await server.resetCounts();
    oss.resetStats();
    cloud.resetStats();
    const ossCtx = createKindContext(oss);
    const cloudCtx = createKindContext(cloud);
    const started = performance.now();
    const lists = await Promise.all(KINDS.map((kind) => kind.list(kind.cloudOnly ? cloudCtx : ossCtx)));
    const ms = performance.now() - started;
    const counts = await server.counts();
    together.push({ ms, objects: lists.reduce((sum, list) => sum + list.length, 0), clientRequests: oss.stats().requests + cloud.stats().requests, serverRequests: counts.total, byRoute: counts.routes });
  }
  const all = together.at(-1)!;
  console.log(`all kinds in parallel: ${all.objects} objects, ${all.serverRequests} requests, median ${median(together.map((run) => run.ms)).toFixed(1)} ms`);
  await oss.close();
  await cloud.close();
  await server.close();

  const output = {
    objects: { total, created: expected, loadMs: Math.round(loaded.loadMs) },
    repeat,
    idleBefore: idleBefore === undefined ? undefined : round(idleBefore, 2),
    kinds: results,
    allKindsInParallel: {
      objects: all.objects,
      requests: all.serverRequests,
      byRoute: all.byRoute,
      medianMs: round(median(together.map((run) => run.ms)), 1),
      runsMs: together.map((run) => round(run.ms, 1)),
      oneRequestPerObject: all.objects,
    },
  };
  const file = writeResults(typeof options.out === "string" ? options.out : "list", output);
  const rows = results.map((r) => [r.type, r.objects, r.requests, r.medianMs, r.minMs, r.objectsPerRequest]);
  rows.push(["**all kinds in parallel** (one plan's reads)", all.objects, all.serverRequests, output.allKindsInParallel.medianMs, round(Math.min(...together.map((run) => run.ms)), 1), round(all.objects / all.serverRequests, 1)]);
  console.log(`\n${table(["kind", "objects", "requests", "median ms", "min ms", "objects/request"], rows)}\n\nrecorded in ${file}`);
}

await main();
