import { describe, expect, it } from "vitest";
import type { Deployment } from "./deployment/api.js";
import { updateBodies } from "./deployment/api.js";
import { SCHEDULE_UPDATES } from "./deployment-schedule/api.js";
import { FLOW_UPDATES } from "./flow/api.js";
import { LIMIT_UPDATES } from "./global-concurrency-limit/api.js";
import { VARIABLE_UPDATES } from "./variable/api.js";
import { WORK_POOL_UPDATES } from "./work-pool/api.js";
import { WORK_QUEUE_UPDATES } from "./work-queue/api.js";
import { changedFields, writesAnything, type WireFields } from "./update-body.js";

describe("the update body: the wire fields of the changed attributes, and nothing else", () => {
  const toy: WireFields<{ a?: number; b?: string; c?: boolean }, { wire_a: number | null; wire_b: string; wire_c: boolean }> = {
    a: (spec) => ({ wire_a: spec.a ?? null }),
    b: (spec) => ({ wire_b: spec.b }),
  };
  it.each([
    ["nothing changed", { a: 1, b: "x" }, [], {}],
    ["one attribute", { a: 1, b: "x" }, ["b"], { wire_b: "x" }],
    ["an attribute no longer declared, cleared", { b: "x" }, ["a"], { wire_a: null }],
    ["an attribute without a mapping (force-new, computed)", { c: true }, ["c"], {}],
    ["several", { a: 2, b: "y" }, ["a", "b"], { wire_a: 2, wire_b: "y" }],
  ])("%s", (_name, spec, changed, expected) => {
    const body = changedFields(spec, changed, toy);
    expect(body).toStrictEqual(expected);
    expect(writesAnything(body)).toBe(Object.keys(expected).length > 0);
  });
});

describe("each kind's update body for a change", () => {
  const pool = { name: "p", type: "process", paused: true, description: undefined, concurrency_limit: undefined, base_job_template: undefined };
  const queue = { name: "q", work_pool_name: "p", description: "d", is_paused: false, concurrency_limit: undefined, priority: 2 };
  const limit = { name: "l", limit: 5, active: true, slot_decay_per_second: 0, active_slots: undefined };
  it.each([
    ["work pool: paused", changedFields(pool, ["paused"], WORK_POOL_UPDATES), { is_paused: true }],
    ["work pool: description removed, cleared with null", changedFields(pool, ["description"], WORK_POOL_UPDATES), { description: null }],
    ["work pool: limit removed, cleared with null", changedFields(pool, ["concurrency_limit"], WORK_POOL_UPDATES), { concurrency_limit: null }],
    ["work pool: an undeclared template is never sent", changedFields(pool, ["base_job_template"], WORK_POOL_UPDATES), {}],
    ["work pool: a declared template", changedFields({ ...pool, base_job_template: {} }, ["base_job_template"], WORK_POOL_UPDATES), { base_job_template: {} }],
    ["work pool: force-new attributes are not written", changedFields(pool, ["name", "type"], WORK_POOL_UPDATES), {}],
    ["work queue: limit removed, cleared with null", changedFields(queue, ["concurrency_limit"], WORK_QUEUE_UPDATES), { concurrency_limit: null }],
    ["work queue: description", changedFields(queue, ["description"], WORK_QUEUE_UPDATES), { description: "d" }],
    ["work queue: an undeclared priority is never sent", changedFields({ ...queue, priority: undefined }, ["priority"], WORK_QUEUE_UPDATES), {}],
    ["flow: tags emptied", changedFields({ name: "f", tags: [] }, ["tags"], FLOW_UPDATES), { tags: [] }],
    ["variable: value", changedFields({ name: "v", value: { a: 1 }, tags: ["t"] }, ["value"], VARIABLE_UPDATES), { value: { a: 1 } }],
    ["variable: tags emptied", changedFields({ name: "v", value: 1, tags: [] }, ["tags"], VARIABLE_UPDATES), { tags: [] }],
    ["limit: size", changedFields(limit, ["limit"], LIMIT_UPDATES), { limit: 5 }],
    ["limit: undeclared active slots are never written", changedFields(limit, ["active_slots"], LIMIT_UPDATES), {}],
    ["limit: declared active slots", changedFields({ ...limit, active_slots: 0 }, ["active_slots"], LIMIT_UPDATES), { active_slots: 0 }],
    [
      "schedule: cron keeps the live time zone it does not declare",
      changedFields({ deployment_id: "d", parameters: {}, cron: "0 6 * * *" }, ["cron"], SCHEDULE_UPDATES, { cron: "0 5 * * *", timezone: "Europe/Paris", day_or: true }),
      { schedule: { cron: "0 6 * * *", day_or: true, timezone: "Europe/Paris" } },
    ],
    ["schedule: active", changedFields({ deployment_id: "d", parameters: {}, cron: "0 6 * * *", active: false }, ["active"], SCHEDULE_UPDATES, undefined), { active: false }],
  ])("%s", (_name, body, expected) => {
    expect(body).toStrictEqual(expected);
  });

  const deployment = { id: "00000000-0000-4000-8000-000000000001", name: "d", flow_id: "f", global_concurrency_limit: null } as unknown as Deployment;
  const declared = { name: "d", flow_id: "f", paused: false, enforce_parameter_schema: true, parameters: {}, parameter_openapi_schema: {}, job_variables: {}, tags: ["a"], pull_steps: [], description: "x" };
  it.each([
    ["deployment: what changed, in one PATCH", ["description", "tags"], [{ description: "x", tags: ["a"] }]],
    ["deployment: nothing changed, no PATCH", [], []],
    ["deployment: pull steps emptied", ["pull_steps"], [{ pull_steps: [] }]],
  ])("%s", (_name, changed, expected) => {
    expect(updateBodies(declared, deployment, changed)).toStrictEqual(expected);
  });
});
