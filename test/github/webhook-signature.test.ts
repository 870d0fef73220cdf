// Deliveries built from GitHub's examples and signed as GitHub signs them are accepted; any
// change to the body, another secret or no signature is refused.
import { expect, test } from "vitest";
import { verifyWebhook, WebhookSignatureError } from "../../reconciler/git/webhook.js";
import { pullRequestEvent } from "./webhooks.js";

const FACTS = { owner: "acme", repo: "prefect-config", defaultBranch: "main" };

test.each([
  ["the delivery as signed", (body: string) => body, "whsec-right", (signature: string) => signature, true],
  ["a changed body", (body: string) => body.replace('"opened"', '"closed"'), "whsec-right", (signature: string) => signature, false],
  ["another secret", (body: string) => body, "whsec-wrong", (signature: string) => signature, false],
  ["no signature", (body: string) => body, "whsec-right", () => undefined, false],
  ["a malformed signature", (body: string) => body, "whsec-right", () => "sha1=abc", false],
])("%s", async (_name, changeBody, secret, changeSignature, accepted) => {
  const delivery = await pullRequestEvent(FACTS, { number: 1, action: "opened", headSha: "a".repeat(40), author: "alice", fork: false }, "whsec-right");
  const result = verifyWebhook(secret, changeBody(delivery.body), changeSignature(delivery.signature));
  if (accepted) await expect(result).resolves.toBeUndefined();
  else await expect(result).rejects.toBeInstanceOf(WebhookSignatureError);
});
