// The Deployment construct: a flow made runnable, where its runs go (a work pool and queue,
// given as constructs or names), how its code is fetched (typed pull steps), its parameters
// and job variables as objects, and its schedules through addSchedule().
import { Construct, Token } from "../../cdk.js";
import type { JsonObject } from "../../constructs/json.js";
import { propProblems } from "../../constructs/prop-problems.js";
import type { IBlock, IDeployment, IFlow, IGlobalConcurrencyLimit, IWorkPool, IWorkQueue } from "../../constructs/refs.js";
import { jsonAttribute, standIn, validateAtSynth } from "../../constructs/support.js";
import { Deployment as DeploymentL1, type DeploymentPullSteps } from "../../generated/prefect/deployment/index.js";
import { DeploymentSchedule, type Schedule, type ScheduleOptions } from "../deployment-schedule/construct.js";
import { Flow } from "../flow/construct.js";
import { deploymentSchema, type PullStepSpec } from "./schema.js";

/** What Prefect does with a run that would go over the deployment's concurrency limit. */
export enum CollisionStrategy {
  /** The run waits until a slot is free. */
  ENQUEUE = "ENQUEUE",
  /** The run is cancelled. */
  CANCEL_NEW = "CANCEL_NEW",
}

/** What every pull step takes. */
export interface PullStepOptions {
  /**
   * Python packages the step needs, installed before it runs (e.g. "prefect-aws>=0.3.4").
   *
   * @default - none
   */
  readonly requires?: string;
}

/**
 * Credentials of a step: a block (its `{{ prefect.blocks.<type>.<name> }}` reference is written
 * for you) or such a reference as text.
 */
export type StepCredentials = IBlock | string;

/** Options of {@link PullStep.gitClone}. */
export interface GitCloneOptions extends PullStepOptions {
  /** The URL of the repository to clone. */
  readonly repository: string;
  /**
   * The branch to clone.
   *
   * @default - the repository's default branch
   */
  readonly branch?: string;
  /**
   * Credentials for the repository (e.g. a GitHubCredentials block). Not with `accessToken`.
   *
   * @default - none (a public repository)
   */
  readonly credentials?: StepCredentials;
  /**
   * An access token for the repository. Prefer `credentials`, which keeps the token in a block
   * rather than in the deployment. Not with `credentials`.
   *
   * @default - none
   */
  readonly accessToken?: string;
  /**
   * Whether to clone the repository's submodules too.
   *
   * @default false
   */
  readonly includeSubmodules?: boolean;
}

/** Options of {@link PullStep.runShellScript}. */
export interface RunShellScriptOptions extends PullStepOptions {
  /**
   * The directory to run the script in.
   *
   * @default - the working directory
   */
  readonly directory?: string;
  /**
   * Environment variables for the script.
   *
   * @default - none added
   */
  readonly env?: { readonly [name: string]: string };
  /**
   * Whether to expand environment variables in the script before running it.
   *
   * @default false
   */
  readonly expandEnvVars?: boolean;
  /**
   * Whether to stream the script's output to the flow run's logs.
   *
   * @default true
   */
  readonly streamOutput?: boolean;
}

/** Options of {@link PullStep.pipInstallRequirements}. */
export interface PipInstallRequirementsOptions extends PullStepOptions {
  /**
   * The requirements file to install.
   *
   * @default "requirements.txt"
   */
  readonly requirementsFile?: string;
  /**
   * The directory the requirements file is in.
   *
   * @default - the working directory
   */
  readonly directory?: string;
  /**
   * Whether to stream pip's output to the flow run's logs.
   *
   * @default true
   */
  readonly streamOutput?: boolean;
}

/** Options of the bucket steps ({@link PullStep.pullFromS3}, {@link PullStep.pullFromGcs}). */
export interface BucketPullOptions extends PullStepOptions {
  /** The bucket the files are in. */
  readonly bucket: string;
  /** The folder of the bucket the files are in. */
  readonly folder: string;
  /**
   * Credentials for the bucket (e.g. an AwsCredentials or GcpCredentials block).
   *
   * @default - the worker's own credentials
   */
  readonly credentials?: StepCredentials;
}

/** Options of {@link PullStep.pullFromAzureBlobStorage}. */
export interface AzureBlobPullOptions extends PullStepOptions {
  /** The container the files are in. */
  readonly container: string;
  /** The folder of the container the files are in. */
  readonly folder: string;
  /**
   * Credentials for the container (an AzureBlobStorageCredentials block).
   *
   * @default - the worker's own credentials
   */
  readonly credentials?: StepCredentials;
}

/** `{{ prefect.blocks.<type>.<name> }}`, Prefect's reference to a block in a step's inputs. */
function credentialsText(credentials: StepCredentials | undefined): string | undefined {
  if (credentials === undefined || typeof credentials === "string") return credentials;
  return `{{ prefect.blocks.${credentials.typeSlug}.${credentials.blockName} }}`;
}

/**
 * One step a worker runs to fetch a deployment's code before a run, in the official provider's
 * terms (Prefect stores `{"prefect.deployments.steps.git_clone": {...}}`).
 *
 * @example
 * PullStep.gitClone({ repository: "https://github.com/acme/flows.git", branch: "main", credentials: githubCredentials });
 * PullStep.pipInstallRequirements({ requirementsFile: "requirements.txt" });
 */
export class PullStep {
  /**
   * Clone a git repository (prefect.deployments.steps.git_clone).
   *
   * @example
   * PullStep.gitClone({ repository: "https://github.com/acme/flows.git", branch: "main" })
   */
  public static gitClone(options: GitCloneOptions): PullStep {
    return new PullStep({
      type: "git_clone",
      repository: options.repository,
      branch: options.branch,
      credentials: credentialsText(options.credentials),
      access_token: options.accessToken,
      include_submodules: options.includeSubmodules,
      requires: options.requires,
    });
  }

  /**
   * Change the working directory (prefect.deployments.steps.set_working_directory).
   *
   * @example
   * PullStep.setWorkingDirectory("/opt/prefect/flows")
   */
  public static setWorkingDirectory(directory: string, options: PullStepOptions = {}): PullStep {
    return new PullStep({ type: "set_working_directory", directory, requires: options.requires });
  }

  /**
   * Run a shell script (prefect.deployments.steps.run_shell_script).
   *
   * @example
   * PullStep.runShellScript("make deps", { directory: "flows" })
   */
  public static runShellScript(script: string, options: RunShellScriptOptions = {}): PullStep {
    return new PullStep({
      type: "run_shell_script",
      script,
      directory: options.directory,
      env: options.env === undefined ? undefined : { ...options.env },
      expand_env_vars: options.expandEnvVars,
      stream_output: options.streamOutput,
      requires: options.requires,
    });
  }

  /**
   * Install a requirements file with pip (prefect.deployments.steps.pip_install_requirements).
   *
   * @example
   * PullStep.pipInstallRequirements({ requirementsFile: "requirements.txt" })
   */
  public static pipInstallRequirements(options: PipInstallRequirementsOptions = {}): PullStep {
    return new PullStep({
      type: "pip_install_requirements",
      requirements_file: options.requirementsFile,
      directory: options.directory,
      stream_output: options.streamOutput,
      requires: options.requires,
    });
  }

  /**
   * Download a folder of an S3 bucket (prefect_aws.deployments.steps.pull_from_s3).
   *
   * @example
   * PullStep.pullFromS3({ bucket: "acme-flows", folder: "etl", requires: "prefect-aws>=0.5" })
   */
  public static pullFromS3(options: BucketPullOptions): PullStep {
    return new PullStep({ type: "pull_from_s3", bucket: options.bucket, folder: options.folder, credentials: credentialsText(options.credentials), requires: options.requires });
  }

  /**
   * Download a folder of a Google Cloud Storage bucket (prefect_gcp.deployments.steps.pull_from_gcs).
   *
   * @example
   * PullStep.pullFromGcs({ bucket: "acme-flows", folder: "etl" })
   */
  public static pullFromGcs(options: BucketPullOptions): PullStep {
    return new PullStep({ type: "pull_from_gcs", bucket: options.bucket, folder: options.folder, credentials: credentialsText(options.credentials), requires: options.requires });
  }

  /**
   * Download a folder of an Azure Blob Storage container
   * (prefect_azure.deployments.steps.pull_from_azure_blob_storage).
   *
   * @example
   * PullStep.pullFromAzureBlobStorage({ container: "flows", folder: "etl" })
   */
  public static pullFromAzureBlobStorage(options: AzureBlobPullOptions): PullStep {
    return new PullStep({
      type: "pull_from_azure_blob_storage",
      container: options.container,
      folder: options.folder,
      credentials: credentialsText(options.credentials),
      requires: options.requires,
    });
  }

  private constructor(private readonly spec: PullStepSpec) {}

  /** The step's type, as the official provider names it (`git_clone`, `pull_from_s3`, ...). */
  public get type(): string {
    return this.spec.type;
  }

  /** The step as Terraform attributes (undefined ones left out). */
  public toAttributes(): PullStepSpec {
    return Object.fromEntries(Object.entries(this.spec).filter(([, value]) => value !== undefined)) as unknown as PullStepSpec;
  }

  /** The step as the generated binding takes it. */
  public toBinding(): DeploymentPullSteps {
    const spec = this.spec;
    return {
      type: spec.type,
      accessToken: spec.access_token,
      branch: spec.branch,
      bucket: spec.bucket,
      container: spec.container,
      credentials: spec.credentials,
      directory: spec.directory,
      env: spec.env,
      expandEnvVars: spec.expand_env_vars,
      folder: spec.folder,
      includeSubmodules: spec.include_submodules,
      repository: spec.repository,
      requirementsFile: spec.requirements_file,
      requires: spec.requires,
      script: spec.script,
      streamOutput: spec.stream_output,
    };
  }
}

/** Properties of a {@link Deployment}. */
export interface DeploymentProps {
  /** The deployment's name, unique among its flow's deployments (no / % & > <). Changing it replaces the deployment. */
  readonly name: string;

  /**
   * The flow the deployment runs: a Flow of the stack, or `Flow.fromFlowId(...)` for one
   * managed elsewhere. Give this or `flowName`.
   *
   * @default - the flow named by `flowName`
   */
  readonly flow?: IFlow;

  /**
   * The name of the flow the deployment runs; the stack's Flow of that name is used, and
   * declared if there is none yet (`Flow.forName`), so deployments of one flow share it. Give
   * this or `flow`.
   *
   * @default - the flow given by `flow`
   */
  readonly flowName?: string;

  /**
   * The work pool the deployment's runs go to: a WorkPool of the stack, `WorkPool.fromWorkPoolName(...)`
   * or a pool name.
   *
   * @default - the pool of `workQueue` when it is a queue object; otherwise none (the server decides)
   */
  readonly workPool?: IWorkPool | string;

  /**
   * The queue of the pool the deployment's runs go to: a WorkQueue (`pool.addQueue(...)`), or a
   * queue name.
   *
   * @default - the pool's `default` queue
   */
  readonly workQueue?: IWorkQueue | string;

  /**
   * Parameters for the deployment's flow runs. Values may be references and variables.
   *
   * @default {}
   */
  readonly parameters?: JsonObject;

  /**
   * The JSON schema of the flow's parameters (what `prefect deploy` generates from the flow's
   * signature).
   *
   * @default {}
   */
  readonly parameterOpenapiSchema?: JsonObject;

  /**
   * Whether Prefect checks parameters against `parameterOpenapiSchema`.
   *
   * @default true
   */
  readonly enforceParameterSchema?: boolean;

  /**
   * Overrides of the work pool's job template for the deployment's runs (the pool's
   * `variables`, e.g. `{ image: "acme/etl:1.4" }`). Prefect cannot empty them in place: going
   * from some to none replaces the deployment.
   *
   * @default {}
   */
  readonly jobVariables?: JsonObject;

  /**
   * Tags of the deployment (a set).
   *
   * @default - no tags
   */
  readonly tags?: string[];

  /**
   * A description of the deployment.
   *
   * @default - the description the deployment has stands
   */
  readonly description?: string;

  /**
   * A version label.
   *
   * @default - the version the deployment has stands
   */
  readonly version?: string;

  /**
   * Whether the deployment is paused: no runs are scheduled while it is.
   *
   * @default false
   */
  readonly paused?: boolean;

  /**
   * Where the flow function is, relative to `path` (e.g. "flows/etl.py:nightly").
   *
   * @default - the entrypoint the deployment has stands
   */
  readonly entrypoint?: string;

  /**
   * The working directory of the flow's code, relative to its storage, or an absolute path.
   *
   * @default - the path the deployment has stands
   */
  readonly path?: string;

  /**
   * The steps a worker runs to fetch the flow's code before a run, in order.
   *
   * @default - none
   */
  readonly pullSteps?: PullStep[];

  /**
   * How many runs of the deployment may be active at once. Not with `globalConcurrencyLimit`.
   *
   * @default - no limit of its own
   */
  readonly concurrencyLimit?: number;

  /**
   * What happens to a run that would go over the limit.
   *
   * @default CollisionStrategy.ENQUEUE (Prefect's)
   */
  readonly collisionStrategy?: CollisionStrategy;

  /**
   * A global concurrency limit the deployment shares with others. Not with `concurrencyLimit`.
   *
   * @default - none
   */
  readonly globalConcurrencyLimit?: IGlobalConcurrencyLimit;
}

/** What a deployment referenced by id and name knows. */
export interface DeploymentAttributes {
  /** The deployment's id (UUID). */
  readonly deploymentId: string;
  /** The deployment's name. */
  readonly deploymentName: string;
}

/**
 * A Prefect deployment: a flow made runnable by Prefect, with where its runs go, how their
 * code is fetched, their parameters, and its schedules ({@link Deployment.addSchedule}).
 *
 * @example
 * const pool = new WorkPool(stack, "k8s", { name: "k8s", type: "kubernetes" });
 * const nightly = new Deployment(stack, "nightly", {
 *   name: "nightly",
 *   flowName: "etl",
 *   workPool: pool,
 *   workQueue: pool.addQueue("batch", { priority: 2 }),
 *   entrypoint: "flows/etl.py:etl",
 *   pullSteps: [PullStep.gitClone({ repository: "https://github.com/acme/flows.git", branch: "main" })],
 *   parameters: { full_refresh: false },
 *   jobVariables: { image: "acme/etl:1.4" },
 * });
 * nightly.addSchedule(Schedule.cron("0 2 * * *"), { timezone: "Europe/Paris", slug: "nightly" });
 */
export class Deployment extends Construct implements IDeployment {
  /**
   * A deployment managed elsewhere, by id. There are no data sources in the engine, so a
   * deployment not declared in this stack is referred to by its id (from the UI,
   * `prefect deployment ls`, or a variable). Its name is unknown: reading `deploymentName`
   * throws; use {@link Deployment.fromDeploymentAttributes} to give it.
   *
   * @example
   * const etl = Deployment.fromDeploymentId(this, "Etl", "4c1f2e3d-5b6a-4798-8a9b-0c1d2e3f4a5b");
   * new DeploymentSchedule(this, "Hourly", { deployment: etl, schedule: Schedule.interval({ hours: 1 }) });
   */
  public static fromDeploymentId(scope: Construct, id: string, deploymentId: string): IDeployment {
    class Import extends Construct implements IDeployment {
      public readonly deploymentId = deploymentId;
      public get deploymentName(): string {
        throw new Error(
          `${this.node.path}: the deployment was referenced by id only (Deployment.fromDeploymentId), so its name is not known; use Deployment.fromDeploymentAttributes(scope, id, { deploymentId, deploymentName })`,
        );
      }
    }
    return new Import(scope, id);
  }

  /**
   * A deployment managed elsewhere, by id and name.
   *
   * @example
   * const etl = Deployment.fromDeploymentAttributes(this, "Etl", { deploymentId: etlId.stringValue, deploymentName: "nightly" });
   */
  public static fromDeploymentAttributes(scope: Construct, id: string, attributes: DeploymentAttributes): IDeployment {
    class Import extends Construct implements IDeployment {
      public readonly deploymentId = attributes.deploymentId;
      public readonly deploymentName = attributes.deploymentName;
    }
    return new Import(scope, id);
  }

  /** The deployment's id: a reference (`${prefect_deployment.<id>.id}`) that orders what uses it after the deployment. */
  public readonly deploymentId: string;

  /** The deployment's name: a reference to the declared name. */
  public readonly deploymentName: string;

  /** The flow the deployment runs, when one was given or named. */
  public readonly flow?: IFlow;

  private readonly addedSchedules: DeploymentSchedule[] = [];

  constructor(scope: Construct, id: string, props: DeploymentProps) {
    super(scope, id);
    this.flow = props.flow ?? (props.flowName !== undefined ? Flow.forName(this, props.flowName) : undefined);
    const queue = props.workQueue;
    const workPoolName =
      props.workPool !== undefined ? (typeof props.workPool === "string" ? props.workPool : props.workPool.workPoolName) : typeof queue === "object" ? queue.workPoolName : undefined;
    const attributes = {
      name: props.name,
      flow_id: this.flow?.flowId,
      description: props.description,
      version: props.version,
      path: props.path,
      entrypoint: props.entrypoint,
      paused: props.paused,
      enforce_parameter_schema: props.enforceParameterSchema,
      parameters: props.parameters,
      parameter_openapi_schema: props.parameterOpenapiSchema,
      job_variables: props.jobVariables,
      tags: props.tags,
      work_pool_name: workPoolName,
      work_queue_name: queue === undefined ? undefined : typeof queue === "string" ? queue : queue.workQueueName,
      concurrency_limit: props.concurrencyLimit,
      concurrency_options: props.collisionStrategy === undefined ? undefined : { collision_strategy: props.collisionStrategy },
      global_concurrency_limit_id: props.globalConcurrencyLimit?.limitId,
      pull_steps: props.pullSteps?.map((step) => step.toAttributes()),
    };
    const resource = new DeploymentL1(this, "Default", {
      name: props.name,
      // Without a flow the construct fails validation at synth; the binding still needs a value.
      flowId: attributes.flow_id ?? "",
      description: props.description,
      version: props.version,
      path: props.path,
      entrypoint: props.entrypoint,
      paused: props.paused,
      enforceParameterSchema: props.enforceParameterSchema,
      parameters: jsonAttribute(props.parameters),
      parameterOpenapiSchema: jsonAttribute(props.parameterOpenapiSchema),
      jobVariables: jsonAttribute(props.jobVariables),
      tags: props.tags,
      workPoolName: attributes.work_pool_name,
      workQueueName: attributes.work_queue_name,
      concurrencyLimit: props.concurrencyLimit,
      concurrencyOptions: props.collisionStrategy === undefined ? undefined : { collisionStrategy: props.collisionStrategy },
      globalConcurrencyLimitId: attributes.global_concurrency_limit_id,
      pullSteps: props.pullSteps?.map((step) => step.toBinding()),
    });
    this.deploymentId = resource.id;
    this.deploymentName = resource.name;
    validateAtSynth(this, () => [
      ...this.flowProblems(props),
      ...queueProblems(props),
      // A missing flow is reported above; a stand-in id lets the kind's other rules run.
      ...propProblems(deploymentSchema, { ...attributes, flow_id: attributes.flow_id ?? standIn(deploymentSchema, "flow_id") }, {
        flow_id: "flow",
        work_pool_name: "workPool",
        work_queue_name: "workQueue",
        global_concurrency_limit_id: "globalConcurrencyLimit",
        "concurrency_options.collision_strategy": "collisionStrategy",
      }),
    ]);
  }

  /** The schedules added with {@link Deployment.addSchedule}, in order. */
  public get schedules(): readonly DeploymentSchedule[] {
    return [...this.addedSchedules];
  }

  /**
   * Schedule the deployment: one prefect_deployment_schedule per call. A `slug` names the
   * schedule (and its construct, keeping its Terraform address stable); without one, schedules
   * are numbered in the order they are added.
   *
   * @example
   * deployment.addSchedule(Schedule.cron("0 6 * * 1-5"), { timezone: "Europe/Paris", slug: "weekday-mornings" });
   * deployment.addSchedule(Schedule.interval({ minutes: 30 }), { parameters: { sample: true }, active: false });
   */
  public addSchedule(schedule: Schedule, options: ScheduleOptions = {}): DeploymentSchedule {
    const slug = options.slug;
    // "Default" is this construct's own resource; a token is no construct id.
    const named = slug !== undefined && slug.trim() !== "" && !Token.isUnresolved(slug) && slug !== "Default";
    const id = named ? slug : `schedule-${this.addedSchedules.length + 1}`;
    const added = new DeploymentSchedule(this, id, { ...options, deployment: this, schedule });
    this.addedSchedules.push(added);
    return added;
  }

  private flowProblems(props: DeploymentProps): string[] {
    if (props.flow !== undefined && props.flowName !== undefined) {
      return ["flow: give flow or flowName, not both (flowName declares or reuses the stack's Flow of that name)"];
    }
    if (this.flow === undefined) {
      return ['flow: the deployment needs a flow; give flow (a Flow, or Flow.fromFlowId(...) for one managed elsewhere) or flowName (e.g. flowName: "etl")'];
    }
    return [];
  }
}

/** A queue object belongs to one pool; a different workPool beside it cannot be right. */
function queueProblems(props: DeploymentProps): string[] {
  const queue = props.workQueue;
  if (props.workPool === undefined || queue === undefined || typeof queue === "string") return [];
  const pool = typeof props.workPool === "string" ? props.workPool : props.workPool.workPoolName;
  // A name and a reference cannot be compared before apply; two names, or two references, can.
  if (Token.isUnresolved(pool) !== Token.isUnresolved(queue.workPoolName) || pool === queue.workPoolName) return [];
  const show = (name: string) => (Token.isUnresolved(name) ? "another pool" : JSON.stringify(name));
  return [`workQueue: the queue belongs to work pool ${show(queue.workPoolName)}, not to workPool ${show(pool)}; leave workPool out (a queue object brings its pool) or give a queue of that pool`];
}
