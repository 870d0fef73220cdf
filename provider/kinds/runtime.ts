// Helpers every kind's api.ts uses: a per-run context, "not found is undefined", and creates
// that are safe to repeat because a create whose outcome is unknown is looked up first.
import type { PrefectClient } from "../client/client.js";
import { ConflictError, NotFoundError, outcomeUnknown } from "../client/errors.js";
import { backoffDelay, DEFAULT_RETRY_POLICY } from "../client/retry.js";
import { changedAttributes } from "./compare.js";
import type { Kind, KindContext, Spec } from "./kind.js";

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

/** An object deleted by someone else while it was being written (code `object_gone`; the engine's PREFECT_NOT_FOUND). */
export class ObjectGoneError extends Error {
  readonly code = "object_gone";
  constructor(readonly what: string, when: string) {
    super(`${what} disappeared ${when}; something else deleted it. Plan again to see what is left.`);
    this.name = "ObjectGoneError";
  }
}

/**
 * The object read again after a write to it. Gone by then, something else deleted it meanwhile:
 * an error naming `what` ("work pool <id>"), since the write cannot be said to have happened.
 */
export async function readBack<L>(what: string, read: Promise<L | undefined>, when = "while it was being updated"): Promise<L> {
  const live = await read;
  if (live === undefined) throw new ObjectGoneError(what, when);
  return live;
}

/** Delete, treating "already gone" as done. */
export async function deleteIgnoringMissing(request: Promise<unknown>): Promise<void> {
  await orUndefined(request);
}

/**
 * An object that exists already brought to a declaration in place (a create that adopts it):
 * updated with the attributes that differ, left as it is when none does.
 */
export async function updateInPlace<S extends Spec, L>(ctx: KindContext, kind: Kind<S, L>, existing: L, spec: S): Promise<L> {
  const changed = changedAttributes(kind, spec, kind.toSpec(existing));
  return changed.length ? kind.update(ctx, kind.idOf(existing), spec, existing, changed) : existing;
}

export interface SafeCreate<L> {
  /** The create request itself (the client repeats it on 408/429/502/503, never when its outcome is unknown). */
  attempt: () => Promise<L>;
  /** Find the object the create would have made, if it exists now. */
  lookup: () => Promise<L | undefined>;
  /** Sleep between attempts (tests make it instant). */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** Creates whose outcome stayed unknown (looked up and not found) are tried this many more times. */
const UNKNOWN_OUTCOME_RETRIES = 5;

/**
 * Create an object without ever creating it twice. The client already repeats a create the
 * server did not apply (408, 429, 502, 503: Prefect's own retry set, src/prefect/client/base.py).
 * What it cannot repeat is a create whose outcome is unknown (connection cut after sending, a
 * timeout, a proxy's 504), and a 409 says the object exists: then look it up; if it is there, the
 * earlier attempt (or someone else) made it; otherwise, for an unknown outcome, wait and try again.
 * Any other error (a 503 after every retry, a 500, a 422) is thrown as it is, without a lookup.
 */
export async function createSafely<L>(create: SafeCreate<L>): Promise<L> {
  const sleep = create.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await create.attempt();
    } catch (error) {
      const conflict = error instanceof ConflictError;
      if (!conflict && !outcomeUnknown(error)) throw error;
      const existing = await create.lookup();
      if (existing !== undefined) return existing;
      if (conflict || attempt > UNKNOWN_OUTCOME_RETRIES) throw error;
      await sleep(backoffDelay(attempt, DEFAULT_RETRY_POLICY, create.random));
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
