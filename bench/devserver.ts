// Benchmark: the devserver's throughput, latency and memory with 10,000 objects loaded.
//
// The devserver runs in a child process (bench/support/devserver-process.ts) so that the load
// generator (this process, undici Pool, N concurrent clients over keep-alive connections)
// shares neither its heap nor its event loop. See bench/README.md for how to read the results.
//
//   node --import tsx bench/devserver.ts [--duration 4] [--concurrency 1,8,32] [--objects 10000] [--no-data-dir] [--quiet-wait 120] [--out devserver]
import { rmSync, statSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { busyBetween, machineCpu, waitForQuiet } from "./support/contention.js";
import { RawApi } from "./support/http.js";
import { load, objectCount, type Loaded, type Mix } from "./support/objects.js";
import { flags, machine, mib, percentile, round, table, workDir, writeResults } from "./support/report.js";
import { startServerProcess, type ServerProcess } from "./support/server.js";

type Method = "GET" | "POST" | "PATCH";

interface Call {
  /** The route template, for the per-route breakdown. */
  route: string;
  method: Method;
  path: string;
  body?: unknown;
}

interface Scenario {
  name: string;
  description: string;
  /** The i-th request of a client (deterministic, spread over the loaded objects). */
  next: (i: number) => Call;
}

interface ScenarioResult {
  scenario: string;
  concurrency: number;
  requests: number;
  errors: number;
  durationS: number;
  requestsPerS: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Mean response size in bytes. */
  meanResponseBytes: number;
  /** CPU time of the server process and of this process (the load generator) while measuring. */
  serverCpuMs: number;
  clientCpuMs: number;
  /** CPU time other processes used meanwhile (0 on a quiet machine; up to 2 x duration on 2 CPUs). */
  otherCpuMs?: number;
  byRoute: Record<string, { requests: number; p50: number; p99: number }>;
}

/** 10,000 objects of every kind the devserver keeps (the queues include each pool's `default` one). */
function mixFor(total: number): Mix {
  const scale = total / 10_000;
  const n = (count: number) => Math.max(1, Math.round(count * scale));
  return {
    workPools: n(100),
    workQueues: n(300), // + one `default` queue per pool = 400 queues
    flows: n(1000),
    deployments: n(2500), // each with one schedule
    schedulesPerDeployment: 1,
    blocks: n(1000),
    variables: n(2500),
    concurrencyLimits: n(1000),
    automations: n(1500),
    webhooks: 0,
  };
}

const pick = <T>(items: readonly T[], i: number): T => {
  const item = items[i % items.length];
  if (item === undefined) throw new Error("nothing loaded to pick from");
  return item;
};

/** A spread of indexes that visits every object, not only the first ones. */
const spread = (i: number, n: number): number => (i * 7919) % n;

function scenarios(loaded: Loaded, objects: number): Scenario[] {
  const { variables, flows, deployments, blocks, automations, concurrencyLimits, workQueues, workPools } = loaded;
  const at = <T>(items: readonly T[], i: number): T => pick(items, spread(i, items.length));
  const offset = (i: number, count: number): number => (count <= 200 ? 0 : spread(i, Math.ceil(count / 200)) * 200);
  const all: Scenario[] = [
    {
      name: "get-by-id",
      description: "GET one object by id, rotating over 7 kinds",
      next: (i) => {
        const k = i % 7;
        if (k === 0) return { route: "GET /variables/{id}", method: "GET", path: `/variables/${at(variables, i).id}` };
        if (k === 1) return { route: "GET /flows/{id}", method: "GET", path: `/flows/${at(flows, i).id}` };
        if (k === 2) return { route: "GET /deployments/{id}", method: "GET", path: `/deployments/${at(deployments, i).id}` };
        if (k === 3) return { route: "GET /block_documents/{id}", method: "GET", path: `/block_documents/${at(blocks, i).id}?include_secrets=true` };
        if (k === 4) return { route: "GET /automations/{id}", method: "GET", path: `/automations/${at(automations, i).id}` };
        if (k === 5) return { route: "GET /v2/concurrency_limits/{id}", method: "GET", path: `/v2/concurrency_limits/${at(concurrencyLimits, i).id}` };
        return { route: "GET /work_queues/{id}", method: "GET", path: `/work_queues/${at(workQueues, i).id}` };
      },
    },
    {
      name: "get-by-name",
      description: "GET one object by its natural key, rotating over 6 kinds",
      next: (i) => {
        const k = i % 6;
        if (k === 0) return { route: "GET /variables/name/{name}", method: "GET", path: `/variables/name/${at(variables, i).name}` };
        if (k === 1) return { route: "GET /flows/name/{name}", method: "GET", path: `/flows/name/${at(flows, i).name}` };
        if (k === 2) {
          const deployment = at(deployments, i);
          return { route: "GET /deployments/name/{flow}/{name}", method: "GET", path: `/deployments/name/${deployment.flow}/${deployment.name}` };
        }
        if (k === 3) return { route: "GET /block_types/slug/{slug}/block_documents/name/{name}", method: "GET", path: `/block_types/slug/secret/block_documents/name/${at(blocks, i).name}` };
        if (k === 4) return { route: "GET /work_pools/{name}", method: "GET", path: `/work_pools/${at(workPools, i).name}` };
        const queue = at(workQueues, i);
        return { route: "GET /work_pools/{pool}/queues/{name}", method: "GET", path: `/work_pools/${queue.pool}/queues/${queue.name}` };
      },
    },
    {
      name: "filter-200",
      description: "POST .../filter (or /paginate) for a page of 200, at offsets across the collection, rotating over 6 kinds",
      next: (i) => {
        const k = i % 6;
        if (k === 0) return { route: "POST /deployments/paginate", method: "POST", path: "/deployments/paginate", body: { page: 1 + offset(i, deployments.length) / 200, limit: 200, sort: "CREATED_DESC" } };
        if (k === 1) return { route: "POST /variables/filter", method: "POST", path: "/variables/filter", body: { offset: offset(i, variables.length), limit: 200, sort: "NAME_ASC" } };
        if (k === 2) return { route: "POST /flows/filter", method: "POST", path: "/flows/filter", body: { offset: offset(i, flows.length), limit: 200, sort: "NAME_ASC" } };
        if (k === 3) return { route: "POST /automations/filter", method: "POST", path: "/automations/filter", body: { offset: offset(i, automations.length), limit: 200, sort: "CREATED_DESC" } };
        if (k === 4)
          return {
            route: "POST /block_documents/filter",
            method: "POST",
            path: "/block_documents/filter",
            body: { offset: offset(i, blocks.length), limit: 200, include_secrets: true, sort: "BLOCK_TYPE_AND_NAME_ASC", block_documents: { operator: "and_", is_anonymous: { eq_: false } } },
          };
        return { route: "POST /work_queues/filter", method: "POST", path: "/work_queues/filter", body: { offset: offset(i, workQueues.length + workPools.length), limit: 200 } };
      },
    },
    {
      name: "patch",
      description: "PATCH one object, rotating over 6 kinds",
      next: (i) => {
        const k = i % 6;
        if (k === 0) return { route: "PATCH /variables/{id}", method: "PATCH", path: `/variables/${at(variables, i).id}`, body: { value: `patched-${i}` } };
        if (k === 1) return { route: "PATCH /deployments/{id}", method: "PATCH", path: `/deployments/${at(deployments, i).id}`, body: { description: `patched ${i}` } };
        if (k === 2) return { route: "PATCH /v2/concurrency_limits/{id}", method: "PATCH", path: `/v2/concurrency_limits/${at(concurrencyLimits, i).id}`, body: { limit: 1 + (i % 30) } };
        if (k === 3) return { route: "PATCH /automations/{id}", method: "PATCH", path: `/automations/${at(automations, i).id}`, body: { enabled: i % 2 === 0 } };
        if (k === 4) return { route: "PATCH /flows/{id}", method: "PATCH", path: `/flows/${at(flows, i).id}`, body: { tags: [`tag-${i % 10}`] } };
        return { route: "PATCH /work_pools/{name}", method: "PATCH", path: `/work_pools/${at(workPools, i).name}`, body: { description: `patched ${i}` } };
      },
    },
  ];
  return objects > 0 ? all : [];
}

/** `concurrency` clients, each sending one request after the other for `durationS` seconds. */
async function drive(server: ServerProcess, api: RawApi, scenario: Scenario, concurrency: number, durationS: number, warmupS: number): Promise<ScenarioResult> {
  const latencies: number[] = [];
  const perRoute = new Map<string, number[]>();
  let errors = 0;
  let bytes = 0;
  let counter = 0;
  let measuring = false;
  let stop = false;
  const client = async (): Promise<void> => {
    while (!stop) {
      const call = scenario.next(counter++);
      const started = performance.now();
      const response = await api.pool.request({
        method: call.method,
        path: api.prefix + call.path,
        headers: { accept: "application/json", "content-type": "application/json" },
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
      });
      const text = await response.body.text();
      const elapsed = performance.now() - started;
      if (!measuring) continue;
      latencies.push(elapsed);
      bytes += text.length;
      if (response.statusCode >= 300) errors++;
      let route = perRoute.get(call.route);
      if (!route) perRoute.set(call.route, (route = []));
      route.push(elapsed);
    }
  };
  const clients = Array.from({ length: concurrency }, client);
  await new Promise((resolve) => setTimeout(resolve, warmupS * 1000));
  const serverCpuBefore = await server.cpuMs();
  const machineBefore = machineCpu();
  const clientCpuBefore = process.cpuUsage();
  measuring = true;
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, durationS * 1000));
  measuring = false;
  const elapsedS = (performance.now() - started) / 1000;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const machineBusy = busyBetween(machineBefore, machineCpu());
  const serverCpuMs = (await server.cpuMs()) - serverCpuBefore;
  const clientCpuMs = (clientCpu.user + clientCpu.system) / 1000;
  stop = true;
  await Promise.all(clients);
  const sorted = [...latencies].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length);
  return {
    scenario: scenario.name,
    concurrency,
    requests: sorted.length,
    errors,
    durationS: round(elapsedS, 2),
    requestsPerS: Math.round(sorted.length / elapsedS),
    latencyMs: { p50: round(percentile(sorted, 50), 2), p90: round(percentile(sorted, 90), 2), p99: round(percentile(sorted, 99), 2), max: round(sorted.at(-1) ?? NaN, 2), mean: round(mean, 2) },
    meanResponseBytes: Math.round(bytes / Math.max(1, sorted.length)),
    serverCpuMs: Math.round(serverCpuMs),
    clientCpuMs: Math.round(clientCpuMs),
    otherCpuMs: machineBusy === undefined ? undefined : Math.max(0, Math.round(machineBusy - serverCpuMs - clientCpuMs)),
    byRoute: Object.fromEntries(
      [...perRoute.entries()].map(([route, values]) => {
        const ordered = values.sort((a, b) => a - b);
        return [route, { requests: ordered.length, p50: round(percentile(ordered, 50), 2), p99: round(percentile(ordered, 99), 2) }];
      }),
    ),
  };
}

interface MemoryPoint {
  /** Resident set size of the server process. */
  rssMiB: number;
  /** Heap in use after a full GC: what the data and the server really retain. */
  heapUsedMiB: number;
  heapTotalMiB: number;
  externalMiB: number;
  /** Highest RSS of the server process so far. */
  maxRssMiB: number;
}

async function memoryOf(server: ServerProcess): Promise<MemoryPoint> {
  const memory = await server.memory(true);
  return { rssMiB: mib(memory.rss), heapUsedMiB: mib(memory.heapUsed), heapTotalMiB: mib(memory.heapTotal), externalMiB: mib(memory.external), maxRssMiB: mib(memory.maxRss) };
}

function dirSize(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) total += statSync(join(dir, name)).size;
  return total;
}

async function persistence(mix: Mix, durationS: number, warmupS: number, inMemoryLoadMs: number) {
  const dir = workDir("devserver-data");
  rmSync(dir, { recursive: true, force: true });
  const server = await startServerProcess({ dataDir: dir });
  const api = new RawApi(server.url, { connections: 16 });
  try {
    const loaded = await load(api, mix, { concurrency: 16 });
    const patch = scenarios(loaded, 1).find((scenario) => scenario.name === "patch")!;
    const writes = await drive(server, api, patch, 8, durationS, warmupS);
    await api.close();
    const closing = performance.now();
    await server.close();
    const closeMs = performance.now() - closing;
    const bytesOnDisk = dirSize(dir);
    const restarting = performance.now();
    const restarted = await startServerProcess({ dataDir: dir });
    const restartMs = performance.now() - restarting;
    const check = new RawApi(restarted.url, { connections: 1 });
    const firstRead = performance.now();
    const count = await check.ok<number>("POST", "/variables/count", {});
    const firstReadMs = performance.now() - firstRead;
    const memory = await memoryOf(restarted);
    await check.close();
    await restarted.close();
    return {
      loadMs: Math.round(loaded.loadMs),
      loadRequestsPerS: Math.round(loaded.requests / (loaded.loadMs / 1000)),
      loadSlowdownVsMemory: round(loaded.loadMs / inMemoryLoadMs, 2),
      patch: writes,
      closeMs: Math.round(closeMs),
      bytesOnDisk,
      mibOnDisk: mib(bytesOnDisk),
      restartMs: Math.round(restartMs),
      firstReadAfterRestartMs: round(firstReadMs, 1),
      variablesAfterRestart: count,
      memoryAfterRestart: memory,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const options = flags(process.argv.slice(2));
  const durationS = Number(options.duration ?? 4);
  const warmupS = Number(options.warmup ?? 0.5);
  const levels = String(options.concurrency ?? "1,8,32")
    .split(",")
    .map(Number);
  const total = Number(options.objects ?? 10_000);
  const mix = mixFor(total);
  console.log(`devserver benchmark: ${total} objects, ${durationS} s per scenario and concurrency (${levels.join(", ")} clients)`);

  const startedAt = performance.now();
  const server = await startServerProcess();
  const startMs = performance.now() - startedAt;
  const api = new RawApi(server.url, { connections: Math.max(16, ...levels) });
  const empty = await memoryOf(server);
  const loaded = await load(api, mix, { concurrency: 16 });
  const counted = await server.counts();
  const afterLoad = await memoryOf(server);
  const objects = objectCount(mix);
  const objectTotal = Object.values(objects).reduce((sum, n) => sum + n, 0) - objects.deployment_schedules!;
  console.log(`loaded ${objectTotal} objects (+ ${objects.deployment_schedules} schedules inside the deployments) in ${(loaded.loadMs / 1000).toFixed(1)} s, ${loaded.requests} requests`);

  const results: ScenarioResult[] = [];
  const quietWaitS = Number(options["quiet-wait"] ?? 120);
  const idleBefore = await waitForQuiet({ maxWaitS: quietWaitS });
  for (const scenario of scenarios(loaded, objectTotal)) {
    for (const concurrency of levels) {
      const result = await drive(server, api, scenario, concurrency, durationS, warmupS);
      results.push(result);
      console.log(
        `${scenario.name.padEnd(12)} c=${String(concurrency).padEnd(3)} ${String(result.requestsPerS).padStart(6)} req/s  p50 ${result.latencyMs.p50} ms  p99 ${result.latencyMs.p99} ms  errors ${result.errors}  cpu: server ${result.serverCpuMs} ms, client ${result.clientCpuMs} ms, others ${result.otherCpuMs ?? "?"} ms`,
      );
    }
  }
  const afterRun = await memoryOf(server);
  await api.close();
  await server.close();

  const persisted = options["no-data-dir"] ? undefined : await persistence(mix, durationS, warmupS, loaded.loadMs);
  if (persisted) console.log(`--data-dir: load ${(persisted.loadMs / 1000).toFixed(1)} s (x${persisted.loadSlowdownVsMemory}), PATCH c=8 ${persisted.patch.requestsPerS} req/s, restart ${persisted.restartMs} ms, ${persisted.mibOnDisk} MiB on disk`);

  const output = {
    objects: { total: objectTotal, byKind: objects, mix },
    serverStartMs: Math.round(startMs),
    load: { ms: Math.round(loaded.loadMs), requests: loaded.requests, requestsPerS: Math.round(loaded.requests / (loaded.loadMs / 1000)), concurrency: 16, serverCounted: counted.total },
    memory: { empty, afterLoad, afterRun, retainedPerObjectKiB: round(((afterLoad.heapUsedMiB - empty.heapUsedMiB) * 1024) / objectTotal, 2) },
    settings: { durationS, warmupS, concurrency: levels, client: "undici Pool, keep-alive, one connection per client, one process (this one)", idleBefore: idleBefore === undefined ? undefined : round(idleBefore, 2) },
    scenarios: results,
    persistence: persisted,
  };
  const file = writeResults(typeof options.out === "string" ? options.out : "devserver", output);
  console.log(`\n${describe(output)}\n\nrecorded in ${file}`);
}

function describe(output: { objects: { total: number }; scenarios: ScenarioResult[]; memory: { empty: MemoryPoint; afterLoad: MemoryPoint; afterRun: MemoryPoint } }): string {
  const rows = output.scenarios.map((r) => [r.scenario, r.concurrency, r.requestsPerS, r.latencyMs.p50, r.latencyMs.p90, r.latencyMs.p99, r.latencyMs.max, r.errors, r.serverCpuMs, r.otherCpuMs ?? "?"]);
  const m = output.memory;
  return [
    table(["scenario", "clients", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors", "server CPU ms", "others' CPU ms"], rows),
    "",
    table(
      ["server memory", "RSS MiB", "heap used after GC MiB", "max RSS MiB"],
      [
        ["empty", m.empty.rssMiB, m.empty.heapUsedMiB, m.empty.maxRssMiB],
        [`${output.objects.total.toLocaleString("en-US")} objects loaded`, m.afterLoad.rssMiB, m.afterLoad.heapUsedMiB, m.afterLoad.maxRssMiB],
        ["after the scenarios", m.afterRun.rssMiB, m.afterRun.heapUsedMiB, m.afterRun.maxRssMiB],
      ],
    ),
    `machine: ${JSON.stringify(machine())}`,
  ].join("\n");
}

await main();
