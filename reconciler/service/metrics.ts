// GET /metrics: Prometheus text through prom-client, on a registry of the service's own (two
// services in one process, as in tests, never share counters). Labels are bounded sets (event
// kinds, outcomes, stack names, status classes): never a commit, a message or a URL.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { ClientEvent } from "../../provider/client/client.js";
import type { GitopsEvent, ReconcileResult } from "../gitops/model.js";
import type { DeliveryResult } from "./webhooks.js";

export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly reconciles = new Counter({ name: "prefect_gitops_reconciles_total", help: "Stack reconciles by event and outcome (applied, no-changes, planned, clean, drift, healed, failed...).", labelNames: ["event", "outcome"], registers: [this.registry] });
  private readonly duration = new Histogram({ name: "prefect_gitops_reconcile_duration_seconds", help: "Time of one event's reconcile, retries included.", labelNames: ["event"], buckets: [0.25, 0.5, 1, 2, 5, 10, 30, 60, 300], registers: [this.registry] });
  private readonly drifted = new Gauge({ name: "prefect_gitops_drifted_objects", help: "Objects drifted from the branch at the last audit, per stack.", labelNames: ["stack"], registers: [this.registry] });
  private readonly lastSuccess = new Gauge({ name: "prefect_gitops_last_success_timestamp_seconds", help: "When a stack was last reconciled without failure (Unix seconds).", labelNames: ["stack"], registers: [this.registry] });
  private readonly retries = new Counter({ name: "prefect_gitops_reconcile_retries_total", help: "Reconciles run again after a retryable failure.", labelNames: ["event"], registers: [this.registry] });
  private readonly deliveries = new Counter({ name: "prefect_gitops_webhook_deliveries_total", help: "Webhook deliveries by result (accepted, ignored, duplicate, unauthorized, too_large, invalid).", labelNames: ["result"], registers: [this.registry] });
  private readonly apiRequests = new Counter({ name: "prefect_gitops_api_requests_total", help: "Requests to GitHub and Prefect by answer class (2xx, 4xx, 5xx, none).", labelNames: ["api", "status"], registers: [this.registry] });
  private readonly apiErrors = new Counter({ name: "prefect_gitops_api_errors_total", help: "Requests to GitHub and Prefect that failed (an error answer or none).", labelNames: ["api"], registers: [this.registry] });

  constructor() {
    // Process memory, CPU and event-loop lag: the service's own health.
    collectDefaultMetrics({ register: this.registry, prefix: "prefect_gitops_" });
  }

  observe(event: GitopsEvent, result: ReconcileResult, seconds: number): void {
    this.duration.observe({ event: event.kind }, seconds);
    if (result.failure) this.reconciles.inc({ event: event.kind, outcome: "failed" });
    for (const outcome of result.outcomes) {
      this.reconciles.inc({ event: event.kind, outcome: outcome.status });
      if (outcome.stack === "*") continue;
      if (outcome.drifted !== undefined) this.drifted.set({ stack: outcome.stack }, outcome.drifted);
      if (outcome.status !== "failed") this.lastSuccess.set({ stack: outcome.stack }, Date.now() / 1000);
    }
  }

  failed(event: GitopsEvent, seconds: number): void {
    this.duration.observe({ event: event.kind }, seconds);
    this.reconciles.inc({ event: event.kind, outcome: "failed" });
  }

  retried(event: GitopsEvent): void {
    this.retries.inc({ event: event.kind });
  }

  delivery(result: DeliveryResult): void {
    this.deliveries.inc({ result });
  }

  githubRequest(status: number | undefined): void {
    this.request("github", status);
  }

  prefectEvent(event: ClientEvent): void {
    if (event.type === "response") this.request("prefect", event.status);
    else if (event.type === "failure" && event.code === "network") this.request("prefect", undefined);
  }

  private request(api: string, status: number | undefined): void {
    this.apiRequests.inc({ api, status: status === undefined ? "none" : `${Math.floor(status / 100)}xx` });
    if (status === undefined || status >= 400) this.apiErrors.inc({ api });
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
