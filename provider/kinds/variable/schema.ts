// prefect_variable: a named JSON value in the workspace.
import { attr, objectAttributes, type SpecOf } from "../attributes.js";
import type { KindSchema, Spec } from "../kind.js";

/** A declared (or live, through toSpec) variable (derived from its attributes). */
export type VariableSpec = SpecOf<typeof variableAttributes> & Spec;

/** Prefect's rule for variable names (scenarios.jsonl "variable bad name" answers 422 otherwise). */
export const VARIABLE_NAME = /^[a-z0-9_-]+$/;
export const VARIABLE_NAME_MAX = 255;

/** The variable's attributes, with every Terraform fact: the spec type above is derived from them. */
const variableAttributes = {
  ...objectAttributes(),
  name: attr.string({
    description: "The variable's name: lowercase letters, digits, dashes and underscores.",
    required: true,
    check: (name) =>
      !VARIABLE_NAME.test(name)
        ? `"${name}" is not a valid variable name: use only lowercase letters, digits, dashes and underscores (e.g. "${name.toLowerCase().replace(/[^a-z0-9_-]+/g, "_")}")`
        : name.length > VARIABLE_NAME_MAX
          ? `is ${name.length} characters long; Prefect allows at most ${VARIABLE_NAME_MAX}`
          : undefined,
  }),
  value: attr.dynamic({ description: "The value: any JSON value (string, number, boolean, list or object).", required: true }),
  tags: attr.stringSet({ description: "Tags on the variable.", optional: true, computed: true, default: [] }),
};

export const variableSchema: KindSchema<VariableSpec> = {
  type: "prefect_variable",
  title: "variable",
  noun: "variable",
  description: "A Prefect variable: a named JSON value (string, number, boolean, list or object) flows read at run time.",
  version: 1,
  attributes: variableAttributes,
  identity: (spec) => spec.name,
  label: (spec) => `variable "${spec.name}"`,
};
