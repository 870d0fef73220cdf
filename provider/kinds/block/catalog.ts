// The block type catalog of a workspace: every block type by slug and the newest block schema
// of each, read once per run (two bulk reads) and shared by every block the run creates or
// updates. A type_slug the catalog does not know is looked up once more, fresh, before it is
// refused: a type registered while the run was going is still found.
import type { components } from "../../../contract/wire.gen.js";
import { filterAll } from "../../client/paginate.js";
import { suggest, type KindContext } from "../kind.js";
import { NoBlockSchemaError, UnknownBlockTypeError } from "./errors.js";

export type BlockType = components["schemas"]["BlockType"];
export type BlockSchema = components["schemas"]["BlockSchema"];

export interface BlockCatalog {
  /** Block types by slug. */
  readonly types: ReadonlyMap<string, BlockType>;
  /** The newest block schema of each block type registered for the type itself (else the newest), by block type id. */
  readonly newestSchemas: ReadonlyMap<string, BlockSchema>;
}

/** The memo key of the catalog (KindContext.forget it after registering block types). */
export const CATALOG_KEY = "prefect_block:catalog";

const createdAt = (schema: BlockSchema): number => Date.parse(schema.created ?? "") || 0;

/**
 * Whether a schema was registered for its type itself: Prefect's client writes the type's slug
 * into the fields of every schema it registers (src/prefect/blocks/core.py `schema_extra`, with
 * `secret_fields`). The server also makes a schema of a type from a nested definition in another
 * type's schema, when that one names a checksum it lacks: without block_type_slug or
 * secret_fields (client-suite #3971, #3973), so a secret written with it would not be masked.
 */
const ownSchemaOf = (schema: BlockSchema, slug: string | undefined): boolean => slug !== undefined && (schema.fields as Record<string, unknown> | undefined)?.block_type_slug === slug;

async function loadCatalog(ctx: KindContext): Promise<BlockCatalog> {
  const [types, schemas] = await Promise.all([filterAll<BlockType>(ctx.client, "/block_types/filter"), filterAll<BlockSchema>(ctx.client, "/block_schemas/filter")]);
  const slugs = new Map(types.map((type) => [type.id, type.slug]));
  const newestSchemas = new Map<string, BlockSchema>();
  // The newest of the type's own schemas, else the newest of any. Prefect lists schemas newest
  // first; on equal times that order decides, as it does for Prefect's own clients.
  for (const schema of schemas) {
    if (!schema.block_type_id) continue;
    const known = newestSchemas.get(schema.block_type_id);
    const slug = slugs.get(schema.block_type_id);
    const own = ownSchemaOf(schema, slug);
    const knownOwn = known !== undefined && ownSchemaOf(known, slug);
    if (!known || (own && !knownOwn) || (own === knownOwn && createdAt(schema) > createdAt(known))) newestSchemas.set(schema.block_type_id, schema);
  }
  return { types: new Map(types.map((type) => [type.slug, type])), newestSchemas };
}

/** The workspace's block type catalog, read once per run. */
export function blockCatalog(ctx: KindContext): Promise<BlockCatalog> {
  return ctx.memo(CATALOG_KEY, () => loadCatalog(ctx));
}

/** A block type and the schema new documents of it are written with. */
export interface ResolvedBlockType {
  type: BlockType;
  schema: BlockSchema;
}

/**
 * The block type a `type_slug` names and its newest schema. An unknown slug is looked up once
 * more in a fresh catalog, then refused with the known slugs.
 */
export async function resolveBlockType(ctx: KindContext, slug: string): Promise<ResolvedBlockType> {
  let catalog = await blockCatalog(ctx);
  if (!catalog.types.has(slug)) {
    ctx.forget(CATALOG_KEY);
    catalog = await blockCatalog(ctx);
  }
  const type = catalog.types.get(slug);
  if (!type) {
    const known = [...catalog.types.keys()].sort();
    throw new UnknownBlockTypeError(slug, known, suggest(slug, known));
  }
  const schema = catalog.newestSchemas.get(type.id);
  if (!schema) throw new NoBlockSchemaError(slug);
  return { type, schema };
}
