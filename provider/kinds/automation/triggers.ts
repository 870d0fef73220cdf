// Triggers between the declared shape (one of event/metric/compound/sequence, durations in
// seconds) and the API's (a `type` field, durations sent as seconds and read in either form,
// an id the server makes up on every write).
import type { components } from "../../../contract/wire.gen.js";
import { sortedUnique } from "../attributes.js";
import { durationSeconds, wireDuration } from "../durations.js";
import type {
  CompoundTriggerSpec,
  EventTriggerSpec,
  MetricTriggerSpec,
  ResourceSpecification,
  ResourceTriggerSpec,
  SequenceTriggerSpec,
  TriggerSpec,
} from "./trigger-attributes.js";

type Schemas = components["schemas"];
/** A trigger as the API takes it (create and update). */
export type TriggerInput = Schemas["AutomationCreate"]["trigger"];
/** A trigger as the API answers with it. */
export type TriggerOutput = Schemas["Automation"]["trigger"];
type EventInput = Schemas["EventTrigger-Input"];
type MetricInput = Schemas["MetricTrigger-Input"];
type EventOutput = Schemas["EventTrigger-Output"];
type MetricOutput = Schemas["MetricTrigger-Output"];
type CompoundOutput = Schemas["CompoundTrigger-Output"];
type SequenceOutput = Schemas["SequenceTrigger-Output"];

function eventToApi(event: EventTriggerSpec): EventInput {
  const body: EventInput = {
    type: "event",
    posture: event.posture as EventInput["posture"],
    match: event.match,
    match_related: event.match_related,
    after: event.after,
    expect: event.expect,
    for_each: event.for_each,
  } as EventInput;
  // Left out, the server fills its own defaults: 1 event and 0 s (client-suite #2518); 0 s, or
  // 10 s when Proactive (events/schemas/automations.py enforce_minimum_within_for_proactive_triggers).
  if (event.threshold !== undefined) body.threshold = event.threshold;
  // Seconds as a number, as Prefect's own client sends them: a Proactive trigger's `within` sent as
  // ISO text answers 500 (scenarios.jsonl "auto proactive within iso", "auto put proactive iso").
  if (event.within !== undefined) body.within = wireDuration(event.within);
  return body;
}

function metricToApi(metric: MetricTriggerSpec): MetricInput {
  const query = metric.metric;
  return {
    type: "metric",
    posture: "Metric",
    match: metric.match,
    match_related: metric.match_related,
    metric: {
      name: query.name as MetricInput["metric"]["name"],
      operator: query.operator as MetricInput["metric"]["operator"],
      threshold: query.threshold,
      range: query.range,
      firing_for: query.firing_for,
    },
  };
}

function resourceToApi(trigger: ResourceTriggerSpec): EventInput | MetricInput {
  if (trigger.metric) return metricToApi(trigger.metric);
  if (trigger.event) return eventToApi(trigger.event);
  throw new Error("A trigger declares neither event nor metric; the declaration should have been refused.");
}

function compositeToApi(type: "compound" | "sequence", composite: CompoundTriggerSpec | SequenceTriggerSpec): TriggerInput {
  // The API requires `within` on composites, null for "no window", answered as null
  // (scenarios.jsonl "auto sequence null within").
  const within = composite.within === undefined ? null : wireDuration(composite.within);
  const triggers = composite.triggers.map(resourceToApi);
  if (type === "sequence") return { type, triggers, within };
  return { type, triggers, within, require: (composite as CompoundTriggerSpec).require as number | "any" | "all" };
}

/** The API's trigger for a declared one. */
export function triggerToApi(trigger: TriggerSpec): TriggerInput {
  if (trigger.compound) return compositeToApi("compound", trigger.compound);
  if (trigger.sequence) return compositeToApi("sequence", trigger.sequence);
  return resourceToApi(trigger);
}

function eventToSpec(live: EventOutput): EventTriggerSpec {
  return {
    posture: live.posture,
    match: (live.match ?? {}) as ResourceSpecification,
    match_related: (live.match_related ?? {}) as ResourceSpecification | ResourceSpecification[],
    after: sortedUnique(live.after),
    expect: sortedUnique(live.expect),
    for_each: sortedUnique(live.for_each),
    threshold: live.threshold,
    within: durationSeconds(live.within),
  };
}

function metricToSpec(live: MetricOutput): MetricTriggerSpec {
  const query = live.metric;
  return {
    match: (live.match ?? {}) as ResourceSpecification,
    match_related: (live.match_related ?? {}) as ResourceSpecification | ResourceSpecification[],
    metric: { name: query.name, operator: query.operator, threshold: query.threshold, range: query.range, firing_for: query.firing_for },
  };
}

/** A composite's child; a nested composite (which declarations cannot express) maps to neither kind and so shows as a change. */
function resourceToSpec(live: TriggerOutput): ResourceTriggerSpec {
  if (live.type === "event") return { event: eventToSpec(live as EventOutput) };
  if (live.type === "metric") return { metric: metricToSpec(live as MetricOutput) };
  return {};
}

/**
 * A live trigger in the declared shape; the server's trigger ids, new on every write
 * (scenarios.jsonl "auto read a3" vs "automations filter"), are left out.
 */
export function triggerToSpec(live: TriggerOutput): TriggerSpec {
  switch (live.type) {
    case "compound": {
      const compound = live as CompoundOutput;
      return { compound: { require: compound.require, triggers: compound.triggers.map(resourceToSpec), within: durationSeconds(compound.within) } };
    }
    case "sequence": {
      const sequence = live as SequenceOutput;
      return { sequence: { triggers: sequence.triggers.map(resourceToSpec), within: durationSeconds(sequence.within) } };
    }
    default:
      return resourceToSpec(live);
  }
}
