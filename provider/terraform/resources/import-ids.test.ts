import { describe, expect, it } from "vitest";
import { parseImportId } from "./import-ids.js";

const ID = "0B5F1A52-6A43-4C55-9F0B-3B0A1F0C9D11";
const WS = "9d2c1e4f-1111-4222-8333-444455556666";

describe("parseImportId", () => {
  it.each<[string, string, Record<string, string>, string | undefined]>([
    ["prefect_work_pool", "etl", { name: "etl" }, undefined],
    ["prefect_work_pool", `etl,${WS}`, { name: "etl" }, WS],
    ["prefect_work_queue", "etl,critical", { work_pool_name: "etl", name: "critical" }, undefined],
    ["prefect_work_queue", `etl,critical,${WS}`, { work_pool_name: "etl", name: "critical" }, WS],
    ["prefect_variable", ID, { id: ID.toLowerCase() }, undefined],
    ["prefect_variable", "name/batch_size", { name: "batch_size" }, undefined],
    ["prefect_variable", `name/batch_size,${WS}`, { name: "batch_size" }, WS],
    ["prefect_flow", ID, { id: ID.toLowerCase() }, undefined],
    ["prefect_block", `${ID},${WS}`, { id: ID.toLowerCase() }, WS],
    ["prefect_deployment_schedule", `${WS},${ID}`, { deployment_id: WS, id: ID.toLowerCase() }, undefined],
    ["prefect_deployment_schedule", ID, { id: ID.toLowerCase() }, undefined],
  ])("reads %s import id %s", (type, id, attributes, workspaceId) => {
    expect(parseImportId(type, id)).toEqual({ ok: true, key: { attributes, workspaceId } });
  });

  it.each<[string, string, RegExp]>([
    ["prefect_work_queue", "etl", /`<work_pool_name>,<name>`/],
    ["prefect_work_queue", "etl,q,ws,extra", /`<work_pool_name>,<name>`/],
    ["prefect_flow", "etl", /not an id \(UUID\); expected `<id>` or `<id>,<workspace_id>`/],
    ["prefect_flow", `${ID},`, /has an empty part/],
    ["prefect_work_pool", "etl,not-a-workspace", /workspace id in "etl,not-a-workspace" is not a UUID/],
    ["prefect_deployment_schedule", "a,b", /"a" is not a UUID/],
  ])("refuses %s import id %s", (type, id, message) => {
    const parsed = parseImportId(type, id);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? "" : parsed.message).toMatch(message);
  });
});
