// The typed builders an Automation takes: Trigger.event/metric/compound/sequence (and shorthands
// such as Trigger.flowRunState) and Action.runDeployment/pauseWorkPool/sendNotification/...
// Each builds the official provider's attributes (snake_case, durations in seconds), values
// possibly CDK tokens; the Automation validates them with the kind's rules and writes them out.
// Problems a builder alone can see (a duration unit that does not exist, a composite inside a
// composite, an object known by name only where Prefect needs its id) travel with the value
// and are reported by the Automation that uses it, with the others, at synth.
import { parseDurationLike, type DurationLike } from "../../constructs/duration.js";
import type { IAutomation, IBlock, IDeployment, IWorkPool, IWorkQueue } from "../../constructs/refs.js";
import type { JsonObject } from "../../constructs/json.js";
import { isToken, jsonAttribute } from "../../constructs/support.js";
import { Block } from "../block/construct.js";
import type { METRIC_NAMES, METRIC_OPERATORS, POSTURES } from "./trigger-attributes.js";
import type { STATE_TYPES } from "./action-attributes.js";

/** Labels selecting resources: label -> a value or a list of values (trailing `*` wildcards allowed). */
export type ResourceSpecification = { readonly [label: string]: string | readonly string[] };

/** "Reactive" fires on the presence of the expected events, "Proactive" on their absence. */
export type Posture = (typeof POSTURES)[number];

/** Prefect Cloud's metric trigger queries. */
export type MetricName = (typeof METRIC_NAMES)[number];

/** How a metric compares with its threshold. */
export type MetricOperator = (typeof METRIC_OPERATORS)[number];

/** Prefect's state types, the states `Action.changeFlowRunState` may set. */
export type StateType = (typeof STATE_TYPES)[number];

/** Prefect's flow run state names. */
const KNOWN_STATES = ["Scheduled", "Late", "AwaitingRetry", "AwaitingConcurrencySlot", "Pending", "Running", "Retrying", "Paused", "Suspended", "Cancelling", "Cancelled", "Completed", "Cached", "RolledBack", "Failed", "Crashed", "TimedOut"] as const;

/**
 * A flow run state name, as it appears in Prefect's event names (`prefect.flow-run.<State>`).
 * Custom state names are accepted too.
 */
export type FlowRunStateName = (typeof KNOWN_STATES)[number] | (string & Record<never, never>);

/** Prefect's own block types that are not notification blocks (send-notification would fail when the automation fires). */
const NOT_NOTIFICATIONS = ["secret", "webhook", "json", "string", "date-time", "local-file-system"];

/** What a built value carries besides its attributes: problems, each with the prop path it concerns (relative to the value). */
interface Problem {
  readonly path: string;
  readonly message: string;
}

type Attributes = Record<string, unknown>;

/** A valid child trigger, standing in for one refused. */
const STAND_IN: Attributes = { event: { posture: "Reactive" } };

/** Seconds for a duration, or undefined with its problems recorded under `path`. */
function toSeconds(value: DurationLike | undefined, path: string, problems: Problem[]): number | undefined {
  if (value === undefined) return undefined;
  const duration = parseDurationLike(value);
  for (const message of duration.problems) problems.push({ path, message });
  return duration.problems.length ? undefined : duration.seconds;
}

/** A list given where one was expected: copied, so later changes to the caller's array do not leak in. */
const list = <T>(values: readonly T[] | undefined): T[] | undefined => (values === undefined ? undefined : [...values]);

// Built values keep their attributes here rather than in public members: the Automation reads
// them, users build them and pass them on.
const triggerState = new WeakMap<Trigger, { attributes: Attributes; problems: Problem[] }>();
const actionState = new WeakMap<Action, { attributes: Attributes; problems: Problem[] }>();

/** Options of {@link Trigger.event}. */
export interface EventTriggerOptions {
  /**
   * "Reactive" fires when the expected events are seen, "Proactive" when they are not seen
   * within `within`.
   *
   * @default "Reactive"
   */
  readonly posture?: Posture;

  /**
   * The events the trigger expects (`prefect.flow-run.Failed`; a trailing `*` matches many).
   *
   * @default - any event
   */
  readonly expect?: readonly string[];

  /**
   * Events that must be seen first before the trigger starts counting.
   *
   * @default - none: the trigger counts from the start
   */
  readonly after?: readonly string[];

  /**
   * Labels whose distinct values are evaluated separately, e.g. `["prefect.resource.id"]` to
   * count each flow run on its own.
   *
   * @default - all matching events count together
   */
  readonly forEach?: readonly string[];

  /**
   * Labels of the event's resource, e.g. `{ "prefect.resource.id": "prefect.flow-run.*" }`.
   *
   * @default - any resource
   */
  readonly match?: ResourceSpecification;

  /**
   * Labels of a related resource (one specification, or a list of which each must match), e.g.
   * `{ "prefect.resource.role": "deployment", "prefect.resource.id": "prefect.deployment.<id>" }`.
   *
   * @default - no condition on related resources
   */
  readonly matchRelated?: ResourceSpecification | readonly ResourceSpecification[];

  /**
   * How many events are needed to fire (Reactive) or expected (Proactive).
   *
   * @default 1
   */
  readonly threshold?: number;

  /**
   * The window over which the events must occur: seconds, or `{ minutes: 5 }`. At least 10
   * seconds for a Proactive trigger.
   *
   * @default - Prefect's: 0 (each event is judged alone), 10 seconds for a Proactive trigger
   */
  readonly within?: DurationLike;
}

/** Options of {@link Trigger.metric} (Prefect Cloud). */
export interface MetricTriggerOptions {
  /** The metric to query: "lateness", "duration" or "successes". */
  readonly metric: MetricName;

  /** How the metric compares with `threshold`. */
  readonly operator: MetricOperator;

  /** The value the metric is compared with. */
  readonly threshold: number;

  /**
   * The lookback window of the query (at least 5 minutes).
   *
   * @default { minutes: 5 }
   */
  readonly range?: DurationLike;

  /**
   * How long the condition must hold before the trigger fires or resolves (at least 5 minutes).
   *
   * @default { minutes: 5 }
   */
  readonly firingFor?: DurationLike;

  /**
   * Labels of the resources whose metric is queried.
   *
   * @default - any resource
   */
  readonly match?: ResourceSpecification;

  /**
   * Labels of a related resource, e.g. a deployment.
   *
   * @default - no condition on related resources
   */
  readonly matchRelated?: ResourceSpecification | readonly ResourceSpecification[];
}

/** Options of {@link Trigger.compound}. */
export interface CompoundTriggerOptions {
  /** The triggers: event or metric triggers (Prefect does not nest compound or sequence triggers). */
  readonly triggers: readonly Trigger[];

  /** How many of the triggers must fire: a number, "any" or "all". */
  readonly require: number | "any" | "all";

  /**
   * The window over which they must fire.
   *
   * @default - no window
   */
  readonly within?: DurationLike;
}

/** Options of {@link Trigger.sequence}. */
export interface SequenceTriggerOptions {
  /** The triggers, in the order they must fire: event or metric triggers. */
  readonly triggers: readonly Trigger[];

  /**
   * The window over which they must fire.
   *
   * @default - no window
   */
  readonly within?: DurationLike;
}

/** Options of {@link Trigger.flowRunState} and {@link Trigger.deploymentLate}. */
export interface FlowRunStateTriggerOptions {
  /**
   * "Reactive" fires when a flow run enters one of the states; "Proactive" when a flow run does
   * not enter one within `within`.
   *
   * @default "Reactive"
   */
  readonly posture?: Posture;

  /**
   * The window over which the state changes must occur (at least 10 seconds when Proactive).
   *
   * @default - Prefect's: 0 (each state change is judged alone), 10 seconds when Proactive
   */
  readonly within?: DurationLike;

  /**
   * How many state changes (of one flow run) are needed to fire.
   *
   * @default 1
   */
  readonly threshold?: number;
}

/**
 * What an automation reacts to: events seen or missing, a metric query (Prefect Cloud), or a
 * compound or sequence of those.
 *
 * @example
 * Trigger.flowRunState(nightly, ["Failed", "Crashed"]);
 * Trigger.event({ expect: ["shop.order.created"], match: { "prefect.resource.id": "shop.*" }, threshold: 10, within: { minutes: 5 } });
 * Trigger.compound({ require: "all", within: { hours: 1 }, triggers: [Trigger.flowRunState(extract, ["Completed"]), Trigger.flowRunState(load, ["Completed"])] });
 */
export class Trigger {
  /**
   * Fires on the presence (Reactive) or absence (Proactive) of events.
   *
   * @example
   * Trigger.event({ posture: "Proactive", expect: ["heartbeat.*"], match: { "prefect.resource.id": "sensor.1" }, within: { minutes: 10 } });
   */
  public static event(options: EventTriggerOptions = {}): Trigger {
    const problems: Problem[] = [];
    const within = toSeconds(options.within, "trigger.event.within", problems);
    return new Trigger("event", {
      event: {
        posture: options.posture ?? "Reactive",
        expect: list(options.expect),
        after: list(options.after),
        for_each: list(options.forEach),
        match: options.match,
        match_related: Array.isArray(options.matchRelated) ? list(options.matchRelated as readonly ResourceSpecification[]) : options.matchRelated,
        threshold: options.threshold,
        within,
      },
    }, problems);
  }

  /**
   * Fires on the result of a metric query (Prefect Cloud only).
   *
   * @example
   * Trigger.metric({ metric: "successes", operator: "<", threshold: 0.9, range: { hours: 1 }, matchRelated: { "prefect.resource.id": "prefect.deployment.*" } });
   */
  public static metric(options: MetricTriggerOptions): Trigger {
    const problems: Problem[] = [];
    const range = toSeconds(options.range ?? { minutes: 5 }, "trigger.metric.metric.range", problems);
    const firingFor = toSeconds(options.firingFor ?? { minutes: 5 }, "trigger.metric.metric.firingFor", problems);
    return new Trigger("metric", {
      metric: {
        match: options.match,
        match_related: Array.isArray(options.matchRelated) ? list(options.matchRelated as readonly ResourceSpecification[]) : options.matchRelated,
        metric: { name: options.metric, operator: options.operator, threshold: options.threshold, range, firing_for: firingFor },
      },
    }, problems);
  }

  /**
   * Fires when `require` of its triggers fire within `within`.
   *
   * @example
   * Trigger.compound({ require: 2, triggers: [a, b, c], within: { hours: 1 } });
   */
  public static compound(options: CompoundTriggerOptions): Trigger {
    return Trigger.composite("compound", options.triggers, options.within, { require: options.require });
  }

  /**
   * Fires when its triggers fire in order within `within`.
   *
   * @example
   * Trigger.sequence({ triggers: [Trigger.flowRunState(extract, ["Completed"]), Trigger.flowRunState(load, ["Failed"])], within: { hours: 2 } });
   */
  public static sequence(options: SequenceTriggerOptions): Trigger {
    return Trigger.composite("sequence", options.triggers, options.within, {});
  }

  /**
   * Fires when a flow run of the deployment (or of any of the deployments) enters one of the
   * states: Prefect's `prefect.flow-run.<State>` events whose related deployment is this one,
   * each flow run counted on its own.
   *
   * @example
   * Trigger.flowRunState(nightly, ["Failed", "Crashed"]);
   * Trigger.flowRunState([nightly, hourly], ["Completed"], { posture: "Proactive", within: { hours: 25 } });
   */
  public static flowRunState(deployment: IDeployment | readonly IDeployment[], states: readonly FlowRunStateName[], options: FlowRunStateTriggerOptions = {}): Trigger {
    const deployments: readonly IDeployment[] = Array.isArray(deployment) ? deployment : [deployment as IDeployment];
    const ids = deployments.map((item) => `prefect.deployment.${item.deploymentId}`);
    const trigger = Trigger.event({
      posture: options.posture,
      expect: states.map((state) => `prefect.flow-run.${state}`),
      match: { "prefect.resource.id": "prefect.flow-run.*" },
      matchRelated: { "prefect.resource.role": "deployment", "prefect.resource.id": ids.length === 1 ? (ids[0] as string) : ids },
      forEach: ["prefect.resource.id"],
      threshold: options.threshold,
      within: options.within,
    });
    const problems = triggerState.get(trigger)!.problems;
    if (deployments.length === 0) problems.push({ path: "trigger", message: "Trigger.flowRunState was given no deployment; give at least one (or use Trigger.event to match flow runs of any deployment)" });
    if (states.length === 0) problems.push({ path: "trigger", message: `Trigger.flowRunState was given no state; give at least one (e.g. ["Failed", "Crashed"])` });
    for (const state of states) {
      if (isToken(state)) continue;
      const known = KNOWN_STATES.find((name) => name.toLowerCase() === state.toLowerCase());
      if (state.trim() === "" || /\s|\./.test(state)) {
        problems.push({ path: "trigger", message: `${JSON.stringify(state)} is not a flow run state name; state names are single words such as ${KNOWN_STATES.slice(0, 4).join(", ")}` });
      } else if (known && known !== state) {
        problems.push({ path: "trigger", message: `"${state}" is not how Prefect spells the state in its events (names are case-sensitive): use "${known}"` });
      }
    }
    return trigger;
  }

  /**
   * Fires when a flow run of the deployment becomes Late (its scheduled start passed without
   * a worker picking it up): `Trigger.flowRunState(deployment, ["Late"], options)`.
   *
   * @example
   * Trigger.deploymentLate(nightly);
   */
  public static deploymentLate(deployment: IDeployment | readonly IDeployment[], options: FlowRunStateTriggerOptions = {}): Trigger {
    return Trigger.flowRunState(deployment, ["Late"], options);
  }

  private static composite(type: "compound" | "sequence", triggers: readonly Trigger[], within: DurationLike | undefined, extra: Attributes): Trigger {
    const problems: Problem[] = [];
    const children: Attributes[] = [];
    triggers.forEach((child, index) => {
      const state = triggerState.get(child);
      const path = `trigger.${type}.triggers[${index}]`;
      // A child refused here is replaced by a stand-in, so that the kind's rules on the list
      // (its length, `require`) still judge the list the user wrote.
      if (!state) {
        problems.push({ path, message: "is not a Trigger; build it with Trigger.event(...) or Trigger.metric(...)" });
        children.push(STAND_IN);
        return;
      }
      for (const problem of state.problems) problems.push({ path: problem.path.replace(/^trigger/, path), message: problem.message });
      if (child.type === "compound" || child.type === "sequence") {
        problems.push({ path, message: `is a ${child.type} trigger; Prefect nests only event and metric triggers in a ${type} trigger` });
        children.push(STAND_IN);
        return;
      }
      children.push(state.attributes);
    });
    const seconds = toSeconds(within, `trigger.${type}.within`, problems);
    return new Trigger(type, { [type]: { ...extra, triggers: children, within: seconds } }, problems);
  }

  private constructor(
    /** The kind of trigger. */
    public readonly type: "event" | "metric" | "compound" | "sequence",
    attributes: Attributes,
    problems: Problem[],
  ) {
    triggerState.set(this, { attributes, problems });
  }
}

/** Options of {@link Action.runDeployment}. */
export interface RunDeploymentOptions {
  /**
   * Parameters of the flow run. Values may be Jinja templates rendered from the triggering
   * event, e.g. `{ "order_id": "{{ event.resource.id }}" }`.
   *
   * @default - the deployment's parameters
   */
  readonly parameters?: JsonObject;

  /**
   * Job variables of the flow run (they fill the work pool's base job template).
   *
   * @default - the deployment's job variables
   */
  readonly jobVariables?: JsonObject;
}

/** Options of {@link Action.changeFlowRunState}. */
export interface ChangeFlowRunStateOptions {
  /** The type of the new state. */
  readonly state: StateType;

  /**
   * The new state's name.
   *
   * @default - the state type's usual name
   */
  readonly name?: string;

  /**
   * A message recorded with the state change.
   *
   * @default - no message
   */
  readonly message?: string;
}

/** Options of {@link Action.sendNotification}. */
export interface SendNotificationOptions {
  /** The notification's text: a Jinja template, e.g. `"{{ flow_run.name }} is {{ flow_run.state.name }}"`. */
  readonly body: string;

  /**
   * The notification's subject (a Jinja template).
   *
   * @default "Prefect automated notification"
   */
  readonly subject?: string;
}

/** Options of {@link Action.callWebhook}. */
export interface CallWebhookOptions {
  /**
   * What to send: a Jinja template string, or an object sent as JSON (its strings may be Jinja
   * templates).
   *
   * @default - an empty payload
   */
  readonly payload?: string | JsonObject;
}

/**
 * The object an action acts on: a given one, or `"inferred"`, the one the triggering event is
 * about (the deployment of the flow run that failed, ...).
 */
export type ActionTarget<T> = T | "inferred";

/**
 * What an automation does when it fires (or resolves): every action type of the Prefect API.
 *
 * @example
 * Action.runDeployment(cleanup, { parameters: { failed_run: "{{ event.resource.id }}" } });
 * Action.sendNotification(slack, { subject: "Nightly failed", body: "{{ flow_run.name }} is {{ flow_run.state.name }}" });
 * Action.pauseWorkPool(pool);
 * Action.cancelFlowRun();
 */
export class Action {
  /** Does nothing (an automation that only records that it fired). */
  public static doNothing(): Action {
    return new Action({ type: "do-nothing" });
  }

  /**
   * Runs a deployment, or with `"inferred"` the deployment of the triggering event's flow run.
   *
   * @example
   * Action.runDeployment(report, { parameters: { day: "{{ event.occurred.strftime('%Y-%m-%d') }}" } });
   * Action.runDeployment("inferred");
   */
  public static runDeployment(deployment: ActionTarget<IDeployment>, options: RunDeploymentOptions = {}): Action {
    return Action.targeted("run-deployment", "deployment_id", deployment === "inferred" ? "inferred" : deployment.deploymentId, {
      parameters: options.parameters,
      job_variables: options.jobVariables,
    });
  }

  /** Pauses a deployment's schedules (or the triggering event's deployment). */
  public static pauseDeployment(deployment: ActionTarget<IDeployment>): Action {
    return Action.targeted("pause-deployment", "deployment_id", deployment === "inferred" ? "inferred" : deployment.deploymentId);
  }

  /** Resumes a deployment's schedules (or the triggering event's deployment). */
  public static resumeDeployment(deployment: ActionTarget<IDeployment>): Action {
    return Action.targeted("resume-deployment", "deployment_id", deployment === "inferred" ? "inferred" : deployment.deploymentId);
  }

  /** Cancels the triggering event's flow run. */
  public static cancelFlowRun(): Action {
    return new Action({ type: "cancel-flow-run" });
  }

  /**
   * Sets the state of the triggering event's flow run.
   *
   * @example
   * Action.changeFlowRunState({ state: "FAILED", message: "Ran for more than an hour" });
   */
  public static changeFlowRunState(options: ChangeFlowRunStateOptions): Action {
    return new Action({ type: "change-flow-run-state", state: options.state, name: options.name, message: options.message });
  }

  /** Suspends the triggering event's flow run. */
  public static suspendFlowRun(): Action {
    return new Action({ type: "suspend-flow-run" });
  }

  /** Resumes the triggering event's (paused or suspended) flow run. */
  public static resumeFlowRun(): Action {
    return new Action({ type: "resume-flow-run" });
  }

  /** Deletes the triggering event's flow run. */
  public static deleteFlowRun(): Action {
    return new Action({ type: "delete-flow-run" });
  }

  /** Pauses a work queue (or the triggering event's queue). The queue's id is needed. */
  public static pauseWorkQueue(queue: ActionTarget<IWorkQueue>): Action {
    return Action.queueAction("pause-work-queue", queue);
  }

  /** Resumes a work queue (or the triggering event's queue). The queue's id is needed. */
  public static resumeWorkQueue(queue: ActionTarget<IWorkQueue>): Action {
    return Action.queueAction("resume-work-queue", queue);
  }

  /** Pauses a work pool (or the triggering event's pool). The pool's id is needed. */
  public static pauseWorkPool(pool: ActionTarget<IWorkPool>): Action {
    return Action.poolAction("pause-work-pool", pool);
  }

  /** Resumes a work pool (or the triggering event's pool). The pool's id is needed. */
  public static resumeWorkPool(pool: ActionTarget<IWorkPool>): Action {
    return Action.poolAction("resume-work-pool", pool);
  }

  /** Pauses an automation (or the one the triggering event is about). */
  public static pauseAutomation(automation: ActionTarget<IAutomation>): Action {
    return Action.targeted("pause-automation", "automation_id", automation === "inferred" ? "inferred" : automation.automationId);
  }

  /** Resumes an automation (or the one the triggering event is about). */
  public static resumeAutomation(automation: ActionTarget<IAutomation>): Action {
    return Action.targeted("resume-automation", "automation_id", automation === "inferred" ? "inferred" : automation.automationId);
  }

  /**
   * Sends a notification through a notification block (slack-webhook, custom-webhook, ...).
   *
   * @example
   * Action.sendNotification(slack, { subject: "{{ flow.name }} failed", body: "Flow run {{ flow_run.name }} entered {{ flow_run.state.name }}." });
   */
  public static sendNotification(block: IBlock, options: SendNotificationOptions): Action {
    const problems: Problem[] = [];
    if (block instanceof Block && NOT_NOTIFICATIONS.includes(block.typeSlug)) {
      problems.push({
        path: "blockDocumentId",
        message: `the block "${block.node.path}" is a "${block.typeSlug}" block, which cannot send notifications: use a notification block (Block.slackWebhook, Block.customWebhook, or Block.of with a notification type such as "ms-teams-webhook")`,
      });
    }
    return new Action({ type: "send-notification", block_document_id: block.blockDocumentId, subject: options.subject, body: options.body }, problems);
  }

  /**
   * Calls a webhook block (`Block.webhook(...)`) with a payload.
   *
   * @example
   * Action.callWebhook(pagerHook, { payload: { summary: "{{ event.resource.name }} failed", severity: "critical" } });
   */
  public static callWebhook(block: IBlock, options: CallWebhookOptions = {}): Action {
    const payload = options.payload;
    // The API takes the payload as a template string; an object is sent as its JSON text.
    const text = typeof payload === "string" ? payload : jsonAttribute(payload);
    const problems: Problem[] = [];
    if (block instanceof Block && block.typeSlug !== "webhook" && !isToken(block.typeSlug)) {
      problems.push({ path: "blockDocumentId", message: `the block "${block.node.path}" is a "${block.typeSlug}" block; call-webhook calls a "webhook" block: make one with Block.webhook(...)` });
    }
    return new Action({ type: "call-webhook", block_document_id: block.blockDocumentId, payload: text }, problems);
  }

  private static targeted(type: string, target: string, id: string | undefined, extra: Attributes = {}, problems: Problem[] = []): Action {
    const attributes: Attributes = id === "inferred" ? { type, source: "inferred", ...extra } : { type, [target]: id, ...extra };
    return new Action(attributes, problems);
  }

  private static queueAction(type: string, queue: ActionTarget<IWorkQueue>): Action {
    if (queue === "inferred") return Action.targeted(type, "work_queue_id", "inferred");
    const problems: Problem[] = [];
    if (queue.workQueueId === undefined) {
      problems.push({ path: "workQueueId", message: `the work queue ${JSON.stringify(queue.workQueueName)} of pool ${JSON.stringify(queue.workPoolName)} is known by name only, and a "${type}" action needs its id: use a WorkQueue declared in the stack, or reference it with its id` });
    }
    return Action.targeted(type, "work_queue_id", queue.workQueueId, {}, problems);
  }

  private static poolAction(type: string, pool: ActionTarget<IWorkPool>): Action {
    if (pool === "inferred") return Action.targeted(type, "work_pool_id", "inferred");
    const problems: Problem[] = [];
    if (pool.workPoolId === undefined) {
      problems.push({ path: "workPoolId", message: `the work pool ${JSON.stringify(pool.workPoolName)} is known by name only, and a "${type}" action needs its id: use a WorkPool declared in the stack, or WorkPool.fromWorkPoolAttributes(scope, id, { workPoolName, workPoolId })` });
    }
    return Action.targeted(type, "work_pool_id", pool.workPoolId, {}, problems);
  }

  /** The action's type, as Prefect names it ("run-deployment", ...). */
  public readonly type: string;

  private constructor(attributes: Attributes, problems: Problem[] = []) {
    this.type = String(attributes.type);
    actionState.set(this, { attributes, problems });
  }
}

/** A trigger's attributes (snake_case, JSON documents as values, tokens kept) and its builder's problems, paths starting with "trigger". */
export function triggerDeclaration(trigger: Trigger): { attributes: Attributes; problems: string[] } {
  const state = triggerState.get(trigger);
  if (!state) return { attributes: {}, problems: ["trigger: is not a Trigger; build it with Trigger.event(...), Trigger.flowRunState(...), ..."] };
  return { attributes: state.attributes, problems: state.problems.map((problem) => `${problem.path}: ${problem.message}`) };
}

/** An action's attributes and its builder's problems, paths under `path` (e.g. "actions[0]"). */
export function actionDeclaration(action: Action, path: string): { attributes: Attributes; problems: string[] } {
  const state = actionState.get(action);
  if (!state) return { attributes: { type: "do-nothing" }, problems: [`${path}: is not an Action; build it with Action.runDeployment(...), Action.sendNotification(...), ...`] };
  return { attributes: state.attributes, problems: state.problems.map((problem) => `${path}.${problem.path}: ${problem.message}`) };
}
