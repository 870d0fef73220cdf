// Block objects as the API answers with them: schemas joined with their type, documents
// joined with their schema and type, references resolved inline and secrets obfuscated
// unless asked for (prefect/server/schemas/core.py `BlockDocument.from_orm_model`,
// models/block_documents.py `_construct_full_block_document`).
import {
  blockDocuments,
  blockSchemas,
  blockTypes,
  type BlockDocumentEntity,
  type BlockSchemaEntity,
  type BlockTypeEntity,
} from "../collections.js";
import type { Workspace } from "../store.js";

/** What Prefect shows instead of a secret value (`prefect.utilities.names.obfuscate`). */
export const OBFUSCATED = "********";

type Data = Record<string, unknown>;

const isObject = (value: unknown): value is Data => value !== null && typeof value === "object" && !Array.isArray(value);

/** A block type as the API answers it. */
export function blockTypeView(type: BlockTypeEntity): BlockTypeEntity {
  return {
    id: type.id,
    created: type.created,
    updated: type.updated,
    name: type.name,
    slug: type.slug,
    logo_url: type.logo_url ?? null,
    documentation_url: type.documentation_url ?? null,
    description: type.description ?? null,
    code_example: type.code_example ?? null,
    is_protected: type.is_protected,
  };
}

/** A block schema with its block type, as the API answers it. */
export function blockSchemaView(ws: Workspace, schema: BlockSchemaEntity): BlockSchemaEntity {
  const type = schema.block_type_id ? blockTypes(ws).get(schema.block_type_id) : undefined;
  return {
    id: schema.id,
    created: schema.created,
    updated: schema.updated,
    checksum: schema.checksum,
    fields: structuredClone(schema.fields ?? {}),
    block_type_id: schema.block_type_id,
    block_type: type ? blockTypeView(type) : null,
    capabilities: [...(schema.capabilities ?? [])],
    version: schema.version,
  };
}

/** One leaf of a nested object, by its path of keys (Prefect's `dict_to_flatdict`). */
interface Leaf {
  path: string[];
  value: unknown;
}

/** Flatten nested objects into leaves; empty objects and arrays are leaves, as in `dict_to_flatdict`. */
export function flatten(data: Data, parent: string[] = [], into: Leaf[] = []): Leaf[] {
  for (const [key, value] of Object.entries(data)) {
    const path = [...parent, key];
    if (isObject(value) && Object.keys(value).length > 0) flatten(value, path, into);
    else into.push({ path, value });
  }
  return into;
}

/** Rebuild nested objects from leaves (`flatdict_to_dict`). */
export function unflatten(leaves: Leaf[]): Data {
  const out: Data = {};
  for (const { path, value } of leaves) {
    let current = out;
    for (const key of path.slice(0, -1)) {
      if (!isObject(current[key])) current[key] = {};
      current = current[key] as Data;
    }
    const last = path[path.length - 1];
    if (last !== undefined) current[last] = value;
  }
  return out;
}

const samePrefix = (path: string[], prefix: string[]): boolean => path.length >= prefix.length && prefix.every((key, index) => path[index] === key);

/**
 * For each secret field path of a schema (`"value"`, `"child.token"`, or `"headers.*"` for every
 * key under `headers`), call `visit` on the matching leaves. An exact path matches a leaf only
 * when its value is not null; a wildcard path matches every leaf below its prefix.
 */
export function forEachSecretLeaf(leaves: Leaf[], secretFields: readonly string[], visit: (leaf: Leaf, exact: boolean) => void): void {
  for (const field of secretFields) {
    const path = field.split(".");
    const key = JSON.stringify(path);
    const exact = leaves.find((leaf) => JSON.stringify(leaf.path) === key);
    if (exact && exact.value !== null && exact.value !== undefined) {
      visit(exact, true);
    } else if (path.includes("*")) {
      const prefix = path.slice(0, path.indexOf("*"));
      for (const leaf of leaves) if (samePrefix(leaf.path, prefix)) visit(leaf, false);
    }
  }
}

/** The secret field paths a schema declares. */
export function secretFieldsOf(schema: BlockSchemaEntity | undefined): string[] {
  const fields = schema?.fields as { secret_fields?: unknown } | undefined;
  return Array.isArray(fields?.secret_fields) ? fields.secret_fields.filter((field): field is string => typeof field === "string") : [];
}

/** A copy of `data` with every secret value replaced by `********`. */
export function obfuscate(data: Data, secretFields: readonly string[]): Data {
  if (secretFields.length === 0) return structuredClone(data);
  const leaves = flatten(structuredClone(data));
  forEachSecretLeaf(leaves, secretFields, (leaf) => {
    leaf.value = OBFUSCATED;
  });
  return unflatten(leaves);
}

/**
 * Views of the schemas and types a response mentions, built once per response: a page of
 * documents mostly shares one schema, and its `fields` are worth cloning only once.
 */
export class ViewCache {
  private readonly schemas = new Map<string, BlockSchemaEntity | null>();
  private readonly types = new Map<string, BlockTypeEntity | null>();

  constructor(private readonly ws: Workspace) {}

  schema(id: string): BlockSchemaEntity | null {
    let view = this.schemas.get(id);
    if (view === undefined) {
      const schema = blockSchemas(this.ws).get(id);
      view = schema ? blockSchemaView(this.ws, schema) : null;
      this.schemas.set(id, view);
    }
    return view;
  }

  type(id: string): BlockTypeEntity | null {
    let view = this.types.get(id);
    if (view === undefined) {
      const type = blockTypes(this.ws).get(id);
      view = type ? blockTypeView(type) : null;
      this.types.set(id, view);
    }
    return view;
  }
}

interface Resolved {
  data: Data;
  references: Record<string, Record<string, unknown>>;
}

/**
 * A document's data with the documents it references resolved inline (each obfuscated by its
 * own schema), and the `block_document_references` record describing them.
 */
function resolve(ws: Workspace, cache: ViewCache, document: BlockDocumentEntity, includeSecrets: boolean, visiting: Set<string>): Resolved {
  const schema = blockSchemas(ws).get(document.block_schema_id);
  const data = includeSecrets ? structuredClone(document.data ?? {}) : obfuscate(document.data ?? {}, secretFieldsOf(schema));
  const references: Resolved["references"] = {};
  for (const [field, reference] of Object.entries(document.block_document_references ?? {})) {
    const child = blockDocuments(ws).get(reference.block_document_id);
    // A cycle (possible through PATCH) would never end on a real server; here it just stops.
    if (!child || visiting.has(child.id)) continue;
    const inner = resolve(ws, cache, child, includeSecrets, new Set([...visiting, child.id]));
    data[field] = inner.data;
    references[field] = {
      block_document: {
        id: child.id,
        name: child.name ?? null,
        block_type: cache.type(child.block_type_id),
        is_anonymous: child.is_anonymous,
        block_document_references: inner.references,
      },
    };
  }
  return { data, references };
}

/** A block document as the API answers it. Pass one cache for all the documents of a response. */
export function blockDocumentView(ws: Workspace, document: BlockDocumentEntity, includeSecrets: boolean, cache = new ViewCache(ws)): Record<string, unknown> {
  const { data, references } = resolve(ws, cache, document, includeSecrets, new Set([document.id]));
  return {
    id: document.id,
    created: document.created,
    updated: document.updated,
    name: document.name ?? null,
    data,
    block_schema_id: document.block_schema_id,
    block_schema: cache.schema(document.block_schema_id),
    block_type_id: document.block_type_id,
    block_type_name: document.block_type_name ?? null,
    block_type: cache.type(document.block_type_id),
    block_document_references: references,
    is_anonymous: document.is_anonymous,
  };
}
