// prefect_automation: a trigger (event, metric, compound or sequence) and the actions it fires.
// Automations have no natural key: Prefect lets any number share a name, so the engine finds
// them through its inventory by id, never by name.
import { attr, objectAttributes } from "../attributes.js";
import type { KindSchema, SpecIssue } from "../kind.js";
import { actionsAttribute, checkActions, type ActionSpec } from "./action-attributes.js";
import { checkTrigger, triggerAttribute, type TriggerSpec } from "./trigger-attributes.js";

export type { ActionSpec } from "./action-attributes.js";
export type { TriggerSpec } from "./trigger-attributes.js";

/** A declared prefect_automation, after parsing (defaults filled, JSON parsed, sets sorted). */
export interface AutomationSpec {
  [key: string]: unknown;
  id?: string;
  created?: string;
  updated?: string;
  account_id?: string;
  workspace_id?: string;
  name: string;
  description: string;
  enabled: boolean;
  trigger: TriggerSpec;
  actions: ActionSpec[];
  actions_on_trigger: ActionSpec[];
  actions_on_resolve: ActionSpec[];
}

/** The action list attributes, in the order Prefect runs them. */
export const ACTION_LISTS = ["actions", "actions_on_trigger", "actions_on_resolve"] as const;

/** The prefect_automation schema: the official provider's attributes, their facts and cross-attribute rules. */
export const automationSchema: KindSchema<AutomationSpec> = {
  type: "prefect_automation",
  title: "automation",
  noun: "automation",
  description:
    "A Prefect automation: a trigger (events seen or missing, a metric query, or a compound or sequence of those) and the actions it runs when it fires or resolves.",
  version: 0,
  attributes: {
    ...objectAttributes(),
    name: attr.string({
      description: "The automation's name (Prefect does not require it to be unique).",
      required: true,
      check: (name) => (name.trim() === "" ? `is ${JSON.stringify(name)}; give the automation a name that is not blank` : undefined),
    }),
    description: attr.string({ description: "A longer description of the automation.", optional: true, computed: true, default: "" }),
    enabled: attr.bool({ description: "Whether Prefect evaluates the automation.", optional: true, computed: true, default: true }),
    trigger: triggerAttribute(),
    actions: actionsAttribute("The actions to run when the automation triggers."),
    actions_on_trigger: actionsAttribute("The actions to run when the automation enters the triggered state."),
    actions_on_resolve: actionsAttribute("The actions to run when the automation enters the resolved state."),
  },
  identity: () => undefined,
  label: (spec) => `automation "${spec.name}"`,
  check: (spec): SpecIssue[] => [...checkTrigger(spec.trigger, ["trigger"]), ...ACTION_LISTS.flatMap((list) => checkActions(spec[list], [list]))],
};
