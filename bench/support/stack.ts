// Terraform JSON configurations of realistic mixed stacks for the engine benchmark: what
// `cdktf synth` writes for teams that each own a work pool with its queues, flows, deployments
// with schedules referring to them, blocks, variables, a concurrency limit and automations
// that refer to their deployments.

type Json = Record<string, unknown>;

/** Resources in one team's stack; a configuration is a whole number of teams. */
export const RESOURCES_PER_TEAM = 20;

/** Resources per type in one team's stack. */
export const TEAM_MIX: Readonly<Record<string, number>> = {
  prefect_work_pool: 1,
  prefect_work_queue: 2,
  prefect_flow: 2,
  prefect_deployment: 4,
  prefect_deployment_schedule: 4,
  prefect_block: 2,
  prefect_variable: 2,
  prefect_global_concurrency_limit: 1,
  prefect_automation: 2,
};

const ref = (type: string, name: string, attribute: string): string => `\${${type}.${name}.${attribute}}`;

/** One team's resources, added to `resource` (a Terraform JSON `resource` section). */
function addTeam(resource: Record<string, Record<string, Json>>, team: number, prefix: string): void {
  const t = `${prefix}${String(team).padStart(4, "0")}`;
  const add = (type: string, name: string, body: Json): void => {
    (resource[type] ??= {})[name] = body;
  };
  const pool = `${t}_pool`;
  add("prefect_work_pool", pool, {
    name: `${t}-pool`,
    type: "process",
    description: `Workers of team ${t}`,
    concurrency_limit: 10,
    ...(team % 2 === 0
      ? {
          base_job_template: JSON.stringify({
            job_configuration: { command: "{{ command }}", env: "{{ env }}" },
            variables: { properties: { command: { type: "string", default: "" }, env: { type: "object", default: {} } } },
          }),
        }
      : {}),
  });
  const poolName = ref("prefect_work_pool", pool, "name");
  add("prefect_work_queue", `${t}_default`, { name: "default", work_pool_name: poolName, priority: 1 });
  add("prefect_work_queue", `${t}_critical`, { name: "critical", work_pool_name: poolName, priority: 2, concurrency_limit: 5 });

  add("prefect_flow", `${t}_etl`, { name: `${t}-etl`, tags: [t, "etl"] });
  add("prefect_flow", `${t}_report`, { name: `${t}-report`, tags: [t] });

  const deployments: [string, string, string][] = [
    ["nightly", "etl", "default"],
    ["backfill", "etl", "critical"],
    ["daily", "report", "default"],
    ["weekly", "report", "default"],
  ];
  for (const [name, flow, queue] of deployments) {
    add("prefect_deployment", `${t}_${name}`, {
      name,
      flow_id: ref("prefect_flow", `${t}_${flow}`, "id"),
      work_pool_name: poolName,
      work_queue_name: ref("prefect_work_queue", `${t}_${queue}`, "name"),
      entrypoint: `flows/${flow}.py:${flow}`,
      path: "/opt/flows",
      description: `${name} ${flow} of team ${t}`,
      tags: [t, name],
      parameters: JSON.stringify({ source: `s3://raw/${t}/${name}`, full: name === "backfill" }),
      job_variables: JSON.stringify({ env: { LOG_LEVEL: "INFO", TEAM: t } }),
      ...(name === "backfill" ? { concurrency_limit: 1 } : {}),
    });
  }
  const deploymentId = (name: string) => ref("prefect_deployment", `${t}_${name}`, "id");
  add("prefect_deployment_schedule", `${t}_nightly`, { deployment_id: deploymentId("nightly"), cron: "0 2 * * *", timezone: "Europe/Paris" });
  add("prefect_deployment_schedule", `${t}_backfill`, { deployment_id: deploymentId("backfill"), interval: 3600, anchor_date: "2026-01-01T00:00:00Z", active: false });
  add("prefect_deployment_schedule", `${t}_daily`, { deployment_id: deploymentId("daily"), cron: "30 6 * * 1-5", timezone: "America/New_York" });
  add("prefect_deployment_schedule", `${t}_weekly`, { deployment_id: deploymentId("weekly"), rrule: "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0", timezone: "UTC" });

  add("prefect_block", `${t}_slack`, { name: `${t}-slack-token`, type_slug: "secret", data: JSON.stringify({ value: `xoxb-${t}-not-a-real-token` }) });
  // A block with no secret field and free-form settings (a 3.8 server has no `json` block type: catalog.json).
  add("prefect_block", `${t}_settings`, { name: `${t}-settings`, type_slug: "remote-file-system", data: JSON.stringify({ basepath: `s3://warehouse/${t}`, settings: { retries: 3, regions: ["eu", "us"] } }) });

  add("prefect_variable", `${t}_retention`, { name: `${t}_retention_days`, value: 30, tags: [t] });
  add("prefect_variable", `${t}_bucket`, { name: `${t}_bucket`, value: `s3://warehouse/${t}` });

  add("prefect_global_concurrency_limit", `${t}_warehouse`, { name: `${t}-warehouse`, limit: 10 });

  add("prefect_automation", `${t}_backfill_on_failure`, {
    name: `${t}-backfill-when-nightly-fails`,
    description: "Run the backfill deployment when the nightly one fails",
    trigger: {
      event: {
        posture: "Reactive",
        expect: ["prefect.flow-run.Failed", "prefect.flow-run.Crashed"],
        match_related: JSON.stringify({ "prefect.resource.id": `prefect.deployment.${deploymentId("nightly")}`, "prefect.resource.role": "deployment" }),
        threshold: 1,
        within: 0,
      },
    },
    actions: [{ type: "run-deployment", source: "selected", deployment_id: deploymentId("backfill"), parameters: JSON.stringify({ full: true }) }],
  });
  add("prefect_automation", `${t}_pause_weekly`, {
    name: `${t}-pause-weekly-after-failures`,
    trigger: {
      event: {
        posture: "Reactive",
        expect: ["prefect.flow-run.Failed"],
        match_related: JSON.stringify({ "prefect.resource.id": `prefect.deployment.${deploymentId("weekly")}`, "prefect.resource.role": "deployment" }),
        threshold: 3,
        within: 3600,
      },
    },
    actions: [{ type: "pause-deployment", source: "selected", deployment_id: deploymentId("weekly") }],
  });
}

/** A configuration of `resources` resources (a multiple of RESOURCES_PER_TEAM), as Terraform JSON; team names start with `prefix`. */
export function stack(resources: number, prefix = "t"): Json {
  if (resources % RESOURCES_PER_TEAM !== 0) throw new Error(`resources must be a multiple of ${RESOURCES_PER_TEAM}, got ${resources}`);
  const resource: Record<string, Record<string, Json>> = {};
  for (let team = 0; team < resources / RESOURCES_PER_TEAM; team++) addTeam(resource, team, prefix);
  return {
    "//": { metadata: { generator: "bench/support/stack.ts" } },
    terraform: { required_providers: { prefect: { source: "prefecthq/prefect" } } },
    provider: { prefect: [{}] },
    resource,
  };
}

/** Resources per type in a stack of `resources`. */
export function stackMix(resources: number): Record<string, number> {
  const teams = resources / RESOURCES_PER_TEAM;
  return Object.fromEntries(Object.entries(TEAM_MIX).map(([type, count]) => [type, count * teams]));
}
