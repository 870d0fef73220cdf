// prefect_block through the API: /block_documents/, with block types and schemas from the
// catalog. Every read asks for secrets in clear (include_secrets) so that a declared secret can
// be compared with the live one; they stay in memory, and the plan masks the attribute.
import type { components } from "../../../contract/wire.gen.js";
import { filterAll, filterByIdsAndNames } from "../../client/paginate.js";
import type { Kind, KindContext, ReadScope } from "../kind.js";
import { cloudScopeOf, createSafely, deleteIgnoringMissing, orUndefined, readBack } from "../runtime.js";
import { blockCatalog, resolveBlockType, type ResolvedBlockType } from "./catalog.js";
import { blockDataIssues } from "./data-check.js";
import { BlockDataError } from "./errors.js";
import { writeBlockDeclaration } from "./declaration.js";
import { dataWithReferences } from "./references.js";
import { blockSchema, type BlockSpec } from "./schema.js";

type BlockDocument = components["schemas"]["BlockDocument"];
type BlockDocumentCreate = components["schemas"]["BlockDocumentCreate"];
type BlockDocumentUpdate = components["schemas"]["BlockDocumentUpdate"];
type BlockDocumentFilterBody = components["schemas"]["Body_read_block_documents_block_documents_filter_post"];

/**
 * A block document as read (secrets in clear, references resolved inline), with the Prefect
 * Cloud account and workspace the client read it from (the API does not repeat them).
 */
export type Block = BlockDocument & { account_id?: string; workspace_id?: string };

// Without it, secret fields read "********" (scenarios.jsonl "block read", "block read with secrets").
const SECRETS = { include_secrets: true } as const;

function liveOf(ctx: KindContext, raw: BlockDocument): Block {
  return { ...raw, ...cloudScopeOf(ctx.client) };
}

async function read(ctx: KindContext, id: string): Promise<Block | undefined> {
  const raw = await orUndefined(ctx.client.get<BlockDocument>(`/block_documents/${encodeURIComponent(id)}`, { query: SECRETS }));
  return raw && liveOf(ctx, raw);
}

async function find(ctx: KindContext, spec: BlockSpec): Promise<Block | undefined> {
  const path = `/block_types/slug/${encodeURIComponent(spec.type_slug)}/block_documents/name/${encodeURIComponent(spec.name)}`;
  const raw = await orUndefined(ctx.client.get<BlockDocument>(path, { query: SECRETS }));
  return raw && liveOf(ctx, raw);
}

async function list(ctx: KindContext): Promise<Block[]> {
  // Type then name is unique, so offset pages neither skip nor repeat a document.
  const body: Omit<BlockDocumentFilterBody, "offset" | "limit"> = {
    block_documents: { operator: "and_", is_anonymous: { eq_: false } },
    include_secrets: true,
    sort: "BLOCK_TYPE_AND_NAME_ASC",
  };
  const [documents] = await Promise.all([
    filterAll<BlockDocument>(ctx.client, "/block_documents/filter", body),
    // Read now, alongside, for the creates and updates of the same run; a failure here is
    // theirs to report (the memo forgets it), not a reason to leave the blocks unread.
    blockCatalog(ctx).catch(() => undefined),
  ]);
  return documents.map((raw) => liveOf(ctx, raw));
}

/** The documents of `scope`: BlockDocumentFilter has id.any_ and name.any_ (server-openapi.json BlockDocumentFilterId, BlockDocumentFilterName). */
async function readScoped(ctx: KindContext, scope: ReadScope): Promise<Block[]> {
  const body: Omit<BlockDocumentFilterBody, "offset" | "limit" | "block_documents"> = { include_secrets: true, sort: "BLOCK_TYPE_AND_NAME_ASC" };
  const [documents] = await Promise.all([filterByIdsAndNames<BlockDocument>(ctx.client, "/block_documents/filter", "block_documents", scope, body), blockCatalog(ctx).catch(() => undefined)]);
  // Anonymous documents (is_anonymous) are never declared: a name filter must not hand one over.
  return documents.filter((raw) => !raw.is_anonymous).map((raw) => liveOf(ctx, raw));
}

/** The document to write and the attribute it was declared in; `data_wo` only when it is to be sent. */
function documentOf(spec: BlockSpec, sendWriteOnly: boolean): { attribute: "data" | "data_wo"; data: Record<string, unknown> } | undefined {
  if (spec.data !== undefined) return { attribute: "data", data: spec.data };
  if (spec.data_wo !== undefined && sendWriteOnly) return { attribute: "data_wo", data: spec.data_wo };
  return undefined;
}

/** Refuse a document that does not fit the schema it is about to be written with, before Prefect sees it. */
function checkData(spec: BlockSpec, resolved: ResolvedBlockType, attribute: string, data: Record<string, unknown>): void {
  const issues = blockDataIssues(resolved.schema.fields ?? {}, data, attribute, JSON.stringify(resolved.type.name));
  if (issues.length) throw new BlockDataError(blockSchema.label(spec), issues);
}

/** prefect_block: schema, and CRUD through `/block_documents/`. */
export const blockKind: Kind<BlockSpec, Block> = {
  ...blockSchema,

  list,

  readScoped,

  read,

  find,

  create: async (ctx, spec) => {
    const resolved = await resolveBlockType(ctx, spec.type_slug);
    const document = documentOf(spec, true) ?? { attribute: "data", data: {} };
    checkData(spec, resolved, document.attribute, document.data);
    const body: BlockDocumentCreate = {
      name: spec.name,
      data: document.data,
      block_schema_id: resolved.schema.id,
      block_type_id: resolved.type.id,
      is_anonymous: false,
    };
    // A name the type already has answers 409 "Block already exists" (scenarios.jsonl "block
    // duplicate"): createSafely then takes the block found under the name.
    const id = await createSafely({
      attempt: async () => (await ctx.client.post<BlockDocument>("/block_documents/", body)).id,
      lookup: async () => (await find(ctx, spec))?.id,
    });
    // The create answers with secrets obfuscated: read the block back in clear (scenarios.jsonl "block secret create").
    return readBack(`${blockSchema.label(spec)} (${id})`, read(ctx, id), "right after it was created");
  },

  update: async (ctx, id, spec, _prior, changed) => {
    // Only a changed document is written (update-body.ts's rule: a document under ignore_changes
    // stays as it is); data_wo is write-only: it is sent again only when its version says so.
    const writeOnly = changed.includes("data_wo_version");
    const document = changed.includes("data") || writeOnly ? documentOf(spec, writeOnly) : undefined;
    if (document) {
      const resolved = await resolveBlockType(ctx, spec.type_slug);
      checkData(spec, resolved, document.attribute, document.data);
      // The declaration is the whole document (no merge: a removed key goes), written with the
      // newest schema of the type, as the official provider does: the data was checked against it.
      // A 204 without a body (scenarios.jsonl "block patch merge"): the block is read back.
      const body: BlockDocumentUpdate = { block_schema_id: resolved.schema.id, data: document.data, merge_existing_data: false };
      await ctx.client.patch(`/block_documents/${encodeURIComponent(id)}`, body);
    }
    return readBack(`${blockSchema.label(spec)} (${id})`, read(ctx, id));
  },

  delete: (ctx, id) => deleteIgnoringMissing(ctx.client.delete(`/block_documents/${encodeURIComponent(id)}`)),

  idOf: (live) => live.id,

  identityOf: (live) => (live.block_type?.slug && live.name ? `${live.block_type.slug}/${live.name}` : undefined),

  toSpec: (live) => ({
    id: live.id,
    created: live.created ?? undefined,
    updated: live.updated ?? undefined,
    account_id: live.account_id,
    workspace_id: live.workspace_id,
    name: live.name ?? "",
    type_slug: live.block_type?.slug ?? "",
    // Secrets in clear (compared in memory, masked in plans); references as declared.
    data: dataWithReferences(live.data ?? {}, live.block_document_references ?? {}),
  }),

  importName: (spec) => `${spec.type_slug}_${spec.name}`,
  writeDeclaration: writeBlockDeclaration,
};
