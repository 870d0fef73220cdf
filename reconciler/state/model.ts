// The state: the engine's exact record of what it owns. Per resource address: kind, id,
// natural key, a hash of what was applied and enough of the applied values to report drift.
// Sensitive values are kept only as salted hashes, so a state file can be committed or shared
// without leaking a secret. Pending intents record creates in flight, so a run killed at any
// point is resumed by the next one without duplicates.
import { EngineError, type ErrorCode } from "../errors.js";

export const STATE_VERSION = 1;

/** A sensitive value as the state keeps it: an HMAC-SHA256 with the state's salt. */
export interface SensitiveHash {
  $sensitive: string;
}

export interface StateEntry {
  address: string;
  /** Terraform type, e.g. `prefect_work_pool`. */
  type: string;
  /** The object's id in Prefect. */
  id: string;
  /** The natural key when the kind has one (work pool name, `pool/queue`, ...). */
  identity?: string;
  /** Hash of the declared spec last applied (sensitive values included, salted). */
  appliedHash: string;
  /** The spec as last applied or read, sensitive values replaced by their salted hash. */
  values: Record<string, unknown>;
  /** Addresses this object referred to when applied: deletes run in reverse of this. */
  dependencies: string[];
  /** `lifecycle.prevent_destroy` as last applied, honoured even once the block is removed. */
  preventDestroy?: boolean;
  /** Schema version of the kind when written. */
  schemaVersion: number;
  /** When this entry was last written (ISO 8601). */
  updatedAt: string;
}

/** A create that was started and may or may not have happened. */
export interface PendingCreate {
  address: string;
  type: string;
  /** Natural key of the object being created, when the kind has one. */
  identity?: string;
  /** Name of the object (for kinds without a natural key, matched with `specHash`). */
  name?: string;
  /** Hash of the declared spec being created (salted like appliedHash). */
  specHash: string;
  /** When the create started (ISO 8601); objects created before it are not ours. */
  startedAt: string;
}

export interface StateDocument {
  version: typeof STATE_VERSION;
  /** Random id of this state's history; a saved plan must come from the same lineage. */
  lineage: string;
  /** Incremented on every write; a saved plan is stale when the serial moved. */
  serial: number;
  /** Salt of the sensitive hashes (random per state). */
  salt: string;
  /** The API the objects live in, recorded to refuse applying a state to another workspace. */
  target?: string;
  resources: Record<string, StateEntry>;
  pending: Record<string, PendingCreate>;
}

/** One durable change to the state. */
export type StateChange =
  | { op: "put"; entry: StateEntry }
  | { op: "remove"; address: string }
  | { op: "intent"; pending: PendingCreate }
  | { op: "settle"; address: string };

/** Apply a change to a document in memory. */
export function applyChange(document: StateDocument, change: StateChange): void {
  switch (change.op) {
    case "put":
      document.resources[change.entry.address] = change.entry;
      delete document.pending[change.entry.address];
      break;
    case "remove":
      delete document.resources[change.address];
      delete document.pending[change.address];
      break;
    case "intent":
      document.pending[change.pending.address] = change.pending;
      break;
    case "settle":
      delete document.pending[change.address];
      break;
  }
}

/** Who holds (or wants) the lock, for "state locked by ..." messages. */
export interface LockHolder {
  /** `user@host` */
  who: string;
  pid: number;
  host: string;
  operation: string;
  /** ISO 8601 */
  since: string;
}

/** The holder a lock record names (a lock file, the workspace's holder variable), or undefined when it names none. */
export function lockHolderOf(value: unknown): LockHolder | undefined {
  const v = value as Partial<LockHolder> | null;
  if (typeof v !== "object" || v === null) return undefined;
  if (typeof v.who !== "string" || typeof v.pid !== "number" || typeof v.host !== "string" || typeof v.operation !== "string" || typeof v.since !== "string") {
    return undefined;
  }
  return { who: v.who, pid: v.pid, host: v.host, operation: v.operation, since: v.since };
}

export interface StateLock {
  /** Release the lock (idempotent). */
  release(): Promise<void>;
}

/** Where the state lives: a local file, or the Prefect workspace itself. */
export interface StateBackend {
  readonly kind: "file" | "workspace";
  /** Where the state is, for messages (`./prefect-gitops.state.json`, `block prefect-gitops-state-main in <workspace>`). */
  describe(): string;
  /** The current document, or undefined when there is no state yet. */
  load(): Promise<StateDocument | undefined>;
  /**
   * Record one change. The file backend makes it durable at once (a journal line); the
   * workspace backend buffers it until `flush`.
   */
  record(change: StateChange, document: StateDocument): Promise<void>;
  /** Make every recorded change durable. */
  flush(document: StateDocument): Promise<void>;
  /** Write the whole document (end of a run, `state rm`): atomically, never half-written. */
  save(document: StateDocument): Promise<void>;
  /**
   * Take the lock for a plan-and-apply. Waits up to `timeoutMs` while someone else holds it,
   * then throws StateLockedError naming the holder. A crashed holder's lock expires.
   */
  lock(holder: LockHolder, options: { timeoutMs: number; onWait?: (holder: LockHolder | undefined) => void }): Promise<StateLock>;
}

/** Another run holds the state lock (STATE_LOCKED, retryable: wait, or raise --lock-timeout). */
export class StateLockedError extends EngineError {
  constructor(
    readonly holder: LockHolder | undefined,
    readonly where: string,
  ) {
    super(
      "STATE_LOCKED",
      holder
        ? `state locked by ${holder.who} (pid ${holder.pid}) running "${holder.operation}" since ${holder.since} (${where}). Wait for it to finish, or raise --lock-timeout.`
        : `state locked by another run (${where}). Wait for it to finish, or raise --lock-timeout.`,
    );
  }
}

/** The state cannot be used: STATE_INVALID (unreadable, another version) unless another code is given (STATE_IO: the file system failed). */
export class StateError extends EngineError {
  constructor(message: string, options: { cause?: unknown; code?: ErrorCode } = {}) {
    super(options.code ?? "STATE_INVALID", message, { cause: options.cause });
  }
}

/** A new, empty state document. */
export function emptyState(lineage: string, salt: string, target?: string): StateDocument {
  return { version: STATE_VERSION, lineage, serial: 0, salt, target, resources: {}, pending: {} };
}
