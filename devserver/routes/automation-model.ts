// What Prefect's server makes of an automation body beyond its JSON schema: durations become
// seconds, every trigger gets a fresh id, defaults are filled, and the model validators run
// (Proactive `within`, compound `require`, selected/inferred targets, templates, metric
// minimums, run-deployment loops). Problems are reported as pydantic reports them: one issue
// per failing model, located through the union member's class name (`EventTrigger`,
// `RunDeployment`), with a `Value error, ...` message.
import type { ContractIssue } from "../../contract/validator.js";
import { internalServerError, valueErrorIssue } from "../http.js";
import { parametersProblem, templateProblem } from "./automation-templates.js";

type Loc = (string | number)[];
type Json = Record<string, unknown>;

/** The fields of an automation the server stores, in the order it serializes them. */
export interface AutomationFields {
  name: string;
  description: string;
  enabled: boolean;
  tags: string[];
  trigger: Json;
  actions: Json[];
  actions_on_trigger: Json[];
  actions_on_resolve: Json[];
}

// pydantic reads ISO 8601 durations with years as 365 days and months as 30 days; the
// contract admits only whole-number components, so nothing finer is needed here.
const ISO_DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;
const UNIT_SECONDS = [365 * 86_400, 30 * 86_400, 7 * 86_400, 86_400, 3_600, 60, 1];

/** A duration as the server holds it: seconds, from a number or an ISO 8601 string ("PT30S", "P1D"). */
export function durationSeconds(value: unknown): number {
  if (typeof value === "number") return Math.round(value * 1e6) / 1e6;
  const match = typeof value === "string" ? ISO_DURATION.exec(value) : null;
  if (!match) return 0;
  return UNIT_SECONDS.reduce((total, unit, index) => total + Number(match[index + 1] ?? 0) * unit, 0);
}

const valueError = (loc: Loc, message: string, input: unknown): ContractIssue => valueErrorIssue(loc, message, input);

/** pydantic's error for a union member whose `type` literal the input does not have. */
const literalError = (loc: Loc, expected: string, input: unknown): ContractIssue =>
  ({ type: "literal_error", loc, msg: `Input should be '${expected}'`, input, ctx: { expected: `'${expected}'` } }) as ContractIssue;

const missing = (loc: Loc, input: unknown): ContractIssue => ({ type: "missing", loc, msg: "Field required", input });

/**
 * The members of the open-source server's trigger union, in its order, named as pydantic names
 * them (scenarios.jsonl "auto proactive within 5"), with the fields each requires
 * (src/prefect/server/events/schemas/automations.py: CompositeTrigger.triggers/within, CompoundTrigger.require).
 */
const TRIGGER_MEMBERS = [
  { type: "event", tag: "EventTrigger", cloudTag: "EventTrigger", required: [] as string[] },
  {
    type: "compound",
    tag: "function-after[validate_require(), function-after[validate_require(), CompoundTrigger]]",
    cloudTag: "CompoundTrigger",
    required: ["triggers", "within", "require"],
  },
  { type: "sequence", tag: "SequenceTrigger", cloudTag: "SequenceTrigger", required: ["triggers", "within"] },
] as const;
type TriggerMember = (typeof TRIGGER_MEMBERS)[number];

/** pydantic's wording for a timedelta below its `ge` bound of zero. */
const nonNegative = (loc: Loc, input: unknown): ContractIssue => ({
  type: "greater_than_equal",
  loc,
  msg: "Input should be greater than or equal to 0 seconds",
  input,
});

const unique = (values: unknown): string[] => [...new Set(Array.isArray(values) ? (values as string[]) : [])];

/**
 * Parses one automation body; problems accumulate in `issues`. With `unionErrors` (the
 * open-source server), a trigger or action that fails its own union member is also reported by
 * every other member of its union, as pydantic reports a failed union; without (Cloud, which
 * nothing recorded shows), only its own member's problems are.
 */
export class AutomationParser {
  readonly issues: ContractIssue[] = [];

  constructor(
    private readonly newId: () => string,
    private readonly unionErrors = true,
  ) {}

  /** The stored fields of a validated AutomationCreate/AutomationUpdate body (defaults already filled). */
  automation(body: Json, loc: Loc): AutomationFields {
    const fields: AutomationFields = {
      name: String(body.name),
      description: typeof body.description === "string" ? body.description : "",
      enabled: body.enabled !== false,
      tags: Array.isArray(body.tags) ? (body.tags as string[]) : [],
      trigger: this.trigger(body.trigger as Json, [...loc, "trigger"]),
      actions: this.actions(body.actions, [...loc, "actions"]),
      actions_on_trigger: this.actions(body.actions_on_trigger, [...loc, "actions_on_trigger"]),
      actions_on_resolve: this.actions(body.actions_on_resolve, [...loc, "actions_on_resolve"]),
    };
    // Model validators run only once every field is valid.
    if (this.issues.length === 0) {
      const loop = runDeploymentLoop(fields);
      if (loop) this.issues.push(valueError(loc, loop, body));
    }
    return fields;
  }

  /** A trigger in its output shape, with a new id: the server replaces any id a client sends. */
  trigger(raw: Json, loc: Loc): Json {
    if (raw.type === "metric") return this.metric(raw, [...loc, "MetricTrigger"]);
    const own = TRIGGER_MEMBERS.find((member) => member.type === raw.type) ?? TRIGGER_MEMBERS[0];
    const before = this.issues.length;
    const ownLoc = [...loc, this.unionErrors ? own.tag : own.cloudTag];
    const result = own.type === "event" ? this.event(raw, ownLoc) : this.composite(raw, ownLoc);
    if (!this.unionErrors || this.issues.length === before) return result;
    const ownIssues = this.issues.splice(before);
    for (const member of TRIGGER_MEMBERS) this.issues.push(...(member === own ? ownIssues : this.triggerMismatch(member, raw, loc)));
    return result;
  }

  /** What a trigger union member reports for a trigger of another type. */
  private triggerMismatch(member: TriggerMember, raw: Json, loc: Loc): ContractIssue[] {
    const at = [...loc, member.tag];
    if (member.type === "event") {
      // EventTrigger's before-validator runs ahead of its fields: a null window is all it reports.
      if ("within" in raw && raw.within === null) return [valueError(at, "`within` should be a valid timedelta", raw)];
      return [literalError([...at, "type"], member.type, raw.type)];
    }
    const issues = [literalError([...at, "type"], member.type, raw.type)];
    for (const field of member.required) {
      if (field === "triggers" && Array.isArray(raw.triggers)) {
        // The member still validates the nested triggers, reporting their problems under its own name.
        const nested = new AutomationParser(this.newId, this.unionErrors);
        (raw.triggers as Json[]).forEach((child, index) => nested.trigger(child, [...at, "triggers", index]));
        issues.push(...nested.issues);
      } else if (!(field in raw)) {
        issues.push(missing([...at, field], raw));
      }
    }
    return issues;
  }

  private event(raw: Json, loc: Loc): Json {
    // src/prefect/server/events/schemas/automations.py EventTrigger.enforce_minimum_within_for_proactive_triggers
    // (a before-validator): an explicit null is refused; on a Proactive trigger, text is compared
    // with a timedelta before pydantic parses it, a TypeError the server answers with a 500
    // (scenarios.jsonl "auto proactive within iso", "auto put proactive iso").
    if ("within" in raw && raw.within === null) this.issues.push(valueError(loc, "`within` should be a valid timedelta", raw));
    if (raw.posture === "Proactive" && typeof raw.within === "string" && raw.within !== "") throw internalServerError();
    let within = durationSeconds(raw.within ?? 0);
    if (raw.posture === "Proactive") {
      // A Proactive trigger without a window gets the 10-second minimum instead of a refusal.
      if (within === 0) within = 10;
      else if (within < 10) this.issues.push(valueError(loc, "`within` for Proactive triggers must be greater than or equal to 10 seconds", raw));
    } else if (within < 0) {
      this.issues.push(nonNegative([...loc, "within"], raw.within));
    }
    return {
      type: "event",
      id: this.newId(),
      match: raw.match ?? {},
      match_related: raw.match_related ?? {},
      after: unique(raw.after),
      expect: unique(raw.expect),
      for_each: unique(raw.for_each),
      posture: raw.posture,
      threshold: raw.threshold ?? 1,
      within,
    };
  }

  private composite(raw: Json, loc: Loc): Json {
    const compound = raw.type === "compound";
    const before = this.issues.length;
    const children = Array.isArray(raw.triggers) ? (raw.triggers as Json[]) : [];
    const triggers = children.map((child, index) => this.trigger(child, [...loc, "triggers", index]));
    const within = raw.within === null || raw.within === undefined ? null : durationSeconds(raw.within);
    const id = this.newId();
    if (!compound) return { type: "sequence", id, triggers, within };
    const require = raw.require;
    if (this.issues.length === before && typeof require === "number") {
      if (require < 1) this.issues.push(valueError(loc, "require must be at least 1", raw));
      else if (require > triggers.length) this.issues.push(valueError(loc, "require must be less than or equal to the number of triggers", raw));
    }
    return { type: "compound", id, triggers, within, require };
  }

  /** Prefect Cloud's metric trigger: the query's range and firing_for are at least 5 minutes. */
  private metric(raw: Json, loc: Loc): Json {
    const query = (raw.metric ?? {}) as Json;
    const metric: Json = {
      name: query.name,
      threshold: query.threshold,
      operator: query.operator,
      range: durationSeconds(query.range ?? 300),
      firing_for: durationSeconds(query.firing_for ?? 300),
    };
    for (const field of ["range", "firing_for"] as const) {
      if ((metric[field] as number) < 300) {
        this.issues.push(valueError([...loc, "metric", field], "The minimum range is 300 seconds (5 minutes)", query[field]));
      }
    }
    return { type: "metric", id: this.newId(), match: raw.match ?? {}, match_related: raw.match_related ?? {}, posture: "Metric", metric };
  }

  private actions(raw: unknown, loc: Loc): Json[] {
    return (Array.isArray(raw) ? (raw as Json[]) : []).map((action, index) => this.action(action, [...loc, index]));
  }

  /** An action in its output shape, with its defaults and the checks its model makes. */
  action(raw: Json, outer: Loc): Json {
    const type = String(raw.type);
    const spec = ACTIONS[type];
    if (!spec) return { ...raw };
    const loc = [...outer, this.actionTag(spec)];
    const before = this.issues.length;
    const out: Json = { type };
    if (spec.target) out.source = raw.source ?? "selected";
    for (const [field, fallback] of Object.entries(spec.fields)) out[field] = raw[field] ?? fallback;

    if (type === "run-deployment") {
      out.schedule_after = durationSeconds(raw.schedule_after ?? 0);
      const problem = parametersProblem(out.parameters as Json | null);
      if (problem) this.issues.push(valueError([...loc, "parameters"], problem, out.parameters));
      if ((out.schedule_after as number) < 0) this.issues.push(nonNegative([...loc, "schedule_after"], raw.schedule_after));
    }
    for (const field of spec.templates ?? []) {
      const template = out[field];
      if (typeof template !== "string" || (field === "payload" && !template)) continue;
      const problem = templateProblem(template);
      if (problem) this.issues.push(valueError([...loc, field], `'${field}' is not a valid template: ${problem.message}`, template));
    }
    if (spec.target && this.issues.length === before) {
      const id = `${spec.target}_id`;
      const selected = out.source === "selected";
      const hasId = Boolean(out[id]);
      if (selected !== hasId) this.issues.push(valueError(loc, `${id} is ${hasId ? "not allowed" : "required"}`, raw));
    }
    if (this.unionErrors && this.issues.length > before) {
      // scenarios.jsonl "auto bad action": each other member reports its type and the fields it requires.
      const own = this.issues.splice(before);
      for (const [memberType, member] of Object.entries(ACTIONS)) {
        if (memberType === type) {
          this.issues.push(...own);
          continue;
        }
        const at = [...outer, this.actionTag(member)];
        this.issues.push(literalError([...at, "type"], memberType, raw.type));
        for (const field of member.required ?? []) if (!(field in raw)) this.issues.push(missing([...at, field], raw));
      }
    }
    return out;
  }

  /** How pydantic names an action model in a union: wrapped in its target check, if it has one. */
  private actionTag(spec: ActionSpec): string {
    return this.unionErrors && spec.target ? `function-after[selected_${spec.target}_requires_id(), ${spec.model}]` : spec.model;
  }
}

interface ActionSpec {
  /** The server's model name, which pydantic puts in the error location of a union member. */
  model: string;
  /** Actions aimed at a selected or inferred object: `deployment` -> `deployment_id`. */
  target?: "deployment" | "work_queue" | "work_pool" | "automation";
  /** Further fields and their defaults, in serialization order. */
  fields: Record<string, unknown>;
  /** Fields the server checks as Jinja templates. */
  templates?: string[];
  /** Fields without a default (src/prefect/server/events/actions.py), which the other union members report missing. */
  required?: string[];
}

const ACTIONS: Record<string, ActionSpec> = {
  "do-nothing": { model: "DoNothing", fields: {} },
  "run-deployment": { model: "RunDeployment", target: "deployment", fields: { deployment_id: null, parameters: null, job_variables: null } },
  "pause-deployment": { model: "PauseDeployment", target: "deployment", fields: { deployment_id: null } },
  "resume-deployment": { model: "ResumeDeployment", target: "deployment", fields: { deployment_id: null } },
  "cancel-flow-run": { model: "CancelFlowRun", fields: {} },
  "delete-flow-run": { model: "DeleteFlowRun", fields: {} },
  "change-flow-run-state": { model: "ChangeFlowRunState", fields: { name: null, state: null, message: null, force: false }, required: ["state"] },
  "pause-work-queue": { model: "PauseWorkQueue", target: "work_queue", fields: { work_queue_id: null } },
  "resume-work-queue": { model: "ResumeWorkQueue", target: "work_queue", fields: { work_queue_id: null } },
  "send-notification": {
    model: "SendNotification",
    fields: { block_document_id: null, subject: "Prefect automated notification", body: "" },
    templates: ["subject", "body"],
    required: ["block_document_id", "body"],
  },
  "call-webhook": { model: "CallWebhook", fields: { block_document_id: null, payload: "" }, templates: ["payload"], required: ["block_document_id"] },
  "pause-automation": { model: "PauseAutomation", target: "automation", fields: { automation_id: null } },
  "resume-automation": { model: "ResumeAutomation", target: "automation", fields: { automation_id: null } },
  "suspend-flow-run": { model: "SuspendFlowRun", fields: {} },
  "resume-flow-run": { model: "ResumeFlowRun", fields: {} },
  "pause-work-pool": { model: "PauseWorkPool", target: "work_pool", fields: { work_pool_id: null } },
  "resume-work-pool": { model: "ResumeWorkPool", target: "work_pool", fields: { work_pool_id: null } },
};

/** Flow-run events every run of a deployment produces: reacting to them by running a deployment can loop forever. */
const LOOPING_EVENTS = new Set(["prefect.flow-run.Scheduled", "prefect.flow-run.Pending", "prefect.flow-run.Running", "prefect.flow-run.*"]);

/** Whether a resource specification (or a list of them) matches every resource of a kind. */
function matchesEveryResourceOfKind(specification: unknown, kind: string): boolean {
  if (Array.isArray(specification)) return specification.every((item) => matchesEveryResourceOfKind(item, kind));
  const labels = (specification ?? {}) as Record<string, string | string[]>;
  const keys = Object.keys(labels);
  if (keys.length === 0) return true;
  const ids = labels["prefect.resource.id"];
  if (keys.length !== 1 || !ids) return false;
  return (Array.isArray(ids) ? ids : [ids]).some((id) => id === `${kind}.*`);
}

/**
 * The server's refusal of an enabled automation that runs a deployment whenever flow runs
 * are scheduled, pending or running, without narrowing which flow runs: each run would
 * trigger the next.
 */
export function runDeploymentLoop(automation: Pick<AutomationFields, "enabled" | "trigger" | "actions">): string | undefined {
  const trigger = automation.trigger;
  if (!automation.enabled || trigger.type !== "event" || trigger.posture !== "Reactive") return undefined;
  const expect = (trigger.expect ?? []) as string[];
  if (!expect.some((event) => event.startsWith("prefect.flow-run.") && LOOPING_EVENTS.has(event))) return undefined;
  for (const action of automation.actions) {
    if (action.type !== "run-deployment") continue;
    if (action.source === "inferred") {
      return (
        "Running an inferred deployment from a flow run state change event will lead to an infinite loop of flow runs.  " +
        "Please choose a specific deployment and add additional filtering labels to the match or match_related for this automation's trigger."
      );
    }
    if (matchesEveryResourceOfKind(trigger.match, "prefect.flow-run") && matchesEveryResourceOfKind(trigger.match_related, "prefect.flow-run")) {
      return (
        "Running a selected deployment from a flow run state change event may lead to an infinite loop of flow runs.  " +
        "Please include additional filtering labels on either match or match_related to narrow down which flow runs will trigger " +
        "this automation to exclude flow runs from the deployment you've selected."
      );
    }
  }
  return undefined;
}
