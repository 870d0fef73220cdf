// What a plan can tell of a declared value before anything is applied: literals, and expressions
// made only of variables, locals, `count.index` and `each` (all known once the configuration is
// resolved). A reference to another object's attribute is left unknown, even where that object's
// declaration states it: the value may come from the server (an id) and is known only after apply.
import { evaluateAttribute, type InstanceValues, type ResolvedConfig, type ResourceInstance } from "./resolve.js";
import { containsUnknown } from "./evaluate.js";
import { ExpressionError } from "./expressions.js";

/** Other objects' values are not consulted: every reference to one is unknown. */
const NOTHING_APPLIED: InstanceValues = { declared: () => ({ found: false }), known: () => undefined };

/** A string written without interpolation or directives (`$${` and `%%{` are escapes of literal text), unescaped. */
export function literal(raw: unknown): string | undefined {
  if (typeof raw !== "string") return undefined;
  return /(?<![$%])[$%]\{/.test(raw) ? undefined : raw.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
}

/**
 * The string value of `instance`'s `attribute` when it is known at plan time; `undefined` when it
 * is not a string, depends on an object known only after apply, or does not evaluate (the plan
 * reports that expression's problem itself).
 */
export function knownAtPlan(config: ResolvedConfig | undefined, instance: ResourceInstance, attribute: string): string | undefined {
  const raw = instance.block.attributes[attribute];
  const plain = literal(raw);
  if (plain !== undefined || typeof raw !== "string" || !config) return plain;
  try {
    const { value } = evaluateAttribute(config, instance, attribute, NOTHING_APPLIED);
    return typeof value === "string" && !containsUnknown(value) ? value : undefined;
  } catch (caught) {
    if (caught instanceof ExpressionError) return undefined;
    throw caught;
  }
}
