// The WorkQueue construct: a queue of a work pool, made by `pool.addQueue()` or directly for a
// pool managed elsewhere. A pool's `default` queue exists from the moment the pool does;
// declaring it adopts it, so its priority and limits can be managed too, but only prefect-gitops
// applies that: the PrefectProvider's synth check warns (terraform/official-refusals.ts).
import { Construct, TerraformStack, Token } from "../../cdk.js";
import { propProblems } from "../../constructs/prop-problems.js";
import type { IWorkPool, IWorkQueue } from "../../constructs/refs.js";
import { validateAtSynth } from "../../constructs/support.js";
import { WorkQueue as WorkQueueL1 } from "../../generated/prefect/work-queue/index.js";
import { workQueueSchema } from "./schema.js";

/** Settings of a work queue, as `WorkPool.addQueue` takes them. */
export interface WorkQueueOptions {
  /**
   * The queue's priority in its pool, 1 being polled first. Prefect keeps priorities unique
   * within a pool, so two queues of a pool may not declare the same one.
   *
   * @default - the priority Prefect gives the queue (the first free one) stands
   */
  readonly priority?: number;

  /**
   * How many flow runs from the queue may run at once.
   *
   * @default - no limit
   */
  readonly concurrencyLimit?: number;

  /**
   * A description of the queue.
   *
   * @default ""
   */
  readonly description?: string;

  /**
   * Whether the queue is paused: workers take no work from a paused queue.
   *
   * @default false
   */
  readonly paused?: boolean;
}

/** Properties of a {@link WorkQueue}. */
export interface WorkQueueProps extends WorkQueueOptions {
  /** The pool the queue belongs to: a WorkPool of the stack, `WorkPool.fromWorkPoolName(...)`, or a pool name. */
  readonly workPool: IWorkPool | string;

  /**
   * The queue's name, unique within its pool (no / % & > <). Changing it replaces the queue.
   * `"default"` adopts the queue Prefect makes with the pool, which only prefect-gitops can apply:
   * the official Terraform provider fails to create it (409), so synth warns.
   */
  readonly name: string;
}

/**
 * A queue of a Prefect work pool: deployments send flow runs to a queue, and workers poll a
 * pool's queues in priority order. Usually made with `pool.addQueue(...)`.
 *
 * @example
 * new WorkQueue(stack, "urgent", { workPool: "shared-k8s", name: "urgent", priority: 1, concurrencyLimit: 5 });
 */
export class WorkQueue extends Construct implements IWorkQueue {
  /**
   * A queue managed elsewhere, by its pool and name (nothing is declared; references carry the
   * names as they are).
   *
   * @example
   * const queue = WorkQueue.fromWorkQueueName(this, "Gpu", "shared-k8s", "gpu");
   */
  public static fromWorkQueueName(scope: Construct, id: string, workPool: IWorkPool | string, workQueueName: string): IWorkQueue {
    class Import extends Construct implements IWorkQueue {
      public readonly workPoolName = typeof workPool === "string" ? workPool : workPool.workPoolName;
      public readonly workQueueName = workQueueName;
    }
    return new Import(scope, id);
  }

  /** The name of the queue's pool (a reference when the pool is declared in the stack). */
  public readonly workPoolName: string;

  /** The queue's name: a reference (`${prefect_work_queue.<id>.name}`) that orders what uses it after the queue. */
  public readonly workQueueName: string;

  /** The queue's id (UUID), known once it exists. */
  public readonly workQueueId: string;

  /** The priority declared, if any. */
  public readonly priority?: number;

  private readonly declaredName: string;

  constructor(scope: Construct, id: string, props: WorkQueueProps) {
    super(scope, id);
    this.workPoolName = typeof props.workPool === "string" ? props.workPool : props.workPool.workPoolName;
    this.declaredName = props.name;
    this.priority = props.priority;
    const attributes = {
      work_pool_name: this.workPoolName,
      name: props.name,
      description: props.description,
      is_paused: props.paused,
      concurrency_limit: props.concurrencyLimit,
      priority: props.priority,
    };
    const resource = new WorkQueueL1(this, "Default", {
      workPoolName: attributes.work_pool_name,
      name: attributes.name,
      description: attributes.description,
      isPaused: attributes.is_paused,
      concurrencyLimit: attributes.concurrency_limit,
      priority: attributes.priority,
    });
    this.workQueueName = resource.name;
    this.workQueueId = resource.id;
    validateAtSynth(this, () => [...propProblems(workQueueSchema, attributes, { work_pool_name: "workPool", is_paused: "paused" }), ...this.siblingProblems()]);
  }

  /** Queues of the same pool in the stack: one declaration per name, one queue per priority. */
  private siblingProblems(): string[] {
    const known = (value: unknown): boolean => value !== undefined && !Token.isUnresolved(value);
    const siblings = TerraformStack.of(this)
      .node.findAll()
      .filter((construct): construct is WorkQueue => construct instanceof WorkQueue && construct !== this && construct.workPoolName === this.workPoolName);
    const problems: string[] = [];
    const sameName = siblings.filter((queue) => known(this.declaredName) && queue.declaredName === this.declaredName);
    if (sameName.length) {
      problems.push(
        `name: the queue ${JSON.stringify(this.declaredName)} of this pool is also declared by ${sameName.map((queue) => queue.node.path).join(", ")}; declare each queue once (the engine refuses two declarations of one object)`,
      );
    }
    const samePriority = siblings.filter((queue) => known(this.priority) && queue.priority === this.priority);
    if (samePriority.length) {
      problems.push(
        `priority: ${this.priority} is also the priority of ${samePriority.map((queue) => queue.node.path).join(", ")}; Prefect keeps priorities unique within a pool (it would renumber one queue and the plan would never settle): give each queue its own priority`,
      );
    }
    return problems;
  }
}
