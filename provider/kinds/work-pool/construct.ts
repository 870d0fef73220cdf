// The WorkPool construct: a pool, its base job template as an object, and its queues through
// addQueue(). Prefect gives every pool a `default` queue; addQueue("default", ...) adopts it, which
// only prefect-gitops can apply (the official provider creates it and fails): synth warns.
import { Construct, Token } from "../../cdk.js";
import { propProblems } from "../../constructs/prop-problems.js";
import type { IWorkPool } from "../../constructs/refs.js";
import type { JsonObject } from "../../constructs/json.js";
import { jsonAttribute, validateAtSynth } from "../../constructs/support.js";
import { WorkPool as WorkPoolL1 } from "../../generated/prefect/work-pool/index.js";
import { WorkQueue, type WorkQueueOptions } from "../work-queue/construct.js";
import { DEFAULT_WORK_POOL_TYPE, workPoolSchema } from "./schema.js";

/** Properties of a {@link WorkPool}. */
export interface WorkPoolProps {
  /** The pool's name: no / % & > <, not starting with "prefect" (reserved). Changing it replaces the pool. */
  readonly name: string;

  /**
   * The worker type that serves the pool ("process", "docker", "kubernetes", ...). Changing it
   * replaces the pool.
   *
   * @default "prefect-agent"
   */
  readonly type?: string;

  /**
   * The base job template, as Prefect's document: `job_configuration`, whose `{{ placeholders }}`
   * must all be declared under `variables.properties` (a JSON schema deployments fill with
   * their job variables), or `{}` for none. Compared as a document.
   *
   * @default - the template the pool has stands (the one `prefect work-pool create` or the UI filled), never changed
   */
  readonly baseJobTemplate?: JsonObject;

  /**
   * A description of the pool.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * How many flow runs of the pool may run at once.
   *
   * @default - no limit
   */
  readonly concurrencyLimit?: number;

  /**
   * Whether the pool is paused: a paused pool hands no work to its workers.
   *
   * @default false
   */
  readonly paused?: boolean;
}

/** What a pool referenced by name and id knows. */
export interface WorkPoolAttributes {
  /** The pool's name. */
  readonly workPoolName: string;
  /** The pool's id (UUID), for automations that refer to pools by id. */
  readonly workPoolId: string;
}

/**
 * A Prefect work pool: where deployments send their flow runs, with the base job template
 * workers of its type fill to start them. Prefect creates every pool with a `default` queue
 * (deployments that name no queue go there); add more with {@link WorkPool.addQueue}.
 *
 * @example
 * const pool = new WorkPool(stack, "k8s", {
 *   name: "k8s",
 *   type: "kubernetes",
 *   concurrencyLimit: 20,
 *   baseJobTemplate: {
 *     job_configuration: { image: "{{ image }}" },
 *     variables: { type: "object", properties: { image: { type: "string", default: "prefecthq/prefect:3-latest" } } },
 *   },
 * });
 * const batch = pool.addQueue("batch", { priority: 3 });
 * const urgent = pool.addQueue("urgent", { priority: 2, concurrencyLimit: 5 });
 */
export class WorkPool extends Construct implements IWorkPool {
  /**
   * A pool managed elsewhere, by name (nothing is declared; references carry the name as it is).
   *
   * @example
   * const shared = WorkPool.fromWorkPoolName(this, "Shared", "shared-k8s");
   */
  public static fromWorkPoolName(scope: Construct, id: string, workPoolName: string): IWorkPool {
    class Import extends Construct implements IWorkPool {
      public readonly workPoolName = workPoolName;
    }
    return new Import(scope, id);
  }

  /**
   * A pool managed elsewhere, by name and id (automations refer to pools by id).
   *
   * @example
   * const shared = WorkPool.fromWorkPoolAttributes(this, "Shared", { workPoolName: "shared-k8s", workPoolId: poolId.stringValue });
   */
  public static fromWorkPoolAttributes(scope: Construct, id: string, attributes: WorkPoolAttributes): IWorkPool {
    class Import extends Construct implements IWorkPool {
      public readonly workPoolName = attributes.workPoolName;
      public readonly workPoolId = attributes.workPoolId;
    }
    return new Import(scope, id);
  }

  /** The pool's name: a reference (`${prefect_work_pool.<id>.name}`) that orders what uses it after the pool. */
  public readonly workPoolName: string;

  /** The pool's id (UUID), known once it exists. */
  public readonly workPoolId: string;

  /** The id of the pool's `default` queue, known once the pool exists. */
  public readonly defaultQueueId: string;

  /** The worker type of the pool. */
  public readonly type: string;

  private readonly addedQueues: WorkQueue[] = [];

  constructor(scope: Construct, id: string, props: WorkPoolProps) {
    super(scope, id);
    this.type = props.type ?? DEFAULT_WORK_POOL_TYPE;
    const attributes = {
      name: props.name,
      type: props.type,
      description: props.description,
      concurrency_limit: props.concurrencyLimit,
      paused: props.paused,
      base_job_template: props.baseJobTemplate,
    };
    // Named "Default" so that the Terraform address is the construct's own (prefect_work_pool.<id>)
    // and the resource is node.defaultChild, the escape hatch.
    const resource = new WorkPoolL1(this, "Default", {
      name: props.name,
      type: props.type,
      description: props.description,
      concurrencyLimit: props.concurrencyLimit,
      paused: props.paused,
      baseJobTemplate: jsonAttribute(props.baseJobTemplate),
    });
    this.workPoolName = resource.name;
    this.workPoolId = resource.id;
    this.defaultQueueId = resource.defaultQueueId;
    validateAtSynth(this, () => propProblems(workPoolSchema, attributes));
  }

  /** The queues added with {@link WorkPool.addQueue}, in order. */
  public get queues(): readonly WorkQueue[] {
    return [...this.addedQueues];
  }

  /**
   * Declare a queue of this pool (its construct id is the queue's name). `"default"` adopts the
   * queue Prefect created with the pool, so its priority and limits are managed too; but only
   * prefect-gitops can apply that (the official Terraform provider creates every declared queue,
   * and Prefect answers 409 for `default`), so synth warns: for a stack Terraform applies too,
   * give your queues other names and leave `default` undeclared.
   *
   * @example
   * const batch = pool.addQueue("batch", { concurrencyLimit: 10 });
   * const urgent = pool.addQueue("urgent", { priority: 2 });
   */
  public addQueue(name: string, options: WorkQueueOptions = {}): WorkQueue {
    // A token is no construct id; such queues are numbered instead.
    const id = Token.isUnresolved(name) ? `queue-${this.addedQueues.length + 1}` : name;
    const queue = new WorkQueue(this, id, { ...options, workPool: this, name });
    this.addedQueues.push(queue);
    return queue;
  }
}
