// The collection registry's views (`GET /collections/views/{view}`), which Prefect's CLI reads
// for the work pool types it may create (prefect/workers/utilities.py
// get_available_work_pool_types; `prefect work-pool create`, `prefect deploy`). A real server
// fetches them from GitHub and, offline, falls back to the worker view it bundles
// (prefect/server/api/collections.py get_collection_view). The devserver never goes online: it
// serves a worker view of its own with the `process` type, whose default base job template is the
// one Prefect 3.8 sends (devserver/catalog/worker-metadata.json says where it comes from).
import { readFileSync } from "node:fs";
import { internalServerError, notFound, ok } from "../http.js";
import type { Router } from "../router.js";

/** The views a real server knows (prefect/server/api/collections.py KNOWN_VIEWS); any other is a 404. */
const KNOWN_VIEWS = new Set(["aggregate-block-metadata", "aggregate-flow-metadata", "aggregate-worker-metadata", "demo-flows"]);

let workerMetadata: Record<string, unknown> | undefined;

/** `{collection: {worker slug: {type, display_name, description, default_base_job_configuration, ...}}}`, the registry's shape. */
function readWorkerMetadata(): Record<string, unknown> {
  if (!workerMetadata) {
    const { source: _source, ...collections } = JSON.parse(readFileSync(new URL("../catalog/worker-metadata.json", import.meta.url), "utf8")) as Record<string, unknown>;
    workerMetadata = collections;
  }
  return structuredClone(workerMetadata);
}

export function registerCollectionViewsRoutes(router: Router): void {
  router.get("/collections/views/{view}", (ctx) => {
    const view = ctx.params.view ?? "";
    // collections.py read_view_content: a view outside KNOWN_VIEWS is this 404.
    if (!KNOWN_VIEWS.has(view)) throw notFound(`View ${view} not found in registry`);
    if (view === "aggregate-worker-metadata") return ok(readWorkerMetadata());
    // collections.py get_collection_view: a known view that cannot be fetched and is not bundled
    // re-raises the fetch's error, which the server answers as its bare 500 (an offline server).
    throw internalServerError();
  });
}
