// The Flow construct. A flow name is unique in a workspace and the engine refuses two
// declarations of one object, so a stack holds at most one Flow per name: deployments naming
// their flow (`flowName`) share it through Flow.forName.
import { Construct, TerraformStack, Token } from "../../cdk.js";
import { propProblems } from "../../constructs/prop-problems.js";
import type { IFlow } from "../../constructs/refs.js";
import { validateAtSynth } from "../../constructs/support.js";
import { Flow as FlowL1 } from "../../generated/prefect/flow/index.js";
import { flowSchema } from "./schema.js";

/** Properties of a {@link Flow}. */
export interface FlowProps {
  /**
   * The flow's name, as its `@flow` decorator gives it (no / % & > <). Changing it replaces
   * the flow.
   */
  readonly name: string;

  /**
   * Tags on the flow (a set: order and duplicates do not matter).
   *
   * @default - no tags
   */
  readonly tags?: string[];
}

/** What a flow referenced by id only does not know. */
export interface FlowAttributes {
  /** The flow's id (UUID). */
  readonly flowId: string;
  /** The flow's name. */
  readonly flowName: string;
}

/** The Flows of each stack, by name: Flow.forName's registry and the duplicate check. */
const flowsByStack = new WeakMap<TerraformStack, Map<string, Flow[]>>();

function flowsOf(scope: Construct): Map<string, Flow[]> {
  const stack = TerraformStack.of(scope);
  let flows = flowsByStack.get(stack);
  if (!flows) {
    flows = new Map();
    flowsByStack.set(stack, flows);
  }
  return flows;
}

/**
 * A Prefect flow: the named workflow deployments and flow runs belong to. Flows are usually
 * registered by the code that defines them; declaring one lets deployments refer to it and
 * sets its tags. A stack declares each flow name once: use {@link Flow.forName} (or a
 * Deployment's `flowName`) to share it.
 *
 * @example
 * const etl = new Flow(stack, "etl", { name: "etl", tags: ["team-data"] });
 * new Deployment(stack, "nightly", { name: "nightly", flow: etl, workPool: pool });
 */
export class Flow extends Construct implements IFlow {
  /**
   * The flow of this name in the scope's stack: the Flow already declared there (by `new Flow`,
   * another `forName` or a Deployment's `flowName`), or a new one, made at the stack's root
   * with the id `flow-<name>` (Terraform address `prefect_flow.flow-<name>`, less the
   * characters Terraform names cannot hold).
   *
   * @example
   * const flow = Flow.forName(this, "etl"); // the same Flow wherever it is asked for in the stack
   */
  public static forName(scope: Construct, name: string): Flow {
    const flows = flowsOf(scope);
    const existing = flows.get(name)?.[0];
    if (existing) return existing;
    const stack = TerraformStack.of(scope);
    // A token is no name for a construct id; number those flows instead.
    const id = Token.isUnresolved(name) ? `flow-${[...flows.keys()].filter((key) => Token.isUnresolved(key)).length + 1}` : `flow-${name}`;
    return new Flow(stack, id, { name });
  }

  /**
   * A flow managed elsewhere, by id. There are no data sources in the engine, so a flow not
   * declared in this stack is referred to by its id (from the UI, `prefect flow ls`, or a
   * variable). Its name is unknown: reading `flowName` throws; use
   * {@link Flow.fromFlowAttributes} to give it.
   *
   * @example
   * const flow = Flow.fromFlowId(this, "Etl", "2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f");
   */
  public static fromFlowId(scope: Construct, id: string, flowId: string): IFlow {
    class Import extends Construct implements IFlow {
      public readonly flowId = flowId;
      public get flowName(): string {
        throw new Error(`${this.node.path}: the flow was referenced by id only (Flow.fromFlowId), so its name is not known; use Flow.fromFlowAttributes(scope, id, { flowId, flowName })`);
      }
    }
    return new Import(scope, id);
  }

  /**
   * A flow managed elsewhere, by id and name.
   *
   * @example
   * const flow = Flow.fromFlowAttributes(this, "Etl", { flowId: etlFlowId.stringValue, flowName: "etl" });
   */
  public static fromFlowAttributes(scope: Construct, id: string, attributes: FlowAttributes): IFlow {
    class Import extends Construct implements IFlow {
      public readonly flowId = attributes.flowId;
      public readonly flowName = attributes.flowName;
    }
    return new Import(scope, id);
  }

  /** The flow's id: a reference (`${prefect_flow.<name>.id}`) that orders what uses it after the flow. */
  public readonly flowId: string;

  /** The flow's name: a reference to the declared name. */
  public readonly flowName: string;

  constructor(scope: Construct, id: string, props: FlowProps) {
    super(scope, id);
    const flows = flowsOf(this);
    flows.set(props.name, [...(flows.get(props.name) ?? []), this]);
    const resource = new FlowL1(this, "Default", { name: props.name, tags: props.tags });
    this.flowId = resource.id;
    this.flowName = resource.name;
    validateAtSynth(this, () => [...propProblems(flowSchema, { name: props.name, tags: props.tags }), ...this.duplicateProblems(props.name)]);
  }

  private duplicateProblems(name: string): string[] {
    const others = (flowsOf(this).get(name) ?? []).filter((flow) => flow !== this);
    if (!others.length) return [];
    return [
      `name: the flow ${JSON.stringify(name)} is also declared by ${others.map((flow) => flow.node.path).join(", ")}; a stack declares a flow once (the engine refuses two declarations of one object): share it with Flow.forName(scope, ${JSON.stringify(name)}) or pass the Flow to each deployment, declaring it before the deployments that name it`,
    ];
  }
}
