// The GlobalConcurrencyLimit construct: a named number of slots flows and tasks take while they
// run (`concurrency("name")`), or with a slot decay, a rate limit (`rate_limit("name")`).
import { Construct } from "../../cdk.js";
import { propProblems } from "../../constructs/prop-problems.js";
import type { IGlobalConcurrencyLimit } from "../../constructs/refs.js";
import { validateAtSynth } from "../../constructs/support.js";
import { GlobalConcurrencyLimit as GlobalConcurrencyLimitL1 } from "../../generated/prefect/global-concurrency-limit/index.js";
import { globalConcurrencyLimitSchema } from "./schema.js";

/** Properties of a {@link GlobalConcurrencyLimit}. */
export interface GlobalConcurrencyLimitProps {
  /** The limit's name, which code uses to take its slots: any text without / % & > <. */
  readonly name: string;

  /** How many slots can be taken at once (0 blocks every taker). */
  readonly limit: number;

  /**
   * Whether the limit is enforced; an inactive limit lets everything through.
   *
   * @default true
   */
  readonly active?: boolean;

  /**
   * Slots given back per second without being released: above 0, the limit works as a rate
   * limit (`rate_limit("name")`).
   *
   * @default 0
   */
  readonly slotDecayPerSecond?: number;
}

/** What a limit managed elsewhere is known by. */
export interface GlobalConcurrencyLimitAttributes {
  /** The limit's id (UUID). */
  readonly limitId: string;
  /** The limit's name. */
  readonly limitName: string;
}

/**
 * A Prefect global concurrency limit: a named pool of slots that flows and tasks take while
 * they run, shared by deployments through its id.
 *
 * @example
 * const warehouse = new GlobalConcurrencyLimit(stack, "warehouse", { name: "warehouse", limit: 4 });
 * new GlobalConcurrencyLimit(stack, "api-rate", { name: "vendor-api", limit: 10, slotDecayPerSecond: 2 });
 */
export class GlobalConcurrencyLimit extends Construct implements IGlobalConcurrencyLimit {
  /**
   * A limit managed elsewhere, by id. There are no data sources in the engine: a limit not
   * declared in this stack is referred to by its id (`prefect gcl inspect <name>` shows it).
   * Its name is unknown: reading `limitName` throws; use
   * {@link GlobalConcurrencyLimit.fromLimitAttributes} to give it.
   *
   * @example
   * const shared = GlobalConcurrencyLimit.fromLimitId(this, "Shared", "7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
   */
  public static fromLimitId(scope: Construct, id: string, limitId: string): IGlobalConcurrencyLimit {
    class Import extends Construct implements IGlobalConcurrencyLimit {
      public readonly limitId = limitId;
      public get limitName(): string {
        throw new Error(
          `${this.node.path}: the concurrency limit was referenced by id only (GlobalConcurrencyLimit.fromLimitId), so its name is not known; use GlobalConcurrencyLimit.fromLimitAttributes(scope, id, { limitId, limitName })`,
        );
      }
    }
    return new Import(scope, id);
  }

  /**
   * A limit managed elsewhere, by id and name.
   *
   * @example
   * const shared = GlobalConcurrencyLimit.fromLimitAttributes(this, "Shared", { limitId: sharedId.stringValue, limitName: "warehouse" });
   */
  public static fromLimitAttributes(scope: Construct, id: string, attributes: GlobalConcurrencyLimitAttributes): IGlobalConcurrencyLimit {
    class Import extends Construct implements IGlobalConcurrencyLimit {
      public readonly limitId = attributes.limitId;
      public readonly limitName = attributes.limitName;
    }
    return new Import(scope, id);
  }

  /** The limit's id: a reference (`${prefect_global_concurrency_limit.<id>.id}`), known once it exists. */
  public readonly limitId: string;

  /** The limit's name: a reference to the declared name. */
  public readonly limitName: string;

  constructor(scope: Construct, id: string, props: GlobalConcurrencyLimitProps) {
    super(scope, id);
    // Named "Default" so that the Terraform address is the construct's own
    // (prefect_global_concurrency_limit.<id>) and the resource is node.defaultChild.
    const resource = new GlobalConcurrencyLimitL1(this, "Default", {
      name: props.name,
      limit: props.limit,
      active: props.active,
      slotDecayPerSecond: props.slotDecayPerSecond,
    });
    this.limitId = resource.id;
    this.limitName = resource.name;
    validateAtSynth(this, () =>
      propProblems(globalConcurrencyLimitSchema, { name: props.name, limit: props.limit, active: props.active, slot_decay_per_second: props.slotDecayPerSecond }),
    );
  }
}
