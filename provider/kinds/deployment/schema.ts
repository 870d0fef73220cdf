// prefect_deployment: a flow made runnable by Prefect, with where it runs (work pool and
// queue), how its code is fetched (pull steps), its parameters and its concurrency.
import { attr, objectAttributes, oneOf, type SpecOf } from "../attributes.js";
import { isObject, jsonEqual } from "../compare.js";
import type { KindSchema, Spec, SpecIssue } from "../kind.js";
import { bannedCharactersProblem } from "../names.js";
import { checkPullSteps, pullStepAttributes } from "./pull-steps.js";

export type { PullStepSpec } from "./pull-steps.js";

/** A declared prefect_deployment, after parsing (defaults filled, JSON parsed, tags sorted) (derived from its attributes). */
export type DeploymentSpec = SpecOf<typeof deploymentAttributes> & Spec;

/** UUIDs are the same whatever their case: Prefect answers in lower case. */
export const sameUuid = (declared: unknown, live: unknown): boolean => String(declared).toLowerCase() === String(live ?? "").toLowerCase();

/** A required UUID referring to another object (`flow_id`, `deployment_id`): compared without case. */
export function uuidReference(description: string, references: string) {
  return attr.string({ description, required: true, forceNew: true, format: "uuid", references, compare: sameUuid });
}

/**
 * Why Prefect would refuse a deployment name, or undefined. The server stores a name with the
 * banned characters, but Prefect's client models refuse it, so the deployment would break every
 * `prefect` client that reads it, and the name route could not address it.
 */
export function deploymentNameProblem(name: string): string | undefined {
  if (name.trim() === "") return `is ${JSON.stringify(name)}; a deployment needs a name that is not blank`;
  return bannedCharactersProblem("deployment", name);
}

/**
 * Whether two parameter schemas are the same. Prefect's `ParameterSchema` type
 * (`_normalize_parameter_schema`, prefect/types) stores `{}` as an empty object schema, on create
 * and on update (scenarios.jsonl "dep schema {}", "dep patch schema {}"); a schema left out reads
 * `{}` ("dep no schema") and one created as null reads null ("dep schema null"). All are the same.
 */
export function sameParameterSchema(declared: unknown, live: unknown): boolean {
  return jsonEqual(normalParameterSchema(declared), normalParameterSchema(live));
}

const EMPTY_PARAMETER_SCHEMA = { type: "object", properties: {} };

function normalParameterSchema(value: unknown): unknown {
  return value === null || value === undefined || (isObject(value) && Object.keys(value).length === 0) ? EMPTY_PARAMETER_SCHEMA : value;
}

const COLLISION_STRATEGIES = ["ENQUEUE", "CANCEL_NEW"];

/** The deployment's attributes, with every Terraform fact: the spec type above is derived from them. */
const deploymentAttributes = {
  ...objectAttributes(),
  name: attr.string({
    description: "The deployment's name, unique among the flow's deployments.",
    required: true,
    forceNew: true,
    check: deploymentNameProblem,
  }),
  flow_id: uuidReference("The id of the flow the deployment runs.", "prefect_flow.id"),
  description: attr.string({ description: "A description of the deployment.", optional: true, computed: true, stable: true }),
  version: attr.string({ description: "A version label for the deployment.", optional: true, computed: true, stable: true }),
  path: attr.string({
    description: "The working directory of the flow's code, relative to its storage, or an absolute path.",
    optional: true,
    computed: true,
    stable: true,
  }),
  entrypoint: attr.string({ description: "Where the flow function is, relative to path (e.g. flows/etl.py:nightly).", optional: true, computed: true, stable: true }),
  paused: attr.bool({ description: "Whether the deployment is paused: no runs are scheduled while it is.", optional: true, computed: true, default: false }),
  enforce_parameter_schema: attr.bool({
    description: "Whether Prefect checks parameters against parameter_openapi_schema.",
    optional: true,
    computed: true,
    default: true,
  }),
  parameters: attr.json({ description: "Parameters for the flow runs of the deployment (a JSON object).", optional: true, computed: true, default: {} }),
  parameter_openapi_schema: attr.json({
    description: "The JSON schema of the flow's parameters, with their defaults (a JSON object).",
    optional: true,
    computed: true,
    default: {},
    compare: sameParameterSchema,
  }),
  job_variables: attr.json({
    description:
      "Overrides of the work pool's job template for the deployment's runs (a JSON object). Prefect cannot empty them in place: declaring {} where there are some replaces the deployment.",
    optional: true,
    computed: true,
    default: {},
  }),
  tags: attr.stringSet({ description: "Tags of the deployment.", optional: true, computed: true, default: [] }),
  work_pool_name: attr.string({ description: "The work pool the deployment's runs go to.", optional: true, computed: true, stable: true, references: "prefect_work_pool.name" }),
  work_queue_name: attr.string({
    description: "The work queue of the pool the deployment's runs go to (the pool's default queue when not set).",
    optional: true,
    computed: true,
    stable: true,
    references: "prefect_work_queue.name",
  }),
  storage_document_id: attr.string({
    description: "The id of the block holding the flow's code storage (legacy storage blocks).",
    optional: true,
    computed: true,
    format: "uuid",
    references: "prefect_block.id",
    compare: sameUuid,
  }),
  concurrency_limit: attr.number({
    description: "How many runs of the deployment may be active at once. Not set: no limit of its own.",
    optional: true,
    check: (value) =>
      Number.isInteger(value) && value >= 1 ? undefined : `is ${value}; concurrency_limit must be a whole number of at least 1 (leave it out for no limit)`,
  }),
  global_concurrency_limit_id: attr.string({
    description: "The id of a global concurrency limit the deployment shares with others (instead of concurrency_limit).",
    optional: true,
    computed: true,
    format: "uuid",
    references: "prefect_global_concurrency_limit.id",
    compare: sameUuid,
  }),
  concurrency_options: attr.object(
    {
      collision_strategy: attr.string({
        description: "What happens to a run that would exceed the limit: ENQUEUE (wait) or CANCEL_NEW.",
        required: true,
        check: oneOf("a collision strategy", COLLISION_STRATEGIES),
      }),
    },
    { description: "What Prefect does with runs beyond the concurrency limit.", optional: true },
  ),
  pull_steps: attr.objectList(pullStepAttributes(), {
    description: "The steps a worker runs to fetch the flow's code before a run (clone a repository, download from a bucket, ...).",
    optional: true,
    computed: true,
    default: [],
  }),
};

/** The prefect_deployment schema: the official provider's attributes, their facts and cross-attribute rules. */
export const deploymentSchema: KindSchema<DeploymentSpec> = {
  type: "prefect_deployment",
  title: "deployment",
  noun: "deployment",
  description:
    "A Prefect deployment: a flow made runnable by Prefect, with where its runs go (work pool and queue), how their code is fetched (pull steps), their parameters and how many may run at once.",
  version: 0,
  attributes: deploymentAttributes,
  identity: (spec) => (typeof spec.flow_id === "string" && typeof spec.name === "string" ? `${spec.flow_id.toLowerCase()}/${spec.name}` : undefined),
  label: (spec) => `deployment "${spec.name}"`,
  check: (spec) => {
    const issues: SpecIssue[] = [];
    if (spec.concurrency_limit !== undefined && spec.global_concurrency_limit_id !== undefined) {
      issues.push({
        path: ["concurrency_limit"],
        message: "conflicts with global_concurrency_limit_id: declare concurrency_limit for a limit of the deployment's own, or global_concurrency_limit_id to share a limit, not both",
      });
    }
    issues.push(...checkPullSteps(spec.pull_steps ?? []));
    return issues;
  },
};
