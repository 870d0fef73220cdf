// Verifying a GitHub webhook delivery: the X-Hub-Signature-256 header is the HMAC-SHA256 of the
// raw body with the shared secret, compared in constant time by @octokit/webhooks-methods. The
// one-shot mode reads GitHub Actions' payload file, which needs none; the long-running service
// checks every delivery with this before reading it.
import { verify } from "@octokit/webhooks-methods";

/** A delivery whose signature is missing or wrong: answered 401, never acted on. */
export class WebhookSignatureError extends Error {
  readonly code = "invalid_webhook_signature";
  constructor(message: string) {
    super(message);
    this.name = "WebhookSignatureError";
  }
}

export async function verifyWebhook(secret: string, body: string, signature: string | undefined): Promise<void> {
  if (!signature) throw new WebhookSignatureError("The delivery has no X-Hub-Signature-256 header: set the webhook's secret in GitHub.");
  let valid = false;
  try {
    valid = await verify(secret, body, signature);
  } catch {
    valid = false;
  }
  if (!valid) throw new WebhookSignatureError("The delivery's X-Hub-Signature-256 does not match: the webhook's secret differs from the one configured here.");
}
