// serve --repo OWNER/NAME | --repo GIT_URL: the long-running GitOps service (reconciler/service.ts)
// from the command line and the environment: GITHUB_TOKEN (and GITHUB_API_URL) for GitHub,
// PREFECT_GITOPS_WEBHOOK_SECRET for webhooks; runs until SIGTERM or SIGINT, then finishes the
// reconcile under way and stops.
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { EngineError } from "../errors.js";
import type { GitHubAppCredentials } from "../git/github.js";
import { startService, type ServiceOptions } from "../service.js";
import { EXIT_OK, type CommandContext } from "./context.js";
import { required } from "./gitops-deps.js";
import { reportFailure } from "./run.js";

export interface ServeFlags {
  repo: string;
  /** Milliseconds (parsed from "5m"). */
  interval: number;
  listen: string;
  branch?: string;
  cloneUrl?: string;
  workDir?: string;
}

const GITHUB_REPOSITORY = /^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+$/;

/** `:8080`, `8080`, `127.0.0.1:8080`, `[::1]:8080`. */
export function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:(\[[^\]]+\]|[^:]*):)?(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[2]);
  if (!match || port > 65535) throw new EngineError("ARGUMENT_INVALID", `--listen "${text}" is not an address: expected PORT, :PORT or HOST:PORT (e.g. :8080, 127.0.0.1:8080).`);
  return { host: match[1]?.replace(/^\[|\]$/g, "") || "0.0.0.0", port };
}

/** Which source `--repo` names: `owner/name` is a GitHub repository; a URL, or a path starting with `/` or `.`, is a git remote. */
export function parseRepo(text: string): { kind: "github"; repository: string } | { kind: "git"; url: string } {
  if (GITHUB_REPOSITORY.test(text)) return { kind: "github", repository: text };
  if (/^(https?|ssh|git|file):\/\//.test(text) || /^[\w.-]+@[\w.-]+:/.test(text) || /^[./]/.test(text)) return { kind: "git", url: text };
  throw new EngineError("ARGUMENT_INVALID", `--repo "${text}" is neither a GitHub repository (OWNER/NAME) nor a git remote (https://..., ssh://..., git@host:path, file://..., or a path starting with / or ./).`);
}

/** A GitHub App: GITHUB_APP_ID, its private key (GITHUB_APP_PRIVATE_KEY, the PEM, or GITHUB_APP_PRIVATE_KEY_FILE) and GITHUB_APP_INSTALLATION_ID. */
async function appCredentials(env: Record<string, string | undefined>, cwd: string): Promise<GitHubAppCredentials> {
  const appId = required(env, "GITHUB_APP_ID", "it names the GitHub App.");
  const file = env.GITHUB_APP_PRIVATE_KEY_FILE;
  const privateKey = file ? await readFile(resolve(cwd, file), "utf8") : required(env, "GITHUB_APP_PRIVATE_KEY", "GITHUB_APP_ID is set: give the app's private key (the PEM text), or its file in GITHUB_APP_PRIVATE_KEY_FILE.");
  if (!privateKey.includes("PRIVATE KEY-----")) throw new EngineError("ARGUMENT_INVALID", `The GitHub App's private key${file ? ` in ${file}` : ""} is not a PEM private key: download it from the app's settings (Private keys) and pass the whole file.`);
  const installation = required(env, "GITHUB_APP_INSTALLATION_ID", "GITHUB_APP_ID is set: give the app's installation on this repository (the number in its settings URL).");
  const installationId = Number(installation);
  if (!Number.isInteger(installationId) || installationId < 1) throw new EngineError("ARGUMENT_INVALID", `GITHUB_APP_INSTALLATION_ID "${installation}" is not an installation id: expected a whole number (the number in the installation's settings URL).`);
  return { appId, privateKey, installationId };
}

export async function serveCommand(ctx: CommandContext, flags: ServeFlags): Promise<number> {
  try {
    const { env } = ctx;
    const repo = parseRepo(flags.repo);
    const listen = parseListen(flags.listen);
    if (flags.interval < 1000) throw new EngineError("ARGUMENT_INVALID", `--interval must be at least 1s (each poll fetches and audits every stack); got ${flags.interval} ms.`);
    let source: ServiceOptions["source"];
    if (repo.kind === "github") {
      const credentials = env.GITHUB_APP_ID ? { app: await appCredentials(env, ctx.cwd) } : { token: required(env, "GITHUB_TOKEN", `serve --repo ${repo.repository} talks to GitHub with it (a token with contents: read, pull-requests, issues, checks and statuses: write), or set GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY and GITHUB_APP_INSTALLATION_ID for a GitHub App.`) };
      source = { kind: "github", repository: repo.repository, ...credentials, apiUrl: env.GITHUB_API_URL, cloneUrl: flags.cloneUrl, webhookSecret: env.PREFECT_GITOPS_WEBHOOK_SECRET };
    } else {
      if (flags.cloneUrl) throw new EngineError("ARGUMENT_INVALID", "--clone-url is for --repo OWNER/NAME; with a git remote, --repo is the URL.");
      source = { kind: "git", url: repo.url.startsWith(".") ? resolve(ctx.cwd, repo.url) : repo.url };
    }
    const workDir = flags.workDir ? resolve(ctx.cwd, flags.workDir) : await mkdtemp(join(tmpdir(), "prefect-gitops-serve-"));
    const service = await startService({
      source,
      env,
      branch: flags.branch,
      intervalMs: flags.interval,
      listen,
      workDir,
      write: ctx.out,
      logLevel: ctx.options.logLevel === "warn" ? "info" : ctx.options.logLevel,
      ...(ctx.options.lockTimeoutMs > 0 ? { lockTimeoutMs: ctx.options.lockTimeoutMs } : {}),
    });
    const signal = await new Promise<string>((done) => {
      process.once("SIGTERM", () => done("SIGTERM"));
      process.once("SIGINT", () => done("SIGINT"));
    });
    service.logger.info({ signal }, "stopping: the reconcile under way finishes first");
    await service.close();
    return EXIT_OK;
  } catch (caught) {
    return reportFailure(ctx, caught);
  }
}
