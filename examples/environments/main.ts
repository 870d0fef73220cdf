// One stack class, two environments: dev and prod run the same ETL deployments, with their own
// work pool, schedule and parameters. Each environment is its own Prefect workspace (or
// server), so the names can be the same in both; pick the stack with --stack and the workspace
// with PREFECT_API_URL:
//
//   PREFECT_API_URL=$DEV_URL  npx prefect-gitops apply examples/environments --stack dev
//   PREFECT_API_URL=$PROD_URL npx prefect-gitops apply examples/environments --stack prod
//
// Keep one state per environment too (`--state dev.state.json`, or `--backend workspace`,
// which keeps each environment's state inside its own workspace).
import {
  App,
  type Construct,
  Deployment,
  PrefectProvider,
  PullStep,
  Schedule,
  TerraformStack,
  Variable,
  WorkPool,
  type JsonObject,
  type WorkPoolProps,
} from "prefect-gitops";

/** What differs between environments; everything else is the same code. */
interface EtlEnvironmentProps {
  /** The work pool the environment's runs go to. */
  readonly workPool: WorkPoolProps;
  /** The branch of the flows repository workers check out. */
  readonly branch: string;
  /** When the daily load runs. */
  readonly schedule: Schedule;
  /** The IANA time zone of the schedule. */
  readonly timezone: string;
  /** Parameters of the daily load (the flow's own arguments). */
  readonly parameters: JsonObject;
  /** Job variables for the runs (they fill the pool's base job template). */
  readonly jobVariables?: JsonObject;
  /** Whether the schedule creates runs: dev stays quiet unless someone wants it. */
  readonly scheduleActive: boolean;
  /** Who gets paged, read by the flows at run time. */
  readonly oncall: string;
}

class EtlStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: EtlEnvironmentProps) {
    super(scope, id);
    // The connection comes from the environment of whoever applies the stack.
    new PrefectProvider(this, "prefect");

    const pool = new WorkPool(this, "pool", props.workPool);
    // Ad hoc runs use the queue Prefect makes with the pool, `default` (left undeclared: only
    // prefect-gitops could adopt it); scheduled loads their own, polled first, which moves
    // `default` to priority 2.
    const scheduled = pool.addQueue("scheduled", { priority: 1 });

    const source = PullStep.gitClone({ repository: "https://github.com/acme/data-flows.git", branch: props.branch });
    const daily = new Deployment(this, "daily", {
      name: "daily",
      flowName: "orders-etl",
      workQueue: scheduled,
      entrypoint: "flows/orders.py:orders_etl",
      pullSteps: [source, PullStep.pipInstallRequirements()],
      parameters: props.parameters,
      jobVariables: props.jobVariables,
      tags: ["orders", id],
    });
    daily.addSchedule(props.schedule, { slug: "daily", timezone: props.timezone, active: props.scheduleActive });

    // The same flow, on demand, for reprocessing a date range: no schedule, one run at a time.
    new Deployment(this, "reprocess", {
      name: "reprocess",
      flowName: "orders-etl",
      workPool: pool,
      entrypoint: "flows/orders.py:orders_etl",
      pullSteps: [source, PullStep.pipInstallRequirements()],
      parameters: { ...props.parameters, full_refresh: true },
      jobVariables: props.jobVariables,
      concurrencyLimit: 1,
      tags: ["orders", id],
    });

    new Variable(this, "oncall", { name: "orders_oncall", value: props.oncall });
  }
}

const app = new App();

// dev: a local `process` pool, a sample of the data, a schedule that is declared but off.
new EtlStack(app, "dev", {
  workPool: { name: "orders-dev", type: "process", description: "Developers' machines and the CI runner" },
  branch: "develop",
  schedule: Schedule.interval({ hours: 6 }),
  timezone: "UTC",
  scheduleActive: false,
  parameters: { warehouse: "analytics_dev", sample_fraction: 0.05, full_refresh: false },
  oncall: "#orders-dev",
});

// prod: a Kubernetes pool with a pinned image and resource requests, every night at 03:00 New
// York time, on all the data.
new EtlStack(app, "prod", {
  workPool: {
    name: "orders-k8s",
    type: "kubernetes",
    concurrencyLimit: 20,
    description: "Production Kubernetes cluster, namespace data",
    baseJobTemplate: {
      job_configuration: { image: "{{ image }}", namespace: "{{ namespace }}", cpu_request: "{{ cpu_request }}" },
      variables: {
        type: "object",
        properties: {
          image: { type: "string", default: "acme/data-flows:latest" },
          namespace: { type: "string", default: "data" },
          cpu_request: { type: "string", default: "500m" },
        },
      },
    },
  },
  branch: "main",
  schedule: Schedule.cron("0 3 * * *"),
  timezone: "America/New_York",
  scheduleActive: true,
  parameters: { warehouse: "analytics", sample_fraction: 1, full_refresh: false },
  jobVariables: { image: "acme/data-flows:2.14.0", cpu_request: "2" },
  oncall: "@orders-oncall",
});

app.synth();
