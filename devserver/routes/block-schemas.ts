// Block schemas (prefect/server/api/block_schemas.py, models/block_schemas.py).
import { withSystemBlocks as seeded } from "../catalog/seed.js";
import { blockSchemas, blockTypes, type BlockSchemaEntity } from "../collections.js";
import { page } from "../filters.js";
import { created, HttpError, noContent, notFound, ok } from "../http.js";
import type { RequestContext, Router } from "../router.js";
import { blockSchemaMatches, type BlockSchemaFilter } from "./block-filters.js";
import { deleteSchema, newestFirst, schemaByChecksum, type BlockSchemaInput } from "./block-records.js";
import { DEFAULT_SCHEMA_VERSION, registerBlockSchema } from "./block-schema-registry.js";
import { blockSchemaView } from "./block-views.js";

function foundSchema(ctx: RequestContext, id: string): BlockSchemaEntity {
  const schema = blockSchemas(ctx.workspace).get(id);
  if (!schema) throw notFound("Block schema not found");
  return schema;
}

function createBlockSchema(ctx: RequestContext) {
  const sent = ctx.body as Partial<BlockSchemaInput> & { block_type_id: string };
  // `fields` and `capabilities` default to empty (pydantic default factories the contract does not show).
  const body: BlockSchemaInput = {
    fields: sent.fields ?? {},
    capabilities: sent.capabilities ?? [],
    version: sent.version ?? DEFAULT_SCHEMA_VERSION,
    block_type_id: sent.block_type_id,
  };
  const ws = ctx.workspace;
  if (!blockTypes(ws).get(body.block_type_id)) throw notFound(`Block type ${body.block_type_id} not found.`);
  const registered = registerBlockSchema(ctx, body);
  // Registering the same schema twice is a no-op that returns the stored one with 200 (api/block_schemas.py
  // `create_block_schema`; the contract declares only 201: contract/validator.ts lists the deviation).
  if (!registered.created) return ok(blockSchemaView(ws, registered.schema));
  // The create answers the fields as sent; reads answer them rebuilt (client-suite.jsonl.gz seq 3971 and 3973).
  return created({ ...blockSchemaView(ws, registered.schema), fields: registered.createdFields });
}

function deleteBlockSchema(ctx: RequestContext) {
  const schema = foundSchema(ctx, ctx.params.id ?? "");
  const type = schema.block_type_id ? blockTypes(ctx.workspace).get(schema.block_type_id) : undefined;
  if (type?.is_protected) throw new HttpError(403, { detail: "Block schemas for protected block types cannot be deleted." });
  deleteSchema(ctx.workspace, schema.id);
  return noContent();
}

function readBlockSchemas(ctx: RequestContext) {
  const filter = (ctx.body as { block_schemas?: BlockSchemaFilter | null } | undefined)?.block_schemas;
  const matching = newestFirst(blockSchemas(ctx.workspace).filter((schema) => blockSchemaMatches(schema, filter)));
  return ok(page(matching, ctx).map((schema) => blockSchemaView(ctx.workspace, schema)));
}

function readBlockSchemaByChecksum(ctx: RequestContext) {
  const schema = schemaByChecksum(ctx.workspace, ctx.params.checksum ?? "", ctx.query.get("version"));
  if (!schema) throw notFound("Block schema not found");
  return ok(blockSchemaView(ctx.workspace, schema));
}

/** Block schema routes. */
export function registerBlockSchemaRoutes(router: Router): void {
  router.post("/block_schemas/", seeded(createBlockSchema));
  router.post("/block_schemas/filter", seeded(readBlockSchemas));
  router.get("/block_schemas/checksum/{checksum}", seeded(readBlockSchemaByChecksum));
  router.get("/block_schemas/{id}", seeded((ctx) => ok(blockSchemaView(ctx.workspace, foundSchema(ctx, ctx.params.id ?? "")))));
  router.delete("/block_schemas/{id}", seeded(deleteBlockSchema));
}
