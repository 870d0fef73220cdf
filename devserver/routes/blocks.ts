// TODO(blocks): routes of this family are being written.
import type { Router } from "../router.js";

export function registerBlocksRoutes(_router: Router): void {}
