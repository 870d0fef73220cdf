// The construct library: L2 constructs for every Prefect object, the builders they take, and
// the CDK classes an app needs (through the seam in cdk.ts). Re-exports only.
export { App, Construct, Fn, TerraformOutput, TerraformStack, TerraformVariable, Testing, Token } from "./cdk.js";
export type { JsonObject } from "./constructs/json.js";
export { PrefectProvider, type PrefectProviderProps } from "./constructs/provider.js";
export type { IAutomation, IBlock, IDeployment, IFlow, IGlobalConcurrencyLimit, IWorkPool, IWorkQueue } from "./constructs/refs.js";
export { WorkPool, type WorkPoolAttributes, type WorkPoolProps } from "./kinds/work-pool/construct.js";
export { WorkQueue, type WorkQueueOptions, type WorkQueueProps } from "./kinds/work-queue/construct.js";
export { Flow, type FlowAttributes, type FlowProps } from "./kinds/flow/construct.js";
export {
  CollisionStrategy,
  Deployment,
  PullStep,
  type AzureBlobPullOptions,
  type BucketPullOptions,
  type DeploymentAttributes,
  type DeploymentProps,
  type GitCloneOptions,
  type PipInstallRequirementsOptions,
  type PullStepOptions,
  type RunShellScriptOptions,
  type StepCredentials,
} from "./kinds/deployment/construct.js";
export {
  DeploymentSchedule,
  Schedule,
  type CronScheduleOptions,
  type DeploymentScheduleProps,
  type IntervalScheduleOptions,
  type ScheduleAttributes,
  type ScheduleOptions,
} from "./kinds/deployment-schedule/construct.js";
export { SecretValue, type SecretFromEnvironmentOptions } from "./constructs/secret-value.js";
export type { DurationLike, DurationParts } from "./constructs/duration.js";
export {
  Action,
  Trigger,
  type ActionTarget,
  type CallWebhookOptions,
  type ChangeFlowRunStateOptions,
  type CompoundTriggerOptions,
  type EventTriggerOptions,
  type FlowRunStateName,
  type FlowRunStateTriggerOptions,
  type MetricName,
  type MetricOperator,
  type MetricTriggerOptions,
  type Posture,
  type ResourceSpecification,
  type RunDeploymentOptions,
  type SendNotificationOptions,
  type SequenceTriggerOptions,
  type StateType,
} from "./kinds/automation/builders.js";
export { Automation, type AutomationProps } from "./kinds/automation/construct.js";
export {
  Block,
  type BlockAttributes,
  type BlockData,
  type BlockOfProps,
  type BlockProps,
  type CustomWebhookBlockProps,
  type HttpMethod,
  type NotifyType,
  type SecretBlockProps,
  type SlackWebhookBlockProps,
  type WebhookBlockProps,
} from "./kinds/block/construct.js";
export { Variable, type VariableProps } from "./kinds/variable/construct.js";
export { GlobalConcurrencyLimit, type GlobalConcurrencyLimitAttributes, type GlobalConcurrencyLimitProps } from "./kinds/global-concurrency-limit/construct.js";
export { Webhook, type WebhookProps } from "./kinds/webhook/construct.js";
