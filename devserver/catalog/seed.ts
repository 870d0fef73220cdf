// How a workspace gets its system block types: lazily, the first time a block route touches
// it, so a server that never serves a block costs nothing. A real server installs them at
// startup (models/block_registration.py `run_block_auto_registration`); to a client the two are
// indistinguishable.
import { blockSchemas, blockTypes, type BlockSchemaEntity, type BlockTypeEntity } from "../collections.js";
import { timestamp } from "../filters.js";
import type { Handler, RequestContext } from "../router.js";
import type { Workspace } from "../store.js";
import { systemBlockSchemas, systemBlockTypes, type CatalogBlockSchema, type CatalogBlockType } from "./system-blocks.js";

const seeded = new WeakSet<Workspace>();

/** A type that cannot be deleted through the API: if it is there, the workspace was seeded (possibly before a restart). */
const MARKER_SLUG = "secret";

/** Make sure the request's workspace has the system block types and their schemas. */
export function ensureSystemBlocks(ctx: RequestContext): void {
  const ws = ctx.workspace;
  if (seeded.has(ws)) return;
  if (!blockTypes(ws).getByKey(MARKER_SLUG)) install(ctx, systemBlockTypes(), systemBlockSchemas());
  seeded.add(ws);
}

/** Wrap a handler so that its workspace has the system block types before it runs. */
export function withSystemBlocks(handler: Handler): Handler {
  return (ctx) => {
    ensureSystemBlocks(ctx);
    return handler(ctx);
  };
}

/**
 * `POST /block_types/install_system_block_types`: (re)install the protected system types
 * (webhook, secret, local-file-system: those `is_protected` in the recorded catalog),
 * overwriting their metadata by slug and adding their schema if its checksum and version are
 * new (block_registration.py `_install_protected_system_blocks`: `create_block_type(override=True)`,
 * then `create_block_schema(override=True)`, which returns an existing schema of the same checksum
 * and version).
 */
export function installProtectedBlocks(ctx: RequestContext): void {
  const types = systemBlockTypes().filter((type) => type.is_protected);
  const slugs = new Set(types.map((type) => type.slug));
  install(ctx, types, systemBlockSchemas().filter((schema) => slugs.has(schema.block_type_slug)));
}

/**
 * Store the given types (overwriting those already there by slug) and the schemas not there
 * yet. The catalog's descriptions are as the server answers them, already HTML-escaped, and its
 * schema fields and checksums as the server computed and answers them: both are stored verbatim.
 */
function install(ctx: RequestContext, types: readonly CatalogBlockType[], schemas: readonly CatalogBlockSchema[]): void {
  const ws = ctx.workspace;
  const typeCollection = blockTypes(ws);
  const schemaCollection = blockSchemas(ws);
  const total = types.length + schemas.length;
  // Installed one after the other, a millisecond apart and just before now, in the order a real
  // server creates them: "newest first" lists the schemas as it does, and anything a client creates is newer.
  const createdAt = (position: number) => timestamp(new Date(ctx.now.getTime() - (total - position)));
  types.forEach((type, position) => {
    const existing = typeCollection.getByKey(type.slug);
    const created = existing?.created ?? createdAt(position);
    const entity: BlockTypeEntity = {
      id: existing?.id ?? ctx.services.newId(),
      created,
      updated: existing ? timestamp(ctx.now) : created,
      name: type.name,
      slug: type.slug,
      logo_url: type.logo_url,
      documentation_url: type.documentation_url,
      description: type.description,
      code_example: type.code_example,
      is_protected: type.is_protected || (existing?.is_protected ?? false),
    };
    typeCollection.put(entity);
  });
  schemas.forEach((schema, index) => {
    if (schemaCollection.getByKey(`${schema.checksum}/${schema.version}`)) return;
    const type = typeCollection.getByKey(schema.block_type_slug);
    if (!type) throw new Error(`The block catalog has a schema of block type "${schema.block_type_slug}" but not the type.`);
    const created = createdAt(types.length + index);
    const entity: BlockSchemaEntity = {
      id: ctx.services.newId(),
      created,
      updated: created,
      checksum: schema.checksum,
      fields: structuredClone(schema.fields),
      block_type_id: type.id,
      capabilities: [...schema.capabilities],
      version: schema.version,
    };
    schemaCollection.put(entity);
  });
}
