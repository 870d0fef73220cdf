// The service's HTTP face: POST /webhooks/github, GET /healthz (the process answers), /readyz
// (the repository was reached and the first reconcile ran), /status (JSON, per stack) and
// /metrics (Prometheus text). Nothing here reconciles: deliveries are handed to the receiver.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { ServiceMetrics } from "./metrics.js";
import type { ServiceStatus } from "./status.js";
import type { WebhookAnswer, WebhookReceiver } from "./webhooks.js";

export interface HttpRoutes {
  /** Absent when no webhook secret is configured (polling only): deliveries are refused with 404. */
  webhooks?: WebhookReceiver;
  metrics: ServiceMetrics;
  status(): ServiceStatus;
  ready(): boolean;
  /** Largest webhook body read. GitHub caps payloads at 25 MB; ours (push, pull_request, comment) are far smaller. */
  maxBodyBytes: number;
  onDelivery(answer: WebhookAnswer, delivery: string | undefined): void;
}

class TooLarge extends Error {}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  if (Number(req.headers["content-length"] ?? 0) > limit) throw new TooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new TooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function send(res: ServerResponse, status: number, body: unknown, contentType = "application/json; charset=utf-8"): void {
  res.writeHead(status, { "content-type": contentType });
  res.end(typeof body === "string" ? body : JSON.stringify(body, null, 2) + "\n");
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

async function route(routes: HttpRoutes, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? "/", "http://service").pathname;
  const method = req.method ?? "GET";
  if (path === "/webhooks/github") {
    if (method !== "POST") return send(res, 405, { error: "POST a GitHub delivery here." });
    if (!routes.webhooks) return send(res, 404, { error: "Webhooks are off: set PREFECT_GITOPS_WEBHOOK_SECRET and serve --repo OWNER/NAME." });
    const delivery = header(req, "x-github-delivery");
    let answer: WebhookAnswer;
    try {
      const body = await readBody(req, routes.maxBodyBytes);
      answer = await routes.webhooks.receive({ event: header(req, "x-github-event"), delivery, signature: header(req, "x-hub-signature-256") }, body);
    } catch (caught) {
      if (!(caught instanceof TooLarge)) throw caught;
      answer = { status: 413, result: "too_large", message: `The delivery is larger than ${routes.maxBodyBytes} bytes: not read.` };
      // The rest of the body is not read: close the connection rather than drain it.
      res.setHeader("connection", "close");
    }
    routes.onDelivery(answer, delivery);
    return send(res, answer.status, { result: answer.result, message: answer.message });
  }
  if (method !== "GET") return send(res, 405, { error: `${path} answers GET only.` });
  switch (path) {
    case "/healthz":
      return send(res, 200, { status: "ok" });
    case "/readyz":
      return routes.ready() ? send(res, 200, { status: "ready" }) : send(res, 503, { status: "starting" });
    case "/status":
      return send(res, 200, routes.status());
    case "/metrics": {
      const { contentType, body } = await routes.metrics.text();
      return send(res, 200, body, contentType);
    }
  }
  return send(res, 404, { error: `No route ${path}: try /healthz, /readyz, /status, /metrics or POST /webhooks/github.` });
}

export function createHttpServer(routes: HttpRoutes, onError: (caught: unknown) => void): Server {
  return createServer((req, res) => {
    route(routes, req, res).catch((caught: unknown) => {
      onError(caught);
      if (!res.headersSent) send(res, 500, { error: "internal error: see the service's log" });
      else res.end();
    });
  });
}
