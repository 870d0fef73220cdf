import { describe, expect, it } from "vitest";
import { blockSchema } from "../../kinds/block/schema.js";
import type { KindSchema } from "../../kinds/kind.js";
import { variableSchema } from "../../kinds/variable/schema.js";
import { workQueueSchema } from "../../kinds/work-queue/schema.js";
import { workQueueKind } from "../../kinds/work-queue/api.js";
import { UNKNOWN, type TfObject, type TfValue } from "../plugin/contract.js";
import { planChange } from "./plan.js";
import { emptyState } from "./values.js";

const ID = "0b5f1a52-6a43-4c55-9f0b-3b0a1f0c9d11";
const object = (kind: KindSchema, values: Record<string, TfValue>): TfObject => emptyState(kind, values);

const variableState = object(variableSchema, { id: ID, created: "2026-01-01T00:00:00Z", updated: "2026-01-01T00:00:00Z", name: "v", value: { a: 1 }, tags: ["a", "b"] });
const queueState = object(workQueueSchema, { id: ID, created: "c", updated: "u", work_pool_name: "pool", name: "q", description: "", is_paused: false, priority: 2 });
const blockState = object(blockSchema, { id: ID, created: "c", updated: "u", name: "b", type_slug: "secret", data: '{"value":"x"}' });

describe("planChange", () => {
  it.each<[string, KindSchema, Record<string, TfValue>, Record<string, TfValue>]>([
    ["a variable: computed ids unknown, undeclared tags default to []", variableSchema, { name: "v", value: 1 }, { id: UNKNOWN, created: UNKNOWN, updated: UNKNOWN, tags: [], name: "v", value: 1 }],
    ["a queue: undeclared priority unknown, description and is_paused default", workQueueSchema, { work_pool_name: "pool", name: "q" }, { id: UNKNOWN, priority: UNKNOWN, description: "", is_paused: false, concurrency_limit: null }],
    ["a config value not known yet stays unknown", workQueueSchema, { work_pool_name: UNKNOWN, name: "q" }, { work_pool_name: UNKNOWN }],
  ])("plans a create of %s", (_label, kind, config, expected) => {
    const plan = planChange(kind, object(kind, config), null);
    expect(plan.planned).toMatchObject(expected);
    expect(plan.requiresReplace).toEqual([]);
  });

  it.each<[string, KindSchema, TfObject, Record<string, TfValue>]>([
    ["the same declaration", variableSchema, variableState, { name: "v", value: { a: 1 }, tags: ["a", "b"] }],
    ["set attributes in another order", variableSchema, variableState, { name: "v", value: { a: 1 }, tags: ["b", "a"] }],
    ["an undeclared priority the server chose", workQueueSchema, queueState, { work_pool_name: "pool", name: "q" }],
  ])("plans no change for %s", (_label, kind, prior, config) => {
    const plan = planChange(kind, object(kind, config), prior);
    const sets = (state: TfObject): TfObject => ({ ...state, tags: Array.isArray(state.tags) ? [...state.tags].sort() : (state.tags ?? null) });
    expect(sets(plan.planned)).toEqual(sets(prior));
    expect(plan.requiresReplace).toEqual([]);
  });

  it.each<[string, KindSchema, TfObject, Record<string, TfValue>, (string | number)[][]]>([
    ["clearing tags in place", variableSchema, variableState, { name: "v", value: { a: 1 }, tags: [] }, []],
    ["leaving tags out in place (they default to [])", variableSchema, variableState, { name: "v", value: { a: 1 } }, []],
    ["a new value in place", variableSchema, variableState, { name: "v", value: "text" }, []],
    ["a queue's new name as a replacement", workQueueSchema, queueState, { work_pool_name: "pool", name: "other" }, [["name"]]],
    ["a block's new type as a replacement", blockSchema, blockState, { name: "b", type_slug: "json", data: '{"value":"x"}' }, [["type_slug"]]],
    ["a force-new value not known yet as a replacement", workQueueSchema, queueState, { work_pool_name: "pool", name: UNKNOWN }, [["name"]]],
  ])("plans %s", (_label, kind, prior, config, replace) => {
    const plan = planChange(kind, object(kind, config), prior);
    expect(plan.planned).not.toEqual(prior);
    expect(plan.planned.updated).toBe(UNKNOWN);
    expect(plan.requiresReplace).toEqual(replace);
  });

  it.each<[string, KindSchema, TfObject, Record<string, TfValue>, TfValue]>([
    ["a variable's id (stable)", variableSchema, variableState, { name: "v", value: 2 }, ID],
    ["a queue's id (the official provider does not keep it)", workQueueSchema, queueState, { work_pool_name: "pool", name: "q", description: "d" }, UNKNOWN],
  ])("plans an update keeping %s as the facts say", (_label, kind, prior, config, id) => {
    expect(planChange(kind, object(kind, config), prior).planned.id).toBe(id);
  });

  it("keeps the config's JSON text (Terraform requires it) without a replacement when only its formatting differs", () => {
    const plan = planChange(blockSchema, object(blockSchema, { name: "b", type_slug: "secret", data: '{ "value": "x" }' }), blockState);
    expect(plan.planned.data).toBe('{ "value": "x" }');
    expect(plan.requiresReplace).toEqual([]);
  });

  it("replaces a queue moved to another pool, with the kind's reason", () => {
    const plan = planChange(workQueueKind, object(workQueueSchema, { work_pool_name: "other", name: "q" }), queueState);
    expect(plan.requiresReplace).toEqual([["work_pool_name"]]);
    expect(plan.reasons.join()).toMatch(/cannot move a queue to another work pool/);
  });

  it("never plans a write-only value", () => {
    const plan = planChange(blockSchema, object(blockSchema, { name: "b", type_slug: "secret", data_wo: '{"value":"s"}', data_wo_version: 1 }), null);
    expect(plan.planned.data_wo).toBeNull();
    expect(plan.planned.data_wo_version).toBe(1);
  });
});
