// TODO(deployments): routes of this family are being written.
import type { Router } from "../router.js";

export function registerDeploymentsRoutes(_router: Router): void {}
