// What one construct needs to know about another: the interfaces L2 constructs implement and
// accept, so that a reference becomes a Terraform reference (and an ordering edge) when the
// object is managed in the stack, and a plain value when it is managed elsewhere
// (`Xxx.fromXxxName(...)` / `Xxx.fromXxxId(...)`). Values may be CDK tokens.

/** A work pool: deployments and queues refer to it by name; automations by id. */
export interface IWorkPool {
  readonly workPoolName: string;
  /** Undefined for a pool referenced by name only (automations need the id). */
  readonly workPoolId?: string;
}

/** A work queue of a pool. */
export interface IWorkQueue {
  readonly workPoolName: string;
  readonly workQueueName: string;
  readonly workQueueId?: string;
}

/** A flow: deployments refer to it by id. */
export interface IFlow {
  readonly flowId: string;
  readonly flowName: string;
}

/** A deployment: schedules, triggers and actions refer to it by id. */
export interface IDeployment {
  readonly deploymentId: string;
  readonly deploymentName: string;
}

/** A block document: notification and webhook actions refer to it by id. */
export interface IBlock {
  readonly blockDocumentId: string;
  readonly blockName: string;
  readonly typeSlug: string;
}

/** An automation: pause/resume-automation actions refer to it by id. */
export interface IAutomation {
  readonly automationId: string;
}

/** A global concurrency limit: deployments may share one by id. */
export interface IGlobalConcurrencyLimit {
  readonly limitId: string;
  readonly limitName: string;
}
