// The state in a local file: a snapshot (`<path>`, pretty JSON with a stable key order, so it
// diffs well in Git) plus an append-only journal (`<path>.journal`, one JSON change per line).
// A change is appended the moment it happens, so a run killed at any point loses nothing; the
// snapshot is only ever replaced whole (temporary file, fsync, rename), so it is never
// half-written. The journal's first line names the snapshot it follows (lineage and serial):
// a journal left behind by a run killed between writing a snapshot and emptying the journal, or
// one that no longer matches a snapshot pulled from Git, is recognized and ignored.
//
// The lock is a file created exclusively next to the state. A holder that died on this host
// (kill -9, a crash) is detected by its pid and its lock taken over; a holder on another host
// cannot be checked, so it is waited for and then named in the error.
import { randomBytes, randomUUID } from "node:crypto";
import { appendFile, mkdir, open, readFile, rename, stat, truncate, unlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import { applyChange, lockHolderOf, StateError, StateLockedError, type LockHolder, type StateBackend, type StateChange, type StateDocument, type StateLock } from "./model.js";
import { parseStateChange, parseStateDocument, type StateSource } from "./parse.js";

/** Options of the file backend (tests shorten the waits). */
export interface FileBackendOptions {
  /** How often a waiting `lock()` looks at the lock file again. @default 150 */
  pollMs?: number;
  /** A lock file without a readable holder older than this is left over from a crash. @default 10000 */
  unreadableLockStaleMs?: number;
}

/** The snapshot a journal follows. */
interface Base {
  lineage: string;
  serial: number;
}

interface JournalHeader {
  base: Base;
}

/** What a lock file holds: the holder, and a token that tells our lock from a later one. */
interface LockFileContent {
  holder?: LockHolder;
  token?: string;
  /** The exact text read, to check that the file did not change before taking it over. */
  raw: string;
  mtimeMs: number;
}

/** Tokens of the locks this process holds: a lock file with our own pid is stale unless listed here. */
const heldTokens = new Set<string>();

const TOP_LEVEL_ORDER = ["version", "lineage", "serial", "salt", "target", "resources", "pending"];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function isErrno(error: unknown, ...codes: string[]): boolean {
  return codes.includes((error as NodeJS.ErrnoException | undefined)?.code ?? "");
}

function withSortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withSortedKeys);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, withSortedKeys(record[key])]),
  );
}

/** The snapshot text: the document's own fields first in a fixed order, every nested object's keys sorted. */
function snapshotText(document: StateDocument): string {
  const record = document as unknown as Record<string, unknown>;
  const ordered: Record<string, unknown> = {};
  for (const key of TOP_LEVEL_ORDER) if (key in record) ordered[key] = withSortedKeys(record[key]);
  for (const key of Object.keys(record).sort()) if (!(key in ordered)) ordered[key] = withSortedKeys(record[key]);
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

function isHeader(value: unknown): value is JournalHeader {
  const base = (value as Partial<JournalHeader> | null)?.base;
  return typeof base === "object" && base !== null && typeof base.lineage === "string" && typeof base.serial === "number";
}

function sameBase(a: Base, b: Base): boolean {
  return a.lineage === b.lineage && a.serial === b.serial;
}

/** Whether a process with this pid exists on this host (EPERM: it exists, owned by someone else). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return isErrno(error, "EPERM");
  }
}

/** fsync a directory so a rename in it survives a power loss; not every platform allows it. */
async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, "r");
    await handle.sync();
  } catch (error) {
    if (!isErrno(error, "EISDIR", "EPERM", "EINVAL", "EBADF", "EACCES")) throw error;
  } finally {
    await handle?.close();
  }
}

class FileBackend implements StateBackend {
  readonly kind = "file" as const;
  private readonly journalPath: string;
  private readonly lockPath: string;
  private readonly source: StateSource;
  private readonly pollMs: number;
  private readonly unreadableLockStaleMs: number;
  /** The snapshot on disk as last read or written: null when there is none, undefined until known. */
  private base: Base | null | undefined;
  /** The journal has a header for `base` and ends with a complete line. */
  private journalReady = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly path: string,
    options: FileBackendOptions,
  ) {
    this.journalPath = `${path}.journal`;
    this.lockPath = `${path}.lock`;
    this.pollMs = options.pollMs ?? 150;
    this.unreadableLockStaleMs = options.unreadableLockStaleMs ?? 10_000;
    this.source = {
      where: `state file ${path}`,
      remedy:
        `Restore it from Git or a backup. Moving it (and ${basename(this.journalPath)}) aside starts from an empty state, ` +
        `and prefect-gitops then no longer knows which objects it owns: import them again.`,
    };
  }

  describe(): string {
    return this.path;
  }

  /** Operations on the files run one at a time: an apply records from many tasks at once. */
  private serialize<T>(operation: () => Promise<T>): Promise<T> {
    const next = this.queue.then(operation, operation);
    this.queue = next.catch(() => undefined);
    return next;
  }

  load(): Promise<StateDocument | undefined> {
    return this.serialize(async () => {
      const document = await this.readSnapshot();
      this.journalReady = false;
      if (!document) {
        this.base = null;
        return undefined;
      }
      this.base = { lineage: document.lineage, serial: document.serial };
      await this.replayJournal(document, this.base);
      return document;
    });
  }

  private async readSnapshot(): Promise<StateDocument | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if (isErrno(error, "ENOENT")) return undefined;
      throw new StateError(`Cannot read the ${this.source.where}: ${(error as Error).message}`, { cause: error, code: "STATE_IO" });
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      // The parser's message quotes the text around the error; a state holds no secret in clear,
      // but a hand-edited file might, so it stays out of the message.
      throw new StateError(`The ${this.source.where} is not valid JSON. ${this.source.remedy}`);
    }
    return parseStateDocument(value, this.source);
  }

  private async replayJournal(document: StateDocument, base: Base): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.journalPath, "utf8");
    } catch (error) {
      if (isErrno(error, "ENOENT")) return;
      throw error;
    }
    const lines = text.split("\n");
    let last = lines.length - 1;
    while (last >= 0 && !lines[last]?.trim()) last--;
    let first = true;
    for (let index = 0; index <= last; index++) {
      const line = lines[index] ?? "";
      if (!line.trim()) continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        // A run killed while appending leaves a torn last line: that change never happened.
        if (index === last) return;
        throw this.corruptJournal(index);
      }
      if (first && isHeader(value)) {
        first = false;
        // The journal follows another snapshot: its changes are already in this one, or belong to another history.
        if (!sameBase(value.base, base)) return;
        continue;
      }
      first = false;
      const change = parseStateChange(value);
      if (!change) {
        if (index === last) return;
        throw this.corruptJournal(index);
      }
      applyChange(document, change);
    }
  }

  private corruptJournal(index: number): StateError {
    return new StateError(
      `Line ${index + 1} of the state journal ${this.journalPath} is not a state change (only its last line may be incomplete). ` +
        `Restore the journal from a backup, or remove the damaged line; removing the journal loses the changes it records since ${basename(this.path)} was last written.`,
    );
  }

  async record(change: StateChange, document: StateDocument): Promise<void> {
    await this.serialize(async () => {
      const base = await this.currentBase();
      if (base === null) {
        // A journal needs a snapshot to follow: the first change of a new state writes one.
        const first = structuredClone(document);
        applyChange(first, change);
        await this.writeSnapshot(first);
        return;
      }
      await this.prepareJournal(base);
      // One write per line, appended: a line reaches the file before record() resolves and
      // survives the process being killed (not a power loss: flush() syncs).
      try {
        await appendFile(this.journalPath, `${JSON.stringify(change)}\n`);
      } catch (error) {
        // The write may have left part of a line (a full disk): look at the journal again before the next one.
        this.journalReady = false;
        throw new StateError(`Cannot record a change in the state journal ${this.journalPath}: ${(error as Error).message}`, { cause: error, code: "STATE_IO" });
      }
    });
  }

  private async currentBase(): Promise<Base | null> {
    if (this.base === undefined) {
      const snapshot = await this.readSnapshot();
      this.base = snapshot ? { lineage: snapshot.lineage, serial: snapshot.serial } : null;
      this.journalReady = false;
    }
    return this.base;
  }

  /** Make the journal follow `base` and end with a complete line before appending to it. */
  private async prepareJournal(base: Base): Promise<void> {
    if (this.journalReady) return;
    let text = "";
    try {
      text = await readFile(this.journalPath, "utf8");
    } catch (error) {
      if (!isErrno(error, "ENOENT")) throw error;
    }
    // Only complete lines count: a torn last line is a change that never happened.
    const complete = text.slice(0, text.lastIndexOf("\n") + 1);
    let header: unknown;
    try {
      header = complete ? JSON.parse(complete.slice(0, complete.indexOf("\n"))) : undefined;
    } catch {
      header = undefined;
    }
    if (!complete || (isHeader(header) && !sameBase(header.base, base))) {
      // Nothing in it yet, or the journal of an earlier snapshot (already part of this one): start anew.
      await writeFile(this.journalPath, `${JSON.stringify({ base } satisfies JournalHeader)}\n`);
    } else if (complete.length !== text.length) {
      // Drop the torn line so that the next change starts on a line of its own.
      await truncate(this.journalPath, Buffer.byteLength(complete));
    }
    this.journalReady = true;
  }

  async flush(): Promise<void> {
    await this.serialize(async () => {
      let handle;
      try {
        handle = await open(this.journalPath, "r+");
        await handle.sync();
      } catch (error) {
        if (!isErrno(error, "ENOENT")) throw error;
      } finally {
        await handle?.close();
      }
      await syncDirectory(dirname(this.path));
    });
  }

  async save(document: StateDocument): Promise<void> {
    await this.serialize(() => this.writeSnapshot(document));
  }

  private async writeSnapshot(document: StateDocument): Promise<void> {
    const dir = dirname(this.path);
    await mkdir(dir, { recursive: true });
    const temp = join(dir, `.${basename(this.path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
    try {
      const handle = await open(temp, "wx");
      try {
        await handle.writeFile(snapshotText(document), "utf8");
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.path);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw new StateError(`Cannot write the ${this.source.where}: ${(error as Error).message}. The previous state is unchanged.`, { cause: error, code: "STATE_IO" });
    }
    await syncDirectory(dir);
    // Everything the journal held is in the new snapshot. Killed before this line, the journal's
    // header still names the previous snapshot, and the next load ignores it.
    try {
      await truncate(this.journalPath, 0);
    } catch (error) {
      if (!isErrno(error, "ENOENT")) throw error;
    }
    this.base = { lineage: document.lineage, serial: document.serial };
    this.journalReady = false;
  }

  async lock(holder: LockHolder, options: { timeoutMs: number; onWait?: (holder: LockHolder | undefined) => void }): Promise<StateLock> {
    await mkdir(dirname(this.lockPath), { recursive: true });
    const token = randomUUID();
    const content = `${JSON.stringify({ ...holder, token }, null, 2)}\n`;
    const started = performance.now();
    let waiting = false;
    for (;;) {
      if (await this.createLockFile(content)) {
        heldTokens.add(token);
        // Whatever was read before holding the lock may have been replaced by the previous holder.
        await this.serialize(async () => {
          this.base = undefined;
          this.journalReady = false;
        });
        return this.heldLock(token);
      }
      const current = await this.readLockFile();
      // Released between our attempt and the read: try again at once.
      if (!current) continue;
      if (this.isStale(current) && (await this.takeOver(current))) continue;
      const remaining = options.timeoutMs - (performance.now() - started);
      if (remaining <= 0) throw new StateLockedError(current.holder, `lock file ${this.lockPath}`);
      if (!waiting) {
        waiting = true;
        options.onWait?.(current.holder);
      }
      await sleep(Math.min(this.pollMs, remaining));
    }
  }

  /** Create the lock file with our content, or answer false when it exists. */
  private async createLockFile(content: string): Promise<boolean> {
    let handle;
    try {
      handle = await open(this.lockPath, "wx");
    } catch (error) {
      if (isErrno(error, "EEXIST")) return false;
      throw new StateError(`Cannot create the lock file ${this.lockPath}: ${(error as Error).message}`, { cause: error, code: "STATE_IO" });
    }
    try {
      await handle.writeFile(content, "utf8");
    } catch (error) {
      await handle.close();
      await unlink(this.lockPath).catch(() => undefined);
      throw new StateError(`Cannot write the lock file ${this.lockPath}: ${(error as Error).message}`, { cause: error, code: "STATE_IO" });
    }
    await handle.close();
    return true;
  }

  private async readLockFile(): Promise<LockFileContent | undefined> {
    try {
      const [raw, info] = await Promise.all([readFile(this.lockPath, "utf8"), stat(this.lockPath)]);
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        parsed = undefined;
      }
      const token = (parsed as { token?: unknown } | undefined)?.token;
      return { holder: lockHolderOf(parsed), token: typeof token === "string" ? token : undefined, raw, mtimeMs: info.mtimeMs };
    } catch (error) {
      if (isErrno(error, "ENOENT")) return undefined;
      throw error;
    }
  }

  /**
   * A lock is stale when its holder is known dead: a pid on this host that no longer runs (or
   * that is ours while we do not hold it: a container restarted with the same pid). A file
   * without a readable holder is stale once old enough (its writer died between creating and
   * writing it). A holder on another host is never assumed dead.
   */
  private isStale(lock: LockFileContent): boolean {
    if (!lock.holder) return Date.now() - lock.mtimeMs > this.unreadableLockStaleMs;
    if (lock.holder.host !== hostname()) return false;
    if (lock.holder.pid === process.pid) return !(lock.token !== undefined && heldTokens.has(lock.token));
    return !processAlive(lock.holder.pid);
  }

  /**
   * Remove a stale lock file, unless it changed since it was judged stale. Two runs may find the
   * same stale lock: a short-lived `.takeover` file lets only one of them remove it, so one never
   * removes the fresh lock the other has just created in its place.
   */
  private async takeOver(stale: LockFileContent): Promise<boolean> {
    const guard = `${this.lockPath}.takeover`;
    let handle;
    try {
      handle = await open(guard, "wx");
    } catch (error) {
      if (!isErrno(error, "EEXIST")) throw error;
      // A guard is held for milliseconds; an old one was left by a run killed while taking over.
      const info = await stat(guard).catch(() => undefined);
      if (info && Date.now() - info.mtimeMs > this.unreadableLockStaleMs) await unlink(guard).catch(() => undefined);
      return false;
    }
    try {
      await handle.close();
      const current = await this.readLockFile();
      if (!current) return true;
      if (current.raw !== stale.raw) return false;
      await unlink(this.lockPath).catch((error: unknown) => {
        if (!isErrno(error, "ENOENT")) throw error;
      });
      return true;
    } finally {
      await unlink(guard).catch(() => undefined);
    }
  }

  private heldLock(token: string): StateLock {
    let released: Promise<void> | undefined;
    return {
      release: () =>
        (released ??= (async () => {
          try {
            const current = await this.readLockFile();
            // Only our own lock: after a takeover (we were judged dead) it belongs to someone else.
            if (current?.token === token) await unlink(this.lockPath).catch(() => undefined);
          } finally {
            heldTokens.delete(token);
          }
        })()),
    };
  }
}

/**
 * The state in a local file, with its journal (`<path>.journal`) and lock (`<path>.lock`) next to it.
 * The lock holder's `pid` and `host` must be this process's (`process.pid`, `os.hostname()`):
 * they are how a later run recognizes the lock of a run that died.
 *
 * @example
 * const backend = createFileBackend("./prefect-gitops.state.json");
 * const lock = await backend.lock(holder, { timeoutMs: 60_000 });
 * try { const state = await backend.load(); ... } finally { await lock.release(); }
 */
export function createFileBackend(path: string, options: FileBackendOptions = {}): StateBackend {
  return new FileBackend(path, options);
}
