// prefect_work_queue: a queue of a work pool. Workers poll a pool's queues in priority order
// (1 first); Prefect keeps priorities unique within a pool. Every pool has a `default` queue
// from the moment it exists: declaring it adopts it (see adoptImplicitly).
import { attr, cloudScope, commonComputed, type SpecOf } from "../attributes.js";
import type { KindSchema, Spec } from "../kind.js";
import { nameCharacterProblem } from "../work-pool/schema.js";

/** A declared (or live, through toSpec) work queue (derived from its attributes). */
export type WorkQueueSpec = SpecOf<typeof workQueueAttributes> & Spec;

/** The queue Prefect creates with every work pool; it cannot be deleted apart from its pool. */
export const DEFAULT_QUEUE_NAME = "default";

function wholeNumber(what: string, min: number) {
  return (value: number): string | undefined =>
    Number.isInteger(value) && value >= min ? undefined : `is ${value}; ${what} must be a whole number, ${min} or more`;
}

/** The work queue's attributes, with every Terraform fact: the spec type above is derived from them. */
const workQueueAttributes = {
  // The official provider keeps neither the id nor `created` from the prior state.
  id: attr.string({ description: "The queue's id (UUID).", computed: true, format: "uuid" }),
  created: attr.string({ description: "When the queue was created (RFC 3339).", computed: true, format: "rfc3339" }),
  updated: commonComputed.updated(),
  account_id: cloudScope("account"),
  workspace_id: cloudScope("workspace"),
  work_pool_name: attr.string({
    description: "The name of the work pool the queue belongs to. A queue cannot move to another pool: changing it replaces the queue.",
    required: true,
    references: "prefect_work_pool.name",
    check: (name) => nameCharacterProblem("work pool", name),
  }),
  name: attr.string({
    description: "The queue's name, unique within its pool (any text without / % & > <). Changing it replaces the queue.",
    required: true,
    forceNew: true,
    check: (name) => nameCharacterProblem("work queue", name),
  }),
  description: attr.string({ description: "A description of the queue.", computed: true, default: "" }),
  is_paused: attr.bool({ description: "Whether the queue is paused: workers take no work from a paused queue.", computed: true, default: false }),
  concurrency_limit: attr.number({ description: "How many flow runs of the queue may run at once (unset: no limit).", check: wholeNumber("a concurrency limit", 0) }),
  priority: attr.number({
    description:
      "The queue's priority in its pool, 1 being polled first. Prefect keeps priorities unique: a queue that takes a priority held by another pushes that one (and the queues right after it) down by one. Not declared: the priority Prefect gives the queue (the first free one) stands.",
    optional: true,
    computed: true,
    check: wholeNumber("a priority", 1),
  }),
};

/** prefect_work_queue's attributes and facts; the natural key is `<work_pool_name>/<name>`. */
export const workQueueSchema: KindSchema<WorkQueueSpec> = {
  type: "prefect_work_queue",
  title: "work queue",
  noun: "queue",
  description:
    "A queue of a Prefect work pool: deployments send flow runs to a queue, and workers poll the pool's queues in priority order. Declaring a pool's `default` queue adopts the one Prefect created with the pool.",
  version: 0,
  attributes: workQueueAttributes,
  identity: (spec) => `${spec.work_pool_name}/${spec.name}`,
  label: (spec) => `work queue "${spec.name}" of work pool "${spec.work_pool_name}"`,
  adoptImplicitly: (spec) => spec.name === DEFAULT_QUEUE_NAME,
};
