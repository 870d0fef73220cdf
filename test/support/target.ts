// The Prefect API the end-to-end suites run against: a contract-checked devserver, or, when
// PREFECT_TEST_API_URL is set (optionally PREFECT_TEST_API_KEY), that server instead. With
// PREFECT_TEST_DEVSERVER_CONTENTION set (vitest's contention projects), the devserver answers like
// a busy SQLite server: writes get 503 (it closes idle connections after 5 s anyway).
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import { PrefectClient, type PrefectClientOptions } from "../../provider/client/client.js";
import { resolveSettings } from "../../provider/client/settings.js";
import type { KindContext } from "../../provider/kinds/kind.js";
import { createKindContext } from "../../provider/kinds/runtime.js";
import type { ContentionSettings } from "../../devserver/index.js";
import { CLOUD_API_KEY, useDevServer, type TestDevServer } from "./devserver.js";

export const EXTERNAL_API_URL = process.env.PREFECT_TEST_API_URL;
const EXTERNAL_API_KEY = process.env.PREFECT_TEST_API_KEY;
/**
 * The devserver's contention: `1` for its defaults (one write at a time, 2% background 503s), or
 * a JSON object of ContentionSettings such as `{"backgroundRatio": 0}`; unset for none.
 */
export const DEVSERVER_CONTENTION = contentionFromEnv(process.env.PREFECT_TEST_DEVSERVER_CONTENTION);

function contentionFromEnv(value: string | undefined): ContentionSettings | boolean {
  if (!value || value === "0") return false;
  if (value === "1") return true;
  try {
    return JSON.parse(value) as ContentionSettings;
  } catch {
    throw new Error(`PREFECT_TEST_DEVSERVER_CONTENTION must be 1 or a JSON object of contention settings (got ${JSON.stringify(value)}).`);
  }
}

export interface ApiTarget {
  /** The devserver, when the suite runs against it (request counting, faults, contract checks). */
  readonly server?: TestDevServer;
  readonly url: string;
  readonly apiKey?: string;
  /** Whether the target serves Prefect Cloud features (webhooks, metric triggers). */
  readonly cloud: boolean;
  readonly client: PrefectClient;
  /** A fresh kind context (empty memo). */
  context(): KindContext;
  /** A name unique to this run, so tests against a shared server do not collide. */
  name(base: string): string;
  clientWith(options: PrefectClientOptions): PrefectClient;
}

/**
 * Register the target for the enclosing suite. `cloud: true` asks for the devserver's Cloud
 * prefix; against an external server, a Cloud URL gives it.
 */
export function useApiTarget(options: { cloud?: boolean } = {}): ApiTarget {
  const run = randomBytes(3).toString("hex");
  const dev = EXTERNAL_API_URL ? undefined : useDevServer({ strictRequests: true, contention: DEVSERVER_CONTENTION });
  let client: PrefectClient | undefined;
  const extra: PrefectClient[] = [];
  const url = (): string => EXTERNAL_API_URL ?? (options.cloud ? dev!.server.cloudUrl() : dev!.server.url);
  const apiKey = (): string | undefined => EXTERNAL_API_KEY ?? (options.cloud ? CLOUD_API_KEY : undefined);
  const make = (clientOptions: PrefectClientOptions = {}) => new PrefectClient(resolveSettings({ apiUrl: url(), apiKey: apiKey() }, { env: {}, readFile: () => undefined }), clientOptions);

  beforeAll(() => {
    client = make();
  });
  afterAll(async () => {
    await client?.close();
    await Promise.all(extra.map((c) => c.close()));
  });

  return {
    get server() {
      return dev?.server;
    },
    get url() {
      return url();
    },
    get apiKey() {
      return apiKey();
    },
    get cloud() {
      return EXTERNAL_API_URL ? /\/accounts\/[^/]+\/workspaces\//.test(EXTERNAL_API_URL) : options.cloud === true;
    },
    get client() {
      if (!client) throw new Error("The API target is not ready yet (use it inside a test).");
      return client;
    },
    context() {
      if (!client) throw new Error("The API target is not ready yet (use it inside a test).");
      return createKindContext(client);
    },
    name(base: string) {
      return `${base}-${run}`;
    },
    clientWith(clientOptions: PrefectClientOptions) {
      const created = make(clientOptions);
      extra.push(created);
      return created;
    },
  };
}
