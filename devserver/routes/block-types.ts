// Block types (prefect/server/api/block_types.py) and the block capabilities route.
import type { components } from "../../contract/wire.gen.js";
import { installProtectedBlocks, withSystemBlocks as seeded } from "../catalog/seed.js";
import { blockDocuments, blockSchemas, blockTypes, type BlockTypeEntity } from "../collections.js";
import { page, sortByName, timestamp } from "../filters.js";
import { conflict, created, HttpError, noContent, notFound, ok, valueError } from "../http.js";
import type { RequestContext, Router } from "../router.js";
import { blockSchemaMatches, blockTypeMatches, selectBlockDocuments, type BlockSchemaFilter, type BlockTypeFilter } from "./block-filters.js";
import { deleteType, newBlockType, queryBoolean, type BlockTypeInput } from "./block-records.js";
import { blockDocumentView, blockTypeView, ViewCache } from "./block-views.js";

type BlockTypeUpdate = components["schemas"]["BlockTypeUpdate"];

const SLUG_PATTERN = /^[a-z0-9-]*$/;
const UPDATABLE = ["logo_url", "documentation_url", "description", "code_example"] as const;

function foundType(ctx: RequestContext, id: string): BlockTypeEntity {
  const type = blockTypes(ctx.workspace).get(id);
  if (!type) throw notFound("Block type not found");
  return type;
}

function createBlockType(ctx: RequestContext) {
  const body = ctx.body as BlockTypeInput;
  if (!SLUG_PATTERN.test(body.slug)) {
    throw valueError(["body", "slug"], "Block type slug must only contain lowercase letters, numbers, and dashes.", body.slug, ctx.body);
  }
  if (body.name.toLowerCase().startsWith("prefect")) {
    throw new HttpError(403, { detail: "Block type names beginning with 'Prefect' are reserved." });
  }
  const types = blockTypes(ctx.workspace);
  // The slug is the unique column; the message names the name, as Prefect's does.
  if (types.getByKey(body.slug)) throw conflict(`Block type with name "${body.name}" already exists`);
  const type = newBlockType(ctx, body, false);
  types.put(type);
  return created(blockTypeView(type));
}

function unescapeHtml(text: unknown): unknown {
  return typeof text === "string" ? text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&") : text;
}

/**
 * Prefect only writes when the update differs from the stored type (`_should_update_block_type`):
 * it compares the fields sent with all four stored ones, so in practice only a request
 * carrying all four unchanged values is a no-op.
 */
function shouldUpdate(update: BlockTypeUpdate, type: BlockTypeEntity): boolean {
  const sent = UPDATABLE.filter((field) => update[field] !== undefined);
  if (sent.length !== UPDATABLE.length) return true;
  return UPDATABLE.some((field) => unescapeHtml(update[field] ?? null) !== unescapeHtml(type[field] ?? null));
}

function updateBlockType(ctx: RequestContext) {
  const type = foundType(ctx, ctx.params.id ?? "");
  const update = ctx.body as BlockTypeUpdate;
  if (!shouldUpdate(update, type)) return noContent();
  const next: BlockTypeEntity = { ...type, updated: timestamp(ctx.now) };
  for (const field of UPDATABLE) if (update[field] !== undefined) next[field] = update[field];
  blockTypes(ctx.workspace).put(next);
  return noContent();
}

function deleteBlockType(ctx: RequestContext) {
  const type = foundType(ctx, ctx.params.id ?? "");
  if (type.is_protected) throw new HttpError(403, { detail: "protected block types cannot be deleted." });
  deleteType(ctx.workspace, type.id);
  return noContent();
}

function readBlockTypes(ctx: RequestContext) {
  const body = (ctx.body ?? {}) as { block_types?: BlockTypeFilter | null; block_schemas?: BlockSchemaFilter | null };
  const ws = ctx.workspace;
  const withSchema = body.block_schemas
    ? new Set(blockSchemas(ws).filter((schema) => blockSchemaMatches(schema, body.block_schemas)).map((schema) => schema.block_type_id))
    : undefined;
  const matching = sortByName(blockTypes(ws).filter((type) => blockTypeMatches(type, body.block_types) && (!withSchema || withSchema.has(type.id))));
  return ok(page(matching, ctx).map(blockTypeView));
}

function readDocumentsOfType(ctx: RequestContext) {
  const includeSecrets = queryBoolean(ctx, "include_secrets", false);
  const ws = ctx.workspace;
  const type = blockTypes(ws).getByKey(ctx.params.slug ?? "");
  if (!type) throw notFound("Block type not found");
  const documents = sortByName(
    selectBlockDocuments(ws, { block_documents: { operator: "and_", block_type_id: { any_: [type.id] }, is_anonymous: { eq_: false } } }),
  );
  const cache = new ViewCache(ws);
  return ok(documents.map((document) => blockDocumentView(ws, document, includeSecrets, cache)));
}

function readDocumentOfTypeByName(ctx: RequestContext) {
  const includeSecrets = queryBoolean(ctx, "include_secrets", false);
  const ws = ctx.workspace;
  const type = blockTypes(ws).getByKey(ctx.params.slug ?? "");
  const document = type ? blockDocuments(ws).getByKey(`${type.id}/${ctx.params.block_document_name ?? ""}`) : undefined;
  if (!document) throw notFound("Block document not found");
  return ok(blockDocumentView(ws, document, includeSecrets));
}

function readBlockTypeBySlug(ctx: RequestContext) {
  const type = blockTypes(ctx.workspace).getByKey(ctx.params.slug ?? "");
  if (!type) throw notFound("Block type not found");
  return ok(blockTypeView(type));
}

function readCapabilities(ctx: RequestContext) {
  const capabilities = new Set<string>();
  for (const schema of blockSchemas(ctx.workspace).all()) for (const capability of schema.capabilities ?? []) capabilities.add(capability);
  return ok([...capabilities].sort());
}

/** Block type routes, the documents-by-type routes and `/block_capabilities/`. */
export function registerBlockTypeRoutes(router: Router): void {
  router.post("/block_types/", seeded(createBlockType));
  router.post("/block_types/filter", seeded(readBlockTypes));
  router.post(
    "/block_types/install_system_block_types",
    seeded((ctx) => {
      installProtectedBlocks(ctx);
      return ok(null);
    }),
  );
  router.get("/block_types/slug/{slug}", seeded(readBlockTypeBySlug));
  router.get("/block_types/slug/{slug}/block_documents", seeded(readDocumentsOfType));
  router.get("/block_types/slug/{slug}/block_documents/name/{block_document_name}", seeded(readDocumentOfTypeByName));
  router.get("/block_types/{id}", seeded((ctx) => ok(blockTypeView(foundType(ctx, ctx.params.id ?? "")))));
  router.patch("/block_types/{id}", seeded(updateBlockType));
  router.delete("/block_types/{id}", seeded(deleteBlockType));
  router.get("/block_capabilities/", seeded(readCapabilities));
}
