// POST /webhooks/github: GitHub's deliveries, checked before anything is read. In order: the size
// (413: a body past the limit is not even read to the end), the signature (401: X-Hub-Signature-256
// verified by @octokit/webhooks in constant time; nothing else happens), the delivery id (a
// redelivery is answered 200 and ignored), then @octokit/webhooks dispatches the event by name and
// the payload becomes a reconcile event. The answer goes back at once (202); the reconcile runs on
// the service's queue, so GitHub's 10-second delivery timeout never fires on a long apply.
import { Webhooks } from "@octokit/webhooks";
import { EventPayloadError, eventFromPayload, type EventName } from "../gitops/event.js";
import type { GitopsEvent } from "../gitops/model.js";
import { DeliveryLog } from "./deliveries.js";

/** The events the service acts on; others (ping, check_suite...) are acknowledged and ignored. */
const HANDLED = ["push", "pull_request", "issue_comment"] as const satisfies readonly EventName[];

export type DeliveryResult = "accepted" | "ignored" | "duplicate" | "unauthorized" | "too_large" | "invalid";

export interface WebhookAnswer {
  status: number;
  result: DeliveryResult;
  message: string;
}

export interface WebhookReceiverOptions {
  secret: string;
  /** `owner/name`: deliveries about another repository are ignored. */
  repository: string;
  /** Called for each accepted delivery that asks for a reconcile. */
  dispatch(event: GitopsEvent, delivery: { id: string; name: string }): void;
}

export interface WebhookReceiver {
  receive(headers: { event?: string; delivery?: string; signature?: string }, body: string): Promise<WebhookAnswer>;
}

export function createWebhookReceiver(options: WebhookReceiverOptions): WebhookReceiver {
  const webhooks = new Webhooks({ secret: options.secret });
  const deliveries = new DeliveryLog();
  // What the handler decided for the delivery being received (receive() runs handlers in turn and waits for them).
  let decided: WebhookAnswer | undefined;
  webhooks.on([...HANDLED], ({ id, name, payload }) => {
    const repository = (payload as { repository?: { full_name?: string } }).repository?.full_name;
    if (repository?.toLowerCase() !== options.repository.toLowerCase()) {
      decided = { status: 202, result: "ignored", message: `The delivery is about ${repository ?? "no repository"}, not ${options.repository}.` };
      return;
    }
    const event = eventFromPayload(name, payload);
    if (!event) {
      decided = { status: 202, result: "ignored", message: `Nothing to do for this ${name} event.` };
      return;
    }
    options.dispatch(event, { id, name });
    decided = { status: 202, result: "accepted", message: `Reconciling (${event.kind}).` };
  });

  return {
    async receive(headers, body) {
      if (!headers.signature || !(await webhooks.verify(body, headers.signature).catch(() => false))) {
        return { status: 401, result: "unauthorized", message: "The X-Hub-Signature-256 header is missing or does not match: the webhook's secret in GitHub must equal PREFECT_GITOPS_WEBHOOK_SECRET." };
      }
      if (!headers.event || !headers.delivery) return { status: 400, result: "invalid", message: "A GitHub delivery carries X-GitHub-Event and X-GitHub-Delivery headers; this one lacks one." };
      if (!deliveries.firstTime(headers.delivery)) return { status: 200, result: "duplicate", message: `Delivery ${headers.delivery} was received already: ignored.` };
      if (!(HANDLED as readonly string[]).includes(headers.event)) return { status: 202, result: "ignored", message: `The ${headers.event} event asks for nothing.` };
      let payload: unknown;
      try {
        payload = JSON.parse(body);
      } catch {
        return { status: 400, result: "invalid", message: "The delivery's body is not JSON: set the webhook's content type to application/json in GitHub." };
      }
      decided = undefined;
      try {
        await webhooks.receive({ id: headers.delivery, name: headers.event as (typeof HANDLED)[number], payload } as Parameters<typeof webhooks.receive>[0]);
      } catch (caught) {
        const inner = (caught as { errors?: unknown[] }).errors?.[0] ?? caught;
        if (inner instanceof EventPayloadError) return { status: 400, result: "invalid", message: inner.message };
        throw caught;
      }
      return decided ?? { status: 202, result: "ignored", message: "Nothing to do." };
    },
  };
}
