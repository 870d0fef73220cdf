// prefect_flow: a named flow, the object deployments and runs belong to. Flows are usually
// registered by code (`flow.deploy()`, `prefect deploy`); declaring one lets deployments refer
// to it and sets its tags.
import { attr, cloudScope, commonComputed, type SpecOf } from "../attributes.js";
import type { KindSchema, Spec } from "../kind.js";
import { bannedCharactersProblem } from "../names.js";

/** A declared (or live, through toSpec) flow (derived from its attributes). */
export type FlowSpec = SpecOf<typeof flowAttributes> & Spec;

function nameProblem(name: string): string | undefined {
  if (name.length === 0) return "must not be empty";
  return bannedCharactersProblem("flow", name);
}

/** The flow's attributes, with every Terraform fact: the spec type above is derived from them. */
const flowAttributes = {
  id: commonComputed.id(),
  // Unlike the id, the official provider does not keep `created` from the prior state.
  created: attr.string({ description: "When the flow was created (RFC 3339).", computed: true, format: "rfc3339" }),
  updated: commonComputed.updated(),
  account_id: cloudScope("account"),
  workspace_id: cloudScope("workspace"),
  name: attr.string({
    description: "The flow's name, as the `@flow` decorator gives it (any text without / % & > <). Changing it replaces the flow.",
    required: true,
    forceNew: true,
    check: nameProblem,
  }),
  tags: attr.stringSet({ description: "Tags on the flow.", optional: true, computed: true, default: [] }),
};

/** prefect_flow's attributes and facts; the natural key is the name (unique in a workspace). */
export const flowSchema: KindSchema<FlowSpec> = {
  type: "prefect_flow",
  title: "flow",
  noun: "flow",
  description:
    "A Prefect flow: the named workflow that deployments and flow runs belong to. Flows are usually registered by the code that defines them; declaring one lets deployments refer to it and sets its tags.",
  version: 0,
  attributes: flowAttributes,
  identity: (spec) => spec.name,
  label: (spec) => `flow "${spec.name}"`,
};
