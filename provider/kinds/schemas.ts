// Every kind's schema (attributes and facts, no HTTP code), by Terraform type: what the
// constructs, the Terraform schema export and offline validation need.
import type { KindSchema } from "./kind.js";
import { automationSchema } from "./automation/schema.js";
import { globalConcurrencyLimitSchema } from "./global-concurrency-limit/schema.js";
import { variableSchema } from "./variable/schema.js";
import { webhookSchema } from "./webhook/schema.js";

export const KIND_SCHEMAS: readonly KindSchema[] = [variableSchema as unknown as KindSchema, globalConcurrencyLimitSchema as unknown as KindSchema, automationSchema as unknown as KindSchema, webhookSchema as unknown as KindSchema];

const byType = new Map(KIND_SCHEMAS.map((schema) => [schema.type, schema]));

export function schemaFor(type: string): KindSchema | undefined {
  return byType.get(type);
}
