// The collections every route family shares, with the shapes stored (the API's response
// shapes, from the contract's generated wire types) and the unique key each is indexed by.
// Families reach each other's data only through these accessors (a deployment checks its
// work pool, deleting a flow deletes its deployments, a block document finds its schema).
import type { components } from "../contract/wire.gen.js";
import type { Collection, Entity, Workspace } from "./store.js";

type Schemas = components["schemas"];
type Stored<T> = T & Entity;

export type FlowEntity = Stored<Schemas["Flow"]>;
export type WorkPoolEntity = Stored<Schemas["WorkPoolResponse"]>;
export type WorkQueueEntity = Stored<Schemas["WorkQueueResponse"]>;
export type DeploymentEntity = Stored<Schemas["DeploymentResponse"]>;
export type FlowRunEntity = Stored<Schemas["FlowRunResponse"]>;
export type BlockTypeEntity = Stored<Schemas["BlockType"]>;
export type BlockSchemaEntity = Stored<Schemas["BlockSchema"]>;
/** Block documents are stored with secrets in clear and their references as `{field: {block_document_id}}`. */
export type BlockDocumentEntity = Stored<Omit<Schemas["BlockDocument"], "block_schema" | "block_type" | "block_document_references">> & {
  block_document_references?: Record<string, { block_document_id: string }>;
};
export type VariableEntity = Stored<Schemas["Variable"]>;
export type ConcurrencyLimitEntity = Stored<Schemas["ConcurrencyLimitV2"]>;
/** An active lease on global concurrency limits. */
export interface LeaseEntity extends Entity {
  /** Every limit named at acquisition, inactive ones included, as the server records them. */
  limit_ids: string[];
  slots: number;
  expires_at: string;
  /** When the slots were taken: a release reports the time held as occupancy. */
  created?: string;
  holder?: unknown;
}
export type AutomationEntity = Stored<Schemas["Automation"]>;
export type WebhookEntity = Stored<Schemas["Webhook"]>;
export type EventEntity = Stored<Record<string, unknown>>;

const byName = (entity: { name?: string | null }): string | undefined => entity.name ?? undefined;

export const flows = (ws: Workspace): Collection<FlowEntity> => ws.collection<FlowEntity>("flows", byName);
export const workPools = (ws: Workspace): Collection<WorkPoolEntity> => ws.collection<WorkPoolEntity>("work_pools", byName);
/** Work queues are unique per pool: key `pool_id/name`. */
export const workQueues = (ws: Workspace): Collection<WorkQueueEntity> =>
  ws.collection<WorkQueueEntity>("work_queues", (queue) => `${queue.work_pool_id ?? ""}/${queue.name}`);
/** Deployments are unique per flow: key `flow_id/name`. */
export const deployments = (ws: Workspace): Collection<DeploymentEntity> =>
  ws.collection<DeploymentEntity>("deployments", (deployment) => `${deployment.flow_id}/${deployment.name}`);
/** Flow runs have no unique key (an idempotency key is unique per flow: looked up by scan). */
export const flowRuns = (ws: Workspace): Collection<FlowRunEntity> => ws.collection<FlowRunEntity>("flow_runs");
export const blockTypes = (ws: Workspace): Collection<BlockTypeEntity> => ws.collection<BlockTypeEntity>("block_types", (type) => type.slug);
export const blockSchemas = (ws: Workspace): Collection<BlockSchemaEntity> =>
  ws.collection<BlockSchemaEntity>("block_schemas", (schema) => `${schema.checksum}/${schema.version ?? ""}`);
/** Named block documents are unique per block type: key `block_type_id/name`. Anonymous ones have no key. */
export const blockDocuments = (ws: Workspace): Collection<BlockDocumentEntity> =>
  ws.collection<BlockDocumentEntity>("block_documents", (document) =>
    document.name && !document.is_anonymous ? `${document.block_type_id}/${document.name}` : undefined,
  );
export const variables = (ws: Workspace): Collection<VariableEntity> => ws.collection<VariableEntity>("variables", byName);
export const concurrencyLimits = (ws: Workspace): Collection<ConcurrencyLimitEntity> =>
  ws.collection<ConcurrencyLimitEntity>("concurrency_limits_v2", byName);
export const leases = (ws: Workspace): Collection<LeaseEntity> => ws.collection<LeaseEntity>("concurrency_leases");
/** Automations have no unique name: every POST creates one. */
export const automations = (ws: Workspace): Collection<AutomationEntity> => ws.collection<AutomationEntity>("automations");
/** Webhooks are found by their slug (unique across the server, as the public endpoint needs). */
export const webhooks = (ws: Workspace): Collection<WebhookEntity> => ws.collection<WebhookEntity>("webhooks", (hook) => hook.slug);
export const events = (ws: Workspace): Collection<EventEntity> => ws.collection<EventEntity>("events");
