// Every kind's schema (attributes and facts, no HTTP code), by Terraform type: what the
// constructs, the Terraform schema export and offline validation need.
import type { KindSchema } from "./kind.js";
import { automationSchema } from "./automation/schema.js";
import { blockSchema } from "./block/schema.js";
import { deploymentSchema } from "./deployment/schema.js";
import { deploymentScheduleSchema } from "./deployment-schedule/schema.js";
import { flowSchema } from "./flow/schema.js";
import { globalConcurrencyLimitSchema } from "./global-concurrency-limit/schema.js";
import { variableSchema } from "./variable/schema.js";
import { webhookSchema } from "./webhook/schema.js";
import { workPoolSchema } from "./work-pool/schema.js";
import { workQueueSchema } from "./work-queue/schema.js";

export const KIND_SCHEMAS: readonly KindSchema[] = [workPoolSchema as unknown as KindSchema, workQueueSchema as unknown as KindSchema, flowSchema as unknown as KindSchema, blockSchema as unknown as KindSchema, variableSchema as unknown as KindSchema, globalConcurrencyLimitSchema as unknown as KindSchema, deploymentSchema as unknown as KindSchema, deploymentScheduleSchema as unknown as KindSchema, automationSchema as unknown as KindSchema, webhookSchema as unknown as KindSchema];

const byType = new Map(KIND_SCHEMAS.map((schema) => [schema.type, schema]));

export function schemaFor(type: string): KindSchema | undefined {
  return byType.get(type);
}
