// TODO(webhooks): routes of this family are being written.
import type { Router } from "../router.js";

export function registerWebhooksRoutes(_router: Router): void {}

/** `POST /hooks/{slug}`: render the webhook's template against the request and record the event. */
export function registerWebhookEndpoint(_router: Router): void {}
