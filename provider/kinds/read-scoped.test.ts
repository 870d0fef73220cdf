// Scoped reads of every kind that has them: the owned objects by id, the declared ones by name,
// and nothing else, in as few requests as the filters allow (pages of 200 ids sent together).
import { describe, expect, it } from "vitest";
import { rawApi } from "../../test/support/http.js";
import { useApiTarget } from "../../test/support/target.js";
import type { Kind, ReadScope } from "./kind.js";
import { automationKind } from "./automation/api.js";
import { deploymentScheduleKind } from "./deployment-schedule/api.js";
import { deploymentKind } from "./deployment/api.js";
import { flowKind } from "./flow/api.js";
import { globalConcurrencyLimitKind, LIMITS_READ_ONE_BY_ONE } from "./global-concurrency-limit/api.js";
import { variableKind } from "./variable/api.js";
import { workPoolKind } from "./work-pool/api.js";
import { workQueueKind } from "./work-queue/api.js";

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("scoped reads", () => {
  const target = useApiTarget();
  // Request counts need the devserver; against an external server these tests do not run.
  const server = () => target.server!;
  const api = () => rawApi(target.url);
  const create = async (path: string, body: Record<string, unknown>): Promise<{ id: string; name: string }> => {
    const answer = await api().post(path, body);
    if (answer.status >= 300) throw new Error(`POST ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body as { id: string; name: string };
  };
  const scoped = <L>(kind: Kind<never, L>, scope: ReadScope, scopes: ReadonlyMap<string, ReadScope> = new Map([[kind.type, scope]])) => kind.readScoped!(target.context(), scope, scopes);
  const ids = (objects: { id: string }[]) => objects.map((object) => object.id).sort();

  it.runIf(!process.env.PREFECT_TEST_API_URL).each([
    ["prefect_variable", variableKind as unknown as Kind<never, { id: string }>, (name: string) => create("/variables/", { name, value: 1 }), "POST /variables/filter"],
    ["prefect_flow", flowKind as unknown as Kind<never, { id: string }>, (name: string) => create("/flows/", { name }), "POST /flows/filter"],
    ["prefect_work_pool", workPoolKind as unknown as Kind<never, { id: string }>, (name: string) => create("/work_pools/", { name, type: "process" }), "POST /work_pools/filter"],
  ])("%s: reads the owned ids and the declared names, nothing else, one request each", async (_type, kind, make, route) => {
    const made = await Promise.all(range(6).map((i) => make(target.name(`scoped-${i}-${kind.type.slice(7)}`))));
    server().resetRequestCounts();
    const read = await scoped(kind, { ids: [made[0]!.id.toUpperCase(), made[1]!.id], names: [made[2]!.name, target.name("nobody")] });
    expect(ids(read)).toEqual(ids(made.slice(0, 3)));
    expect(server().requestCounts()).toEqual({ [route]: 2 });
  });

  it.runIf(!process.env.PREFECT_TEST_API_URL)("prefect_deployment: 450 owned ids in 3 pages of at most 200, sent together; schedules come with their deployments", async () => {
    const flow = await create("/flows/", { name: target.name("scoped-flow") });
    const made = [];
    for (const chunk of range(5)) made.push(...(await Promise.all(range(95).map((i) => create("/deployments/", { name: `d-${chunk}-${i}`, flow_id: flow.id, schedules: [{ schedule: { cron: "0 1 * * *" } }] })))));
    const wanted = made.slice(0, 450);
    server().resetRequestCounts();
    const scopes = new Map<string, ReadScope>([
      [deploymentKind.type, { ids: wanted.map((d) => d.id), names: [] }],
      [deploymentScheduleKind.type, { ids: [], names: [], parentIds: [] }],
    ]);
    const ctx = target.context();
    const [deployments, schedules] = await Promise.all([deploymentKind.readScoped!(ctx, scopes.get(deploymentKind.type)!, scopes), deploymentScheduleKind.readScoped!(ctx, scopes.get(deploymentScheduleKind.type)!, scopes)]);
    expect(ids(deployments)).toEqual(ids(wanted));
    expect(schedules).toHaveLength(450);
    expect(server().requestCounts()).toEqual({ "POST /deployments/filter": 3 });
    expect(server().objectCounts()).toEqual({ "POST /deployments/filter": 450 });
  });

  it.runIf(!process.env.PREFECT_TEST_API_URL)("prefect_work_queue: owned queues by id, declared names in one page", async () => {
    const pool = await create("/work_pools/", { name: target.name("scoped-queues"), type: "process" });
    const queues = await Promise.all(range(3).map((i) => create(`/work_pools/${pool.name}/queues`, { name: target.name(`scoped-q${i}`) })));
    server().resetRequestCounts();
    const read = await scoped(workQueueKind as unknown as Kind<never, { id: string }>, { ids: [queues[0]!.id], names: [queues[1]!.name] });
    expect(ids(read)).toEqual(ids(queues.slice(0, 2)));
    expect(server().requestCounts()).toEqual({ "POST /work_queues/filter": 2 });
  });

  it.runIf(!process.env.PREFECT_TEST_API_URL)("prefect_automation: declared and owned names in one filter; an owned one renamed elsewhere by its id", async () => {
    const body = (name: string) => ({ name, trigger: { type: "event", posture: "Reactive", expect: ["x"], threshold: 1, within: 0 }, actions: [{ type: "do-nothing" }] });
    const [a, b, c] = await Promise.all(range(3).map((i) => create("/automations/", body(target.name(`scoped-auto-${i}`)))));
    server().resetRequestCounts();
    const read = await scoped(automationKind as unknown as Kind<never, { id: string }>, { ids: [a!.id, c!.id], names: [b!.name], ownedNames: [a!.name] });
    expect(ids(read)).toEqual(ids([a!, b!, c!]));
    expect(server().requestCounts()).toEqual({ "POST /automations/filter": 1, "GET /automations/{id}": 1 });
  });

  it.runIf(!process.env.PREFECT_TEST_API_URL)(`prefect_global_concurrency_limit: one by one up to ${LIMITS_READ_ONE_BY_ONE}; beyond, a first page, then one by one what it did not hold`, async () => {
    const limits = await Promise.all(range(3).map((i) => create("/v2/concurrency_limits/", { name: target.name(`scoped-limit-${i}`), limit: 1 })));
    server().resetRequestCounts();
    const read = await scoped(globalConcurrencyLimitKind as unknown as Kind<never, { id: string }>, { ids: [limits[0]!.id], names: [limits[1]!.name, target.name("no-such-limit")] });
    expect(ids(read)).toEqual(ids(limits.slice(0, 2)));
    expect(server().requestCounts()).toEqual({ "GET /v2/concurrency_limits/{id_or_name}": 3 });
    // Fewer than a page of limits in the workspace: the first page holds them all.
    server().resetRequestCounts();
    const many = range(LIMITS_READ_ONE_BY_ONE + 1).map((i) => target.name(`absent-${i}`));
    const all = await scoped(globalConcurrencyLimitKind as unknown as Kind<never, { id: string }>, { ids: [], names: many });
    expect(server().requestCounts()).toEqual({ "POST /v2/concurrency_limits/filter": 1 });
    expect(ids(all)).toEqual(expect.arrayContaining(ids(limits)));
    // A page full of other limits: the wanted ones it did not hold are read one by one.
    const others = [];
    for (const chunk of range(10)) others.push(...(await Promise.all(range(20).map((i) => create("/v2/concurrency_limits/", { name: target.name(`other-limit-${chunk}-${i}`), limit: 1 })))));
    const page = (await api().post("/v2/concurrency_limits/filter", { offset: 0, limit: 200 })).body as { id: string }[];
    const outside = [...limits, ...others].filter((limit) => !page.some((item) => item.id === limit.id));
    server().resetRequestCounts();
    expect(outside.length).toBeGreaterThan(0);
    // More than LIMITS_READ_ONE_BY_ONE wanted: every limit outside the first page, and some inside it.
    const inside = [...limits, ...others].filter((limit) => !outside.includes(limit)).slice(0, LIMITS_READ_ONE_BY_ONE);
    const wanted = [...outside, ...inside];
    const crowded = await scoped(globalConcurrencyLimitKind as unknown as Kind<never, { id: string }>, { ids: wanted.map((limit) => limit.id), names: [] });
    expect(ids(crowded)).toEqual(ids(wanted));
    expect(server().requestCounts()).toEqual({ "POST /v2/concurrency_limits/filter": 1, "GET /v2/concurrency_limits/{id_or_name}": outside.length });
    expect(server().objectCounts()).toEqual({ "POST /v2/concurrency_limits/filter": 200, "GET /v2/concurrency_limits/{id_or_name}": outside.length });
  });
});
