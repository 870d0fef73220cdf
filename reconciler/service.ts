// The long-running GitOps service (`prefect-gitops serve`): the one-shot reconcile core
// (gitops/reconcile.ts) driven by webhooks and a poll loop, with its HTTP endpoints. Per event
// the same as a CI run: a fresh checkout of the head, the live workspace, level-based. This file
// only composes: routes (service/http.ts), verification and dispatch (service/webhooks.ts), one
// reconcile at a time (service/queue.ts), retries by isRetryable (service/retry.ts), /status and
// /metrics (service/status.ts, service/metrics.ts). Replicas against one workspace are kept
// apart by the state lock each apply takes (gitops/stack.ts).
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { hostname } from "node:os";
import type { Logger } from "pino";
import { lockHolder, secretsOf, stackEngineFactory } from "./commands/gitops-deps.js";
import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import { createGitHubPort, type GitHubAppCredentials, type GitHubPort } from "./git/github.js";
import { maskSecrets } from "./git/mask.js";
import type { GitopsEvent, ReconcileDeps } from "./gitops/model.js";
import { reconcile } from "./gitops/reconcile.js";
import { planSchedulePreviews } from "./gitops/schedule-previews.js";
import { createHttpServer } from "./service/http.js";
import { createLogger } from "./service/logger.js";
import { ServiceMetrics } from "./service/metrics.js";
import { openMirror } from "./service/mirror.js";
import { SerialQueue } from "./service/queue.js";
import { quietGitHub } from "./service/quiet-github.js";
import { isRetryableThrown, withRetries, type RetryPolicy } from "./service/retry.js";
import { StatusBook } from "./service/status.js";
import { createWebhookReceiver } from "./service/webhooks.js";

export interface GitHubSource {
  kind: "github";
  /** `owner/name` */
  repository: string;
  /** A token, or `app`. */
  token?: string;
  /** A GitHub App installation (@octokit/auth-app makes and renews its tokens). */
  app?: GitHubAppCredentials;
  /** @default https://api.github.com */
  apiUrl?: string;
  /** Where git fetches from. @default https://github.com/OWNER/NAME.git (the token sent as an HTTP header) */
  cloneUrl?: string;
  /** Enables POST /webhooks/github. */
  webhookSecret?: string;
}

export interface GitUrlSource {
  kind: "git";
  /** Any URL or path `git fetch` takes. */
  url: string;
}

export interface ServiceOptions {
  source: GitHubSource | GitUrlSource;
  /** The process environment: the stacks' connection variables and TF_VAR_* values, PATH, HOME. */
  env: Record<string, string | undefined>;
  /** The branch applied. @default the remote's default branch */
  branch?: string;
  /** Poll and drift-audit interval. @default 300000 (5 minutes) */
  intervalMs?: number;
  /** @default { host: "0.0.0.0", port: 8080 } */
  listen?: { host?: string; port: number };
  /** The mirror and its checkouts live here. */
  workDir: string;
  /** Where JSON log lines go. */
  write(line: string): void;
  /** @default "info" */
  logLevel?: string;
  /** @default 1 MiB */
  maxBodyBytes?: number;
  retry?: RetryPolicy;
  /** How long an apply waits for the state lock (another replica's). @default 600000 */
  lockTimeoutMs?: number;
}

export interface RunningService {
  /** `http://host:port` */
  url: string;
  logger: Logger;
  /** Resolves when every reconcile queued so far has finished. */
  idle(): Promise<void>;
  /** Poll now (what the interval does): apply a new head, audit drift. */
  tick(): Promise<void>;
  close(): Promise<void>;
}

/** ±10% of the interval, so replicas started together do not poll together. */
function jittered(intervalMs: number): number {
  return Math.round(intervalMs * (0.9 + Math.random() * 0.2));
}

/** Where the service reads the repository from, and how it talks to GitHub (not at all for a plain git URL). */
function connectSource(source: ServiceOptions["source"], secrets: string[], logger: Logger, metrics: ServiceMetrics): { github: GitHubPort; url: string; gitToken?: () => Promise<string> } {
  if (source.kind !== "github") return { github: quietGitHub(), url: source.url };
  const url = source.cloneUrl ?? `https://github.com/${source.repository}.git`;
  const { app, token } = source;
  let gitToken: (() => Promise<string>) | undefined;
  if (app) {
    // auth-app caches the installation token and makes a new one shortly before it expires.
    const installation = createAppAuth({ ...app, request: new Octokit({ baseUrl: source.apiUrl ?? "https://api.github.com" }).request });
    gitToken = async () => (await installation({ type: "installation" })).token;
  } else if (token) gitToken = async () => token;
  const github = createGitHubPort({
    repository: source.repository,
    token: source.token,
    app: source.app,
    baseUrl: source.apiUrl,
    secrets,
    onRetry: ({ route, status, delayMs, attempt }) => logger.warn({ route, status, delayMs, attempt }, "GitHub asked to retry"),
    onRequest: ({ status }) => metrics.githubRequest(status),
  });
  return { github, url, gitToken };
}

interface Runner {
  /** Queue one reconcile of `event` (one per `key` waiting at a time), retried by isRetryable, recorded in /status and /metrics. */
  run(event: GitopsEvent, key: string, why: Record<string, unknown>): Promise<void>;
  /** A reconcile has finished (for /readyz). */
  readonly ready: boolean;
  /** The last commit a push reconcile applied. */
  readonly lastApplied: string | undefined;
}

function reconcileRunner(deps: ReconcileDeps, queue: SerialQueue, status: StatusBook, metrics: ServiceMetrics, logger: Logger, retry: RetryPolicy): Runner {
  const state: { ready: boolean; lastApplied?: string } = { ready: false };
  const finished = (event: GitopsEvent, result: Awaited<ReturnType<typeof reconcile>>, seconds: number): void => {
    metrics.observe(event, result, seconds);
    status.record(event, result);
    if (event.kind === "push") for (const outcome of result.outcomes) if (outcome.sha && outcome.status !== "failed") state.lastApplied = outcome.sha;
    const failed = result.failure || result.outcomes.some((outcome) => outcome.status === "failed");
    logger[failed ? "error" : "info"]({ event: event.kind, seconds: Math.round(seconds * 1000) / 1000, outcomes: result.outcomes, ...(result.failure ? { failure: result.failure } : {}) }, "reconcile finished");
  };
  const run = (event: GitopsEvent, key: string, why: Record<string, unknown>): Promise<void> =>
    queue.enqueue(key, async () => {
      const started = performance.now();
      logger.info({ event: event.kind, ...why }, "reconcile started");
      try {
        const result = await withRetries(() => reconcile(event, deps), retry, ({ attempt, delayMs, reason }) => {
          metrics.retried(event);
          logger.warn({ event: event.kind, attempt, delayMs, reason }, "retryable failure: trying again");
        });
        finished(event, result, (performance.now() - started) / 1000);
      } catch (caught) {
        metrics.failed(event, (performance.now() - started) / 1000);
        status.fail(event, caught instanceof Error ? caught.message : String(caught), isRetryableThrown(caught));
        logger.error({ event: event.kind, err: caught, retryable: isRetryableThrown(caught) }, "reconcile failed");
      } finally {
        state.ready = true;
      }
    });
  return {
    run,
    get ready() {
      return state.ready;
    },
    get lastApplied() {
      return state.lastApplied;
    },
  };
}

/** One poll: a new head of the branch is applied; every stack is audited for drift. */
async function poll(mirror: Awaited<ReturnType<typeof openMirror>>, branch: string, runner: Runner, status: StatusBook, logger: Logger, mask: (text: string) => string): Promise<void> {
  const at = new Date().toISOString();
  let head: string | undefined;
  try {
    head = await mirror.head(branch);
    status.lastPoll = { at, head };
  } catch (caught) {
    status.lastPoll = { at, error: mask((caught as Error).message) };
    logger.error({ err: caught }, "polling the remote failed");
    return;
  }
  const pending: Promise<void>[] = [];
  if (head !== runner.lastApplied) pending.push(runner.run({ kind: "push", branch }, "push", { head, reason: "poll" }));
  pending.push(runner.run({ kind: "schedule" }, "schedule", { reason: "interval" }));
  await Promise.all(pending);
}

/** The HTTP endpoints, listening; resolves with the server and its URL. */
async function listen(options: ServiceOptions, runner: Runner, queue: SerialQueue, status: StatusBook, metrics: ServiceMetrics, logger: Logger): Promise<{ server: ReturnType<typeof createHttpServer>; url: string; webhooks: boolean }> {
  const { source } = options;
  const receiver =
    source.kind === "github" && source.webhookSecret
      ? createWebhookReceiver({
          secret: source.webhookSecret,
          repository: source.repository,
          dispatch: (event, delivery) => {
            const key = event.kind === "push" ? "push" : event.kind === "schedule" ? "schedule" : `${event.kind} ${event.number}`;
            void runner.run(event, key, { delivery: delivery.id, github_event: delivery.name });
          },
        })
      : undefined;
  const server = createHttpServer(
    {
      webhooks: receiver,
      metrics,
      status: () => status.snapshot(queue.depth),
      ready: () => runner.ready,
      maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
      onDelivery: (answer, delivery) => {
        metrics.delivery(answer.result);
        logger[answer.status >= 400 ? "warn" : "info"]({ delivery, status: answer.status, result: answer.result }, answer.message);
      },
    },
    (caught) => logger.error({ err: caught }, "HTTP handler failed"),
  );
  server.listen(options.listen?.port ?? 8080, options.listen?.host ?? "0.0.0.0");
  await once(server, "listening");
  const address = server.address() as AddressInfo;
  return { server, url: `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`, webhooks: Boolean(receiver) };
}

export async function startService(options: ServiceOptions): Promise<RunningService> {
  const { env, source } = options;
  const secrets = [...(source.kind === "github" ? [source.token, source.app?.privateKey, source.webhookSecret] : []), ...secretsOf(env)].filter((secret): secret is string => !!secret);
  const mask = (text: string) => maskSecrets(text, secrets);
  const logger = createLogger(options.write, secrets, options.logLevel);
  const metrics = new ServiceMetrics();
  const { github, url, gitToken } = connectSource(source, secrets, logger, metrics);
  const mirror = await openMirror(options.workDir, url, { PATH: env.PATH, HOME: env.HOME }, gitToken);
  const branch = options.branch ?? (await mirror.defaultBranch());
  const status = new StatusBook(source.kind === "github" ? source.repository : mask(source.url), branch, mask);
  const queue = new SerialQueue();
  const who = `prefect-gitops serve@${hostname()}`;
  const deps: ReconcileDeps = {
    github,
    source: mirror.source,
    defaultBranch: branch,
    holder: (operation) => lockHolder(who, operation),
    lockTimeoutMs: options.lockTimeoutMs,
    log: (line) => logger.info(line),
    schedulePreviews: planSchedulePreviews(),
    engineFor: stackEngineFactory(env, options.workDir, (event) => metrics.prefectEvent(event)),
  };
  const runner = reconcileRunner(deps, queue, status, metrics, logger, options.retry ?? {});
  let polling: Promise<void> = Promise.resolve();
  const tick = (): Promise<void> => (polling = poll(mirror, branch, runner, status, logger, mask));
  const { server, url: serviceUrl, webhooks } = await listen(options, runner, queue, status, metrics, logger);
  logger.info({ url: serviceUrl, repository: status.snapshot(0).repository, branch, intervalMs: options.intervalMs ?? 300_000, webhooks }, "prefect-gitops serve started");

  // At start the branch head is applied (a restart after a crash converges at once), then every interval.
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const loop = () => {
    if (stopped) return;
    void tick().finally(() => {
      if (!stopped) timer = setTimeout(loop, jittered(options.intervalMs ?? 300_000));
    });
  };
  loop();

  return {
    url: serviceUrl,
    logger,
    // A poll under way enqueues its reconciles only once the remote answered: wait for it too.
    idle: async () => {
      await polling;
      await queue.idle();
    },
    tick,
    async close() {
      stopped = true;
      clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // A reconcile under way finishes (its state writes and lock release are not cut short).
      await queue.idle();
      logger.info("prefect-gitops serve stopped");
    },
  };
}
