// TODO(flows): routes of this family are being written.
import type { Router } from "../router.js";

export function registerFlowsRoutes(_router: Router): void {}
