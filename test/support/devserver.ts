// Test harness: a devserver per test file, with every response it sends checked against the
// Prefect API contract. A response that does not match fails the test that caused it.
import { afterAll, afterEach, beforeAll } from "vitest";
import { Contract, formatIssues } from "../../contract/validator.js";
import { startDevServer, type DevServer, type DevServerOptions, type Exchange } from "../../devserver/index.js";

/** Any value the devserver's Cloud workspaces accept as an API key (they require none; the client requires one for Cloud URLs). */
export const CLOUD_API_KEY = "pnu_devserver_test_key";

export interface TestDevServer extends DevServer {
  /** Responses that broke the contract since the last check. */
  responseViolations: string[];
  /** Request bodies that broke the (strict) contract: the client's mistakes, when the client sent them. */
  requestViolations: string[];
  /** Every exchange since the last `clearExchanges()`. */
  exchanges: Exchange[];
  clearExchanges(): void;
}

function checkExchange(exchange: Exchange, server: TestDevServer): void {
  server.exchanges.push(exchange);
  if (!exchange.template || exchange.dropped) return;
  const contract = Contract.load(exchange.dialect);
  if (!contract.match(exchange.method, exchange.path)) return;
  const response = contract.validateResponse(exchange.method, exchange.template, exchange.status, exchange.responseBody);
  if (!response.ok) {
    server.responseViolations.push(`${exchange.method} ${exchange.path} -> ${exchange.status}: ${formatIssues(response.issues)}`);
  }
  if (exchange.requestBody !== undefined) {
    const request = contract.validateRequest(exchange.method, exchange.template, exchange.requestBody);
    if (!request.ok) server.requestViolations.push(`${exchange.method} ${exchange.path}: ${formatIssues(request.issues)}`);
  }
}

/** Start a devserver whose responses are contract-checked. Close it yourself. */
export async function startTestDevServer(options: DevServerOptions = {}): Promise<TestDevServer> {
  const holder: { server?: TestDevServer } = {};
  const base = await startDevServer({
    port: 0,
    ...options,
    onExchange: (exchange) => {
      // Bodies are snapshotted: handlers may keep mutating the objects they returned.
      const copy = { ...exchange, requestBody: structuredClone(exchange.requestBody), responseBody: structuredClone(exchange.responseBody) };
      if (holder.server) checkExchange(copy, holder.server);
      options.onExchange?.(exchange);
    },
  });
  const server: TestDevServer = Object.assign(base, {
    responseViolations: [] as string[],
    requestViolations: [] as string[],
    exchanges: [] as Exchange[],
    clearExchanges() {
      server.exchanges.length = 0;
    },
  });
  holder.server = server;
  return server;
}

/**
 * One devserver for the enclosing test file or `describe`, started before its tests and
 * closed after them; after each test, any response that broke the contract fails it, and with
 * `strictRequests` any request body that broke it too (for tests of our client).
 */
export function useDevServer(options: DevServerOptions & { strictRequests?: boolean } = {}): { readonly server: TestDevServer } {
  let current: TestDevServer | undefined;
  beforeAll(async () => {
    current = await startTestDevServer(options);
  });
  afterAll(async () => {
    await current?.close();
  });
  afterEach(() => {
    if (!current) return;
    const violations = current.responseViolations.splice(0);
    const requests = current.requestViolations.splice(0);
    current.clearExchanges();
    if (violations.length) throw new Error(`The devserver answered outside the Prefect API contract:\n${violations.join("\n")}`);
    if (options.strictRequests && requests.length) throw new Error(`The client sent requests outside the Prefect API contract:\n${requests.join("\n")}`);
  });
  return {
    get server(): TestDevServer {
      if (!current) throw new Error("The devserver is not started yet (use it inside a test).");
      return current;
    },
  };
}
