// Block documents (prefect/server/api/block_documents.py, models/block_documents.py).
// Documents are stored with their secrets in clear; a data value `{"$ref": {"block_document_id": ...}}`
// at the top level is stored as a reference to another document, resolved on every read.
import { withSystemBlocks as seeded } from "../catalog/seed.js";
import { blockDocuments, blockSchemas, blockTypes, type BlockDocumentEntity } from "../collections.js";
import { page, sortBy, timestamp } from "../filters.js";
import { conflict, created, HttpError, integrityConflict, noContent, notFound, ok, valueError } from "../http.js";
import type { RequestContext, Router } from "../router.js";
import { selectBlockDocuments, type BlockDocumentQuery } from "./block-filters.js";
import { deleteDocument, queryBoolean, saveDocument } from "./block-records.js";
import { blockDocumentView, flatten, forEachSecretLeaf, OBFUSCATED, secretFieldsOf, unflatten, ViewCache } from "./block-views.js";

type Data = Record<string, unknown>;
type References = NonNullable<BlockDocumentEntity["block_document_references"]>;

interface BlockDocumentCreate {
  name?: string | null;
  data?: Data;
  block_schema_id: string;
  block_type_id: string;
  is_anonymous: boolean;
}

interface BlockDocumentUpdate {
  block_schema_id?: string | null;
  data?: Data;
  merge_existing_data: boolean;
}

/** Block document names: Prefect's `BlockDocumentName` (lowercase letters, numbers and dashes). */
const DOCUMENT_NAME = /^[a-z0-9-]*$/;

const isObject = (value: unknown): value is Data => value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * Split top-level `{"$ref": {"block_document_id": ...}}` values out of the data, as Prefect's
 * `_separate_block_references_from_data` does (references nested deeper stay plain data).
 */
function separateReferences(data: Data): { data: Data; references: References } {
  const plain: Data = {};
  const references: References = {};
  for (const [key, value] of Object.entries(data)) {
    if (isObject(value) && "$ref" in value) {
      const target = isObject(value.$ref) ? value.$ref.block_document_id : undefined;
      // A `$ref` that is not an object with a block_document_id crashes the create route of a
      // real server (500) and is a 400 on update; both answer the update route's 400 here.
      if (target === undefined || target === null) {
        throw new HttpError(400, { detail: `Received block reference without a block_document_id in key ${key}` });
      }
      references[key] = { block_document_id: String(target) };
    } else {
      plain[key] = value;
    }
  }
  return { data: plain, references };
}

/** Referenced documents must exist: a missing one is a foreign key violation on a real server. */
function checkReferences(ctx: RequestContext, references: References, self?: string): void {
  for (const reference of Object.values(references)) {
    if (reference.block_document_id === self) {
      throw new HttpError(400, { detail: "`parent_block_document_id` and `reference_block_document_id` cannot be the same" });
    }
    if (!blockDocuments(ctx.workspace).get(reference.block_document_id)) throw integrityConflict();
  }
}

function createBlockDocument(ctx: RequestContext) {
  const body = ctx.body as BlockDocumentCreate;
  if (!body.is_anonymous && !body.name) throw valueError(["body"], "Names must be provided for block documents.", ctx.body, ctx.body);
  if (body.name !== undefined && body.name !== null && !DOCUMENT_NAME.test(body.name)) {
    throw valueError(["body", "name"], "Block document name must only contain lowercase letters, numbers, and dashes.", body.name, ctx.body);
  }
  const ws = ctx.workspace;
  if (body.name && blockDocuments(ws).getByKey(`${body.block_type_id}/${body.name}`)) throw conflict("Block already exists");
  // An unknown type crashes a real server (500) before its foreign keys answer 409; both are a 409 here.
  const type = blockTypes(ws).get(body.block_type_id);
  if (!type || !blockSchemas(ws).get(body.block_schema_id)) throw integrityConflict();
  const { data, references } = separateReferences(body.data ?? {});
  checkReferences(ctx, references);
  const now = timestamp(ctx.now);
  const id = ctx.services.newId();
  const document: BlockDocumentEntity = {
    id,
    created: now,
    updated: now,
    name: body.is_anonymous && !body.name ? `anonymous-${ctx.services.newId()}` : (body.name ?? null),
    data,
    block_schema_id: body.block_schema_id,
    block_type_id: body.block_type_id,
    block_type_name: type.name,
    block_document_references: references,
    is_anonymous: body.is_anonymous,
  };
  saveDocument(ws, document);
  return created(blockDocumentView(ws, document, false));
}

/**
 * A client that read a document without secrets and sends it back would overwrite them with
 * `********`; Prefect keeps the stored secret wherever the update carries the obfuscated value.
 */
function keepStoredSecrets(update: Data, current: Data, secretFields: readonly string[]): Data {
  const updateLeaves = flatten(structuredClone(update));
  forEachSecretLeaf(flatten(current), secretFields, (stored) => {
    const key = JSON.stringify(stored.path);
    const sent = updateLeaves.find((leaf) => JSON.stringify(leaf.path) === key);
    if (sent && sent.value === OBFUSCATED) sent.value = stored.value;
  });
  return unflatten(updateLeaves);
}

function updateBlockDocument(ctx: RequestContext) {
  const ws = ctx.workspace;
  const document = blockDocuments(ws).get(ctx.params.id ?? "");
  if (!document) throw notFound("Block document not found");
  const body = ctx.body as BlockDocumentUpdate;
  const merge = body.merge_existing_data !== false;
  // Prefect dumps the update with exclude_unset when merging: no `data` means nothing to do
  // (not even a schema change). Replacing without `data` replaces with an empty object.
  if (body.data === undefined && merge) return noContent();
  const current = structuredClone(document.data ?? {});
  const update = keepStoredSecrets(body.data ?? {}, current, secretFieldsOf(blockSchemas(ws).get(document.block_schema_id)));
  // The merge is shallow, and over the stored data without its references: references that
  // the update does not send again are dropped, as on a real server.
  const { data, references } = separateReferences(merge ? { ...current, ...update } : update);
  let schemaId = document.block_schema_id;
  if (body.block_schema_id && body.block_schema_id !== document.block_schema_id) {
    const proposed = blockSchemas(ws).get(body.block_schema_id);
    if (!proposed) throw integrityConflict();
    if (proposed.block_type_id !== document.block_type_id) {
      throw new HttpError(400, { detail: "Must migrate block document to a block schema of the same block type." });
    }
    schemaId = proposed.id;
  }
  checkReferences(ctx, references, document.id);
  saveDocument(ws, { ...document, data, block_document_references: references, block_schema_id: schemaId, updated: timestamp(ctx.now) });
  return noContent();
}

const byName = (document: BlockDocumentEntity) => document.name ?? "";

/** Prefect's `BlockDocumentSort`; the default is NAME_ASC. */
export function sortDocuments(documents: BlockDocumentEntity[], sort: unknown): BlockDocumentEntity[] {
  return sortBy(documents, sort ?? "NAME_ASC", {
    NAME_ASC: byName,
    NAME_DESC: byName,
    BLOCK_TYPE_AND_NAME_ASC: (document) => `${document.block_type_name ?? ""}\u0000${byName(document)}`,
  });
}

function readBlockDocuments(ctx: RequestContext) {
  const body = (ctx.body ?? {}) as BlockDocumentQuery & { include_secrets?: boolean; sort?: string | null };
  const ws = ctx.workspace;
  const matching = sortDocuments(selectBlockDocuments(ws, body), body.sort);
  const cache = new ViewCache(ws);
  return ok(page(matching, ctx).map((document) => blockDocumentView(ws, document, body.include_secrets === true, cache)));
}

function countBlockDocuments(ctx: RequestContext) {
  const body = (ctx.body ?? {}) as BlockDocumentQuery;
  return ok(selectBlockDocuments(ctx.workspace, body).length);
}

function readBlockDocument(ctx: RequestContext) {
  const includeSecrets = queryBoolean(ctx, "include_secrets", false);
  const document = blockDocuments(ctx.workspace).get(ctx.params.id ?? "");
  if (!document) throw notFound("Block document not found");
  return ok(blockDocumentView(ctx.workspace, document, includeSecrets));
}

function deleteBlockDocument(ctx: RequestContext) {
  if (!deleteDocument(ctx.workspace, ctx.params.id ?? "")) throw notFound("Block document not found");
  return noContent();
}

/** Block document routes. */
export function registerBlockDocumentRoutes(router: Router): void {
  router.post("/block_documents/", seeded(createBlockDocument));
  router.post("/block_documents/filter", seeded(readBlockDocuments));
  router.post("/block_documents/count", seeded(countBlockDocuments));
  router.get("/block_documents/{id}", seeded(readBlockDocument));
  router.patch("/block_documents/{id}", seeded(updateBlockDocument));
  router.delete("/block_documents/{id}", seeded(deleteBlockDocument));
}
