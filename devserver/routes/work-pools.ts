// TODO(work-pools): routes of this family are being written.
import type { Router } from "../router.js";

export function registerWorkPoolsRoutes(_router: Router): void {}
