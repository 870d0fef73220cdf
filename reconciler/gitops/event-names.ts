// The GitHub events `reconcile --event` takes, apart from the payload parsing so that the
// command line can list them without loading it.
export const EVENT_NAMES = ["pull_request", "issue_comment", "push", "schedule", "workflow_dispatch"] as const;
export type EventName = (typeof EVENT_NAMES)[number];
