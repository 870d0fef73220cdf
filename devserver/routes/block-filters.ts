// The filter bodies of the block routes (`BlockTypeFilter`, `BlockSchemaFilter`,
// `BlockDocumentFilter`), evaluated as Prefect's `as_sql_filter` does: each criterion is the
// AND of its operators, and a filter combines its criteria with its `operator` (and_/or_).
import type { components } from "../../contract/wire.gen.js";
import {
  blockDocuments,
  blockSchemas,
  blockTypes,
  type BlockDocumentEntity,
  type BlockSchemaEntity,
  type BlockTypeEntity,
} from "../collections.js";
import { combine, likePattern } from "../filters.js";
import type { Workspace } from "../store.js";

type Schemas = components["schemas"];
export type BlockTypeFilter = Schemas["BlockTypeFilter"];
export type BlockSchemaFilter = Schemas["BlockSchemaFilter"];
export type BlockDocumentFilter = Schemas["BlockDocumentFilter"];

const likeMatches = (value: string | null | undefined, pattern: string): boolean => value !== null && value !== undefined && likePattern(pattern).test(value);

const anyOf = (value: unknown, candidates: readonly unknown[] | null | undefined): boolean => candidates === null || candidates === undefined || candidates.includes(value);

/** Whether a block type passes a `BlockTypeFilter` (name `like_`, slug `any_`). */
export function blockTypeMatches(type: BlockTypeEntity, filter: BlockTypeFilter | null | undefined): boolean {
  if (!filter) return true;
  if (filter.name?.like_ != null && !likeMatches(type.name, filter.name.like_)) return false;
  if (!anyOf(type.slug, filter.slug?.any_)) return false;
  return true;
}

/** Whether a block schema passes a `BlockSchemaFilter` (block type id, capabilities `all_`, id, version). */
export function blockSchemaMatches(schema: BlockSchemaEntity, filter: BlockSchemaFilter | null | undefined): boolean {
  if (!filter) return true;
  const results: boolean[] = [];
  if (filter.block_type_id) results.push(anyOf(schema.block_type_id, filter.block_type_id.any_));
  if (filter.block_capabilities) {
    const wanted = filter.block_capabilities.all_ ?? [];
    const has = schema.capabilities ?? [];
    results.push(wanted.every((capability) => has.includes(capability)));
  }
  if (filter.id) results.push(anyOf(schema.id, filter.id.any_));
  if (filter.version) results.push(anyOf(schema.version, filter.version.any_));
  return combine(filter.operator, results);
}

/** Whether a block document passes a `BlockDocumentFilter` (id, is_anonymous, block type id, name). */
export function blockDocumentMatches(document: BlockDocumentEntity, filter: BlockDocumentFilter): boolean {
  const results: boolean[] = [];
  if (filter.id) results.push(anyOf(document.id, filter.id.any_));
  if (filter.is_anonymous) results.push(filter.is_anonymous.eq_ == null || document.is_anonymous === filter.is_anonymous.eq_);
  if (filter.block_type_id) results.push(anyOf(document.block_type_id, filter.block_type_id.any_));
  if (filter.name) {
    const name = document.name ?? null;
    results.push(anyOf(name, filter.name.any_) && (filter.name.like_ == null || likeMatches(name, filter.name.like_)));
  }
  return combine(filter.operator, results);
}

/** Without a document filter, Prefect lists only named (non-anonymous) documents. */
const DEFAULT_DOCUMENT_FILTER: BlockDocumentFilter = { operator: "and_", is_anonymous: { eq_: false } };

/** The three filters a block document query takes. */
export interface BlockDocumentQuery {
  block_documents?: BlockDocumentFilter | null;
  block_types?: BlockTypeFilter | null;
  block_schemas?: BlockSchemaFilter | null;
}

/**
 * The documents worth testing against a filter: the ones named by id, or by block type and
 * name through the (type, name) index, when the filter pins them down; otherwise all of them.
 */
function candidates(ws: Workspace, filter: BlockDocumentFilter, typeIds: Set<string> | undefined): Iterable<BlockDocumentEntity> {
  const documents = blockDocuments(ws);
  if (filter.operator === "or_") return documents.all();
  const picked = new Map<string, BlockDocumentEntity>();
  const keep = (document: BlockDocumentEntity | undefined) => document && picked.set(document.id, document);
  if (filter.id?.any_) {
    for (const id of filter.id.any_) keep(documents.get(id));
    return picked.values();
  }
  const names = filter.name?.any_;
  const types = filter.block_type_id?.any_ ?? (typeIds ? [...typeIds] : undefined);
  // The (type, name) index only holds named documents, so it answers only when anonymous ones are excluded.
  if (names && types && filter.is_anonymous?.eq_ === false) {
    for (const type of types) for (const name of names) keep(documents.getByKey(`${type}/${name}`));
    return picked.values();
  }
  return documents.all();
}

/**
 * The documents of a workspace matching a query. Type and schema filters are resolved to id
 * sets first (there are few types and schemas), so documents are visited at most once.
 */
export function selectBlockDocuments(ws: Workspace, query: BlockDocumentQuery): BlockDocumentEntity[] {
  const documentFilter = query.block_documents ?? DEFAULT_DOCUMENT_FILTER;
  const typeIds = query.block_types ? new Set(blockTypes(ws).filter((type) => blockTypeMatches(type, query.block_types)).map((type) => type.id)) : undefined;
  const schemaIds = query.block_schemas
    ? new Set(blockSchemas(ws).filter((schema) => blockSchemaMatches(schema, query.block_schemas)).map((schema) => schema.id))
    : undefined;
  const out: BlockDocumentEntity[] = [];
  for (const document of candidates(ws, documentFilter, typeIds)) {
    if (typeIds && !typeIds.has(document.block_type_id)) continue;
    if (schemaIds && !schemaIds.has(document.block_schema_id)) continue;
    if (!blockDocumentMatches(document, documentFilter)) continue;
    out.push(document);
  }
  return out;
}
