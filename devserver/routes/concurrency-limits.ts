// TODO(concurrency-limits): routes of this family are being written.
import type { Router } from "../router.js";

export function registerConcurrencyLimitsRoutes(_router: Router): void {}
