// ReadResource calls of one kind that arrive together (Terraform refreshes up to -parallelism
// resources at once) share bulk requests: their ids go to the kind's scoped read (`/filter` with
// `id.any_`, pages of 200 sent concurrently) instead of one GET per object, as the official
// provider does (one GET per resource: VariableResource.Read in internal/provider/resources/variable.go,
// WorkPoolResource.Read in work_pool.go).
//
// Terraform never has more than -parallelism reads in flight, so batches alone save at most that
// factor. For kinds Prefect can count, reads go on from one listing of the whole kind once the
// batches sent have cost as many requests as that listing would (pages of 200 by /count): never
// more than twice the cheaper of the two, whatever the stack and the workspace hold.
import type { Kind, KindContext, ReadScope } from "../../kinds/kind.js";
import { COUNT_ROUTES, countOf, listingPages } from "../../kinds/listing-cost.js";

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

/** How long a listing answers reads: one Terraform command's refresh. */
const LISTING_TTL_MS = 60_000;

interface KindReads {
  /** Batches sent: what reading by ids has cost so far. */
  batches: number;
  /** Pages a whole listing costs, once counted. */
  listingPages?: number;
  listing?: { at: number; byId: Promise<Map<string, unknown>> };
}

/**
 * Collects reads per kind for `windowMs` after the first one arrives, then reads them in one
 * scoped read (or from the kind's listing, see above). Each caller gets its object, or
 * `undefined` when it no longer exists.
 */
export class BatchedReads {
  private readonly pending = new Map<string, Waiting[]>();
  private readonly kinds = new Map<string, KindReads>();

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

  /** Forget every listing (a write makes them stale), and start counting batches again. */
  invalidate(): void {
    for (const reads of this.kinds.values()) {
      delete reads.listing;
      reads.batches = 0;
    }
  }

  private async flush(kind: Kind): Promise<void> {
    const waiting = this.pending.get(kind.type) ?? [];
    this.pending.delete(kind.type);
    try {
      const found = await this.readAll(kind, waiting.map((entry) => entry.key));
      for (const entry of waiting) entry.resolve(found.get(entry.key.id.toLowerCase()));
    } catch (error) {
      for (const entry of waiting) entry.reject(error);
    }
  }

  private state(type: string): KindReads {
    let reads = this.kinds.get(type);
    if (!reads) {
      reads = { batches: 0 };
      this.kinds.set(type, reads);
    }
    return reads;
  }

  /** The live objects of `keys` by lower-case id. */
  private async readAll(kind: Kind, keys: ReadKey[]): Promise<Map<string, unknown>> {
    const reads = this.state(kind.type);
    if (reads.listing && Date.now() - reads.listing.at < LISTING_TTL_MS) {
      const listed = await reads.listing.byId.catch(() => undefined);
      if (listed) {
        this.log(`read ${keys.length} ${kind.type} from the listing`);
        return listed;
      }
    }
    const found = await this.readByIds(kind, keys);
    reads.batches++;
    this.log(`read ${keys.length} ${kind.type} together (${found.size} found)`);
    await this.considerListing(kind, reads);
    return found;
  }

  /** Ski rental: count once after two batches, list once the batches have cost what the listing costs. */
  private async considerListing(kind: Kind, reads: KindReads): Promise<void> {
    if (!(kind.type in COUNT_ROUTES) || reads.batches < 2 || reads.listing) return;
    const ctx = this.context();
    if (reads.listingPages === undefined) reads.listingPages = listingPages((await countOf(ctx, kind.type)) ?? 0);
    if (reads.batches < reads.listingPages) return;
    this.log(`reading the remaining ${kind.type} from one listing (${reads.listingPages} pages)`);
    const byId = kind.list(ctx).then((all) => new Map(all.map((live) => [kind.idOf(live).toLowerCase(), live as unknown])));
    reads.listing = { at: Date.now(), byId };
    // A failed listing is forgotten: reads go on by ids.
    byId.catch(() => {
      if (reads.listing?.byId === byId) delete reads.listing;
    });
  }

  private async readByIds(kind: Kind, keys: ReadKey[]): Promise<Map<string, unknown>> {
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
