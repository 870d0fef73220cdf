// Writes a kind says must not run in parallel (a pool's queues, whose priorities Prefect
// renumbers on write: Kind.serialization) run one at a time per group, in arrival order.
export class WriteQueues {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Run `write` after every earlier write of the same group has finished (at once without a group). */
  run<T>(group: { group: string } | undefined, write: () => Promise<T>): Promise<T> {
    if (!group) return write();
    const previous = this.tails.get(group.group) ?? Promise.resolve();
    const next = previous.then(write, write);
    const tail = next.catch(() => undefined);
    this.tails.set(group.group, tail);
    void tail.then(() => {
      if (this.tails.get(group.group) === tail) this.tails.delete(group.group);
    });
    return next;
  }
}
