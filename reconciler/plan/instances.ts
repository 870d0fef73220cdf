// Phase 1 of a plan: which instances exist (unknown types refused with a suggestion, Cloud-only
// kinds refused off Cloud), and the dependency graph between them with its cycle check.
import { suggest, type Kind } from "../../provider/kinds/kind.js";
import { instanceReferences, type ResourceInstance } from "../config/resolve.js";
import { error, type Diagnostic } from "../diagnostics.js";
import { findCycle, type DependencyGraph } from "./graph.js";
import type { PlanMode } from "./model.js";

export interface IndexedInstances {
  /** Instances of a supported kind, by address. */
  instances: Map<string, ResourceInstance>;
  graph: DependencyGraph;
  /** The first cycle found (`a -> b -> a`), if any: then nothing is evaluated. */
  cycle?: string[];
  diagnostics: Diagnostic[];
}

export interface IndexOptions {
  kindFor: (type: string) => Kind | undefined;
  knownTypes: string[];
  cloud: boolean;
  mode: PlanMode;
}

export function indexInstances(all: readonly ResourceInstance[], options: IndexOptions): IndexedInstances {
  const diagnostics: Diagnostic[] = [];
  const byBlock = new Map<string, ResourceInstance[]>();
  const instances = new Map<string, ResourceInstance>();
  for (const instance of all) {
    const kind = options.kindFor(instance.type);
    const where = { file: instance.block.location.file, line: instance.block.location.line, address: instance.address };
    if (!kind) {
      diagnostics.push(error("RESOURCE_TYPE_UNSUPPORTED", `Unsupported resource type ${instance.type}`, { ...where, detail: `The engine manages ${options.knownTypes.join(", ")}.${suggest(instance.type, options.knownTypes)}` }));
      continue;
    }
    if (kind.cloudOnly && !options.cloud && options.mode !== "destroy") {
      diagnostics.push(
        error("CLOUD_ONLY", `${instance.type} needs Prefect Cloud`, {
          ...where,
          detail: "Point the provider at a Prefect Cloud workspace (endpoint with account_id and workspace_id, or a .../api/accounts/ID/workspaces/ID URL).",
        }),
      );
    }
    const key = `${instance.type}.${instance.name}`;
    byBlock.set(key, [...(byBlock.get(key) ?? []), instance]);
    instances.set(instance.address, instance);
  }

  const graph: DependencyGraph = new Map();
  for (const instance of instances.values()) {
    const { references, problems } = instanceReferences(instance, byBlock);
    diagnostics.push(...problems);
    graph.set(instance.address, new Set([...references].filter((address) => instances.has(address))));
  }
  const cycle = findCycle(graph);
  if (cycle) {
    const first = instances.get(cycle[0] ?? "");
    diagnostics.push(
      error("CONFIG_CYCLE", "The resources refer to each other in a cycle", {
        file: first?.block.location.file,
        line: first?.block.location.line,
        address: cycle[0],
        detail: `${cycle.join(" -> ")}\nBreak the cycle: one of these must not refer to the next.`,
      }),
    );
  }
  return { instances, graph, cycle, diagnostics };
}
