// Every resource kind the engine manages, by Terraform type. This module loads the kinds' API
// code; constructs and the schema export use provider/kinds/schemas.ts instead.
import type { Kind } from "./kind.js";
import { automationKind } from "./automation/api.js";
import { globalConcurrencyLimitKind } from "./global-concurrency-limit/api.js";
import { variableKind } from "./variable/api.js";
import { webhookKind } from "./webhook/api.js";

// The order is the apply order when nothing else decides (ARCHITECTURE.md: work pool -> queue
// -> flow -> block -> deployment -> schedule -> automation -> webhook).
export const KINDS: readonly Kind[] = [variableKind as unknown as Kind, globalConcurrencyLimitKind as unknown as Kind, automationKind as unknown as Kind, webhookKind as unknown as Kind];

const byType = new Map(KINDS.map((kind) => [kind.type, kind]));

/** The kind for a Terraform type, or undefined. */
export function kindFor(type: string): Kind | undefined {
  return byType.get(type);
}

export function kindTypes(): string[] {
  return KINDS.map((kind) => kind.type);
}
