// How a workspace gets its system block types: lazily, the first time a block route touches
// it, so a server that never serves a block costs nothing. A real server installs them at
// startup; to a client the two are indistinguishable.
import { blockSchemas, blockTypes } from "../collections.js";
import { timestamp } from "../filters.js";
import type { Handler, RequestContext } from "../router.js";
import { escapeHtml, newBlockSchema, newBlockType } from "../routes/block-records.js";
import type { Workspace } from "../store.js";
import { SYSTEM_BLOCKS, type SystemBlock } from "./system-blocks.js";

const seeded = new WeakSet<Workspace>();

/** A type that cannot be deleted through the API: if it is there, the workspace was seeded (possibly before a restart). */
const MARKER_SLUG = "secret";

/** Make sure the request's workspace has the system block types and their schemas. */
export function ensureSystemBlocks(ctx: RequestContext): void {
  const ws = ctx.workspace;
  if (seeded.has(ws)) return;
  if (!blockTypes(ws).getByKey(MARKER_SLUG)) install(ctx, SYSTEM_BLOCKS);
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
 * `POST /block_types/install_system_block_types`: (re)install the protected system types,
 * overwriting their metadata by slug and adding their schema if its checksum and version are new.
 */
export function installProtectedBlocks(ctx: RequestContext): void {
  install(ctx, SYSTEM_BLOCKS.filter((block) => block.isProtected));
}

function install(ctx: RequestContext, blocks: readonly SystemBlock[]): void {
  const ws = ctx.workspace;
  const types = blockTypes(ws);
  const schemas = blockSchemas(ws);
  blocks.forEach((block, position) => {
    // Installed one after the other, a millisecond apart and just before now, so that
    // "newest first" lists them as a real server does and anything a client creates is newer.
    const created = timestamp(new Date(ctx.now.getTime() - (blocks.length - position)));
    const existing = types.getByKey(block.type.slug);
    const type = existing
      ? {
          ...existing,
          name: block.type.name,
          logo_url: block.type.logo_url,
          documentation_url: block.type.documentation_url,
          description: escapeHtml(block.type.description),
          code_example: escapeHtml(block.type.code_example),
          is_protected: block.isProtected || existing.is_protected,
          updated: timestamp(ctx.now),
        }
      : newBlockType(ctx, block.type, block.isProtected, created);
    types.put(type);
    const schema = newBlockSchema(ctx, { ...structuredClone(block.schema), block_type_id: type.id }, created);
    if (!schemas.getByKey(`${schema.checksum}/${schema.version}`)) schemas.put(schema);
  });
}
