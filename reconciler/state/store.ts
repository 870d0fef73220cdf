// The state as one run uses it: the document in memory plus its backend. Every change is
// applied in memory and recorded in the backend as it happens.
import { randomUUID } from "node:crypto";
import { newSalt } from "./hash.js";
import { applyChange, emptyState, StateError, type PendingCreate, type StateBackend, type StateChange, type StateDocument, type StateEntry } from "./model.js";

export class StateStore {
  private constructor(
    readonly backend: StateBackend,
    public document: StateDocument,
    /** The backend held a state when it was last read. */
    public existed: boolean,
  ) {}

  /** Load the state (or start an empty one, not written until something is recorded). */
  static async open(backend: StateBackend, target: string): Promise<StateStore> {
    const loaded = await StateStore.loadFor(backend, target);
    return new StateStore(backend, loaded ?? emptyState(randomUUID(), newSalt(), target), loaded !== undefined);
  }

  private static async loadFor(backend: StateBackend, target: string): Promise<StateDocument | undefined> {
    const loaded = await backend.load();
    // A state belongs to one workspace. Servers move (a devserver's port changes), so only two
    // different Cloud workspaces are a certain mismatch.
    const workspaceOf = (url: string) => /\/accounts\/([^/]+)\/workspaces\/([^/]+)/.exec(url)?.slice(1).join("/");
    if (loaded?.target && workspaceOf(loaded.target) && workspaceOf(target) && workspaceOf(loaded.target) !== workspaceOf(target)) {
      throw new StateError(
        `${backend.describe()} belongs to ${loaded.target}, but the configuration targets ${target}. Use the state of that workspace (--state), or start a new one for this workspace.`,
      );
    }
    if (loaded) loaded.target = target;
    return loaded;
  }

  /**
   * Read the state again, once the lock is held: what was read while waiting for it may since
   * have been changed by the run that held it, and planning from that would repeat its work.
   */
  async reload(): Promise<void> {
    const target = this.document.target ?? "";
    const loaded = await StateStore.loadFor(this.backend, target);
    if (loaded) this.document = loaded;
    else if (this.existed) this.document = emptyState(randomUUID(), newSalt(), target);
    this.existed = loaded !== undefined;
  }

  get salt(): string {
    return this.document.salt;
  }

  /** Mark the start of a run that changes the state: bump the serial and write it, so plans made before are stale. */
  async begin(): Promise<void> {
    this.document.serial++;
    await this.backend.save(this.document);
  }

  async record(change: StateChange): Promise<void> {
    applyChange(this.document, change);
    await this.backend.record(change, this.document);
  }

  put(entry: StateEntry): Promise<void> {
    return this.record({ op: "put", entry });
  }

  remove(address: string): Promise<void> {
    return this.record({ op: "remove", address });
  }

  intent(pending: PendingCreate): Promise<void> {
    return this.record({ op: "intent", pending });
  }

  flush(): Promise<void> {
    return this.backend.flush(this.document);
  }

  save(): Promise<void> {
    return this.backend.save(this.document);
  }
}
