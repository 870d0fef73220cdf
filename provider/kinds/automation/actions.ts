// Actions between the official provider's flattened shape (`type` plus the union of every
// type's attributes) and the API's, where each type has its own model and fields.
import type { components } from "../../../contract/wire.gen.js";
import { ACTION_RULES, isEmptyDocument, type ActionSpec } from "./action-attributes.js";

/** An action as the API takes it. */
export type ActionInput = components["schemas"]["AutomationCreate"]["actions"][number];
/** An action as the API answers with it. */
export type ActionOutput = components["schemas"]["Automation"]["actions"][number];

/**
 * The API's action for a declared one: only the fields its type takes. Empty `parameters` and
 * `job_variables` are sent as null ("use the deployment's"), as the official provider sends
 * them, so an automation reads the same whichever provider wrote it.
 */
export function actionToApi(action: ActionSpec): ActionInput {
  const rule = ACTION_RULES[action.type];
  const body: Record<string, unknown> = { type: action.type };
  if (rule?.target) {
    if (action.source !== undefined) body.source = action.source;
    if (action[rule.target] !== undefined) body[rule.target] = action[rule.target];
  }
  for (const name of rule?.takes ?? []) {
    const value = action[name];
    if (value === undefined) continue;
    if (name === "parameters" || name === "job_variables") body[name] = isEmptyDocument(value) ? null : value;
    else body[name] = value;
  }
  return body as ActionInput;
}

const STRING_FIELDS = [
  "source",
  "automation_id",
  "block_document_id",
  "deployment_id",
  "work_pool_id",
  "work_queue_id",
  "subject",
  "body",
  "payload",
  "name",
  "state",
  "message",
] as const satisfies readonly (keyof ActionSpec)[];

/**
 * A live action in the declared shape. Fields the server adds that the official provider has
 * no attribute for (`force`, `schedule_after`) are left out; `parameters` and `job_variables`
 * are `{}` when the server has none, as declarations default them. A run-deployment action
 * reads back with its `source`, `job_variables: null` and `schedule_after: 0.0` filled
 * (scenarios.jsonl "auto run-deployment action").
 */
export function actionToSpec(live: ActionOutput): ActionSpec {
  const record = live as Record<string, unknown>;
  const spec: ActionSpec = {
    type: live.type,
    parameters: (record.parameters ?? {}) as Record<string, unknown>,
    job_variables: (record.job_variables ?? {}) as Record<string, unknown>,
  };
  for (const name of STRING_FIELDS) {
    const value = record[name];
    if (typeof value === "string") spec[name] = value;
  }
  return spec;
}
