// How a workspace gets its system block types: lazily, the first time a block route touches
// it in this process, so a server that never serves a block costs nothing. A real server
// registers them at every startup (models/block_registration.py `run_block_auto_registration`):
// new types and schemas are added, known types get the catalog's metadata, nothing is removed. A
// workspace kept in a data directory by an older devserver is brought up to date the same way.
import { blockSchemas, blockTypes, type BlockSchemaEntity, type BlockTypeEntity } from "../collections.js";
import { timestamp } from "../filters.js";
import type { Handler, RequestContext } from "../router.js";
import type { Workspace } from "../store.js";
import { systemBlockSchemas, systemBlockTypes, type CatalogBlockSchema, type CatalogBlockType } from "./system-blocks.js";

const seeded = new WeakSet<Workspace>();

/** Make sure the request's workspace has the system block types and their schemas. */
export function ensureSystemBlocks(ctx: RequestContext): void {
  const ws = ctx.workspace;
  if (seeded.has(ws)) return;
  install(ctx, systemBlockTypes(), systemBlockSchemas(), false);
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
  install(ctx, types, systemBlockSchemas().filter((schema) => slugs.has(schema.block_type_slug)), true);
}

const UPDATABLE = ["logo_url", "documentation_url", "description", "code_example"] as const;

/**
 * Store the given types and the schemas not there yet. A type already there by slug gets the
 * catalog's metadata: all of it when `override` (`create_block_type(override=True)`), else the
 * fields a block type update takes (`register_block_type` -> `update_block_type`); it is only
 * written when that changes it. The catalog's descriptions are as the server answers them,
 * already HTML-escaped, and its schema fields and checksums as the server computed and answers
 * them: both are stored verbatim.
 */
function install(ctx: RequestContext, types: readonly CatalogBlockType[], schemas: readonly CatalogBlockSchema[], override: boolean): void {
  const ws = ctx.workspace;
  const typeCollection = blockTypes(ws);
  const schemaCollection = blockSchemas(ws);
  const total = types.length + schemas.length;
  // Installed one after the other, a millisecond apart and just before now, in the order a real
  // server creates them: "newest first" lists the schemas as it does, and anything a client creates is newer.
  const createdAt = (position: number) => timestamp(new Date(ctx.now.getTime() - (total - position)));
  types.forEach((type, position) => {
    const existing = typeCollection.getByKey(type.slug);
    if (!existing) {
      const created = createdAt(position);
      typeCollection.put({ id: ctx.services.newId(), created, updated: created, ...type });
      return;
    }
    const next: BlockTypeEntity = { ...existing };
    for (const field of UPDATABLE) next[field] = type[field];
    if (override) Object.assign(next, { name: type.name, is_protected: type.is_protected || existing.is_protected });
    const changed = (Object.keys(next) as (keyof BlockTypeEntity)[]).some((key) => next[key] !== existing[key]);
    if (changed || override) typeCollection.put({ ...next, updated: timestamp(ctx.now) });
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
