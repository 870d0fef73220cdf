// Every sort the Prefect API document declares for a filter route (and its `/paginate` twin) is
// accepted and orders the answer by its field and direction; a null sort, limit and offset (what Prefect's CLI sends,
// prefect-cli.jsonl #225, #232, #255, #289) take the route's defaults; a sort outside the enum
// is Prefect's 422. The sorts come from the document itself, so a route that misses one fails.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { useDevServer } from "../../test/support/devserver.js";
import { rawApi, type RawApi } from "../../test/support/http.js";

type Item = Record<string, unknown> & { id: string };

interface Schema {
  properties?: Record<string, { $ref?: string; default?: unknown; anyOf?: { $ref?: string }[] }>;
  enum?: string[];
}
const document = JSON.parse(readFileSync(new URL("../../contract/prefect-openapi.json", import.meta.url), "utf8")) as {
  paths: Record<string, Record<string, { requestBody?: { content: { "application/json": { schema: { $ref: string } } } } }>>;
  components: { schemas: Record<string, Schema> };
};

/** The sort enum and default of a route's body, from the document. */
function sortsOf(path: string): { values: string[]; fallback: string } {
  const ref = document.paths[path]?.post?.requestBody?.content["application/json"].schema.$ref ?? "";
  const body = document.components.schemas[ref.split("/").pop() ?? ""];
  const sort = body?.properties?.sort;
  const enumRef = sort?.$ref ?? sort?.anyOf?.find((option) => option.$ref)?.$ref ?? "";
  const values = document.components.schemas[enumRef.split("/").pop() ?? ""]?.enum ?? [];
  return { values, fallback: String(sort?.default) };
}

/** The field(s) a sort orders by and its direction: `CREATED_DESC` -> created, descending; `BLOCK_TYPE_AND_NAME_ASC` -> block type name, then name. */
function orderOf(sort: string): { keys: string[]; descending: boolean } {
  const descending = sort.endsWith("_DESC");
  const field = sort.replace(/_(ASC|DESC)$/, "");
  if (field === "BLOCK_TYPE_AND_NAME") return { keys: ["block_type_name", "name"], descending };
  return { keys: [field.toLowerCase()], descending };
}

function expectOrdered(items: Item[], sort: string): void {
  const { keys, descending } = orderOf(sort);
  const keyOf = (item: Item): string => keys.map((key) => String(item[key] ?? "")).join("\u0000");
  for (let index = 1; index < items.length; index += 1) {
    const previous = keyOf(items[index - 1] as Item);
    const current = keyOf(items[index] as Item);
    expect(descending ? previous >= current : previous <= current, `${sort}: ${previous} then ${current}`).toBe(true);
  }
}

interface Route {
  path: string;
  /** Make three objects named out of order, and touch one after, so names, creation and update times disagree. */
  seed(api: RawApi): Promise<void>;
}

const NAMES = ["bravo", "alpha", "charlie"];

async function flowIn(api: RawApi): Promise<string> {
  return (await api.post<{ id: string }>("/flows/", { name: "sorted-flow" })).body.id;
}

async function secretType(api: RawApi): Promise<{ typeId: string; schemaId: string }> {
  const type = (await api.get<{ id: string }>("/block_types/slug/secret")).body;
  const [schema] = (await api.post<{ id: string }[]>("/block_schemas/filter", { block_schemas: { block_type_id: { any_: [type.id] } }, limit: 1 })).body;
  return { typeId: type.id, schemaId: schema?.id ?? "" };
}

const ROUTES: Route[] = [
  {
    path: "/flows/filter",
    async seed(api) {
      const ids = [];
      for (const name of NAMES) ids.push((await api.post<{ id: string }>("/flows/", { name })).body.id);
      await api.patch(`/flows/${ids[0]}`, { tags: ["touched"] });
    },
  },
  {
    path: "/deployments/filter",
    async seed(api) {
      const flowId = await flowIn(api);
      const ids = [];
      for (const name of NAMES) ids.push((await api.post<{ id: string }>("/deployments/", { name, flow_id: flowId })).body.id);
      await api.patch(`/deployments/${ids[0]}`, { description: "touched" });
    },
  },
  {
    path: "/variables/filter",
    async seed(api) {
      const ids = [];
      for (const name of NAMES) ids.push((await api.post<{ id: string }>("/variables/", { name, value: 1 })).body.id);
      await api.patch(`/variables/${ids[0]}`, { value: 2 });
    },
  },
  {
    path: "/automations/filter",
    async seed(api) {
      const body = (name: string) => ({ name, trigger: { type: "event", posture: "Reactive", expect: ["prefect.flow-run.Failed"] }, actions: [{ type: "do-nothing" }] });
      const ids = [];
      for (const name of NAMES) ids.push((await api.post<{ id: string }>("/automations/", body(name))).body.id);
      await api.put(`/automations/${ids[0]}`, { ...body("bravo"), description: "touched" });
    },
  },
  {
    path: "/block_documents/filter",
    async seed(api) {
      const secret = await secretType(api);
      for (const name of NAMES) await api.post("/block_documents/", { name, data: { value: "s" }, block_type_id: secret.typeId, block_schema_id: secret.schemaId });
    },
  },
  {
    path: "/flow_runs/filter",
    async seed(api) {
      await api.post("/work_pools/", { name: "sorted-pool", type: "process" });
      const flowId = await flowIn(api);
      const deployment = (await api.post<{ id: string }>("/deployments/", { name: "d", flow_id: flowId, work_pool_name: "sorted-pool" })).body.id;
      const times = ["2031-01-02T00:00:00.000000Z", "2031-01-01T00:00:00.000000Z", "2031-01-03T00:00:00.000000Z"];
      for (const [index, name] of NAMES.entries()) {
        await api.post(`/deployments/${deployment}/create_flow_run`, { name, state: { type: "SCHEDULED", state_details: { scheduled_time: times[index] } } });
      }
    },
  },
];

describe("filter sorts", () => {
  const ctx = useDevServer();
  const workspace = (): RawApi => rawApi(ctx.server.cloudUrl(randomUUID(), randomUUID()));

  it.each(ROUTES.map((route) => [route.path, route] as const))("%s orders by every sort the document declares, and by its default for a null sort", async (path, route) => {
    const api = workspace();
    await route.seed(api);
    const { values, fallback } = sortsOf(path);
    expect(values.length).toBeGreaterThan(0);
    for (const sort of values) {
      const answer = await api.post<Item[]>(path, { sort });
      expect(answer.status, `${path} sort ${sort}`).toBe(200);
      expect(answer.body.length, `${path} sort ${sort}`).toBeGreaterThanOrEqual(NAMES.length);
      expectOrdered(answer.body, sort);
    }
    const defaults = await api.post<Item[]>(path, { sort: null, limit: null, offset: null });
    expect(defaults.status).toBe(200);
    expectOrdered(defaults.body, fallback);
    expect((await api.post(path, { sort: "SIDEWAYS" })).status).toBe(422);

    // The route's `/paginate` twin, where the document has one, sorts the same way.
    const paginatePath = path.replace(/\/filter$/, "/paginate");
    if (!document.paths[paginatePath]) return;
    const paged = sortsOf(paginatePath);
    for (const sort of paged.values) {
      const answer = await api.post<{ results: Item[]; count: number }>(paginatePath, { sort, page: null, limit: null });
      expect(answer.status, `${paginatePath} sort ${sort}`).toBe(200);
      expect(answer.body.count).toBeGreaterThanOrEqual(NAMES.length);
      expectOrdered(answer.body.results, sort);
    }
    const pagedDefaults = await api.post<{ results: Item[]; page: number }>(paginatePath, { sort: null, page: null, limit: null });
    expect(pagedDefaults.body.page).toBe(1);
    expectOrdered(pagedDefaults.body.results, paged.fallback);
  });

  it("sorts names the other way round for NAME_DESC than for NAME_ASC (a sort that ignored its direction would fail)", async () => {
    const api = workspace();
    await ROUTES[0]?.seed(api);
    const names = async (sort: string) => (await api.post<Item[]>("/flows/filter", { sort })).body.map((item) => item.name);
    expect(await names("NAME_ASC")).toEqual(["alpha", "bravo", "charlie"]);
    expect(await names("NAME_DESC")).toEqual(["charlie", "bravo", "alpha"]);
  });

  it.each(["/work_pools/filter", "/v2/concurrency_limits/filter"])("%s takes null limit and offset as their defaults", async (path) => {
    const api = workspace();
    const answer = await api.post<Item[]>(path, { limit: null, offset: null });
    expect(answer.status).toBe(200);
  });
});
