// The `trigger` attribute of prefect_automation, shaped as the official provider shapes it:
// exactly one of `event`, `metric`, `compound` or `sequence`, composites holding a list of
// event or metric triggers. Durations are whole seconds here; the API takes ISO 8601.
import type { z } from "zod";
import { attr, oneOf } from "../attributes.js";
import { isObject } from "../compare.js";
import type { SpecIssue } from "../kind.js";

/** Reactive triggers fire on the presence of events, Proactive ones on their absence. */
export const POSTURES = ["Reactive", "Proactive"] as const;
/**
 * Prefect's minimum window for a Proactive trigger; it turns an unset or 0 window into this and
 * refuses one below it with a 422 (scenarios.jsonl "auto proactive within 5";
 * events/schemas/automations.py enforce_minimum_within_for_proactive_triggers).
 */
export const PROACTIVE_MIN_WITHIN = 10;
/** Prefect Cloud's metric trigger queries (`PrefectMetric`). */
export const METRIC_NAMES = ["lateness", "duration", "successes"] as const;
/** How a metric query compares with its threshold. */
export const METRIC_OPERATORS = ["<", "<=", ">", ">="] as const;
/** Prefect Cloud refuses a metric `range` or `firing_for` under 5 minutes. */
export const METRIC_MIN_SECONDS = 300;
/** Prefect's default number of events for an event trigger. */
export const DEFAULT_THRESHOLD = 1;
/** The kinds of trigger, one of which a `trigger` declares. */
export const TRIGGER_TYPES = ["event", "metric", "compound", "sequence"] as const;

/** Labels that select resources: label -> a value or a list of values (wildcards allowed). */
export type ResourceSpecification = Record<string, string | string[]>;

/** `trigger.event`: fires on the presence (Reactive) or absence (Proactive) of events. Durations in seconds. */
export interface EventTriggerSpec {
  posture: string;
  match: ResourceSpecification;
  match_related: ResourceSpecification | ResourceSpecification[];
  after: string[];
  expect: string[];
  for_each: string[];
  threshold?: number;
  within?: number;
}

/** `metric.metric`: the query a metric trigger evaluates. Durations in seconds. */
export interface MetricQuerySpec {
  name: string;
  operator: string;
  threshold: number;
  range: number;
  firing_for: number;
}

/** `trigger.metric` (Prefect Cloud): fires on the result of a metric query. */
export interface MetricTriggerSpec {
  match: ResourceSpecification;
  match_related: ResourceSpecification | ResourceSpecification[];
  metric: MetricQuerySpec;
}

/** One trigger of a compound or sequence trigger: an event or a metric trigger. */
export interface ResourceTriggerSpec {
  event?: EventTriggerSpec;
  metric?: MetricTriggerSpec;
}

/** `trigger.compound`: fires when `require` of its triggers fire within `within` seconds. */
export interface CompoundTriggerSpec {
  /** A number of triggers, or "any" / "all". */
  require: unknown;
  triggers: ResourceTriggerSpec[];
  within?: number;
}

/** `trigger.sequence`: fires when its triggers fire in order within `within` seconds. */
export interface SequenceTriggerSpec {
  triggers: ResourceTriggerSpec[];
  within?: number;
}

/** The `trigger` attribute: exactly one of its four kinds is set. */
export interface TriggerSpec extends ResourceTriggerSpec {
  compound?: CompoundTriggerSpec;
  sequence?: SequenceTriggerSpec;
}

const quote = (values: readonly string[]): string => values.map((value) => `"${value}"`).join(", ");

/** Why a value is not a resource specification (labels to a string or a list of strings), if it is not. */
function resourceSpecificationProblem(value: unknown): string | undefined {
  if (!isObject(value)) return `must be an object of labels, got ${JSON.stringify(value)}`;
  for (const [label, wanted] of Object.entries(value)) {
    const ok = typeof wanted === "string" || (Array.isArray(wanted) && wanted.every((item) => typeof item === "string"));
    if (!ok) {
      return `label "${label}" is ${JSON.stringify(wanted)}; a label matches a string or a list of strings (e.g. {"prefect.resource.id": "prefect.flow-run.*"})`;
    }
  }
  return undefined;
}

/** Prefect reads `match_related` as one resource specification or a list of them. */
function relatedSpecificationProblem(value: unknown): string | undefined {
  if (!Array.isArray(value)) return resourceSpecificationProblem(value);
  for (const [index, item] of value.entries()) {
    const problem = resourceSpecificationProblem(item);
    if (problem) return `item ${index}: ${problem}`;
  }
  return undefined;
}

/** A whole, non-negative number of seconds: the API's durations carry no fractions. */
function secondsProblem(value: number): string | undefined {
  if (!Number.isInteger(value) || value < 0) return `is ${value}; use a whole number of seconds, 0 or more`;
  return undefined;
}

const match = () =>
  attr.json({
    description: "Labels of the resources this trigger matches, as a JSON object (label -> value or list of values; wildcards allowed).",
    optional: true,
    computed: true,
    default: {},
    check: resourceSpecificationProblem,
  });

const matchRelated = () =>
  attr.json({
    description: "Labels of related resources this trigger matches, as a JSON object or a list of them.",
    shape: "any",
    optional: true,
    computed: true,
    default: {},
    check: relatedSpecificationProblem,
  });

const eventNames = (description: string) => attr.stringSet({ description, optional: true, computed: true, default: [] });

/**
 * An undeclared `within` is the server's default: 0 seconds, which Prefect turns into 10 for
 * Proactive triggers. The posture is not visible here, so either default matches.
 */
function sameWithin(declared: unknown, live: unknown): boolean {
  if (declared === undefined || declared === null) return live === undefined || live === null || live === 0 || live === PROACTIVE_MIN_WITHIN;
  return declared === live;
}

function eventTriggerAttributes(): Record<string, z.ZodType> {
  return {
    posture: attr.string({
      description: 'The posture: "Reactive" fires on the presence of the expected events, "Proactive" on their absence.',
      required: true,
      check: oneOf("a posture", POSTURES),
    }),
    match: match(),
    match_related: matchRelated(),
    after: eventNames("The events that must be seen first before this trigger fires (trailing wildcards allowed); empty fires immediately."),
    expect: eventNames("The events this trigger expects (trailing wildcards allowed); empty matches any event."),
    for_each: eventNames("Labels whose distinct values are evaluated separately (e.g. prefect.resource.id, or related:flow:prefect.resource.id)."),
    threshold: attr.number({
      description: "The number of events needed to fire (Reactive) or expected (Proactive). Prefect's default is 1.",
      optional: true,
      check: (value) => (!Number.isInteger(value) || value < 1 ? `is ${value}; use a whole number of events, 1 or more` : undefined),
      compare: (declared, live) => (declared ?? DEFAULT_THRESHOLD) === (live ?? DEFAULT_THRESHOLD),
    }),
    within: attr.number({
      description: "The window in seconds over which the events must occur (at least 10 for Proactive triggers). Prefect's default is 0 (10 for Proactive).",
      optional: true,
      check: secondsProblem,
      compare: sameWithin,
    }),
  };
}

function metricTriggerAttributes(): Record<string, z.ZodType> {
  const minimum = (value: number) => (value < METRIC_MIN_SECONDS ? `is ${value} seconds; Prefect needs at least ${METRIC_MIN_SECONDS} (5 minutes)` : undefined);
  return {
    match: match(),
    match_related: matchRelated(),
    metric: attr.object(
      {
        name: attr.string({ description: `The metric to query: ${quote(METRIC_NAMES)}.`, required: true, check: oneOf("a metric", METRIC_NAMES) }),
        operator: attr.string({
          description: `How the metric compares with the threshold: ${quote(METRIC_OPERATORS)}.`,
          required: true,
          check: oneOf("an operator", METRIC_OPERATORS),
        }),
        threshold: attr.number({ description: "The value the metric is compared with.", required: true }),
        range: attr.number({ description: "The lookback window of the query, in seconds (at least 300).", required: true, check: minimum }),
        firing_for: attr.number({
          description: "How long the condition must hold before the trigger fires or resolves, in seconds (at least 300).",
          required: true,
          check: minimum,
        }),
      },
      { description: "The metric query.", required: true },
    ),
  };
}

function resourceTriggerAttributes(): Record<string, z.ZodType> {
  return {
    event: attr.object(eventTriggerAttributes(), { description: "A trigger on the presence or absence of events within a period of time.", optional: true }),
    metric: attr.object(metricTriggerAttributes(), { description: "A trigger on the result of a metric query (Prefect Cloud).", optional: true }),
  };
}

function compositeAttributes(): Record<string, z.ZodType> {
  return {
    triggers: attr.objectList(resourceTriggerAttributes(), { description: "The triggers, each with exactly one of event or metric.", required: true }),
    within: attr.number({ description: "The window in seconds over which the triggers must fire.", optional: true, check: secondsProblem }),
  };
}

/** The `trigger` attribute. */
export function triggerAttribute(): z.ZodType {
  return attr.object(
    {
      ...resourceTriggerAttributes(),
      compound: attr.object(
        {
          ...compositeAttributes(),
          require: attr.dynamic({ description: 'How many of the triggers must fire: a number, "any" or "all".', required: true }),
        },
        { description: "A trigger that fires when some number of its triggers fire within a period.", optional: true },
      ),
      sequence: attr.object(compositeAttributes(), { description: "A trigger that fires when its triggers fire in order within a period.", optional: true }),
    },
    { description: "What the automation reacts to: exactly one of event, metric, compound or sequence.", required: true },
  );
}

type Path = (string | number)[];

function declaredKinds(trigger: Record<string, unknown>, allowed: readonly string[]): string[] {
  return allowed.filter((kind) => trigger[kind] !== undefined && trigger[kind] !== null);
}

function exactlyOne(trigger: Record<string, unknown>, allowed: readonly string[], path: Path, issues: SpecIssue[]): void {
  const present = declaredKinds(trigger, allowed);
  if (present.length === 1) return;
  const choices = `${allowed.slice(0, -1).join(", ")} or ${allowed[allowed.length - 1]}`;
  issues.push({
    path,
    message: present.length === 0 ? `declares no trigger; declare exactly one of ${choices}` : `declares ${present.join(" and ")}; declare exactly one of ${choices}`,
  });
}

function checkEvent(event: EventTriggerSpec, path: Path, issues: SpecIssue[]): void {
  if (event.posture === "Proactive" && event.within !== undefined && event.within < PROACTIVE_MIN_WITHIN) {
    issues.push({
      path: [...path, "within"],
      message: `is ${event.within} seconds; a Proactive trigger waits at least ${PROACTIVE_MIN_WITHIN} seconds for its events: use ${PROACTIVE_MIN_WITHIN} or more, or leave it unset for ${PROACTIVE_MIN_WITHIN}`,
    });
  }
}

function checkComposite(kind: "compound" | "sequence", composite: CompoundTriggerSpec | SequenceTriggerSpec, path: Path, issues: SpecIssue[]): void {
  const triggers = composite.triggers;
  if (triggers.length === 0) issues.push({ path: [...path, "triggers"], message: `is empty; a ${kind} trigger needs at least one event or metric trigger` });
  triggers.forEach((child, index) => {
    const childPath = [...path, "triggers", index];
    exactlyOne(child as Record<string, unknown>, ["event", "metric"], childPath, issues);
    if (child.event) checkEvent(child.event, [...childPath, "event"], issues);
  });
  if (kind !== "compound") return;
  const require = (composite as CompoundTriggerSpec).require;
  const count = triggers.length;
  const allowed = `use "any", "all" or a whole number from 1 to ${count} (the number of triggers)`;
  if (typeof require === "number") {
    if (!Number.isInteger(require) || require < 1 || require > count) issues.push({ path: [...path, "require"], message: `is ${require}; ${allowed}` });
  } else if (require !== "any" && require !== "all") {
    issues.push({ path: [...path, "require"], message: `is ${JSON.stringify(require)}; ${allowed}` });
  }
}

/** Rules across the trigger's attributes: exactly one kind, Proactive windows, composite `require`. */
export function checkTrigger(trigger: TriggerSpec, path: Path): SpecIssue[] {
  const issues: SpecIssue[] = [];
  exactlyOne(trigger as Record<string, unknown>, TRIGGER_TYPES, path, issues);
  if (trigger.event) checkEvent(trigger.event, [...path, "event"], issues);
  if (trigger.compound) checkComposite("compound", trigger.compound, [...path, "compound"], issues);
  if (trigger.sequence) checkComposite("sequence", trigger.sequence, [...path, "sequence"], issues);
  return issues;
}
