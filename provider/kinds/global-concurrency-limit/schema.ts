// prefect_global_concurrency_limit: a named pool of slots that flows and tasks take while they run.
import { attr, objectAttributes, type SpecOf } from "../attributes.js";
import type { KindSchema, Spec } from "../kind.js";
import { bannedCharactersProblem } from "../names.js";

/** A declared global concurrency limit (derived from its attributes). */
export type GlobalConcurrencyLimitSpec = SpecOf<typeof globalConcurrencyLimitAttributes> & Spec;

/** The limit Prefect keeps for a deployment's own concurrency: `deployment:<deployment id>`. */
export const DEPLOYMENT_LIMIT_NAME = /^deployment:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function nameProblem(name: string): string | undefined {
  if (name.length === 0) return "must not be empty";
  const banned = bannedCharactersProblem("concurrency limit", name);
  if (banned) return banned;
  if (DEPLOYMENT_LIMIT_NAME.test(name)) {
    return `${JSON.stringify(name)} is the name Prefect gives a deployment's own concurrency limit, which it manages with the deployment: set the deployment's concurrency_limit instead, or choose another name`;
  }
  return undefined;
}

function wholeAtLeastZero(what: string) {
  return (value: number): string | undefined =>
    !Number.isInteger(value) ? `is ${value}; ${what} must be a whole number of slots (0 or more)` : value < 0 ? `is ${value}; ${what} must be 0 or more` : undefined;
}

/** The global concurrency limit's attributes, with every Terraform fact: the spec type above is derived from them. */
const globalConcurrencyLimitAttributes = {
  ...objectAttributes(),
  name: attr.string({
    description: "The limit's name, which code uses to take its slots: any text without / % & > <.",
    required: true,
    check: nameProblem,
  }),
  limit: attr.number({
    description: "How many slots can be taken at once (0 blocks every taker).",
    required: true,
    check: wholeAtLeastZero("a limit"),
  }),
  active: attr.bool({
    description: "Whether the limit is enforced; an inactive limit lets everything through.",
    computed: true,
    default: true,
  }),
  active_slots: attr.number({
    description:
      "The slots taken now. Running flows move this count, so it is compared and sent only when declared: declare it to reset the count, then remove it.",
    computed: true,
    default: 0,
    defaultOnCreate: true,
    check: wholeAtLeastZero("active_slots"),
  }),
  slot_decay_per_second: attr.number({
    description: "Slots given back per second without being released: above 0, the limit works as a rate limit.",
    computed: true,
    default: 0,
    check: (value) => (value < 0 ? `is ${value}; slot_decay_per_second must be 0 or more (0: slots are held until released)` : undefined),
  }),
};

/** prefect_global_concurrency_limit's attributes and facts (identity: the name). */
export const globalConcurrencyLimitSchema: KindSchema<GlobalConcurrencyLimitSpec> = {
  type: "prefect_global_concurrency_limit",
  title: "global concurrency limit",
  noun: "limit",
  description:
    "A Prefect global concurrency limit: a named number of slots that flows and tasks take while they run (`concurrency(\"name\")`), or, with a slot decay, a rate limit.",
  version: 0,
  attributes: globalConcurrencyLimitAttributes,
  identity: (spec) => spec.name,
  label: (spec) => `global concurrency limit "${spec.name}"`,
};
