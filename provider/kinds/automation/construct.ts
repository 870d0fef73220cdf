// The Automation construct: a trigger and the actions it runs, built with the Trigger and Action
// builders. References to deployments, pools, queues, blocks and other automations become
// Terraform references (ids inside JSON documents through jsonencode), so the engine orders
// the automation after what it names.
import { Construct } from "../../cdk.js";
import { camel, propProblems } from "../../constructs/prop-problems.js";
import type { IAutomation } from "../../constructs/refs.js";
import { jsonAttribute, validateAtSynth } from "../../constructs/support.js";
import {
  Automation as AutomationL1,
  type AutomationActions,
  type AutomationTrigger,
  type AutomationTriggerCompoundTriggers,
  type AutomationTriggerEvent,
  type AutomationTriggerMetric,
} from "../../generated/prefect/automation/index.js";
import { actionDeclaration, triggerDeclaration, type Action, type Trigger } from "./builders.js";
import { automationSchema } from "./schema.js";

/** Properties of an {@link Automation}. */
export interface AutomationProps {
  /** The automation's name (Prefect does not require it to be unique). */
  readonly name: string;

  /**
   * A longer description of the automation.
   *
   * @default ""
   */
  readonly description?: string;

  /**
   * Whether Prefect evaluates the automation.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /** What the automation reacts to: `Trigger.flowRunState(...)`, `Trigger.event(...)`, ... */
  readonly trigger: Trigger;

  /**
   * The actions to run when the automation fires. More can be added with {@link Automation.addAction}.
   *
   * @default - none
   */
  readonly actions?: readonly Action[];

  /**
   * The actions to run when the automation enters the triggered state.
   *
   * @default - none
   */
  readonly actionsOnTrigger?: readonly Action[];

  /**
   * The actions to run when the automation enters the resolved state (the condition no longer holds).
   *
   * @default - none
   */
  readonly actionsOnResolve?: readonly Action[];
}

type Json = Record<string, unknown>;

function eventToL1(event: Json): AutomationTriggerEvent {
  return {
    posture: event.posture as string,
    expect: event.expect as string[] | undefined,
    after: event.after as string[] | undefined,
    forEach: event.for_each as string[] | undefined,
    match: jsonAttribute(event.match),
    matchRelated: jsonAttribute(event.match_related),
    threshold: event.threshold as number | undefined,
    within: event.within as number | undefined,
  };
}

function metricToL1(metric: Json): AutomationTriggerMetric {
  const query = metric.metric as Json;
  return {
    match: jsonAttribute(metric.match),
    matchRelated: jsonAttribute(metric.match_related),
    metric: {
      name: query.name as string,
      operator: query.operator as string,
      threshold: query.threshold as number,
      range: query.range as number,
      firingFor: query.firing_for as number,
    },
  };
}

function resourceToL1(trigger: Json): AutomationTriggerCompoundTriggers {
  return {
    event: trigger.event ? eventToL1(trigger.event as Json) : undefined,
    metric: trigger.metric ? metricToL1(trigger.metric as Json) : undefined,
  };
}

function triggerToL1(trigger: Json): AutomationTrigger {
  const composite = (trigger.compound ?? trigger.sequence) as Json | undefined;
  if (!composite) return resourceToL1(trigger);
  const body = { triggers: (composite.triggers as Json[]).map(resourceToL1), within: composite.within as number | undefined };
  // `require` is a Terraform dynamic value, which the bindings type as a map: the real value
  // (a number, "any" or "all") is written by an override (see the constructor).
  return trigger.compound ? { compound: { ...body, require: {} } } : { sequence: body };
}

function actionToL1(action: Json): AutomationActions {
  return {
    type: action.type as string,
    source: action.source as string | undefined,
    deploymentId: action.deployment_id as string | undefined,
    workPoolId: action.work_pool_id as string | undefined,
    workQueueId: action.work_queue_id as string | undefined,
    automationId: action.automation_id as string | undefined,
    blockDocumentId: action.block_document_id as string | undefined,
    parameters: jsonAttribute(action.parameters),
    jobVariables: jsonAttribute(action.job_variables),
    subject: action.subject as string | undefined,
    body: action.body as string | undefined,
    payload: action.payload as string | undefined,
    name: action.name as string | undefined,
    state: action.state as string | undefined,
    message: action.message as string | undefined,
  };
}

/**
 * A Prefect automation: a trigger and the actions it runs when it fires (and, optionally, when
 * it enters the triggered or resolved state).
 *
 * @example
 * new Automation(stack, "nightly-failed", {
 *   name: "nightly failed",
 *   trigger: Trigger.flowRunState(nightly, ["Failed", "Crashed"]),
 *   actions: [
 *     Action.sendNotification(slack, { subject: "Nightly failed", body: "{{ flow_run.name }} is {{ flow_run.state.name }}" }),
 *     Action.runDeployment(cleanup, { parameters: { failed_run: "{{ event.resource.id }}" } }),
 *   ],
 * });
 */
export class Automation extends Construct implements IAutomation {
  /**
   * An automation managed elsewhere, by id (for pause/resume-automation actions). There are no
   * data sources in the engine: an automation not declared in this stack is known by its id
   * only (from the UI or `prefect automation ls`).
   *
   * @example
   * const other = Automation.fromAutomationId(this, "Other", "6b1f4f0e-2d7c-4c1b-9a55-3e8f5b0c2d11");
   * Action.pauseAutomation(other);
   */
  public static fromAutomationId(scope: Construct, id: string, automationId: string): IAutomation {
    class Import extends Construct implements IAutomation {
      public readonly automationId = automationId;
    }
    return new Import(scope, id);
  }

  /** The automation's id: a reference (`${prefect_automation.<id>.id}`), known once it exists. */
  public readonly automationId: string;

  /** The automation's name: a reference to the declared name. */
  public readonly automationName: string;

  private readonly resource: AutomationL1;
  private readonly lists: Record<"actions" | "actions_on_trigger" | "actions_on_resolve", Action[]>;

  constructor(scope: Construct, id: string, props: AutomationProps) {
    super(scope, id);
    const trigger = triggerDeclaration(props.trigger);
    this.lists = { actions: [...(props.actions ?? [])], actions_on_trigger: [...(props.actionsOnTrigger ?? [])], actions_on_resolve: [...(props.actionsOnResolve ?? [])] };
    // Named "Default" so that the Terraform address is the construct's own (prefect_automation.<id>)
    // and the resource is node.defaultChild, the escape hatch.
    this.resource = new AutomationL1(this, "Default", {
      name: props.name,
      description: props.description,
      enabled: props.enabled,
      trigger: triggerToL1(trigger.attributes),
    });
    const compound = trigger.attributes.compound as Json | undefined;
    if (compound) this.resource.addOverride("trigger.compound.require", compound.require);
    this.writeActions();
    this.automationId = this.resource.id;
    this.automationName = this.resource.name;

    validateAtSynth(this, () => {
      const problems = [...trigger.problems];
      const lists: Json = {};
      for (const [list, actions] of Object.entries(this.lists)) {
        if (!actions.length) continue;
        lists[list] = actions.map((action, index) => {
          const declared = actionDeclaration(action, `${camel(list)}[${index}]`);
          problems.push(...declared.problems);
          return declared.attributes;
        });
      }
      const attributes = { name: props.name, description: props.description, enabled: props.enabled, trigger: trigger.attributes, ...lists };
      // A builder that reported on a prop said more than the kind can (why the id is missing),
      // so the kind's message on the same prop is left out.
      const reported = new Set(problems.map(pathOf));
      return [...problems, ...propProblems(automationSchema, attributes).filter((problem) => !reported.has(pathOf(problem)))];
    });
  }

  /**
   * Add actions to run when the automation fires.
   *
   * @example
   * automation.addAction(Action.pauseWorkPool(pool));
   */
  public addAction(...actions: Action[]): void {
    this.lists.actions.push(...actions);
    this.writeActions();
  }

  /** Add actions to run when the automation enters the triggered state. */
  public addActionOnTrigger(...actions: Action[]): void {
    this.lists.actions_on_trigger.push(...actions);
    this.writeActions();
  }

  /** Add actions to run when the automation enters the resolved state. */
  public addActionOnResolve(...actions: Action[]): void {
    this.lists.actions_on_resolve.push(...actions);
    this.writeActions();
  }

  private writeActions(): void {
    const rendered = (list: keyof typeof this.lists) => this.lists[list].map((action) => actionToL1(actionDeclaration(action, list).attributes));
    if (this.lists.actions.length) this.resource.putActions(rendered("actions"));
    if (this.lists.actions_on_trigger.length) this.resource.putActionsOnTrigger(rendered("actions_on_trigger"));
    if (this.lists.actions_on_resolve.length) this.resource.putActionsOnResolve(rendered("actions_on_resolve"));
  }
}

const pathOf = (problem: string): string => problem.slice(0, Math.max(0, problem.indexOf(": ")));
