// Prefect's filter objects for the deployment cluster (FlowFilter, DeploymentFilter,
// WorkPoolFilter, WorkQueueFilter) as predicates. Each filter combines the criteria it was
// given with its `operator` (`and_` by default, `or_` on request); criteria left out or null
// do not take part, and a filter with no criteria matches everything, as on Prefect.
import { combine, matches, type Criteria } from "../filters.js";
import type { DeploymentEntity, FlowEntity, WorkPoolEntity, WorkQueueEntity } from "../collections.js";

type FilterBody = Record<string, unknown> | null | undefined;

function criteria(filter: FilterBody, field: string): Criteria | undefined {
  const value = filter?.[field];
  return value && typeof value === "object" ? (value as Criteria) : undefined;
}

/** Combine the results of the criteria that were given (`undefined`: left out), with the filter's `operator`. */
function combineGiven(filter: FilterBody, results: (boolean | undefined)[]): boolean {
  return combine(filter?.operator, results.filter((result): result is boolean => result !== undefined));
}

/** Tags criteria: `all_` (every tag present), `any_` (at least one), `is_null_` (no tags at all). */
export function tagsMatch(tags: readonly string[] | null | undefined, tagCriteria: Criteria): boolean {
  const have = tags ?? [];
  const parts: (boolean | undefined)[] = [];
  if (Array.isArray(tagCriteria.all_)) parts.push(tagCriteria.all_.every((tag) => have.includes(tag as string)));
  if (Array.isArray(tagCriteria.any_)) parts.push(tagCriteria.any_.some((tag) => have.includes(tag as string)));
  if (typeof tagCriteria.is_null_ === "boolean") parts.push((have.length === 0) === tagCriteria.is_null_);
  return combineGiven(tagCriteria, parts);
}

/** Prefect's `like_` is a case-insensitive substring match (`ILIKE '%value%'`). */
function like(value: string | null | undefined, pattern: unknown): boolean | undefined {
  if (typeof pattern !== "string") return undefined;
  return typeof value === "string" && value.toLowerCase().includes(pattern.toLowerCase());
}

function anyOf(value: unknown, criterion: Criteria | undefined): boolean | undefined {
  if (!criterion || !Array.isArray(criterion.any_)) return undefined;
  return matches(value, { any_: criterion.any_ });
}

function notAnyOf(value: unknown, criterion: Criteria | undefined): boolean | undefined {
  if (!criterion || !Array.isArray(criterion.not_any_)) return undefined;
  return !criterion.not_any_.includes(value);
}

/** Whether a filter body section (e.g. `body.flows`) was given at all. */
export function given(filter: unknown): filter is Record<string, unknown> {
  return Boolean(filter) && typeof filter === "object";
}

/**
 * A FlowFilter as a predicate. `hasDeployments` answers the `deployment.is_null_` criterion;
 * it is only called when that criterion is given.
 */
export function flowMatches(flow: FlowEntity, filter: FilterBody, hasDeployments: (flowId: string) => boolean): boolean {
  if (!given(filter)) return true;
  const id = criteria(filter, "id");
  const name = criteria(filter, "name");
  const tags = criteria(filter, "tags");
  const deployment = criteria(filter, "deployment");
  return combineGiven(filter, [
    id ? combineGiven(null, [anyOf(flow.id, id), notAnyOf(flow.id, id)]) : undefined,
    name ? combineGiven(null, [anyOf(flow.name, name), like(flow.name, name.like_)]) : undefined,
    tags ? tagsMatch(flow.tags, tags) : undefined,
    deployment && typeof deployment.is_null_ === "boolean" ? !hasDeployments(flow.id) === deployment.is_null_ : undefined,
  ]);
}

/** What a deployment filter needs to know beyond the stored deployment. */
export interface DeploymentFacts {
  flowName: string | undefined;
  workQueueName: string | null;
  concurrencyLimit: number | null;
}

/** A DeploymentFilter as a predicate; `factsOf` is only asked when a criterion needs it. */
export function deploymentMatches(deployment: DeploymentEntity, factsOf: () => DeploymentFacts, filter: FilterBody): boolean {
  if (!given(filter)) return true;
  const id = criteria(filter, "id");
  const name = criteria(filter, "name");
  const either = criteria(filter, "flow_or_deployment_name");
  const paused = criteria(filter, "paused");
  const tags = criteria(filter, "tags");
  const queueName = criteria(filter, "work_queue_name");
  const limit = criteria(filter, "concurrency_limit");
  const facts = either || queueName || limit ? factsOf() : undefined;
  return combineGiven(filter, [
    id ? combineGiven(null, [anyOf(deployment.id, id), notAnyOf(deployment.id, id)]) : undefined,
    name ? combineGiven(null, [anyOf(deployment.name, name), like(deployment.name, name.like_)]) : undefined,
    either && typeof either.like_ === "string" ? Boolean(like(deployment.name, either.like_) || like(facts?.flowName, either.like_)) : undefined,
    paused && typeof paused.eq_ === "boolean" ? deployment.paused === paused.eq_ : undefined,
    tags ? tagsMatch(deployment.tags, tags) : undefined,
    queueName ? anyOf(facts?.workQueueName, queueName) : undefined,
    limit ? matches(facts?.concurrencyLimit, { ge_: limit.ge_ ?? null, le_: limit.le_ ?? null, is_null_: limit.is_null_ ?? null }) : undefined,
  ]);
}

/** A WorkPoolFilter as a predicate. */
export function workPoolMatches(pool: WorkPoolEntity, filter: FilterBody): boolean {
  if (!given(filter)) return true;
  return combineGiven(filter, [anyOf(pool.id, criteria(filter, "id")), anyOf(pool.name, criteria(filter, "name")), anyOf(pool.type, criteria(filter, "type"))]);
}

/** A WorkQueueFilter as a predicate (`name.startswith_` is case-insensitive, like Prefect's ILIKE). */
export function workQueueMatches(queue: WorkQueueEntity, filter: FilterBody): boolean {
  if (!given(filter)) return true;
  const name = criteria(filter, "name");
  const prefixes = name && Array.isArray(name.startswith_) ? (name.startswith_ as string[]) : undefined;
  return combineGiven(filter, [
    anyOf(queue.id, criteria(filter, "id")),
    name
      ? combineGiven(null, [
          anyOf(queue.name, name),
          prefixes ? prefixes.some((prefix) => queue.name.toLowerCase().startsWith(prefix.toLowerCase())) : undefined,
        ])
      : undefined,
  ]);
}
