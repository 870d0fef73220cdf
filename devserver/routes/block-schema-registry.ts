// Registering a block schema as a real server does (models/block_schemas.py
// `create_block_schema`, `_register_nested_block_schemas`, `_get_fields_for_child_schema`): every
// nested block named in `block_schema_references` becomes a schema of its own block type unless
// a schema with the referenced checksum exists, and the parent is answered, on every read, with
// its references pointing at those schemas and their fields as definitions
// (`_construct_full_block_schema`). Schemas never change once created, so the devserver stores
// that read form when the schema is created instead of rebuilding it on each read (one
// simplification: a nested schema deleted later still shows in its parent's answer, where a real
// server's cascading `block_schema_reference` rows would drop it).
// Recorded: client-suite.jsonl.gz seq 3971-3990 (a schema whose nested Secret reference names a
// checksum the server lacks: a `non-versioned` Secret schema is made from its definition, with
// no `block_type_slug` in its fields, and documents of that schema show those fields).
import { blockSchemaChecksum, nonBlockDefinitions } from "../catalog/checksum.js";
import { blockSchemas, blockTypes, type BlockSchemaEntity } from "../collections.js";
import { timestamp } from "../filters.js";
import { conflict, internalServerError } from "../http.js";
import type { RequestContext } from "../router.js";
import type { Workspace } from "../store.js";
import { schemaByChecksum, type BlockSchemaInput } from "./block-records.js";

type Fields = Record<string, unknown>;

interface Reference {
  block_schema_checksum: string;
  block_type_slug: string;
}

const isObject = (value: unknown): value is Fields => value !== null && typeof value === "object" && !Array.isArray(value);
const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** `BlockSchemaCreate.version`'s default (server/schemas/actions.py `DEFAULT_BLOCK_SCHEMA_VERSION`). */
export const DEFAULT_SCHEMA_VERSION = "non-versioned";

/** The checksum a schema is stored under: over its fields and the definitions it was given (`create_block_schema`). */
function checksumOf(fields: Fields, definitions?: Fields): string {
  // Python's `if definitions:`: an empty object counts as none.
  return blockSchemaChecksum(definitions && Object.keys(definitions).length > 0 ? { ...fields, definitions } : fields);
}

/** Every `$ref` string anywhere in a value (blocks/core.py `_collect_nested_reference_strings`). */
function referenceStrings(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) referenceStrings(item, into);
  else if (isObject(value)) {
    if (typeof value.$ref === "string") into.push(value.$ref);
    for (const child of Object.values(value)) referenceStrings(child, into);
  }
  return into;
}

/**
 * The definition a nested block's schema is made from (`_get_fields_for_child_schema`): the one
 * its property refers to, or, for a union, the one whose `block_type_slug` is the block type's.
 * A nested registration it cannot resolve is a `ValueError` in `_register_nested_block_schemas`,
 * which a real server answers with a 500.
 */
function childFields(definitions: Fields, parent: Fields, name: string, slug: string): Fields | undefined {
  const properties = isObject(parent.properties) ? parent.properties : {};
  if (!(name in properties)) throw internalServerError();
  const keys = referenceStrings(properties[name]).map((ref) => ref.replace("#/definitions/", ""));
  if (keys.length === 1) {
    const only = definitions[keys[0] ?? ""];
    return isObject(only) ? only : undefined;
  }
  for (const key of keys) {
    const candidate = definitions[key];
    if (!isObject(candidate)) throw internalServerError();
    if (candidate.block_type_slug === slug) return candidate;
  }
  return undefined;
}

/** Add a reference under a name, as a list once a second, different one comes (`_construct_block_schema_fields_with_block_references`). */
function addReference(references: Record<string, Reference | Reference[]>, name: string, reference: Reference): void {
  const same = (other: Reference) => other.block_schema_checksum === reference.block_schema_checksum && other.block_type_slug === reference.block_type_slug;
  const current = references[name];
  if (current === undefined) references[name] = reference;
  else if (Array.isArray(current)) {
    if (!current.some(same)) current.push(reference);
  } else if (!same(current)) references[name] = [current, reference];
}

/**
 * The fields a schema is answered with: its stored fields, its references pointing at the
 * schemas registered for them, and those schemas' fields as definitions under their titles, with
 * their own definitions lifted beside them (`_construct_full_block_schema`,
 * `_add_block_schemas_fields_to_definitions`).
 */
function readForm(ws: Workspace, stored: Fields, children: { name: string; schema: BlockSchemaEntity }[]): Fields {
  const references: Record<string, Reference | Reference[]> = {};
  let definitions: Fields = {};
  for (const { name, schema } of children) {
    const slug = schema.block_type_id ? blockTypes(ws).get(schema.block_type_id)?.slug : undefined;
    if (slug === undefined) continue;
    addReference(references, name, { block_schema_checksum: schema.checksum, block_type_slug: slug });
  }
  const seen = new Set<string>();
  for (const { schema } of children) {
    if (seen.has(schema.id)) continue;
    seen.add(schema.id);
    const fields = structuredClone(schema.fields ?? {}) as Fields;
    if (typeof fields.title !== "string") continue;
    const lifted = isObject(fields.definitions) ? fields.definitions : {};
    delete fields.definitions;
    definitions = { ...definitions, [fields.title]: fields, ...lifted };
  }
  const out: Fields = { ...stored, block_schema_references: references };
  if (Object.keys(definitions).length > 0 || isObject(stored.definitions)) {
    out.definitions = { ...(isObject(stored.definitions) ? stored.definitions : {}), ...definitions };
  }
  return out;
}

export interface Registered {
  schema: BlockSchemaEntity;
  /** False when a schema of the same checksum and version was there already (and is what `schema` is). */
  created: boolean;
  /** What a create answers with: the stored fields with the references and definitions as sent. */
  createdFields: Fields;
}

/**
 * Register a block schema and the nested block schemas it needs. Either everything is stored
 * or nothing is (the real server's transaction): a missing block type is a 409, a nested block
 * whose definition cannot be found a 500.
 */
export function registerBlockSchema(ctx: RequestContext, input: BlockSchemaInput): Registered {
  const made: string[] = [];
  try {
    return register(ctx, input, undefined, made);
  } catch (error) {
    for (const id of made.reverse()) blockSchemas(ctx.workspace).delete(id);
    throw error;
  }
}

function register(ctx: RequestContext, input: BlockSchemaInput, given: Fields | undefined, made: string[]): Registered {
  const ws = ctx.workspace;
  const sent = structuredClone(input.fields);
  const definitions = given ?? (isObject(sent.definitions) ? sent.definitions : undefined);
  const checksum = checksumOf(sent, definitions);
  const existing = schemaByChecksum(ws, checksum, input.version);
  if (existing) return { schema: existing, created: false, createdFields: structuredClone(existing.fields ?? {}) as Fields };

  // What a real server stores: the definitions that are not blocks (blocks are rebuilt from their own schemas), no references.
  const stored: Fields = definitions && Object.keys(definitions).length > 0 ? { ...sent, definitions } : { ...sent };
  if (definitions && Object.keys(definitions).length > 0) {
    const kept = nonBlockDefinitions(stored, definitions);
    if (Object.keys(kept).length > 0) stored.definitions = kept;
    else delete stored.definitions;
  }
  const references = isObject(stored.block_schema_references) ? stored.block_schema_references : {};
  delete stored.block_schema_references;

  const now = timestamp(ctx.now);
  // Stored before its nested schemas, so that it is the older one, as on a real server.
  const schema: BlockSchemaEntity = {
    id: ctx.services.newId(),
    created: now,
    updated: now,
    checksum,
    fields: stored,
    block_type_id: input.block_type_id,
    capabilities: input.capabilities,
    version: input.version,
  };
  blockSchemas(ws).put(schema);
  made.push(schema.id);

  const children: { name: string; schema: BlockSchemaEntity }[] = [];
  for (const [name, value] of Object.entries(references)) {
    for (const entry of asList(value as Reference | Reference[])) {
      const type = blockTypes(ws).getByKey(String(entry?.block_type_slug));
      if (!type) {
        throw conflict(`Cannot create block schema because block type '${String(entry?.block_type_slug)}' was not found.Did you forget to register the block type?`);
      }
      let child = schemaByChecksum(ws, String(entry.block_schema_checksum));
      if (!child) {
        if (!definitions) throw internalServerError();
        const fields = childFields(definitions, stored, name, type.slug);
        if (!fields) throw internalServerError();
        child = register(ctx, { fields, block_type_id: type.id, capabilities: [], version: DEFAULT_SCHEMA_VERSION }, definitions, made).schema;
      }
      children.push({ name, schema: child });
    }
  }
  const answered: BlockSchemaEntity = { ...schema, fields: readForm(ws, stored, children) };
  blockSchemas(ws).put(answered);
  const createdFields: Fields = { ...stored, block_schema_references: references };
  if (definitions !== undefined) createdFields.definitions = definitions;
  return { schema: answered, created: true, createdFields };
}
