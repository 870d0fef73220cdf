// The action lists of prefect_automation (`actions`, `actions_on_trigger`, `actions_on_resolve`).
// The official provider flattens every action type into one object with `type` and the union
// of all types' attributes; which attributes a type needs or takes is checked here instead.
import type { z } from "zod";
import { attr, oneOf } from "../attributes.js";
import { isObject } from "../compare.js";
import type { SpecIssue } from "../kind.js";

/** One action, flattened: `type` plus whichever attributes that type takes. */
export interface ActionSpec {
  type: string;
  source?: string;
  automation_id?: string;
  block_document_id?: string;
  deployment_id?: string;
  work_pool_id?: string;
  work_queue_id?: string;
  schedule_id?: string;
  emails?: string[];
  parameters: Record<string, unknown>;
  job_variables: Record<string, unknown>;
  subject?: string;
  body?: string;
  payload?: string;
  name?: string;
  state?: string;
  message?: string;
}

/** The attribute naming the object an action acts on, when its source is "selected". */
export type ActionTarget = "deployment_id" | "work_queue_id" | "work_pool_id" | "automation_id";

interface ActionRule {
  /** Actions on a selected or inferred object: the attribute holding the selected one's id. */
  target?: ActionTarget;
  /** Attributes the type takes besides `type`, `source` and the target. */
  takes: (keyof ActionSpec)[];
  /** Attributes the API requires for the type. */
  requires?: (keyof ActionSpec)[];
}

/** Every action type of the Prefect API (its `actions` union), with what each takes. */
export const ACTION_RULES: Readonly<Record<string, ActionRule>> = {
  "do-nothing": { takes: [] },
  "run-deployment": { target: "deployment_id", takes: ["parameters", "job_variables"] },
  "pause-deployment": { target: "deployment_id", takes: [] },
  "resume-deployment": { target: "deployment_id", takes: [] },
  "cancel-flow-run": { takes: [] },
  "delete-flow-run": { takes: [] },
  "change-flow-run-state": { takes: ["state", "name", "message"], requires: ["state"] },
  "pause-work-queue": { target: "work_queue_id", takes: [] },
  "resume-work-queue": { target: "work_queue_id", takes: [] },
  "send-notification": { takes: ["block_document_id", "subject", "body"], requires: ["block_document_id", "body"] },
  "call-webhook": { takes: ["block_document_id", "payload"], requires: ["block_document_id"] },
  "pause-automation": { target: "automation_id", takes: [] },
  "resume-automation": { target: "automation_id", takes: [] },
  "suspend-flow-run": { takes: [] },
  "resume-flow-run": { takes: [] },
  "pause-work-pool": { target: "work_pool_id", takes: [] },
  "resume-work-pool": { target: "work_pool_id", takes: [] },
};

/** The values `type` accepts. */
export const ACTION_TYPES = Object.keys(ACTION_RULES);
/** "selected": the object whose id the action names; "inferred": the one the triggering event is about. */
export const ACTION_SOURCES = ["selected", "inferred"] as const;
/**
 * The API's default source for actions on a selected or inferred object (filled in answers:
 * client-suite #2583); a "selected" one without its id answers 422 (scenarios.jsonl "auto bad
 * action"), an "inferred" one reads back with the id null (client-suite #2587).
 */
export const DEFAULT_SOURCE = "selected";
/** Prefect's `StateType`: the states change-flow-run-state may set. */
export const STATE_TYPES = ["SCHEDULED", "PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED", "CRASHED", "PAUSED", "CANCELLING"] as const;
/** The API's default subject of send-notification (client-suite #2615). */
export const DEFAULT_SUBJECT = "Prefect automated notification";
/** The API's default payload of call-webhook (client-suite #2623). */
export const DEFAULT_PAYLOAD = "";

/** An undeclared value that the API fills with a default compares equal to that default. */
const withDefault =
  (fallback: unknown) =>
  (declared: unknown, live: unknown): boolean =>
    (declared ?? fallback) === (live ?? fallback);

const id = (description: string, references?: string) => attr.string({ description, optional: true, format: "uuid", references });

function actionAttributes(): Record<string, z.ZodType> {
  return {
    type: attr.string({ description: `The action: ${ACTION_TYPES.join(", ")}.`, required: true, check: oneOf("an action type", ACTION_TYPES) }),
    source: attr.string({
      description: '(Deployment, work queue, work pool and automation actions) "selected" acts on the object whose id is given, "inferred" on the one the triggering event is about. Prefect\'s default is "selected".',
      optional: true,
      check: oneOf("a source", ACTION_SOURCES),
      compare: withDefault(DEFAULT_SOURCE),
    }),
    automation_id: id("(Automation actions) The id of the automation to pause or resume.", "prefect_automation.id"),
    block_document_id: attr.string({
      description: "(send-notification, call-webhook) The id of the notification or webhook block document.",
      optional: true,
      computed: true,
      format: "uuid",
      references: "prefect_block.id",
    }),
    body: attr.string({ description: "(send-notification) The notification's text (a Jinja template).", optional: true }),
    deployment_id: id("(Deployment actions) The id of the deployment.", "prefect_deployment.id"),
    emails: attr.stringList({ description: "Email addresses (not taken by any action type of the open-source API).", optional: true }),
    job_variables: attr.json({
      description: "(run-deployment) Job variables for the flow run, as a JSON object; empty uses the deployment's.",
      optional: true,
      computed: true,
      default: {},
    }),
    message: attr.string({ description: "(change-flow-run-state) A message for the state change.", optional: true }),
    name: attr.string({ description: "(change-flow-run-state) The name of the new state.", optional: true }),
    parameters: attr.json({
      description: "(run-deployment) Parameters for the flow run, as a JSON object; empty uses the deployment's.",
      optional: true,
      computed: true,
      default: {},
    }),
    payload: attr.string({
      description: "(call-webhook) The payload to send (a Jinja template). Prefect's default is empty.",
      optional: true,
      compare: withDefault(DEFAULT_PAYLOAD),
    }),
    schedule_id: id("The id of a deployment schedule (not taken by any action type of the open-source API)."),
    state: attr.string({
      description: `(change-flow-run-state) The type of the new state: ${STATE_TYPES.join(", ")}.`,
      optional: true,
      check: oneOf("a state type", STATE_TYPES),
    }),
    subject: attr.string({
      description: `(send-notification) The notification's subject (a Jinja template). Prefect's default is "${DEFAULT_SUBJECT}".`,
      optional: true,
      compare: withDefault(DEFAULT_SUBJECT),
    }),
    work_pool_id: id("(Work pool actions) The id of the work pool.", "prefect_work_pool.id"),
    work_queue_id: id("(Work queue actions) The id of the work queue.", "prefect_work_queue.id"),
  };
}

/** One of the action list attributes. */
export function actionsAttribute(description: string): z.ZodType {
  return attr.objectList(actionAttributes(), { description, optional: true, computed: true, default: [] });
}

/** `{}`: what `parameters` and `job_variables` hold when not declared. */
export const isEmptyDocument = (value: unknown): boolean => isObject(value) && Object.keys(value).length === 0;

/** What a target attribute names, for messages. */
const TARGET_NOUN: Record<ActionTarget, string> = {
  deployment_id: "deployment",
  work_queue_id: "work queue",
  work_pool_id: "work pool",
  automation_id: "automation",
};

/** Rules across one action's attributes: what its type needs and what it does not take. */
export function checkAction(action: ActionSpec, path: (string | number)[]): SpecIssue[] {
  const rule = ACTION_RULES[action.type];
  if (!rule) return [];
  const issues: SpecIssue[] = [];
  const takes = new Set<string>(["type", ...rule.takes, ...(rule.target ? ["source", rule.target] : [])]);
  const record = action as unknown as Record<string, unknown>;
  for (const [name, value] of Object.entries(record)) {
    if (value === undefined || takes.has(name)) continue;
    // Every action carries these two, filled with `{}` when not declared.
    if ((name === "parameters" || name === "job_variables") && isEmptyDocument(value)) continue;
    issues.push({
      path: [...path, name],
      message: `${JSON.stringify(value)} is not taken by a "${action.type}" action; it takes ${[...takes].join(", ")}: remove ${name}`,
    });
  }
  for (const name of rule.requires ?? []) {
    if (record[name] === undefined) issues.push({ path: [...path, name], message: `is required for a "${action.type}" action` });
  }
  if (rule.target) {
    const source = action.source ?? DEFAULT_SOURCE;
    const noun = TARGET_NOUN[rule.target];
    const target = action[rule.target];
    if (source === "selected" && target === undefined) {
      issues.push({
        path: [...path, rule.target],
        message: `is required for a "${action.type}" action with source "selected" (the default): set the ${noun}'s id, or use source "inferred" to act on the ${noun} of the triggering event`,
      });
    } else if (source === "inferred" && target !== undefined) {
      issues.push({
        path: [...path, rule.target],
        message: `"${target}" cannot be set with source "inferred" (the ${noun} comes from the triggering event): remove it, or use source "selected"`,
      });
    }
  }
  return issues;
}

/** Rules across the attributes of every action of a list. */
export function checkActions(actions: ActionSpec[], path: (string | number)[]): SpecIssue[] {
  return actions.flatMap((action, index) => checkAction(action, [...path, index]));
}
