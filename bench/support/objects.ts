// Loading a workspace with many objects of every kind through the API (wire bodies, as a
// Prefect client would send them), for the devserver and list benchmarks.
import { inParallel, type RawApi } from "./http.js";

/** How many objects of each kind to create. */
export interface Mix {
  workPools: number;
  /** Queues besides each pool's `default` queue (which Prefect creates with the pool), spread over the pools. */
  workQueues: number;
  flows: number;
  deployments: number;
  /** Schedules per deployment (created with it, in its `schedules`). */
  schedulesPerDeployment: number;
  blocks: number;
  variables: number;
  concurrencyLimits: number;
  automations: number;
  /** Created in the Cloud workspace (webhooks exist only in Prefect Cloud). */
  webhooks: number;
}

/** Objects counted as the API lists them: the implicit `default` queues and the schedules included. */
export function objectCount(mix: Mix): Record<string, number> {
  return {
    work_pools: mix.workPools,
    work_queues: mix.workQueues + mix.workPools,
    flows: mix.flows,
    deployments: mix.deployments,
    deployment_schedules: mix.deployments * mix.schedulesPerDeployment,
    block_documents: mix.blocks,
    variables: mix.variables,
    concurrency_limits: mix.concurrencyLimits,
    automations: mix.automations,
    webhooks: mix.webhooks,
  };
}

export interface Named {
  id: string;
  name: string;
}

export interface Loaded {
  workPools: Named[];
  workQueues: (Named & { pool: string })[];
  flows: Named[];
  deployments: (Named & { flow: string })[];
  blocks: Named[];
  variables: Named[];
  concurrencyLimits: Named[];
  automations: Named[];
  webhooks: Named[];
  /** Wall time of the load, in ms. */
  loadMs: number;
  requests: number;
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const pad = (i: number): string => String(i).padStart(5, "0");

const CRONS = ["0 2 * * *", "*/15 * * * *", "30 6 * * 1-5", "0 0 1 * *"];
const ZONES = ["UTC", "Europe/Paris", "America/New_York", "Asia/Tokyo"];

function schedule(i: number, j: number): Record<string, unknown> {
  switch ((i + j) % 3) {
    case 0:
      return { schedule: { cron: CRONS[i % CRONS.length], timezone: ZONES[i % ZONES.length] }, active: true };
    case 1:
      return { schedule: { interval: 3600 * (1 + (i % 6)), anchor_date: "2026-01-01T00:00:00Z", timezone: "UTC" }, active: i % 5 !== 0 };
    default:
      return { schedule: { rrule: "FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9", timezone: "UTC" }, active: true };
  }
}

/**
 * Create `mix` in the workspace of `api` (webhooks in `cloud`), `concurrency` requests at a
 * time. Names carry `prefix` so several loads can share a server.
 */
export async function load(api: RawApi, mix: Mix, options: { cloud?: RawApi; concurrency?: number; prefix?: string } = {}): Promise<Loaded> {
  const started = performance.now();
  const concurrency = options.concurrency ?? 16;
  const prefix = options.prefix ?? "bench";
  let requests = 0;
  const ok = async <T>(target: RawApi, method: "GET" | "POST", path: string, body?: unknown): Promise<T> => {
    requests++;
    return target.ok<T>(method, path, body);
  };

  const workPools = await inParallel(range(mix.workPools), concurrency, async (i) => {
    const name = `${prefix}-pool-${pad(i)}`;
    const created = await ok<Named>(api, "POST", "/work_pools/", { name, type: "process", description: `Workers of team ${i}`, concurrency_limit: 10 + (i % 5) });
    return { id: created.id, name };
  });
  const queueSpecs = range(mix.workQueues).map((i) => ({ i, pool: workPools[i % Math.max(1, workPools.length)]?.name ?? "" }));
  const [workQueues, flows] = await Promise.all([
    inParallel(queueSpecs, Math.max(1, concurrency / 2), async ({ i, pool }) => {
      const name = `queue-${pad(i)}`;
      const created = await ok<Named>(api, "POST", `/work_pools/${encodeURIComponent(pool)}/queues`, { name, description: "", concurrency_limit: 5 });
      return { id: created.id, name, pool };
    }),
    inParallel(range(mix.flows), Math.max(1, concurrency / 2), async (i) => {
      const name = `${prefix}-flow-${pad(i)}`;
      const created = await ok<Named>(api, "POST", "/flows/", { name, tags: [`team-${i % 10}`] });
      return { id: created.id, name };
    }),
  ]);

  const blockType = await ok<{ id: string }>(api, "GET", "/block_types/slug/secret");
  const [blockSchema] = await ok<{ id: string }[]>(api, "POST", "/block_schemas/filter", { block_schemas: { block_type_id: { any_: [blockType.id] } }, limit: 1 });
  if (!blockSchema) throw new Error("the devserver has no schema for the secret block type");

  const deployments = await inParallel(range(mix.deployments), concurrency, async (i) => {
    const flow = flows[i % Math.max(1, flows.length)]!;
    const pool = workPools[i % Math.max(1, workPools.length)];
    const name = `deployment-${pad(i)}`;
    const created = await ok<Named>(api, "POST", "/deployments/", {
      name,
      flow_id: flow.id,
      ...(pool ? { work_pool_name: pool.name, work_queue_name: "default" } : {}),
      entrypoint: `flows/${flow.name}.py:main`,
      path: "/opt/flows",
      description: `Deployment ${i} of ${flow.name}`,
      tags: [`team-${i % 10}`, i % 2 ? "nightly" : "hourly"],
      parameters: { source: `s3://raw/${i}`, full: i % 7 === 0, batch: 500 },
      job_variables: { env: { LOG_LEVEL: "INFO" } },
      schedules: range(mix.schedulesPerDeployment).map((j) => schedule(i, j)),
      paused: false,
      enforce_parameter_schema: false,
    });
    return { id: created.id, name, flow: flow.name };
  });

  const [blocks, variables, concurrencyLimits] = await Promise.all([
    inParallel(range(mix.blocks), Math.max(1, concurrency / 3), async (i) => {
      const name = `${prefix}-secret-${pad(i)}`;
      const created = await ok<Named>(api, "POST", "/block_documents/", {
        name,
        data: { value: `token-${i}-${"x".repeat(24)}` },
        block_schema_id: blockSchema.id,
        block_type_id: blockType.id,
        is_anonymous: false,
      });
      return { id: created.id, name };
    }),
    inParallel(range(mix.variables), Math.max(1, concurrency / 3), async (i) => {
      const name = `${prefix}_variable_${pad(i)}`;
      const value = i % 3 === 0 ? i : i % 3 === 1 ? `value-${i}` : { retention_days: i % 90, regions: ["eu", "us"] };
      const created = await ok<Named>(api, "POST", "/variables/", { name, value, tags: [`team-${i % 10}`] });
      return { id: created.id, name };
    }),
    inParallel(range(mix.concurrencyLimits), Math.max(1, concurrency / 3), async (i) => {
      const name = `${prefix}-limit-${pad(i)}`;
      const created = await ok<Named>(api, "POST", "/v2/concurrency_limits/", { name, limit: 1 + (i % 20), active: true, slot_decay_per_second: 0 });
      return { id: created.id, name };
    }),
  ]);

  const automations = await inParallel(range(mix.automations), concurrency, async (i) => {
    const watched = deployments[i % Math.max(1, deployments.length)];
    const target = deployments[(i + 1) % Math.max(1, deployments.length)];
    const name = `${prefix}-automation-${pad(i)}`;
    const created = await ok<Named>(api, "POST", "/automations/", {
      name,
      description: "Run the backfill when the nightly run fails",
      enabled: true,
      trigger: {
        type: "event",
        posture: "Reactive",
        expect: ["prefect.flow-run.Failed", "prefect.flow-run.Crashed"],
        match_related: watched ? { "prefect.resource.id": `prefect.deployment.${watched.id}`, "prefect.resource.role": "deployment" } : {},
        threshold: 1,
        within: 0,
      },
      actions: target ? [{ type: "run-deployment", source: "selected", deployment_id: target.id, parameters: { full: true } }] : [{ type: "do-nothing" }],
    });
    return { id: created.id, name };
  });

  const cloud = options.cloud;
  if (mix.webhooks && !cloud) throw new Error("webhooks need a Cloud workspace");
  const webhooks = cloud
    ? await inParallel(range(mix.webhooks), concurrency, async (i) => {
        const name = `${prefix}-webhook-${pad(i)}`;
        const template = JSON.stringify({ event: "order.created", resource: { "prefect.resource.id": `shop.order.${i}` } });
        const created = await ok<Named>(cloud, "POST", "/webhooks/", { name, description: "", enabled: true, template });
        return { id: created.id, name };
      })
    : [];

  return { workPools, workQueues, flows, deployments, blocks, variables, concurrencyLimits, automations, webhooks, loadMs: performance.now() - started, requests };
}
