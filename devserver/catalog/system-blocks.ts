// The block types and schemas a fresh Prefect 3.8 server has, as data: loaded from
// catalog.json, which is made from a recording of a real server (see from-recording.ts). A real
// server installs them at startup (server/models/block_registration.py `run_block_auto_registration`):
// the protected system blocks (`_install_protected_system_blocks`: Webhook, Secret,
// LocalFileSystem), then every block class of its client registry, then the collection blocks
// bundled in `collection_blocks_data.json`. No `string`, `json` or `date-time` type is among them.
import { readFileSync } from "node:fs";
import { CATALOG_PATH, type BlockCatalog, type CatalogBlockSchema, type CatalogBlockType } from "./from-recording.js";

export type { CatalogBlockSchema, CatalogBlockType } from "./from-recording.js";

/** Read once, on first use: a server that never serves a block never parses the file. */
let loaded: BlockCatalog | undefined;

/** The recorded catalog. Callers must not modify what it returns (clone before storing). */
export function systemCatalog(): BlockCatalog {
  loaded ??= JSON.parse(readFileSync(CATALOG_PATH, "utf8")) as BlockCatalog;
  return loaded;
}

/** The system block types, in the order a real server creates them. */
export function systemBlockTypes(): readonly CatalogBlockType[] {
  return systemCatalog().block_types;
}

/** The system block schemas, in the order a real server creates them. */
export function systemBlockSchemas(): readonly CatalogBlockSchema[] {
  return systemCatalog().block_schemas;
}
