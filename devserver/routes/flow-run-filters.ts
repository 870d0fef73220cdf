// Prefect's FlowRunFilter (prefect/server/schemas/filters.py) as a predicate, for the flow run
// routes and for the flow and deployment filters that ask for objects with matching runs.
import { flowRuns, type FlowRunEntity } from "../collections.js";
import { combine, matches, type Criteria } from "../filters.js";
import type { Workspace } from "../store.js";
import { given, tagsMatch } from "./deployment-filters.js";

type Body = Record<string, unknown>;

const time = (value: unknown): number | undefined => (typeof value === "string" ? Date.parse(value) : undefined);

/** `before_`/`after_` (inclusive) and `is_null_` on a timestamp, compared as instants whatever their textual form. */
function timeMatches(value: string | null | undefined, criteria: Criteria): boolean {
  const at = time(value);
  if (typeof criteria.is_null_ === "boolean" && (at === undefined) !== criteria.is_null_) return false;
  const before = time(criteria.before_);
  const after = time(criteria.after_);
  if (before !== undefined && !(at !== undefined && at <= before)) return false;
  if (after !== undefined && !(at !== undefined && at >= after)) return false;
  return true;
}

/** A FlowRunFilter (schemas/filters.py) as a predicate: the criteria given, combined with its operator. */
export function flowRunMatches(run: FlowRunEntity, filter: Body): boolean {
  const at = (field: string): Criteria | undefined => (given(filter[field]) ? (filter[field] as Criteria) : undefined);
  const results: boolean[] = [];
  const check = (criteria: Criteria | undefined, test: (criteria: Criteria) => boolean): void => {
    if (criteria) results.push(test(criteria));
  };
  check(at("id"), (c) => matches(run.id, { any_: c.any_ ?? null, not_any_: c.not_any_ ?? null }));
  check(at("name"), (c) => matches(run.name, { any_: c.any_ ?? null, like_: c.like_ ?? null }));
  // FlowRunFilterTags is a PrefectOperatorFilterBaseModel (server/schemas/filters.py): its criteria take `operator`.
  check(at("tags"), (c) => tagsMatch(run.tags, c));
  check(at("deployment_id"), (c) => matches(run.deployment_id ?? null, { any_: c.any_ ?? null, is_null_: c.is_null_ ?? null }));
  check(at("work_queue_name"), (c) => matches(run.work_queue_name ?? null, { any_: c.any_ ?? null, is_null_: c.is_null_ ?? null }));
  check(at("state"), (c) => {
    const type = given(c.type) ? (c.type as Criteria) : undefined;
    const name = given(c.name) ? (c.name as Criteria) : undefined;
    const parts = [
      ...(type ? [matches(run.state_type ?? null, { any_: type.any_ ?? null, not_any_: type.not_any_ ?? null })] : []),
      ...(name ? [matches(run.state_name ?? null, { any_: name.any_ ?? null, not_any_: name.not_any_ ?? null })] : []),
    ];
    return combine(c.operator, parts);
  });
  check(at("flow_version"), (c) => matches(run.flow_version ?? null, { any_: c.any_ ?? null }));
  check(at("start_time"), (c) => timeMatches(run.start_time, c));
  check(at("end_time"), (c) => timeMatches(run.end_time, c));
  check(at("expected_start_time"), (c) => timeMatches(run.expected_start_time, c));
  check(at("next_scheduled_start_time"), (c) => timeMatches(run.next_scheduled_start_time, c));
  // Runs made here are never subflows: no parent flow run, no parent task run.
  check(at("parent_flow_run_id"), (c) => !Array.isArray(c.any_));
  check(at("parent_task_run_id"), (c) => matches(run.parent_task_run_id ?? null, { any_: c.any_ ?? null, is_null_: c.is_null_ ?? null }));
  check(at("idempotency_key"), (c) => matches(run.idempotency_key ?? null, { any_: c.any_ ?? null, not_any_: c.not_any_ ?? null }));
  check(at("created_by"), (c) => (typeof c.is_null_ === "boolean" ? c.is_null_ : !Array.isArray(c.id_) && !Array.isArray(c.type_)));
  return combine(filter.operator, results);
}

/**
 * A flows or deployments filter body's run sections as a predicate on the object's runs: an
 * object matches a `flow_runs` section when one of its runs does (Prefect filters with an EXISTS
 * subquery), and no object matches a `task_runs` section (the devserver keeps no task runs).
 * `undefined` when the body has neither section.
 */
export function hasMatchingRuns(ws: Workspace, body: unknown, owner: "flow_id" | "deployment_id"): ((id: string) => boolean) | undefined {
  const record = (body ?? {}) as Body;
  if (given(record.task_runs)) return () => false;
  if (!given(record.flow_runs)) return undefined;
  const filter = record.flow_runs;
  const owners = new Set(flowRuns(ws).filter((run) => flowRunMatches(run, filter)).map((run) => run[owner]));
  return (id) => owners.has(id);
}
