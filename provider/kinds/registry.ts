// Every resource kind the engine manages, by Terraform type. This module loads the kinds' API
// code; constructs and the schema export use provider/kinds/schemas.ts instead.
import type { Kind } from "./kind.js";
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

// The order is the apply order when nothing else decides (ARCHITECTURE.md: work pool -> queue
// -> flow -> block -> deployment -> schedule -> automation -> webhook).
export const KINDS = [workPoolKind, workQueueKind, flowKind, blockKind, variableKind, globalConcurrencyLimitKind, deploymentKind, deploymentScheduleKind, automationKind, webhookKind] as unknown as readonly Kind[];

const byType = new Map(KINDS.map((kind) => [kind.type, kind]));

/** The kind for a Terraform type, or undefined. */
export function kindFor(type: string): Kind | undefined {
  return byType.get(type);
}

export function kindTypes(): string[] {
  return KINDS.map((kind) => kind.type);
}
