// TODO(variables): routes of this family are being written.
import type { Router } from "../router.js";

export function registerVariablesRoutes(_router: Router): void {}
