import { describe, expect, it } from "vitest";
import { TerraformVariable } from "../../cdk.js";
import type { IBlock, IGlobalConcurrencyLimit } from "../../constructs/refs.js";
import { addressOf, newStack, only, resolved, resources, synth, synthError } from "../../constructs/synth.testing.js";
import { Schedule } from "../deployment-schedule/construct.js";
import { Flow } from "../flow/construct.js";
import { WorkPool } from "../work-pool/construct.js";
import { WorkQueue } from "../work-queue/construct.js";
import { CollisionStrategy, Deployment, PullStep, type DeploymentProps } from "./construct.js";

const FLOW_ID = "2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f";
const LIMIT_ID = "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d";

describe("Deployment", () => {
  it("synthesizes a prefect_deployment with the official attribute names and references to its flow, pool and queue", () => {
    const stack = newStack();
    const pool = new WorkPool(stack, "pool", { name: "k8s", type: "kubernetes" });
    const batch = pool.addQueue("batch", { priority: 2 });
    const flow = new Flow(stack, "etl", { name: "etl" });
    new Deployment(stack, "nightly", {
      name: "nightly",
      flow,
      workPool: pool,
      workQueue: batch,
      description: "Nightly load",
      version: "1.4.0",
      path: "/opt/flows",
      entrypoint: "flows/etl.py:etl",
      paused: false,
      enforceParameterSchema: false,
      parameters: { full_refresh: false, tables: ["orders", "customers"] },
      parameterOpenapiSchema: { type: "object", properties: { full_refresh: { type: "boolean" } } },
      jobVariables: { image: "acme/etl:1.4", env: { LOG_LEVEL: "info" } },
      tags: ["etl", "nightly"],
      concurrencyLimit: 1,
      collisionStrategy: CollisionStrategy.CANCEL_NEW,
    });
    expect(resources(synth(stack), "prefect_deployment")).toEqual({
      nightly: {
        name: "nightly",
        flow_id: "${prefect_flow.etl.id}",
        work_pool_name: "${prefect_work_pool.pool.name}",
        work_queue_name: `\${prefect_work_queue.${addressOf(batch)}.name}`,
        description: "Nightly load",
        version: "1.4.0",
        path: "/opt/flows",
        entrypoint: "flows/etl.py:etl",
        paused: false,
        enforce_parameter_schema: false,
        parameters: '{"full_refresh":false,"tables":["orders","customers"]}',
        parameter_openapi_schema: '{"type":"object","properties":{"full_refresh":{"type":"boolean"}}}',
        job_variables: '{"image":"acme/etl:1.4","env":{"LOG_LEVEL":"info"}}',
        tags: ["etl", "nightly"],
        concurrency_limit: 1,
        concurrency_options: { collision_strategy: "CANCEL_NEW" },
      },
    });
  });

  it("declares the flow it names, once per stack: two deployments of flow etl share one prefect_flow", () => {
    const stack = newStack();
    const a = new Deployment(stack, "a", { name: "a", flowName: "etl" });
    const b = new Deployment(stack, "b", { name: "b", flowName: "etl" });
    new Deployment(stack, "c", { name: "c", flowName: "reports" });
    const json = synth(stack);
    expect(resources(json, "prefect_flow")).toEqual({ "flow-etl": { name: "etl" }, "flow-reports": { name: "reports" } });
    expect(resources(json, "prefect_deployment").a?.flow_id).toBe("${prefect_flow.flow-etl.id}");
    expect(resources(json, "prefect_deployment").b?.flow_id).toBe("${prefect_flow.flow-etl.id}");
    expect(a.flow).toBe(b.flow);
  });

  it("uses a Flow declared in the stack for a flowName", () => {
    const stack = newStack();
    new Flow(stack, "Etl", { name: "etl", tags: ["team-data"] });
    new Deployment(stack, "a", { name: "a", flowName: "etl" });
    const json = synth(stack);
    expect(Object.keys(resources(json, "prefect_flow"))).toEqual(["Etl"]);
    expect(only(json, "prefect_deployment").flow_id).toBe("${prefect_flow.Etl.id}");
  });

  it("runs a flow managed elsewhere, by id", () => {
    const stack = newStack();
    new Deployment(stack, "a", { name: "a", flow: Flow.fromFlowId(stack, "Etl", FLOW_ID) });
    const json = synth(stack);
    expect(resources(json, "prefect_flow")).toEqual({});
    expect(only(json, "prefect_deployment")).toEqual({ name: "a", flow_id: FLOW_ID });
  });

  it("takes its pool from a queue object, and pools and queues by name", () => {
    const stack = newStack();
    const pool = new WorkPool(stack, "pool", { name: "k8s" });
    new Deployment(stack, "from-queue", { name: "q", flowName: "etl", workQueue: pool.addQueue("default") });
    new Deployment(stack, "by-name", { name: "n", flowName: "etl", workPool: "shared", workQueue: "gpu" });
    new Deployment(stack, "imported", { name: "i", flowName: "etl", workQueue: WorkQueue.fromWorkQueueName(stack, "Gpu", "shared", "gpu") });
    const deployments = resources(synth(stack), "prefect_deployment");
    expect(deployments["from-queue"]).toMatchObject({ work_pool_name: "${prefect_work_pool.pool.name}", work_queue_name: expect.stringMatching(/^\$\{prefect_work_queue\.pool_default_[0-9A-F]{8}\.name\}$/) });
    expect(deployments["by-name"]).toMatchObject({ work_pool_name: "shared", work_queue_name: "gpu" });
    expect(deployments.imported).toMatchObject({ work_pool_name: "shared", work_queue_name: "gpu" });
  });

  it("writes parameters and job variables holding references with jsonencode", () => {
    const stack = newStack();
    const image = new TerraformVariable(stack, "image", { type: "string" });
    const pool = new WorkPool(stack, "pool", { name: "k8s" });
    new Deployment(stack, "a", { name: "a", flowName: "etl", parameters: { pool: pool.workPoolName, retries: 3 }, jobVariables: { image: image.stringValue } });
    const deployment = only(synth(stack), "prefect_deployment");
    expect(deployment.parameters).toBe('${jsonencode({"pool" = prefect_work_pool.pool.name, "retries" = 3})}');
    expect(deployment.job_variables).toBe('${jsonencode({"image" = var.image})}');
  });

  it("writes typed pull steps as the official provider's flattened steps", () => {
    const stack = newStack();
    const github: IBlock = { blockDocumentId: "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e", blockName: "acme-github", typeSlug: "github-credentials" };
    new Deployment(stack, "a", {
      name: "a",
      flowName: "etl",
      pullSteps: [
        PullStep.gitClone({ repository: "https://github.com/acme/flows.git", branch: "main", credentials: github, includeSubmodules: true }),
        PullStep.setWorkingDirectory("flows"),
        PullStep.runShellScript("make deps", { env: { CI: "1" }, expandEnvVars: true, streamOutput: false }),
        PullStep.pipInstallRequirements({ requirementsFile: "requirements.txt", requires: "pip>=23" }),
        PullStep.pullFromS3({ bucket: "acme", folder: "etl", credentials: "{{ prefect.blocks.aws-credentials.prod }}" }),
        PullStep.pullFromGcs({ bucket: "acme", folder: "etl" }),
        PullStep.pullFromAzureBlobStorage({ container: "flows", folder: "etl" }),
      ],
    });
    expect(only(synth(stack), "prefect_deployment").pull_steps).toEqual([
      { type: "git_clone", repository: "https://github.com/acme/flows.git", branch: "main", credentials: "{{ prefect.blocks.github-credentials.acme-github }}", include_submodules: true },
      { type: "set_working_directory", directory: "flows" },
      { type: "run_shell_script", script: "make deps", env: { CI: "1" }, expand_env_vars: true, stream_output: false },
      { type: "pip_install_requirements", requirements_file: "requirements.txt", requires: "pip>=23" },
      { type: "pull_from_s3", bucket: "acme", folder: "etl", credentials: "{{ prefect.blocks.aws-credentials.prod }}" },
      { type: "pull_from_gcs", bucket: "acme", folder: "etl" },
      { type: "pull_from_azure_blob_storage", container: "flows", folder: "etl" },
    ]);
  });

  it("shares a global concurrency limit by id", () => {
    const stack = newStack();
    const limit: IGlobalConcurrencyLimit = { limitId: LIMIT_ID, limitName: "warehouse" };
    new Deployment(stack, "a", { name: "a", flowName: "etl", globalConcurrencyLimit: limit });
    expect(only(synth(stack), "prefect_deployment").global_concurrency_limit_id).toBe(LIMIT_ID);
  });

  it("adds one prefect_deployment_schedule per schedule, each referring to the deployment", () => {
    const stack = newStack();
    const deployment = new Deployment(stack, "nightly", { name: "nightly", flowName: "etl" });
    const cron = deployment.addSchedule(Schedule.cron("0 2 * * *"), { timezone: "Europe/Paris", slug: "nightly", parameters: { full_refresh: true } });
    deployment.addSchedule(Schedule.interval({ hours: 1 }, { anchorDate: "2025-01-01T00:15:00Z" }), { active: false, maxScheduledRuns: 10 });
    deployment.addSchedule(Schedule.rrule("FREQ=WEEKLY;BYDAY=MO;BYHOUR=9"));
    expect(deployment.schedules).toHaveLength(3);
    expect(cron.node.path).toBe("test/nightly/nightly");
    expect(deployment.schedules[1]!.node.path).toBe("test/nightly/schedule-2");
    const schedules = Object.values(resources(synth(stack), "prefect_deployment_schedule"));
    expect(schedules).toEqual([
      { deployment_id: "${prefect_deployment.nightly.id}", cron: "0 2 * * *", timezone: "Europe/Paris", slug: "nightly", parameters: '{"full_refresh":true}' },
      { deployment_id: "${prefect_deployment.nightly.id}", interval: 3600, anchor_date: "2025-01-01T00:15:00Z", active: false, max_scheduled_runs: 10 },
      { deployment_id: "${prefect_deployment.nightly.id}", rrule: "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9" },
    ]);
  });

  it("exposes references to its id and name", () => {
    const stack = newStack();
    const deployment = new Deployment(stack, "nightly", { name: "nightly", flowName: "etl" });
    expect(resolved(stack, { id: deployment.deploymentId, name: deployment.deploymentName })).toEqual({
      id: "${prefect_deployment.nightly.id}",
      name: "${prefect_deployment.nightly.name}",
    });
  });

  it("references a deployment managed elsewhere by id, whose name is then unknown", () => {
    const stack = newStack();
    const imported = Deployment.fromDeploymentId(stack, "Etl", "4c1f2e3d-5b6a-4798-8a9b-0c1d2e3f4a5b");
    expect(imported.deploymentId).toBe("4c1f2e3d-5b6a-4798-8a9b-0c1d2e3f4a5b");
    expect(() => imported.deploymentName).toThrow(/test\/Etl: the deployment was referenced by id only/);
    expect(Deployment.fromDeploymentAttributes(stack, "Reports", { deploymentId: "x", deploymentName: "reports" }).deploymentName).toBe("reports");
  });

  describe("validation at synth", () => {
    const failure = (props: Partial<DeploymentProps>) => {
      const stack = newStack();
      new Deployment(stack, "deployment", { name: "nightly", flowName: "etl", ...props });
      return synthError(stack);
    };

    it.each<[string, Partial<DeploymentProps>, string]>([
      ["a blank name", { name: "  " }, '[test/deployment] name: is "  "; a deployment needs a name that is not blank'],
      ["a name with / % & > <", { name: "a/b" }, '[test/deployment] name: "a/b" is not a valid deployment name'],
      ["neither flow nor flowName", { flowName: undefined }, "[test/deployment] flow: the deployment needs a flow; give flow"],
      ["both flow and flowName", { flow: Flow.fromFlowId(newStack(), "f", FLOW_ID) }, "[test/deployment] flow: give flow or flowName, not both"],
      ["a flow id that is not a UUID", { flowName: undefined, flow: Flow.fromFlowId(newStack(), "f", "etl") }, "[test/deployment] flow: must be a UUID"],
      ["a concurrency limit below 1", { concurrencyLimit: 0 }, "[test/deployment] concurrencyLimit: is 0; concurrency_limit must be a whole number of at least 1"],
      [
        "a concurrency limit beside a global one",
        { concurrencyLimit: 2, globalConcurrencyLimit: { limitId: LIMIT_ID, limitName: "w" } },
        "[test/deployment] concurrencyLimit: conflicts with global_concurrency_limit_id",
      ],
      ["an unknown collision strategy", { collisionStrategy: "WAIT" as CollisionStrategy }, '[test/deployment] collisionStrategy: "WAIT" is not a collision strategy; use one of "ENQUEUE", "CANCEL_NEW"'],
      ["a pull step missing what it requires", { pullSteps: [PullStep.gitClone({ repository: "" })] }, "[test/deployment] pullSteps[0].repository: is required by a git_clone step"],
      [
        "a git clone with both an access token and credentials",
        { pullSteps: [PullStep.setWorkingDirectory("x"), PullStep.gitClone({ repository: "r", accessToken: "t", credentials: "c" })] },
        "[test/deployment] pullSteps[1].accessToken: conflicts with credentials",
      ],
      ["a global concurrency limit id that is not a UUID", { globalConcurrencyLimit: { limitId: "w", limitName: "w" } }, "[test/deployment] globalConcurrencyLimit: must be a UUID"],
    ])("refuses %s", (_, props, message) => {
      expect(failure(props)).toContain(message);
    });

    it("refuses a queue of another pool than workPool", () => {
      const stack = newStack();
      const k8s = new WorkPool(stack, "k8s", { name: "k8s" });
      const docker = new WorkPool(stack, "docker", { name: "docker" });
      new Deployment(stack, "objects", { name: "a", flowName: "etl", workPool: k8s, workQueue: docker.addQueue("batch") });
      new Deployment(stack, "names", { name: "b", flowName: "etl", workPool: "k8s", workQueue: WorkQueue.fromWorkQueueName(stack, "Q", "docker", "batch") });
      new Deployment(stack, "fine", { name: "c", flowName: "etl", workPool: k8s, workQueue: k8s.addQueue("batch") });
      const message = synthError(stack);
      expect(message).toContain("[test/objects] workQueue: the queue belongs to work pool another pool, not to workPool another pool; leave workPool out");
      expect(message).toContain('[test/names] workQueue: the queue belongs to work pool "docker", not to workPool "k8s"');
      expect(message).not.toContain("[test/fine]");
    });

    it("refuses a flowName Prefect would refuse, on the flow it declares", () => {
      expect(failure({ flowName: "etl>1" })).toContain('[test/flow-etl>1] name: "etl>1" is not a valid flow name');
    });

    it("reports every problem at once, each with the construct path", () => {
      const message = failure({ name: "a%b", concurrencyLimit: -1, pullSteps: [PullStep.pullFromS3({ bucket: "", folder: "" })] });
      expect(message).toContain("[test/deployment] name:");
      expect(message).toContain("[test/deployment] concurrencyLimit:");
      const stack = newStack();
      new Deployment(stack, "deployment", { name: "ok", pullSteps: [PullStep.pullFromS3({ bucket: "", folder: "" })] });
      const crossRules = synthError(stack);
      expect(crossRules).toContain("[test/deployment] flow: the deployment needs a flow");
      expect(crossRules).toContain("[test/deployment] pullSteps[0].bucket: is required by a pull_from_s3 step");
      expect(crossRules).toContain("[test/deployment] pullSteps[0].folder: is required by a pull_from_s3 step");
    });
  });
});
