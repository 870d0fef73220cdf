// The live objects a plan was given, indexed for finding: by id (per kind), by natural key, and
// by owner (the state's address owning an id).
import type { Kind } from "../../provider/kinds/kind.js";
import type { StateDocument } from "../state/model.js";

/** The live objects of each kind, read in bulk before planning. */
export interface LiveInventory {
  kinds: Map<string, { byId: Map<string, unknown>; error?: string }>;
}

export class LiveIndex {
  private readonly identities = new Map<string, Map<string, unknown[]>>();
  private readonly owners = new Map<string, string>();

  constructor(
    readonly live: LiveInventory,
    state: Pick<StateDocument, "resources">,
  ) {
    for (const entry of Object.values(state.resources)) this.owners.set(`${entry.type}:${entry.id}`, entry.address);
  }

  inventory(type: string): { byId: Map<string, unknown>; error?: string } | undefined {
    return this.live.kinds.get(type);
  }

  /** The state address that owns a live object, if any. */
  ownerOf(kind: Kind, object: unknown): string | undefined {
    return this.owners.get(`${kind.type}:${kind.idOf(object)}`);
  }

  /** Live objects of a kind with this natural key. */
  withIdentity(kind: Kind, identity: string): unknown[] {
    let index = this.identities.get(kind.type);
    if (!index) {
      index = new Map();
      for (const object of this.inventory(kind.type)?.byId.values() ?? []) {
        const key = kind.identityOf(object);
        if (key !== undefined) index.set(key, [...(index.get(key) ?? []), object]);
      }
      this.identities.set(kind.type, index);
    }
    return index.get(identity) ?? [];
  }
}
