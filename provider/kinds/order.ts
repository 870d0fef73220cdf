// The one kind order: every kind after the kinds its attributes refer to (so a wave creates a
// pool before its queues, a flow before its deployments), and otherwise as the registry lists
// them. Plan and apply break ties within a wave with it; import writes resources in it.
import type { KindSchema } from "./kind.js";
import { referencedTypes } from "./references.js";

/**
 * `kinds` sorted so that each comes after those it refers to, keeping the listed order where
 * references do not decide. References to kinds not listed are ignored.
 *
 * @throws when references form a cycle (a schema mistake: no order could create either first).
 */
export function inKindOrder<K extends KindSchema>(kinds: readonly K[]): K[] {
  const listed = new Set(kinds.map((kind) => kind.type));
  const waiting = new Map(kinds.map((kind) => [kind.type, new Set(referencedTypes(kind).filter((type) => listed.has(type)))]));
  const ordered: K[] = [];
  while (ordered.length < kinds.length) {
    // The first listed kind whose references are all placed: a stable topological order.
    const next = kinds.find((kind) => !ordered.includes(kind) && waiting.get(kind.type)!.size === 0);
    if (!next) throw new Error(`The kinds ${[...waiting].filter(([, refs]) => refs.size).map(([type]) => type).join(", ")} refer to each other in a cycle; no order creates either first`);
    ordered.push(next);
    for (const refs of waiting.values()) refs.delete(next.type);
  }
  return ordered;
}
