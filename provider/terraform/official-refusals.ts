// Declarations both providers' schemas accept but only prefect-gitops can apply: the official
// prefecthq/prefect provider (v3.4.1) fails on them at apply time, or applies them and then
// fails with "Provider produced inconsistent result after apply". Kept next to the schema
// differences (schema-differences.ts): those are what the schemas disagree on, these are what
// the official provider's code refuses. Each entry cites that code; the constructs warn at synth
// on a declaration listed here, and a test keeps every example free of them.
import { DEFAULT_QUEUE_NAME } from "../kinds/work-queue/schema.js";

/** A declaration the official provider cannot apply. */
export interface OfficialRefusal {
  /** A stable name for the refusal. */
  readonly code: string;
  /** The resource type (`prefect_work_queue`). */
  readonly type: string;
  /** The attribute whose value makes the declaration one the official provider refuses. */
  readonly attribute: string;
  /** What happens with the official provider, and why prefect-gitops applies it. */
  readonly refused: string;
  /** What to declare instead, for a configuration both tools apply. */
  readonly instead: string;
  /** Where the official provider's code shows it (v3.4.1, file and function). */
  readonly source: string;
  /** Whether a resource's Terraform attributes (as written: snake_case, `${...}` for references) declare it. */
  readonly declaredBy: (attributes: Readonly<Record<string, unknown>>) => boolean;
}

export const OFFICIAL_REFUSALS: readonly OfficialRefusal[] = [
  {
    code: "work-queue-default",
    type: "prefect_work_queue",
    attribute: "name",
    refused:
      `Prefect makes a queue named "${DEFAULT_QUEUE_NAME}" with every work pool. prefect-gitops adopts it; the official provider ` +
      "creates every declared queue (POST /work_pools/{pool}/queues/), which Prefect answers with 409 Conflict (\"A work queue " +
      "with this name already exists\"), and a destroy would fail too: Prefect never deletes a pool's default queue.",
    instead:
      `declare the queues your deployments use under other names and leave the pool's "${DEFAULT_QUEUE_NAME}" queue undeclared ` +
      "(deployments that name no queue still go to it; its settings are the pool's own defaults)",
    // Create sends WorkQueueCreate through client.Create whatever the name; no lookup, no adoption.
    source: "internal/provider/resources/work_queue.go, WorkQueueResource.Create",
    declaredBy: (attributes) => attributes.name === DEFAULT_QUEUE_NAME,
  },
  {
    code: "deployment-schedule-day-or-false",
    type: "prefect_deployment_schedule",
    attribute: "day_or",
    refused:
      "The official provider leaves day_or out of the request when it is false (the field is omitempty), so Prefect keeps its " +
      "default, true, and the provider writes true to state where the plan said false: Terraform stops with \"Provider produced " +
      "inconsistent result after apply\". prefect-gitops sends false.",
    instead:
      "write the schedule as an rrule (its BYMONTHDAY and BYDAY must both match, as a cron's two day fields with day_or false), " +
      "or restrict only one of the cron's two day fields and leave day_or unset",
    // Schedule.DayOr is `json:"day_or,omitempty"`; copyScheduleModelToResourceModel copies the server's value back.
    source: "internal/api/deployments_schedule.go, type Schedule; internal/provider/resources/deployment_schedule.go, DeploymentScheduleResource.Create",
    declaredBy: (attributes) => attributes.day_or === false,
  },
];

/** A refusal found in a declaration. */
export interface RefusalFinding {
  readonly refusal: OfficialRefusal;
  /** The declared value that triggers it. */
  readonly value: unknown;
}

/** The listed refusals a resource of `type` with these Terraform attributes declares. */
export function officialRefusalsOf(type: string, attributes: Readonly<Record<string, unknown>>): RefusalFinding[] {
  return OFFICIAL_REFUSALS.filter((refusal) => refusal.type === type && refusal.declaredBy(attributes)).map((refusal) => ({
    refusal,
    value: attributes[refusal.attribute],
  }));
}

/** One line saying what the official provider does with a finding and what to do instead. */
export function describeRefusal(finding: RefusalFinding): string {
  const { refusal, value } = finding;
  return `${refusal.type}.${refusal.attribute} = ${JSON.stringify(value)} applies with prefect-gitops only. ${refusal.refused} For a configuration the official prefecthq/prefect provider applies too, ${refusal.instead}.`;
}
