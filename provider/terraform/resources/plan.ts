// PlanResourceChange as a pure function of the kind's attribute facts: what Terraform will hold
// after apply (config where declared, defaults, prior values the server keeps, UNKNOWN for what
// only the server can say), and which attribute paths force replacement.
import type { z } from "zod";
import { factsOf, type AttributeFacts } from "../../kinds/attributes.js";
import { valuesEqual, type UnknownValue } from "../../kinds/compare.js";
import type { KindSchema, Spec } from "../../kinds/kind.js";
import { UNKNOWN, type TfObject, type TfPath, type TfValue } from "../plugin/contract.js";
import { attributesOf, containsUnknown, isNested, isSetType, parsedOf, tfEqual, tfOf } from "./values.js";

export interface PlannedChange {
  planned: TfObject;
  requiresReplace: TfPath[];
  /** Why Prefect cannot make a change in place although no force-new attribute changed (kind rules). */
  reasons: string[];
}

/**
 * One attribute's planned value. Terraform requires the config's value wherever the config sets
 * one (core's AssertPlanValid), so semantic equality is applied when reading and applying
 * (values.ts stateOf), not here. An unset computed attribute takes its default (what the kinds'
 * parseSpec declares for it, e.g. `tags = []`: leaving tags out clears them), else the prior
 * value the server keeps, else UNKNOWN on create.
 */
export function plannedValue(facts: AttributeFacts, config: TfValue, prior: TfValue, creating: boolean): TfValue {
  if (config === UNKNOWN) return UNKNOWN;
  if (config !== null) {
    if (!isNested(facts) || typeof config !== "object") return config;
    const children = Object.entries(facts.nested ?? {});
    const object = (item: TfValue, before: TfValue): TfValue => {
      if (item === null || item === UNKNOWN || typeof item !== "object" || Array.isArray(item)) return item;
      const priorObject = before !== null && typeof before === "object" && !Array.isArray(before) ? before : null;
      return Object.fromEntries(children.map(([name, schema]) => [name, plannedValue(factsOf(schema), item[name] ?? null, priorObject?.[name] ?? null, creating || priorObject === null)]));
    };
    if (!Array.isArray(config)) return object(config, prior);
    const priorList = Array.isArray(prior) ? prior : [];
    return config.map((item, i) => object(item, priorList[i] ?? null));
  }
  if (!facts.computed) return null;
  if (facts.default !== undefined && !facts.defaultOnCreate) return tfOf(facts, facts.default);
  // An existing object's computed value, null included, is what the server keeps.
  return creating ? UNKNOWN : prior;
}

/** Whether two Terraform values of an attribute differ in meaning (JSON formatting and set order aside). */
function differs(facts: AttributeFacts, schema: z.ZodType, planned: TfValue, prior: TfValue): boolean {
  if (tfEqual(planned, prior, isSetType(facts))) return false;
  if (containsUnknown(planned)) return true;
  const left = parsedOf(facts, schema, planned);
  const right = parsedOf(facts, schema, prior);
  if (left === undefined || right === undefined) return true;
  return !valuesEqual(facts, left, right);
}

/** A Terraform object in the declared shape with every attribute (computed ones too), for kind rules. */
export function specOfState(kind: KindSchema, state: TfObject): Spec {
  const out: Spec = {};
  for (const [name, facts, schema] of attributesOf(kind)) {
    const value = state[name] ?? null;
    out[name] = containsUnknown(value) ? ({ $unknown: name } satisfies UnknownValue) : parsedOf(facts, schema, value);
  }
  return out;
}

/**
 * The plan of one resource instance: `prior` null creates. Unchanged, the prior state is planned
 * as it is; changed, the server's bookkeeping (`updated`) becomes UNKNOWN, and every force-new
 * attribute whose meaning changes, or a change the kind says Prefect cannot make in place,
 * requires replacement.
 */
export function planChange(kind: KindSchema, config: TfObject, prior: TfObject | null): PlannedChange {
  const creating = prior === null;
  const planned: TfObject = {};
  const attributes = attributesOf(kind);
  for (const [name, facts] of attributes) {
    planned[name] = facts.writeOnly ? null : plannedValue(facts, config[name] ?? null, prior?.[name] ?? null, creating);
  }
  if (creating) return { planned, requiresReplace: [], reasons: [] };
  const changed = attributes.filter(([name, facts, schema]) => differs(facts, schema, planned[name] ?? null, prior[name] ?? null));
  // Unchanged in meaning: the prior state, but with the config's own text where it sets a value
  // (Terraform holds a plan to the config; reformatted JSON then shows as an update that sends nothing).
  if (!changed.length) {
    for (const [name] of attributes) if ((config[name] ?? null) === null) planned[name] = prior[name] ?? null;
    return { planned, requiresReplace: [], reasons: [] };
  }
  for (const [name, facts] of attributes) if (facts.computed && !facts.optional && !facts.stable) planned[name] = UNKNOWN;
  const requiresReplace: TfPath[] = changed.filter(([, facts]) => facts.forceNew).map(([name]) => [name]);
  const reasons: string[] = [];
  const rules = kind as KindSchema & { replacementReasons?: (declared: Spec, live: Spec) => { path: (string | number)[]; reason: string }[] };
  if (rules.replacementReasons) {
    for (const found of rules.replacementReasons(specOfState(kind, planned), specOfState(kind, prior))) {
      if (!requiresReplace.some((path) => path.join(".") === found.path.join("."))) requiresReplace.push(found.path);
      reasons.push(found.reason);
    }
  }
  return { planned, requiresReplace, reasons };
}
