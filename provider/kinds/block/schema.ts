// prefect_block: a block document, typed configuration (credentials, webhooks, storage) whose
// shape is its block type's newest block schema. Its data is a JSON document that may hold
// secrets, so the whole attribute is sensitive; `data_wo` keeps the document out of the state
// altogether and is sent again only when `data_wo_version` changes.
import { attr, objectAttributes, type SpecOf } from "../attributes.js";
import type { KindSchema, Spec, SpecIssue } from "../kind.js";
import { isReference, referenceProblem, sameDocument } from "./references.js";

/** A declared (or live, through toSpec) block (derived from its attributes). */
export type BlockSpec = SpecOf<typeof blockAttributes> & Spec;

/** Prefect's `BlockDocumentName`: lowercase letters, digits and dashes (scenarios.jsonl "block bad name" answers 422 otherwise). */
export const BLOCK_NAME = /^[a-z0-9-]+$/;
/** Block type slugs follow the same rule. */
export const BLOCK_TYPE_SLUG = /^[a-z0-9-]+$/;

const suggestion = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "") || "my-block";

function nameProblem(name: string): string | undefined {
  if (name.length === 0) return "must not be empty: Prefect requires a block document name";
  if (!BLOCK_NAME.test(name)) return `${JSON.stringify(name)} is not a valid block name: use only lowercase letters, digits and dashes (e.g. ${JSON.stringify(suggestion(name))})`;
  return undefined;
}

function slugProblem(slug: string): string | undefined {
  if (!BLOCK_TYPE_SLUG.test(slug)) {
    return `${JSON.stringify(slug)} is not a block type slug: slugs use only lowercase letters, digits and dashes (e.g. "secret", "aws-credentials"); \`prefect block type ls\` lists them`;
  }
  return undefined;
}

/**
 * `data` undeclared says nothing about the document: either `data_wo` writes it (and is never
 * compared), or it is left as Prefect has it.
 */
const compareData = (declared: unknown, live: unknown): boolean => declared === undefined || sameDocument(declared, live);

/**
 * `data_wo_version` is kept by the state only (Prefect has no place for it). Compared with the
 * recorded value when the engine supplies it; with nothing recorded (an adopted block) the
 * version is taken as unchanged, so a plan converges: bump it to send data_wo again.
 */
const compareVersion = (declared: unknown, recorded: unknown): boolean => recorded === undefined || declared === recorded;

/** Problems with the references at the top level of a declared document. */
function referenceIssues(attribute: "data" | "data_wo", document: Record<string, unknown> | undefined): SpecIssue[] {
  const issues: SpecIssue[] = [];
  for (const [key, value] of Object.entries(document ?? {})) {
    if (!isReference(value)) continue;
    const problem = referenceProblem(value as Record<string, unknown>);
    if (problem) issues.push({ path: [attribute, key], message: problem });
  }
  return issues;
}

/** The block's attributes, with every Terraform fact: the spec type above is derived from them. */
const blockAttributes = {
  ...objectAttributes(),
  name: attr.string({
    description: "The block's name, unique within its block type: lowercase letters, digits and dashes. Changing it replaces the block.",
    required: true,
    forceNew: true,
    check: nameProblem,
  }),
  type_slug: attr.string({
    description: "The block type's slug (`prefect block type ls`), which decides the schema of data. Changing it replaces the block.",
    required: true,
    forceNew: true,
    check: slugProblem,
  }),
  data: attr.json({
    description:
      'The block\'s data as a JSON object (jsonencode(...)), secrets in clear; the whole attribute is sensitive. A top-level value {"$ref": {"block_document_id": "<id>"}} refers to another block document. Conflicts with data_wo.',
    optional: true,
    sensitive: true,
    compare: compareData,
  }),
  data_wo: attr.json({
    description:
      "The block's data, write-only: never stored in the state nor compared. Sent when the block is created and whenever data_wo_version changes. Conflicts with data.",
    optional: true,
    sensitive: true,
    writeOnly: true,
  }),
  data_wo_version: attr.number({
    description: "A number to change (e.g. increment) whenever data_wo should be sent again. Requires data_wo.",
    optional: true,
    stateOnly: true,
    check: (version) => (Number.isInteger(version) ? undefined : `is ${version}; a version must be a whole number (e.g. 1, then 2 to send data_wo again)`),
    compare: compareVersion,
  }),
};

/** prefect_block's attributes and facts (identity: type slug and name). */
export const blockSchema: KindSchema<BlockSpec> = {
  type: "prefect_block",
  title: "block",
  noun: "block",
  description:
    "A Prefect block document: typed configuration such as credentials, webhooks or storage, whose data follows the newest block schema of its block type (`prefect block type inspect <slug>`). Secret fields are compared without ever being shown.",
  version: 0,
  attributes: blockAttributes,
  identity: (spec) => `${spec.type_slug}/${spec.name}`,
  label: (spec) => `block "${spec.type_slug}/${spec.name}"`,
  check: (spec) => {
    const issues: SpecIssue[] = [];
    if (spec.data !== undefined && spec.data_wo !== undefined) {
      issues.push({ path: ["data_wo"], message: "conflicts with data: declare the document in one of them (data_wo keeps it out of the state; bump data_wo_version to send it again)" });
    }
    if (spec.data_wo_version !== undefined && spec.data_wo === undefined) {
      issues.push({ path: ["data_wo_version"], message: "requires data_wo: the version only says when to send data_wo again; remove it, or declare data_wo" });
    }
    issues.push(...referenceIssues("data", spec.data), ...referenceIssues("data_wo", spec.data_wo));
    return issues;
  },
};
