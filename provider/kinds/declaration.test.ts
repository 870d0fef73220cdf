import { describe, expect, it } from "vitest";
import { LITERAL_WRITER, writeReferences, type DeclarationWriter } from "./declaration.js";
import { kindFor } from "./registry.js";

/** A writer that says what it was asked for, so a test sees each reference and secret. */
const recording: DeclarationWriter = {
  ref: (type, id, attribute) => `ref(${type}:${id}.${attribute})`,
  refByIdentity: (type, identity, attribute) => `byIdentity(${type}:${identity}.${attribute})`,
  secret: (path) => `secret(${path.join(".")})`,
};

/** The declaration a kind writes for a spec (the declared attributes are the spec's, as import starts from). */
function written(type: string, spec: Record<string, unknown>, live: unknown = {}): Record<string, unknown> {
  const kind = kindFor(type)!;
  const declared = structuredClone(spec);
  kind.writeDeclaration?.(declared, spec, live, recording);
  writeReferences(kind, declared, recording);
  return declared;
}

describe("writing a live object as a declaration", () => {
  it.each([
    ["prefect_work_queue", { name: "q", work_pool_name: "p" }, { work_pool_name: "byIdentity(prefect_work_pool:p.name)" }],
    ["prefect_deployment_schedule", { deployment_id: "D", cron: "0 * * * *" }, { deployment_id: "ref(prefect_deployment:D.id)" }],
    [
      "prefect_deployment",
      { name: "d", flow_id: "F", work_pool_name: "p", work_queue_name: "q", storage_document_id: "B", global_concurrency_limit_id: "L" },
      {
        flow_id: "ref(prefect_flow:F.id)",
        work_pool_name: "byIdentity(prefect_work_pool:p.name)",
        work_queue_name: "byIdentity(prefect_work_queue:p/q.name)",
        storage_document_id: "ref(prefect_block:B.id)",
        global_concurrency_limit_id: "ref(prefect_global_concurrency_limit:L.id)",
      },
    ],
    ["prefect_deployment", { name: "d", flow_id: "F", concurrency_limit: 2, global_concurrency_limit_id: "OWN" }, { flow_id: "ref(prefect_flow:F.id)", global_concurrency_limit_id: undefined }],
    ["prefect_deployment", { name: "d", flow_id: "F", pull_steps: [{ type: "git_clone", access_token: "t" }] }, { flow_id: "ref(prefect_flow:F.id)", pull_steps: [{ type: "git_clone", access_token: "secret(pull_steps.0.access_token)" }] }],
    [
      "prefect_automation",
      { actions: [{ type: "run-deployment", deployment_id: "D" }, { type: "pause-work-pool", work_pool_id: "P" }], actions_on_resolve: [{ type: "send-notification", block_document_id: "B" }] },
      {
        actions: [
          { type: "run-deployment", deployment_id: "ref(prefect_deployment:D.id)" },
          { type: "pause-work-pool", work_pool_id: "ref(prefect_work_pool:P.id)" },
        ],
        actions_on_resolve: [{ type: "send-notification", block_document_id: "ref(prefect_block:B.id)" }],
      },
    ],
    ["prefect_work_pool", { name: "p", base_job_template: {} }, { base_job_template: undefined }],
    ["prefect_work_pool", { name: "p", base_job_template: { a: 1 } }, {}],
  ])("%s %j is written with %j", (type, spec, changes) => {
    // toEqual takes an undefined expected value for "absent": the attribute is left out.
    expect(written(type, spec)).toEqual({ ...spec, ...changes });
  });

  it("writes a block's secret fields as variables and its $refs as references, by the schema's secret_fields", () => {
    const live = { block_schema: { fields: { secret_fields: ["password", "headers.*"] } } };
    const spec = { name: "n", type_slug: "t", data: { user: "u", password: "p", headers: { a: "1" }, other: { $ref: { block_document_id: "X" } } } };
    expect(written("prefect_block", spec, live).data).toEqual({
      user: "u",
      password: "secret(data.password)",
      headers: { a: "secret(data.headers.a)" },
      other: { $ref: { block_document_id: "ref(prefect_block:X.id)" } },
    });
  });

  it("leaves every value as it is with the literal writer", () => {
    const spec = { name: "d", flow_id: "F", work_pool_name: "p" };
    const declared = structuredClone(spec);
    kindFor("prefect_deployment")!.writeDeclaration?.(declared, spec, {}, LITERAL_WRITER);
    writeReferences(kindFor("prefect_deployment")!, declared, LITERAL_WRITER);
    expect(declared).toEqual(spec);
  });

  it.each([
    ["prefect_work_queue", { name: "q", work_pool_name: "p" }, "p_q"],
    ["prefect_block", { name: "n", type_slug: "secret" }, "secret_n"],
    ["prefect_deployment", { name: "d", flow_id: "F" }, "etl_d"],
    ["prefect_deployment_schedule", { deployment_id: "D", interval: 60 }, "etl_d_interval"],
    ["prefect_deployment_schedule", { deployment_id: "unknown", cron: "0 * * * *", slug: "hourly" }, "deployment_hourly"],
  ])("%s %j is named after %s on import", (type, spec, expected) => {
    const names: Record<string, string> = { "prefect_flow:F": "etl", "prefect_deployment:D": "etl_d" };
    expect(kindFor(type)!.importName!(spec, (target, id) => names[`${target}:${id}`])).toBe(expected);
  });
});
