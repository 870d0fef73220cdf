// Dependency graphs of resource addresses: topological order, cycles, and the waves apply runs
// in (every node after all it depends on; nodes of one wave are independent of each other).

/** `edges.get(a)` = the addresses `a` depends on. */
export type DependencyGraph = Map<string, Set<string>>;

/** The first cycle found, as a path `a -> b -> a`, or undefined. */
export function findCycle(graph: DependencyGraph): string[] | undefined {
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    const mark = state.get(node);
    if (mark === "done") return undefined;
    if (mark === "visiting") return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, "visiting");
    stack.push(node);
    for (const next of [...(graph.get(node) ?? [])].sort()) {
      if (!graph.has(next)) continue;
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, "done");
    return undefined;
  };
  for (const node of [...graph.keys()].sort()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

/**
 * Waves: wave 0 holds the nodes that depend on nothing in the graph, wave n the nodes whose
 * dependencies are all in earlier waves. Within a wave, `tiebreak` orders nodes (it does not
 * create dependencies). Throws on a cycle (check findCycle first).
 */
export function waves(graph: DependencyGraph, tiebreak: (a: string, b: string) => number = (a, b) => a.localeCompare(b)): string[][] {
  const level = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (node: string): number => {
    const known = level.get(node);
    if (known !== undefined) return known;
    if (visiting.has(node)) throw new Error(`dependency cycle through ${node}`);
    visiting.add(node);
    let result = 0;
    for (const dependency of graph.get(node) ?? []) if (graph.has(dependency)) result = Math.max(result, depth(dependency) + 1);
    visiting.delete(node);
    level.set(node, result);
    return result;
  };
  const out: string[][] = [];
  for (const node of graph.keys()) {
    const at = depth(node);
    (out[at] ??= []).push(node);
  }
  return out.filter(Boolean).map((wave) => wave.sort(tiebreak));
}

/** A topological order (dependencies first). */
export function topologicalOrder(graph: DependencyGraph, tiebreak?: (a: string, b: string) => number): string[] {
  return waves(graph, tiebreak).flat();
}
