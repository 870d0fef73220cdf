// The one rule every kind's update follows: the body carries the wire fields of the attributes
// that changed, and nothing else. Prefect's update routes write only the fields a body sets
// (server/models/*: model_dump(exclude_unset=True) in update_work_pool, update_work_queue,
// update_flow, update_variable, update_concurrency_limit, update_deployment), so an omitted field
// keeps its live value, and an attribute a declaration no longer sets is cleared by its mapping
// sending null. Writing only the changes also keeps `ignore_changes` attributes and values other
// writers moved since the plan (a limit's active slots) as they are.

/**
 * How each updatable attribute is written: the wire fields it sets from the declaration. An
 * attribute with no entry is not written in place (force-new, computed, or written apart).
 */
export type WireFields<S, B, C = undefined> = { readonly [K in keyof S & string]?: (spec: S, context: C) => Partial<B> };

/**
 * The update body for `changed` (Kind.update's top-level attribute names): the wire fields of
 * each changed attribute that has a mapping, merged in attribute order. `context` is what a
 * mapping needs beyond the declaration (a schedule's live schedule, to keep what it leaves out).
 *
 * @example changedFields({ paused: true, description: undefined }, ["description"], POOL_WIRE) // { description: null }
 */
export function changedFields<S, B>(spec: S, changed: readonly string[], wire: WireFields<S, B>): Partial<B>;
export function changedFields<S, B, C>(spec: S, changed: readonly string[], wire: WireFields<S, B, C>, context: C): Partial<B>;
export function changedFields<S, B, C>(spec: S, changed: readonly string[], wire: WireFields<S, B, C>, context?: C): Partial<B> {
  const body: Partial<B> = {};
  for (const [attribute, fields] of Object.entries(wire) as [string, ((spec: S, context: C) => Partial<B>) | undefined][]) {
    if (fields && changed.includes(attribute)) Object.assign(body, fields(spec, context as C));
  }
  return body;
}

/** Whether an update body writes anything (an empty one needs no request). */
export const writesAnything = (body: object): boolean => Object.keys(body).length > 0;
