// Reading a state back from where a backend keeps it. A state is trusted to decide what gets
// deleted, so anything that does not have the exact shape of a state document is refused with a
// StateError instead of being half-understood. The input is checked, never rewritten: unknown
// fields survive a load and save, so a state touched by a slightly newer version keeps them.
import { z } from "zod";
import { STATE_VERSION, StateError, type StateChange, type StateDocument } from "./model.js";

const text = z.string();
const isoTime = z.string().min(1);

const entrySchema = z.object({
  address: text.min(1),
  type: text.min(1),
  id: text.min(1),
  identity: text.optional(),
  appliedHash: text,
  values: z.record(z.string(), z.unknown()),
  dependencies: z.array(text),
  preventDestroy: z.boolean().optional(),
  schemaVersion: z.number().int(),
  updatedAt: isoTime,
});

const pendingSchema = z.object({
  address: text.min(1),
  type: text.min(1),
  identity: text.optional(),
  name: text.optional(),
  specHash: text,
  startedAt: isoTime,
});

const documentSchema = z.object({
  version: z.literal(STATE_VERSION),
  lineage: text.min(1),
  serial: z.number().int().min(0),
  salt: text.min(1),
  target: text.optional(),
  resources: z.record(z.string(), entrySchema),
  pending: z.record(z.string(), pendingSchema),
});

const changeSchema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("put"), entry: entrySchema }),
  z.object({ op: z.literal("remove"), address: text.min(1) }),
  z.object({ op: z.literal("intent"), pending: pendingSchema }),
  z.object({ op: z.literal("settle"), address: text.min(1) }),
]);

/** Where a state was read from and what the user can do when it is unreadable. */
export interface StateSource {
  /** `state file ./x.json`, `block prefect-gitops-state-main in http://...` */
  where: string;
  /** What to do about an unreadable state, as a sentence. */
  remedy: string;
}

function describeIssues(error: z.ZodError): string {
  // Paths and zod's messages only: a message never quotes the offending value.
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join(".") : "(top level)"}: ${issue.message}`)
    .concat(error.issues.length > 5 ? [`and ${error.issues.length - 5} more`] : [])
    .join("; ");
}

/**
 * Check that a value read from a backend is a state document this version can use, and return
 * it as is. Throws StateError naming the source when it is not one, or when a newer
 * prefect-gitops wrote it (reading it could silently drop what this version does not know).
 */
export function parseStateDocument(value: unknown, source: StateSource): StateDocument {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new StateError(`The ${source.where} does not hold a state document (expected a JSON object). ${source.remedy}`);
  }
  const version = (value as { version?: unknown }).version;
  if (typeof version === "number" && version > STATE_VERSION) {
    throw new StateError(
      `The ${source.where} was written by a newer prefect-gitops (state version ${version}; this version reads version ${STATE_VERSION}). ` +
        `Upgrade prefect-gitops to use it; do not edit it by hand.`,
    );
  }
  const result = documentSchema.safeParse(value);
  if (!result.success) {
    throw new StateError(`The ${source.where} is not a valid prefect-gitops state: ${describeIssues(result.error)}. ${source.remedy}`);
  }
  return value as StateDocument;
}

/** The change a journal line holds, or undefined when the value is not one. */
export function parseStateChange(value: unknown): StateChange | undefined {
  return changeSchema.safeParse(value).success ? (value as StateChange) : undefined;
}
