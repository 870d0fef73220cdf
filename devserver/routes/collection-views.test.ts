// The collection registry's views, which Prefect's CLI reads before it creates a work pool.
import { describe, expect, it } from "vitest";
import { useDevServer } from "../../test/support/devserver.js";
import { rawApi } from "../../test/support/http.js";

interface WorkerType {
  type: string;
  display_name: string;
  default_base_job_configuration: { job_configuration: Record<string, unknown>; variables: { properties: Record<string, unknown> } };
}

describe("collection views", () => {
  const ctx = useDevServer();

  it("serves the worker view with the process type and the base job template Prefect 3.8 sends for it (prefect-cli.jsonl #221, #223)", async () => {
    const api = rawApi(ctx.server.url);
    const view = await api.get<Record<string, Record<string, WorkerType>>>("/collections/views/aggregate-worker-metadata");
    expect(view.status).toBe(200);
    const process = view.body.prefect?.process;
    expect(process).toMatchObject({ type: "process", display_name: "Process" });
    expect(Object.keys(process?.default_base_job_configuration.job_configuration ?? {}).sort()).toEqual(["command", "env", "labels", "name", "stream_output", "working_dir"]);
    // The CLI takes every worker's `type` of every collection as a pool type it may create.
    const types = Object.values(view.body).flatMap((collection) => Object.values(collection).map((worker) => worker.type));
    expect(types).toContain("process");
  });

  it("gives the template to a process pool made from it, as `prefect work-pool create --type process` does", async () => {
    const api = rawApi(ctx.server.url);
    const view = await api.get<Record<string, Record<string, WorkerType>>>("/collections/views/aggregate-worker-metadata");
    const template = view.body.prefect?.process?.default_base_job_configuration;
    const pool = await api.post<{ base_job_template: unknown }>("/work_pools/", { name: "from-view", type: "process", base_job_template: template });
    expect(pool.status).toBe(201);
    expect(pool.body.base_job_template).toEqual(template);
  });

  it("answers 404 for a view the registry does not know, and a bare 500 for one it would fetch from GitHub", async () => {
    const api = rawApi(ctx.server.url);
    expect(await api.get("/collections/views/nothing-here")).toMatchObject({ status: 404, body: { detail: "View nothing-here not found in registry" } });
    expect(await api.get("/collections/views/demo-flows")).toMatchObject({ status: 500, body: { exception_message: "Internal Server Error" } });
  });
});
