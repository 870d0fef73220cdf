// Stored block types, schemas and documents: how they are built, how block documents keep
// track of who references them, and what deleting one takes with it (the real server's
// foreign keys all cascade: type -> schemas -> documents -> references).
import {
  blockDocuments,
  blockSchemas,
  blockTypes,
  type BlockDocumentEntity,
  type BlockSchemaEntity,
  type BlockTypeEntity,
} from "../collections.js";
import { timestamp } from "../filters.js";
import { unprocessable } from "../http.js";
import type { RequestContext } from "../router.js";
import type { Workspace } from "../store.js";

/** What a block type is created from (`BlockTypeCreate`). */
export interface BlockTypeInput {
  name: string;
  slug: string;
  logo_url?: string | null;
  documentation_url?: string | null;
  description?: string | null;
  code_example?: string | null;
}

/** What a block schema is created from (`BlockSchemaCreate`, defaults filled). */
export interface BlockSchemaInput {
  fields: Record<string, unknown>;
  block_type_id: string;
  capabilities: string[];
  version: string;
}

/** Prefect stores descriptions and code examples HTML-escaped (`html.escape(quote=False)`) when a type is created. */
function escapeHtml(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A new stored block type. `created` defaults to the request time. */
export function newBlockType(ctx: RequestContext, input: BlockTypeInput, isProtected: boolean, created = timestamp(ctx.now)): BlockTypeEntity {
  return {
    id: ctx.services.newId(),
    created,
    updated: created,
    name: input.name,
    slug: input.slug,
    logo_url: input.logo_url ?? null,
    documentation_url: input.documentation_url ?? null,
    description: escapeHtml(input.description),
    code_example: escapeHtml(input.code_example),
    is_protected: isProtected,
  };
}

/** The schema with this checksum (and version, when given); the most recently created one wins. */
export function schemaByChecksum(ws: Workspace, checksum: string, version?: string | null): BlockSchemaEntity | undefined {
  if (version !== undefined && version !== null) return blockSchemas(ws).getByKey(`${checksum}/${version}`);
  return newestFirst(blockSchemas(ws).filter((schema) => schema.checksum === checksum))[0];
}

/**
 * Block schemas newest first, as Prefect lists them (`created DESC`). Schemas created in the
 * same millisecond keep their insertion order reversed, so the later one still comes first.
 */
export function newestFirst(schemas: BlockSchemaEntity[]): BlockSchemaEntity[] {
  return schemas
    .map((schema, index) => ({ schema, index }))
    .sort((a, b) => (a.schema.created === b.schema.created ? b.index - a.index : (a.schema.created ?? "") < (b.schema.created ?? "") ? 1 : -1))
    .map(({ schema }) => schema);
}

const TRUE_WORDS = new Set(["1", "true", "t", "yes", "y", "on"]);
const FALSE_WORDS = new Set(["0", "false", "f", "no", "n", "off"]);

/** A boolean query parameter parsed as pydantic parses one; anything else is a 422. */
export function queryBoolean(ctx: RequestContext, name: string, fallback: boolean): boolean {
  const raw = ctx.query.get(name);
  if (raw === null) return fallback;
  const word = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw unprocessable([{ type: "bool_parsing", loc: ["query", name], msg: "Input should be a valid boolean, unable to interpret input", input: raw }], null);
}

// --- references between block documents -------------------------------------------------

/** Per workspace: referenced document id -> ids of the documents referencing it. Built on first use. */
const referrerIndex = new WeakMap<Workspace, Map<string, Set<string>>>();

function referrers(ws: Workspace): Map<string, Set<string>> {
  let index = referrerIndex.get(ws);
  if (!index) {
    index = new Map();
    for (const document of blockDocuments(ws).all()) addReferences(index, document);
    referrerIndex.set(ws, index);
  }
  return index;
}

function addReferences(index: Map<string, Set<string>>, document: BlockDocumentEntity): void {
  for (const reference of Object.values(document.block_document_references ?? {})) {
    let parents = index.get(reference.block_document_id);
    if (!parents) {
      parents = new Set();
      index.set(reference.block_document_id, parents);
    }
    parents.add(document.id);
  }
}

function removeReferences(index: Map<string, Set<string>>, document: BlockDocumentEntity): void {
  for (const reference of Object.values(document.block_document_references ?? {})) {
    const parents = index.get(reference.block_document_id);
    parents?.delete(document.id);
    if (parents && parents.size === 0) index.delete(reference.block_document_id);
  }
}

/** Store a block document (new or replaced), keeping the reference index in step. */
export function saveDocument(ws: Workspace, document: BlockDocumentEntity): void {
  const index = referrers(ws);
  const previous = blockDocuments(ws).get(document.id);
  if (previous) removeReferences(index, previous);
  blockDocuments(ws).put(document);
  addReferences(index, document);
}

/**
 * Delete a block document. Its references go with it, in both directions: documents that
 * referenced it lose that field (their data no longer shows it), as the cascading
 * `block_document_reference` rows do on a real server.
 */
export function deleteDocument(ws: Workspace, id: string): boolean {
  const documents = blockDocuments(ws);
  const document = documents.get(id);
  if (!document) return false;
  const index = referrers(ws);
  removeReferences(index, document);
  documents.delete(id);
  for (const parentId of index.get(id) ?? []) {
    const parent = documents.get(parentId);
    if (!parent) continue;
    const kept = Object.fromEntries(Object.entries(parent.block_document_references ?? {}).filter(([, reference]) => reference.block_document_id !== id));
    documents.put({ ...parent, block_document_references: kept });
  }
  index.delete(id);
  return true;
}

/** Delete a block schema and the documents that use it. */
export function deleteSchema(ws: Workspace, id: string): void {
  for (const document of blockDocuments(ws).filter((candidate) => candidate.block_schema_id === id)) deleteDocument(ws, document.id);
  blockSchemas(ws).delete(id);
}

/** Delete a block type with its schemas and documents. */
export function deleteType(ws: Workspace, id: string): void {
  for (const document of blockDocuments(ws).filter((candidate) => candidate.block_type_id === id)) deleteDocument(ws, document.id);
  for (const schema of blockSchemas(ws).filter((candidate) => candidate.block_type_id === id)) blockSchemas(ws).delete(schema.id);
  blockTypes(ws).delete(id);
}
