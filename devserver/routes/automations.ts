// TODO(automations): routes of this family are being written.
import type { Router } from "../router.js";

export function registerAutomationsRoutes(_router: Router): void {}
