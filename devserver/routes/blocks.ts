// Blocks: block types (with the system catalog every workspace starts with), block schemas
// and block documents, as a Prefect 3 server serves them.
import type { Router } from "../router.js";
import { registerBlockDocumentRoutes } from "./block-documents.js";
import { registerBlockSchemaRoutes } from "./block-schemas.js";
import { registerBlockTypeRoutes } from "./block-types.js";

/** Register the block type, block schema, block document and block capability routes. */
export function registerBlocksRoutes(router: Router): void {
  registerBlockTypeRoutes(router);
  registerBlockSchemaRoutes(router);
  registerBlockDocumentRoutes(router);
}
