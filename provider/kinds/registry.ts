// Every resource kind the engine manages, by Terraform type. This module loads the kinds' API
// code; constructs and the schema export use provider/kinds/schemas.ts instead.
import type { Kind } from "./kind.js";
import { inKindOrder } from "./order.js";
import { automationKind } from "./automation/api.js";
import { blockKind } from "./block/api.js";
import { deploymentKind } from "./deployment/api.js";
import { deploymentScheduleKind } from "./deployment-schedule/api.js";
import { flowKind } from "./flow/api.js";
import { globalConcurrencyLimitKind } from "./global-concurrency-limit/api.js";
import { variableKind } from "./variable/api.js";
import { webhookKind } from "./webhook/api.js";
import { workPoolKind } from "./work-pool/api.js";
import { workQueueKind } from "./work-queue/api.js";

/**
 * Every kind, in the one kind order (order.ts): each after the kinds it refers to, otherwise as
 * listed here (ARCHITECTURE.md: work pool -> queue -> flow -> block -> deployment -> schedule ->
 * automation -> webhook).
 */
export const KINDS: readonly Kind[] = inKindOrder([
  workPoolKind,
  workQueueKind,
  flowKind,
  blockKind,
  variableKind,
  globalConcurrencyLimitKind,
  deploymentKind,
  deploymentScheduleKind,
  automationKind,
  webhookKind,
] as unknown as readonly Kind[]);

/** The Terraform types in the kind order: plan and apply order objects of one wave by it, import writes resources in it. */
export const KIND_ORDER: readonly string[] = KINDS.map((kind) => kind.type);

const byType = new Map(KINDS.map((kind) => [kind.type, kind]));

/** The kind for a Terraform type, or undefined. */
export function kindFor(type: string): Kind | undefined {
  return byType.get(type);
}

export function kindTypes(): string[] {
  return [...KIND_ORDER];
}
