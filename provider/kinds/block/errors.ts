// Errors of the prefect_block kind, each with a stable code. None carries a value of the
// block's data: only attribute paths, slugs and what the block schema allows.
import type { SpecIssue } from "../kind.js";

export type BlockErrorCode = "unknown_block_type" | "no_block_schema" | "invalid_block_data";

/** A failure of a block operation that no request to Prefect can fix by itself being repeated. */
export class BlockError extends Error {
  readonly code: BlockErrorCode;
  constructor(code: BlockErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** `type_slug` names no block type of the workspace. */
export class UnknownBlockTypeError extends BlockError {
  readonly typeSlug: string;
  /** The slugs the workspace has, sorted. */
  readonly knownSlugs: readonly string[];
  constructor(typeSlug: string, knownSlugs: readonly string[], hint: string) {
    super(
      "unknown_block_type",
      `type_slug ${JSON.stringify(typeSlug)} is not a block type of this Prefect workspace${hint}. Known slugs: ${knownSlugs.join(", ")}. ` +
        "Fix type_slug, or register the block type first (`prefect block register -m <module>`).",
    );
    this.typeSlug = typeSlug;
    this.knownSlugs = knownSlugs;
  }
}

/** The block type exists but has no block schema to create documents with. */
export class NoBlockSchemaError extends BlockError {
  readonly typeSlug: string;
  constructor(typeSlug: string) {
    super("no_block_schema", `block type ${JSON.stringify(typeSlug)} has no block schema yet, so no block of it can be created; register its schema (\`prefect block register\`) and apply again.`);
    this.typeSlug = typeSlug;
  }
}

/** The declared document does not fit the block type's newest schema. Every problem is listed, no value is shown. */
export class BlockDataError extends BlockError {
  readonly issues: readonly SpecIssue[];
  constructor(label: string, issues: readonly SpecIssue[]) {
    super("invalid_block_data", `${label}: the data does not fit its block schema: ${issues.map((issue) => `${issue.path.join(".")} ${issue.message}`).join("; ")}`);
    this.issues = issues;
  }
}
