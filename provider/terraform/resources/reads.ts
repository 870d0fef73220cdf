// ReadResource calls of one kind that arrive together (Terraform refreshes up to -parallelism
// resources at once) share bulk requests: their ids go to the kind's scoped read (`/filter` with
// `id.any_`, pages of 200 sent concurrently) instead of one GET per object, as the official
// provider does.
import type { Kind, KindContext, ReadScope } from "../../kinds/kind.js";

/** What one ReadResource knows of the object it reads. */
export interface ReadKey {
  id: string;
  /** The name in the state, for kinds read by name (automations: `readsOwnedNames`). */
  name?: string;
  /** The parent's id, for kinds read with their parent (a schedule's deployment). */
  parentId?: string;
}

interface Waiting {
  key: ReadKey;
  resolve: (live: unknown) => void;
  reject: (error: unknown) => void;
}

export interface BatchStats {
  /** Batches sent, per Terraform type. */
  batches: Map<string, number>;
}

/**
 * Collects reads per kind for `windowMs` after the first one arrives, then reads them in one
 * scoped read. Each caller gets its object, or `undefined` when it no longer exists.
 */
export class BatchedReads {
  private readonly pending = new Map<string, Waiting[]>();
  readonly stats: BatchStats = { batches: new Map() };

  constructor(
    private readonly context: () => KindContext,
    private readonly log: (line: string) => void,
    private readonly windowMs = 10,
  ) {}

  read(kind: Kind, key: ReadKey): Promise<unknown> {
    return new Promise((resolve, reject) => {
      let queue = this.pending.get(kind.type);
      if (!queue) {
        queue = [];
        this.pending.set(kind.type, queue);
        setTimeout(() => void this.flush(kind), this.windowMs);
      }
      queue.push({ key, resolve, reject });
    });
  }

  private async flush(kind: Kind): Promise<void> {
    const waiting = this.pending.get(kind.type) ?? [];
    this.pending.delete(kind.type);
    this.stats.batches.set(kind.type, (this.stats.batches.get(kind.type) ?? 0) + 1);
    try {
      const found = await this.readAll(kind, waiting.map((entry) => entry.key));
      this.log(`read ${waiting.length} ${kind.type} together (${found.size} found)`);
      for (const entry of waiting) entry.resolve(found.get(entry.key.id.toLowerCase()));
    } catch (error) {
      for (const entry of waiting) entry.reject(error);
    }
  }

  /** The live objects of `keys` by lower-case id. */
  private async readAll(kind: Kind, keys: ReadKey[]): Promise<Map<string, unknown>> {
    const ctx = this.context();
    const byId = new Map<string, unknown>();
    if (!kind.readScoped) {
      const lives = await Promise.all(keys.map((key) => kind.read(ctx, key.id)));
      lives.forEach((live, i) => live !== undefined && byId.set(keys[i]!.id.toLowerCase(), live));
      return byId;
    }
    const scope: ReadScope = {
      ids: keys.map((key) => key.id),
      names: [],
      ...(kind.readsOwnedNames ? { ownedNames: keys.flatMap((key) => (key.name ? [key.name] : [])) } : {}),
      parentIds: [...new Set(keys.flatMap((key) => (key.parentId ? [key.parentId.toLowerCase()] : [])))],
    };
    for (const live of await kind.readScoped(ctx, scope, new Map([[kind.type, scope]]))) byId.set(kind.idOf(live).toLowerCase(), live);
    return byId;
  }
}
