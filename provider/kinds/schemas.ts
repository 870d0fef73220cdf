// Every kind's schema (attributes and facts, no HTTP code), in the kind order (order.ts): what
// the constructs, the Terraform schema export and offline validation need.
import type { KindSchema } from "./kind.js";
import { inKindOrder } from "./order.js";
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

export const KIND_SCHEMAS: readonly KindSchema[] = inKindOrder([
  workPoolSchema,
  workQueueSchema,
  flowSchema,
  blockSchema,
  variableSchema,
  globalConcurrencyLimitSchema,
  deploymentSchema,
  deploymentScheduleSchema,
  automationSchema,
  webhookSchema,
] as unknown as readonly KindSchema[]);
