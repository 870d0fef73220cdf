// prefect_work_pool: where flow runs of deployments are sent, with the job template workers
// fill to start them. Prefect gives every pool a `default` queue (see prefect_work_queue).
import { attr, objectAttributes, type SpecOf } from "../attributes.js";
import { isObject, jsonEqual } from "../compare.js";
import type { KindSchema, Spec } from "../kind.js";
import { bannedCharactersProblem } from "../names.js";

/** A declared (or live, through toSpec) work pool (derived from its attributes). */
export type WorkPoolSpec = SpecOf<typeof workPoolAttributes> & Spec;

/** The pool type Prefect and the official provider use when none is given. */
export const DEFAULT_WORK_POOL_TYPE = "prefect-agent";

/**
 * What is wrong with a work pool or queue name for Prefect, if anything: the banned characters,
 * and names its name-addressed routes (`/work_pools/{name}`) cannot reach.
 */
export function nameCharacterProblem(what: string, name: string): string | undefined {
  if (name.length === 0) return "must not be empty";
  const banned = bannedCharactersProblem(what, name);
  if (banned) return banned;
  if (name === "." || name === "..") {
    return `${JSON.stringify(name)} is not a usable ${what} name: Prefect addresses ${what}s by name in URLs, where "." and ".." are dropped; choose another name`;
  }
  return undefined;
}

function poolNameProblem(name: string): string | undefined {
  // Prefect strips quotes and spaces before checking that a pool name is not empty.
  if (name.length > 0 && name.replace(/['" ]/g, "") === "") {
    return `${JSON.stringify(name)} is not a valid work pool name: Prefect refuses names made only of spaces and quotes`;
  }
  const problem = nameCharacterProblem("work pool", name);
  if (problem) return problem;
  // The server answers 403 (scenarios.jsonl "pool reserved name").
  if (name.toLowerCase().startsWith("prefect")) {
    return `${JSON.stringify(name)} starts with "prefect", which Prefect reserves for its own work pools (in any case); choose another name, e.g. ${JSON.stringify(`my-${name}`)}`;
  }
  return undefined;
}

/** The `{{ placeholders }}` a job configuration uses, other than Prefect's own (`prefect.*`, `$ENV`). */
function placeholdersOf(value: unknown): Set<string> {
  const names = new Set<string>();
  for (const match of JSON.stringify(value ?? null).matchAll(/\{\{\s*([\w.\-[\]$]+)\s*\}\}/g)) {
    const name = match[1] ?? "";
    if (!name.startsWith("prefect.") && !name.startsWith("$")) names.add(name);
  }
  return names;
}

/**
 * Prefect's rule for base job templates: `{}`, or a job configuration whose placeholders are all
 * declared variables (scenarios.jsonl "pool bad template" answers 422 otherwise).
 */
function baseJobTemplateProblem(template: unknown): string | undefined {
  if (!isObject(template) || Object.keys(template).length === 0) return undefined;
  const configuration = template.job_configuration;
  const variables = template.variables;
  if (!isObject(configuration) || Object.keys(configuration).length === 0 || !isObject(variables) || Object.keys(variables).length === 0) {
    const keys = Object.keys(template);
    return `has the keys ${keys.length ? keys.map((key) => JSON.stringify(key)).join(", ") : "(none)"}; Prefect needs both a non-empty "job_configuration" and a non-empty "variables" (a JSON schema), or an empty object {} for no template`;
  }
  const declared = new Set(Object.keys(isObject(variables.properties) ? variables.properties : {}));
  const missing = [...placeholdersOf(Object.values(configuration))].filter((name) => !declared.has(name));
  if (missing.length) {
    return `uses ${missing.map((name) => `{{ ${name} }}`).join(", ")} in job_configuration without declaring ${missing.length === 1 ? "it" : "them"} under variables.properties; add ${missing.length === 1 ? "it" : "them"} there (Prefect refuses undeclared placeholders)`;
  }
  return undefined;
}

function wholeAtLeastZero(value: number): string | undefined {
  return Number.isInteger(value) && value >= 0 ? undefined : `is ${value}; a concurrency limit must be a whole number of flow runs, 0 or more`;
}

/** The work pool's attributes, with every Terraform fact: the spec type above is derived from them. */
const workPoolAttributes = {
  ...objectAttributes(),
  name: attr.string({
    description: 'The pool\'s name: any text without / % & > <, not starting with "prefect" (reserved). Changing it replaces the pool.',
    required: true,
    forceNew: true,
    check: poolNameProblem,
  }),
  description: attr.string({ description: "A description of the pool." }),
  type: attr.string({
    description: 'The worker type that serves the pool (e.g. "process", "docker", "kubernetes"). Changing it replaces the pool.',
    computed: true,
    default: DEFAULT_WORK_POOL_TYPE,
    forceNew: true,
  }),
  paused: attr.bool({ description: "Whether the pool is paused: a paused pool hands no work to its workers.", computed: true, default: false }),
  concurrency_limit: attr.number({
    description: "How many flow runs of the pool may run at once (unset: no limit).",
    check: wholeAtLeastZero,
  }),
  default_queue_id: attr.string({ description: "The id of the pool's `default` queue.", computed: true, format: "uuid", stable: true }),
  base_job_template: attr.json({
    description:
      "The base job template as a JSON document (jsonencode(...)): `job_configuration` and the `variables` schema deployments fill. Compared as a document; when not declared the pool's own template stands and is never changed.",
    // Not declared: the official provider neither sends nor compares it, so the pool keeps
    // the template it has (filled by `prefect work-pool create` or the UI).
    compare: (declared, live) => declared === undefined || jsonEqual(declared, live),
    check: baseJobTemplateProblem,
  }),
};

/** prefect_work_pool's attributes and facts; the natural key is the name (unique in a workspace). */
export const workPoolSchema: KindSchema<WorkPoolSpec> = {
  type: "prefect_work_pool",
  title: "work pool",
  noun: "pool",
  description:
    "A Prefect work pool: where deployments send their flow runs, and the base job template workers of its type fill to start them. Prefect creates each pool with a `default` queue.",
  version: 0,
  attributes: workPoolAttributes,
  identity: (spec) => spec.name,
  label: (spec) => `work pool "${spec.name}"`,
};
