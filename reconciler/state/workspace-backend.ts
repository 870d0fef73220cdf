// The state inside the Prefect workspace it describes, so CI runners share it with no extra
// infrastructure: a block document (`prefect-gitops-state-<name>`, block type
// `prefect-gitops-state`) holds the whole document. Changes are buffered and written on flush;
// each write replaces the document's data whole.
//
// The lock is a global concurrency limit of one slot (`prefect-gitops-lock-<name>`), taken with
// a lease: 423 Locked means another run holds it. The lease is renewed while the lock is held,
// and a crashed holder's lease expires on the server, which frees the slot. Who holds the lock
// is written to a Prefect variable of the same name, for the "state locked by ..." message.
import { ConflictError, isRetryable, LockedError, NotFoundError, PrefectApiError } from "../../provider/client/errors.js";
import type { PrefectClient } from "../../provider/client/client.js";
import { createSafely, orUndefined } from "../../provider/kinds/runtime.js";
import { canonicalJson } from "./hash.js";
import { lockHolderOf, StateError, StateLockedError, type LockHolder, type StateBackend, type StateChange, type StateDocument, type StateLock } from "./model.js";
import { parseStateDocument, type StateSource } from "./parse.js";

/** The block type every state document belongs to. */
export const STATE_BLOCK_TYPE_SLUG = "prefect-gitops-state";
/** Prefect reserves block type names starting with "Prefect" for its own types. */
const STATE_BLOCK_TYPE_NAME = "GitOps State";
/** The schema of a state block: one object field. No secret fields: the state holds none in clear. */
const STATE_BLOCK_SCHEMA_FIELDS = {
  title: "PrefectGitopsState",
  type: "object",
  properties: { state: { title: "State", type: "object" } },
  required: ["state"],
  block_type_slug: STATE_BLOCK_TYPE_SLUG,
  secret_fields: [],
  block_schema_references: {},
} as const;
const STATE_BLOCK_SCHEMA_VERSION = "1";

/** What the names of a state's lock (a global concurrency limit and a variable) start with. */
export const LOCK_NAME_PREFIX = "prefect-gitops-lock-";

/**
 * Whether a live object is a workspace backend's own (a state block, a lock limit, a lock holder
 * variable), of any state name: such objects are never imported nor declared.
 */
export function isStateBackendObject(type: string, spec: { name?: unknown; type_slug?: unknown }): boolean {
  if (type === "prefect_block") return spec.type_slug === STATE_BLOCK_TYPE_SLUG;
  if (type === "prefect_global_concurrency_limit" || type === "prefect_variable") return typeof spec.name === "string" && spec.name.startsWith(LOCK_NAME_PREFIX);
  return false;
}

/** Bounds Prefect puts on a lease's duration, in seconds. */
const LEASE_SECONDS = { min: 60, max: 86_400 } as const;
/** Names end up in a block document name (lowercase letters, digits, dashes) and a variable name. */
const NAME_RULE = /^[a-z0-9][a-z0-9-]{0,199}$/;

/** Options of the workspace backend. */
export interface WorkspaceBackendOptions {
  /** Which state of the workspace (one per stack or environment). @default "default" */
  name?: string;
  /** Lease duration of the lock, renewed while held; a crashed holder blocks others this long at most. At least 60. @default 60 */
  leaseSeconds?: number;
  /** How often the lease is renewed. @default a third of leaseSeconds */
  renewEveryMs?: number;
  /** How often a waiting `lock()` tries again. @default 1000 */
  pollMs?: number;
  /** Told about problems that do not stop the run (a renewal that failed and will be retried). */
  onWarning?: (message: string) => void;
}

interface BlockDocument {
  id: string;
  data?: Record<string, unknown>;
  block_schema_id: string;
  block_type_id: string;
}

interface ConcurrencyLimit {
  id: string;
  name: string;
  limit: number;
  active?: boolean;
}

interface LeaseResponse {
  lease_id: string;
  limits: { id: string; name: string; limit: number }[];
}

/** What the holder variable holds. */
interface HolderRecord extends LockHolder {
  /** When the lease runs out unless renewed (ISO 8601): an older record is left over from a crash. */
  expires_at: string;
}

interface HeldLease {
  leaseId: string;
  holder: LockHolder;
  timer?: ReturnType<typeof setInterval>;
  renewing?: Promise<void>;
  released: boolean;
  /** The lease ran out and another run took the lock: this run must not write the state any more. */
  lost: boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const path = (segment: string) => encodeURIComponent(segment);

function isLeaseGone(error: unknown): boolean {
  // A 3.8 server answers 410 Gone for an expired or released lease; older ones 404.
  return error instanceof PrefectApiError && (error.status === 404 || error.status === 410);
}

function holderRecordOf(value: unknown): HolderRecord | undefined {
  const holder = lockHolderOf(value);
  if (!holder) return undefined;
  const expires = (value as Partial<HolderRecord>).expires_at;
  return { ...holder, expires_at: typeof expires === "string" ? expires : "" };
}

function sameHolder(a: LockHolder, b: LockHolder): boolean {
  return a.who === b.who && a.pid === b.pid && a.host === b.host && a.since === b.since && a.operation === b.operation;
}

class WorkspaceBackend implements StateBackend {
  readonly kind = "workspace" as const;
  private readonly documentName: string;
  private readonly lockName: string;
  private readonly leaseSeconds: number;
  private readonly renewEveryMs: number;
  private readonly pollMs: number;
  private readonly onWarning: (message: string) => void;
  private readonly source: StateSource;
  private documentId: string | undefined;
  private schema: Promise<{ typeId: string; schemaId: string }> | undefined;
  /** Changes were recorded since the document was last written. */
  private dirty = false;
  private held: HeldLease | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly client: PrefectClient,
    options: WorkspaceBackendOptions,
  ) {
    const name = options.name ?? "default";
    if (!NAME_RULE.test(name)) {
      throw new StateError(
        `The workspace state name "${name}" is not valid: use lowercase letters, digits and dashes (it names a block document and a variable), at most 200 characters.`,
        { code: "ARGUMENT_INVALID" },
      );
    }
    const leaseSeconds = options.leaseSeconds ?? LEASE_SECONDS.min;
    if (!(leaseSeconds >= LEASE_SECONDS.min && leaseSeconds <= LEASE_SECONDS.max)) {
      throw new StateError(`The lock's lease duration must be between ${LEASE_SECONDS.min} and ${LEASE_SECONDS.max} seconds (Prefect's bounds), got ${leaseSeconds}.`, { code: "ARGUMENT_INVALID" });
    }
    this.documentName = `prefect-gitops-state-${name}`;
    this.lockName = `${LOCK_NAME_PREFIX}${name}`;
    this.leaseSeconds = leaseSeconds;
    this.renewEveryMs = options.renewEveryMs ?? (leaseSeconds * 1000) / 3;
    this.pollMs = options.pollMs ?? 1000;
    this.onWarning = options.onWarning ?? (() => {});
    this.source = {
      where: this.describe(),
      remedy:
        `Restore an earlier version of the block document, or delete it to start from an empty state ` +
        `(prefect-gitops then no longer knows which objects it owns: import them again).`,
    };
  }

  describe(): string {
    return `block ${this.documentName} in ${this.client.settings.baseUrl}`;
  }

  /** Writes run one at a time, in the order asked. */
  private serialize<T>(operation: () => Promise<T>): Promise<T> {
    const next = this.queue.then(operation, operation);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private readDocument(): Promise<BlockDocument | undefined> {
    // A missing block type and a missing document both answer 404: either way, no state yet.
    return orUndefined(this.client.get<BlockDocument>(`/block_types/slug/${path(STATE_BLOCK_TYPE_SLUG)}/block_documents/name/${path(this.documentName)}`));
  }

  async load(): Promise<StateDocument | undefined> {
    const found = await this.readDocument();
    if (!found) return undefined;
    this.documentId = found.id;
    const data = found.data ?? {};
    if (!("state" in data)) throw new StateError(`The ${this.source.where} has no "state" field. ${this.source.remedy}`);
    return parseStateDocument(data.state, this.source);
  }

  async record(_change: StateChange, _document: StateDocument): Promise<void> {
    // Buffered: the document handed to flush() holds every change recorded so far.
    this.dirty = true;
  }

  async flush(document: StateDocument): Promise<void> {
    await this.serialize(async () => {
      if (!this.dirty) return;
      await this.write(document);
    });
  }

  async save(document: StateDocument): Promise<void> {
    await this.serialize(() => this.write(document));
  }

  private async write(document: StateDocument): Promise<void> {
    if (this.held?.lost) {
      throw new StateError(
        `The state lock (concurrency limit ${this.lockName}) was lost while this run held it: its lease expired and another run took it. ` +
          `The ${this.source.where} was not written, so as not to overwrite that run's state; run again to pick up where this run stopped.`,
        { code: "STATE_LOCKED" },
      );
    }
    this.dirty = false;
    try {
      if (this.documentId && (await this.replaceData(this.documentId, document))) return;
      await this.createDocument(document);
    } catch (error) {
      this.dirty = true;
      throw error;
    }
  }

  /** Replace the document's data; false when the document is gone. */
  private async replaceData(id: string, document: StateDocument): Promise<boolean> {
    try {
      await this.client.patch(`/block_documents/${path(id)}`, { data: { state: document }, merge_existing_data: false });
      return true;
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      this.documentId = undefined;
      return false;
    }
  }

  private async createDocument(document: StateDocument): Promise<void> {
    const { typeId, schemaId } = await this.ensureSchema();
    const created = await createSafely<BlockDocument>({
      attempt: () =>
        this.client.post<BlockDocument>("/block_documents/", {
          name: this.documentName,
          data: { state: document },
          block_schema_id: schemaId,
          block_type_id: typeId,
          is_anonymous: false,
        }),
      lookup: () => this.readDocument(),
    });
    this.documentId = created.id;
    // Found rather than created (a repeated attempt, or a run that created it first): write ours.
    if (canonicalJson(created.data?.state) !== canonicalJson(document)) await this.replaceData(created.id, document);
  }

  /** The state block type and schema, registered the first time a workspace stores a state. */
  private ensureSchema(): Promise<{ typeId: string; schemaId: string }> {
    const pending = (this.schema ??= (async () => {
      const bySlug = () => orUndefined(this.client.get<{ id: string }>(`/block_types/slug/${path(STATE_BLOCK_TYPE_SLUG)}`));
      const type =
        (await bySlug()) ??
        (await createSafely({
          attempt: () =>
            this.client.post<{ id: string }>("/block_types/", {
              name: STATE_BLOCK_TYPE_NAME,
              slug: STATE_BLOCK_TYPE_SLUG,
              description: "The state of prefect-gitops: the objects it manages in this workspace. Written by prefect-gitops; do not edit.",
            }),
          lookup: bySlug,
        }));
      // Registering a schema the server already has answers the stored one: safe to repeat.
      const schema = await this.client.post<{ id: string }>(
        "/block_schemas/",
        { block_type_id: type.id, fields: STATE_BLOCK_SCHEMA_FIELDS, capabilities: [], version: STATE_BLOCK_SCHEMA_VERSION },
        { idempotent: true },
      );
      return { typeId: type.id, schemaId: schema.id };
    })());
    pending.catch(() => {
      if (this.schema === pending) this.schema = undefined;
    });
    return pending;
  }

  async lock(holder: LockHolder, options: { timeoutMs: number; onWait?: (holder: LockHolder | undefined) => void }): Promise<StateLock> {
    await this.ensureLimit();
    const started = performance.now();
    let waiting = false;
    for (;;) {
      let failure: unknown;
      try {
        return await this.hold(await this.acquire(), holder);
      } catch (error) {
        // A failed attempt whose outcome is unknown may have taken the slot: then this run waits
        // for its own lease to expire, which is slow but never lets two runs in.
        if (!(error instanceof LockedError) && !isRetryable(error)) throw error;
        failure = error;
      }
      const current = await this.readHolder();
      const remaining = options.timeoutMs - (performance.now() - started);
      if (remaining <= 0) {
        if (!(failure instanceof LockedError)) throw failure;
        throw new StateLockedError(current, `concurrency limit ${this.lockName} in ${this.client.settings.baseUrl}`);
      }
      if (!waiting) {
        waiting = true;
        options.onWait?.(current);
      }
      await sleep(Math.min(this.pollMs, remaining));
    }
  }

  /** The lock's concurrency limit, created the first time; refused when someone changed it so it no longer excludes. */
  private async ensureLimit(): Promise<void> {
    const byName = () => orUndefined(this.client.get<ConcurrencyLimit>(`/v2/concurrency_limits/${path(this.lockName)}`));
    const limit =
      (await byName()) ??
      (await createSafely<ConcurrencyLimit>({
        attempt: () => this.client.post<ConcurrencyLimit>("/v2/concurrency_limits/", { name: this.lockName, limit: 1 }),
        lookup: byName,
      }));
    if (limit.limit !== 1 || limit.active === false) {
      throw new StateError(
        `The concurrency limit ${this.lockName} guards the state, so it must be active with a limit of 1; it is ${limit.active === false ? "inactive" : `set to ${limit.limit}`}. ` +
          `Set it back to an active limit of 1, or delete it (prefect-gitops creates it again).`,
      );
    }
  }

  /** Take the lock's slot under a new lease: its id, or LockedError when held. */
  private async acquire(): Promise<string> {
    const answer = await this.client.post<LeaseResponse>("/v2/concurrency_limits/increment-with-lease", {
      names: [this.lockName],
      slots: 1,
      lease_duration: this.leaseSeconds,
    });
    if (answer.limits.some((limit) => limit.name === this.lockName)) return answer.lease_id;
    // The limit was deleted since it was checked: the server skipped the name and excluded nothing.
    await this.releaseLease(answer.lease_id);
    await this.ensureLimit();
    return this.acquire();
  }

  private async hold(leaseId: string, holder: LockHolder): Promise<StateLock> {
    const held: HeldLease = { leaseId, holder, released: false, lost: false };
    try {
      await this.writeHolder(holder);
    } catch (error) {
      await this.releaseLease(leaseId).catch(() => undefined);
      throw error;
    }
    this.held = held;
    held.timer = setInterval(() => {
      if (!held.renewing && !held.released) held.renewing = this.renew(held).finally(() => (held.renewing = undefined));
    }, this.renewEveryMs);
    // Renewing must never keep a finished process alive.
    held.timer.unref();
    let released: Promise<void> | undefined;
    return { release: () => (released ??= this.release(held)) };
  }

  private async renew(held: HeldLease): Promise<void> {
    try {
      await this.client.post(`/v2/concurrency_limits/leases/${path(held.leaseId)}/renew`, { lease_duration: this.leaseSeconds }, { idempotent: true });
      await this.writeHolder(held.holder);
    } catch (error) {
      if (held.released) return;
      if (!isLeaseGone(error)) {
        this.onWarning(`Could not renew the state lock's lease (${(error as Error).message}); trying again in ${Math.round(this.renewEveryMs / 1000)} s.`);
        return;
      }
      // The lease ran out (a suspended process, a long network outage). If nobody took the lock
      // meanwhile, take it again; otherwise this run no longer owns the state.
      try {
        held.leaseId = await this.acquire();
        await this.writeHolder(held.holder);
        this.onWarning(`The state lock's lease had expired; nobody else had taken the lock, so this run took it again.`);
      } catch (reacquire) {
        if (!(reacquire instanceof LockedError)) {
          this.onWarning(`The state lock's lease expired and could not be taken again (${(reacquire as Error).message}); trying again shortly.`);
          return;
        }
        held.lost = true;
        clearInterval(held.timer);
        this.onWarning(`The state lock's lease expired and another run took the lock: this run will not write the state any more.`);
      }
    }
  }

  private async release(held: HeldLease): Promise<void> {
    held.released = true;
    clearInterval(held.timer);
    await held.renewing;
    if (this.held === held) this.held = undefined;
    if (held.lost) return;
    // The holder record goes first, while the slot is still ours: the next holder writes its own after acquiring.
    const current = await this.readHolderRecord();
    if (current && sameHolder(current, held.holder)) await orUndefined(this.client.delete(`/variables/name/${path(this.lockName)}`));
    await this.releaseLease(held.leaseId);
  }

  private async releaseLease(leaseId: string): Promise<void> {
    // Releasing an unknown or expired lease is a no-op on the server: safe to repeat.
    await this.client.post("/v2/concurrency_limits/decrement-with-lease", { lease_id: leaseId }, { idempotent: true });
  }

  /** Write who holds the lock (and until when) to the holder variable, creating it when missing. */
  private async writeHolder(holder: LockHolder): Promise<void> {
    const value: HolderRecord = { ...holder, expires_at: new Date(Date.now() + this.leaseSeconds * 1000).toISOString() };
    const byName = `/variables/name/${path(this.lockName)}`;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.patch(byName, { value });
        return;
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
      try {
        await this.client.post("/variables/", { name: this.lockName, value, tags: ["prefect-gitops"] });
        return;
      } catch (error) {
        // Created meanwhile (or by an attempt whose answer was lost): update it on the next turn.
        const again = error instanceof ConflictError || isRetryable(error);
        if (!again || attempt >= 3) throw error;
      }
    }
  }

  private async readHolderRecord(): Promise<HolderRecord | undefined> {
    const variable = await orUndefined(this.client.get<{ value?: unknown }>(`/variables/name/${path(this.lockName)}`));
    return holderRecordOf(variable?.value);
  }

  /** The holder to name in messages; a record whose lease has run out is left over from a crash and names nobody. */
  private async readHolder(): Promise<LockHolder | undefined> {
    const record = await this.readHolderRecord().catch(() => undefined);
    if (!record) return undefined;
    const expires = Date.parse(record.expires_at);
    if (!Number.isNaN(expires) && expires < Date.now()) return undefined;
    const { expires_at: _expires, ...holder } = record;
    return holder;
  }
}

/**
 * The state stored in the Prefect workspace itself: a block document `prefect-gitops-state-<name>`,
 * locked by a global concurrency limit `prefect-gitops-lock-<name>` held under a renewed lease.
 *
 * @example
 * const backend = createWorkspaceBackend(client, { name: "production" });
 * const lock = await backend.lock(holder, { timeoutMs: 120_000 });
 * try { const state = await backend.load(); ... } finally { await lock.release(); }
 */
export function createWorkspaceBackend(client: PrefectClient, options: WorkspaceBackendOptions = {}): StateBackend {
  return new WorkspaceBackend(client, options);
}
