// Helpers every kind's api.ts uses: a per-run context, "not found is undefined", and creates
// that are safe to repeat because a create whose outcome is unknown is looked up first.
import type { PrefectClient } from "../client/client.js";
import { ConflictError, isRetryable, NotFoundError } from "../client/errors.js";
import { DEFAULT_RETRY_POLICY, retryDelay } from "../client/retry.js";
import type { KindContext } from "./kind.js";

/** A fresh per-run context around a client. */
export function createKindContext(client: PrefectClient): KindContext {
  const memo = new Map<string, Promise<unknown>>();
  return {
    client,
    memo<T>(key: string, load: () => Promise<T>): Promise<T> {
      let value = memo.get(key) as Promise<T> | undefined;
      if (!value) {
        value = load();
        memo.set(key, value);
        // A failed load must not stay cached: the next caller tries again.
        value.catch(() => memo.delete(key));
      }
      return value;
    },
    forget(keyPrefix: string): void {
      for (const key of memo.keys()) if (key.startsWith(keyPrefix)) memo.delete(key);
    },
  };
}

/** The value, or `undefined` when the API answered 404. */
export async function orUndefined<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/** Delete, treating "already gone" as done. */
export async function deleteIgnoringMissing(request: Promise<unknown>): Promise<void> {
  await orUndefined(request);
}

export interface SafeCreate<L> {
  /** The create request itself (sent without blind retries). */
  attempt: () => Promise<L>;
  /** Find the object the create would have made, if it exists now. */
  lookup: () => Promise<L | undefined>;
  /** Sleep between attempts (tests make it instant). */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/**
 * Create an object without ever creating it twice. When the outcome of an attempt is unknown
 * (connection cut, 5xx, 429) or the server says it already exists (409), look it up: if it is
 * there, the earlier attempt made it; otherwise wait and try again.
 */
export async function createSafely<L>(create: SafeCreate<L>): Promise<L> {
  const sleep = create.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await create.attempt();
    } catch (error) {
      if (error instanceof ConflictError) {
        const existing = await create.lookup();
        if (existing !== undefined) return existing;
        throw error;
      }
      if (!isRetryable(error)) throw error;
      const existing = await create.lookup();
      if (existing !== undefined) return existing;
      const delay = retryDelay(error, attempt, DEFAULT_RETRY_POLICY, create.random);
      if (delay === undefined) throw error;
      await sleep(delay);
    }
  }
}

/**
 * The Prefect Cloud account and workspace a client reads from (lower-case), for live models of
 * kinds whose `account_id`/`workspace_id` use `cloudScope`; nothing against a Prefect server.
 */
export function cloudScopeOf(client: PrefectClient): { account_id?: string; workspace_id?: string } {
  const cloud = client.settings.cloud;
  return cloud ? { account_id: cloud.accountId.toLowerCase(), workspace_id: cloud.workspaceId.toLowerCase() } : {};
}
