// The devserver's data: per-workspace collections in memory, optionally persisted to a data
// directory as a snapshot plus an append-only journal. Every mutation is one journal line;
// a torn last line (the process or machine died mid-write) is ignored on replay, and the
// snapshot is only ever replaced atomically (write temp, fsync, rename), so a crash never
// leaves a half-written state behind.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";

export interface Entity {
  id: string;
  [key: string]: unknown;
}

interface JournalLine {
  w: string;
  c: string;
  op: "put" | "del";
  id: string;
  v?: Entity;
}

type Snapshot = Record<string, Record<string, Entity[]>>;

const SNAPSHOT = "devserver-state.json";
const JOURNAL = "devserver-journal.jsonl";
/** Compact the journal into the snapshot after this many lines. */
const COMPACT_AFTER = 50_000;

/** One collection of objects in one workspace, with an optional unique-key index. */
export class Collection<T extends Entity> {
  private readonly byId = new Map<string, T>();
  private readonly byKey = new Map<string, string>();

  constructor(
    private readonly owner: Workspace,
    readonly name: string,
    private readonly keyOf?: (entity: T) => string | undefined,
  ) {}

  get size(): number {
    return this.byId.size;
  }

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  /** The object whose unique key is `key`, if the collection has a key. */
  getByKey(key: string): T | undefined {
    const id = this.byKey.get(key);
    return id === undefined ? undefined : this.byId.get(id);
  }

  all(): T[] {
    return [...this.byId.values()];
  }

  filter(predicate: (entity: T) => boolean): T[] {
    const out: T[] = [];
    for (const entity of this.byId.values()) if (predicate(entity)) out.push(entity);
    return out;
  }

  /** Insert or replace an object (the caller checks uniqueness first and answers 409). */
  put(entity: T): T {
    this.load(entity);
    this.owner.journal({ c: this.name, op: "put", id: entity.id, v: entity });
    return entity;
  }

  delete(id: string): boolean {
    if (!this.unload(id)) return false;
    this.owner.journal({ c: this.name, op: "del", id });
    return true;
  }

  /** Apply a put without journaling it (replay and snapshot load). */
  load(entity: T): void {
    const previous = this.byId.get(entity.id);
    if (previous && this.keyOf) {
      const oldKey = this.keyOf(previous);
      if (oldKey !== undefined && this.byKey.get(oldKey) === entity.id) this.byKey.delete(oldKey);
    }
    this.byId.set(entity.id, entity);
    const key = this.keyOf?.(entity);
    if (key !== undefined) this.byKey.set(key, entity.id);
  }

  unload(id: string): boolean {
    const previous = this.byId.get(id);
    if (!previous) return false;
    this.byId.delete(id);
    const key = this.keyOf?.(previous);
    if (key !== undefined && this.byKey.get(key) === id) this.byKey.delete(key);
    return true;
  }

  clear(): void {
    this.byId.clear();
    this.byKey.clear();
  }
}

/** The objects of one workspace: the OSS server's single workspace, or one Cloud account/workspace pair. */
export class Workspace {
  private readonly collections = new Map<string, Collection<Entity>>();

  constructor(
    readonly key: string,
    private readonly store: Store,
  ) {}

  /**
   * The named collection, created on first use. `keyOf` gives the unique key (name) used by
   * `getByKey`; every caller of one collection must pass the same function.
   */
  collection<T extends Entity>(name: string, keyOf?: (entity: T) => string | undefined): Collection<T> {
    let collection = this.collections.get(name);
    if (!collection) {
      collection = new Collection<T>(this, name, keyOf) as unknown as Collection<Entity>;
      this.collections.set(name, collection);
      const pending = this.store.takePending(this.key, name);
      for (const entity of pending) collection.load(entity);
    }
    return collection as unknown as Collection<T>;
  }

  journal(line: Omit<JournalLine, "w">): void {
    this.store.journal({ w: this.key, ...line });
  }

  snapshot(): Record<string, Entity[]> {
    const out: Record<string, Entity[]> = {};
    for (const [name, collection] of this.collections) out[name] = collection.all();
    // Collections loaded from disk but never touched since are kept as they were.
    for (const [name, entities] of this.store.pendingOf(this.key)) out[name] ??= entities;
    return out;
  }

  objectCount(): number {
    let count = 0;
    for (const collection of this.collections.values()) count += collection.size;
    return count;
  }
}

export interface StoreOptions {
  /** Directory for the snapshot and journal; without it the data lives in memory only. */
  dataDir?: string;
}

export class Store {
  private readonly workspaces = new Map<string, Workspace>();
  /** Entities read from disk for collections nobody has asked for yet (their keyOf is unknown until then). */
  private readonly pending = new Map<string, Map<string, Entity[]>>();
  private journalFd: number | undefined;
  private journalLines = 0;

  constructor(private readonly options: StoreOptions = {}) {
    if (options.dataDir) this.open(options.dataDir);
  }

  workspace(key: string): Workspace {
    let workspace = this.workspaces.get(key);
    if (!workspace) {
      workspace = new Workspace(key, this);
      this.workspaces.set(key, workspace);
    }
    return workspace;
  }

  workspaceKeys(): string[] {
    return [...new Set([...this.workspaces.keys(), ...this.pending.keys()])];
  }

  takePending(workspace: string, collection: string): Entity[] {
    const byCollection = this.pending.get(workspace);
    const entities = byCollection?.get(collection) ?? [];
    byCollection?.delete(collection);
    return entities;
  }

  pendingOf(workspace: string): Map<string, Entity[]> {
    return this.pending.get(workspace) ?? new Map();
  }

  journal(line: JournalLine): void {
    if (this.journalFd === undefined) return;
    writeSync(this.journalFd, JSON.stringify(line) + "\n");
    if (++this.journalLines >= COMPACT_AFTER) this.compact();
  }

  private open(dir: string): void {
    mkdirSync(dir, { recursive: true });
    const snapshotPath = join(dir, SNAPSHOT);
    if (existsSync(snapshotPath)) {
      const snapshot = JSON.parse(readFileSync(snapshotPath, "utf8")) as Snapshot;
      for (const [workspace, collections] of Object.entries(snapshot)) {
        for (const [name, entities] of Object.entries(collections)) this.stage(workspace, name, entities);
      }
    }
    const journalPath = join(dir, JOURNAL);
    if (existsSync(journalPath)) {
      for (const text of readFileSync(journalPath, "utf8").split("\n")) {
        if (!text.trim()) continue;
        let line: JournalLine;
        try {
          line = JSON.parse(text) as JournalLine;
        } catch {
          break; // a torn last line: everything before it was written whole
        }
        this.replay(line);
      }
    }
    this.compact();
  }

  private stage(workspace: string, collection: string, entities: Entity[]): void {
    let byCollection = this.pending.get(workspace);
    if (!byCollection) {
      byCollection = new Map();
      this.pending.set(workspace, byCollection);
    }
    byCollection.set(collection, entities);
  }

  private replay(line: JournalLine): void {
    const staged = this.pending.get(line.w)?.get(line.c);
    const list = staged ?? [];
    const index = list.findIndex((entity) => entity.id === line.id);
    if (line.op === "put" && line.v) {
      if (index >= 0) list[index] = line.v;
      else list.push(line.v);
    } else if (line.op === "del" && index >= 0) {
      list.splice(index, 1);
    }
    if (!staged) this.stage(line.w, line.c, list);
  }

  /** Write the whole state as a new snapshot (atomically) and start an empty journal. */
  compact(): void {
    const dir = this.options.dataDir;
    if (!dir) return;
    const snapshot: Snapshot = {};
    for (const key of this.workspaceKeys()) snapshot[key] = this.workspace(key).snapshot();
    const target = join(dir, SNAPSHOT);
    const temp = `${target}.${process.pid}.tmp`;
    const fd = openSync(temp, "w");
    try {
      writeSync(fd, JSON.stringify(snapshot));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
    if (this.journalFd !== undefined) closeSync(this.journalFd);
    writeFileSync(join(dir, JOURNAL), "");
    this.journalFd = openSync(join(dir, JOURNAL), "a");
    this.journalLines = 0;
  }

  /** Forget every object in every workspace (the admin reset). */
  reset(): void {
    this.workspaces.clear();
    this.pending.clear();
    this.compact();
  }

  close(): void {
    if (this.options.dataDir) this.compact();
    if (this.journalFd !== undefined) {
      closeSync(this.journalFd);
      this.journalFd = undefined;
    }
  }
}
