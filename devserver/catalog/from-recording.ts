// How devserver/catalog/catalog.json is made from a recording of a real Prefect server's
// block catalog (../shared/prefect-recordings/catalog.json: what `POST /block_types/filter` and
// `POST /block_schemas/filter` answered on a fresh server). Ids and timestamps are the only
// things left out; they are generated when a workspace is seeded. The order kept is the order
// the server created them in, so that seeding reproduces its `created` order.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** A block type as the catalog keeps it: everything the server answered but its id and timestamps. */
export interface CatalogBlockType {
  name: string;
  slug: string;
  logo_url: string | null;
  documentation_url: string | null;
  description: string | null;
  code_example: string | null;
  is_protected: boolean;
}

/** A block schema as the catalog keeps it: its type by slug, and its fields exactly as the server answers them. */
export interface CatalogBlockSchema {
  block_type_slug: string;
  checksum: string;
  fields: Record<string, unknown>;
  capabilities: string[];
  version: string;
}

export interface BlockCatalog {
  /** Where the data came from. */
  source: string;
  /** The Prefect server version that was recorded. */
  server_version: string;
  /** In the order the server created them. */
  block_types: CatalogBlockType[];
  /** In the order the server created them. */
  block_schemas: CatalogBlockSchema[];
}

/** The recording the catalog is made from (present beside the repository in CI and development only). */
export const RECORDING_PATH = fileURLToPath(new URL("../../../shared/prefect-recordings/catalog.json", import.meta.url));
/** The catalog the devserver loads. */
export const CATALOG_PATH = fileURLToPath(new URL("./catalog.json", import.meta.url));

interface RecordedBlockType extends CatalogBlockType {
  id: string;
  created: string;
}

interface RecordedBlockSchema {
  created: string;
  checksum: string;
  fields: Record<string, unknown>;
  block_type_id: string;
  capabilities: string[];
  version: string;
}

interface Recording {
  server_version: string;
  block_types: RecordedBlockType[];
  block_schemas: RecordedBlockSchema[];
}

const byCreated = <T extends { created: string }>(items: readonly T[]): T[] => [...items].sort((a, b) => (a.created < b.created ? -1 : a.created > b.created ? 1 : 0));

/** The catalog made from a recording. */
export function catalogFromRecording(recording: Recording): BlockCatalog {
  const slugs = new Map(recording.block_types.map((type) => [type.id, type.slug]));
  return {
    source: "Recorded from a real Prefect server (../shared/prefect-recordings/catalog.json); regenerate with `npx tsx scripts/block-catalog.ts`.",
    server_version: recording.server_version,
    block_types: byCreated(recording.block_types).map((type) => ({
      name: type.name,
      slug: type.slug,
      logo_url: type.logo_url,
      documentation_url: type.documentation_url,
      description: type.description,
      code_example: type.code_example,
      is_protected: type.is_protected,
    })),
    block_schemas: byCreated(recording.block_schemas).map((schema) => {
      const slug = slugs.get(schema.block_type_id);
      if (!slug) throw new Error(`The recorded block schema ${schema.checksum} names a block type (${schema.block_type_id}) the recording does not have.`);
      return { block_type_slug: slug, checksum: schema.checksum, fields: schema.fields, capabilities: schema.capabilities, version: schema.version };
    }),
  };
}

/** The catalog file's text, as written. */
export function catalogText(catalog: BlockCatalog): string {
  return `${JSON.stringify(catalog, null, 1)}\n`;
}

/** The recording, or `undefined` when ../shared is not beside the repository (a user's clone). */
export function readRecording(path = RECORDING_PATH): Recording | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Recording) : undefined;
}
