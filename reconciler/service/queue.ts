// One reconcile at a time in a service: events are run in order on one chain, so two events never
// reconcile a stack at once in this process (replicas are kept apart by the state lock). A job
// already waiting under the same key is not queued again: reconciles are level-based and read
// the head when they start, so the waiting one will see whatever the second event announced.

export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();
  private readonly waiting = new Map<string, Promise<void>>();
  private running = 0;

  /** Jobs waiting or running. */
  get depth(): number {
    return this.waiting.size + this.running;
  }

  /** Run `job` after every job queued before it; a job waiting under `key` answers for this one too. */
  enqueue(key: string, job: () => Promise<void>): Promise<void> {
    const queued = this.waiting.get(key);
    if (queued) return queued;
    const run = this.tail.then(async () => {
      this.waiting.delete(key);
      this.running++;
      try {
        await job();
      } finally {
        this.running--;
      }
    });
    // A failed job must not stop the ones behind it; the job reports its own failure.
    this.tail = run.catch(() => undefined);
    this.waiting.set(key, run);
    return run;
  }

  /** Resolves when every job queued so far has finished. */
  async idle(): Promise<void> {
    let tail: Promise<void>;
    do {
      tail = this.tail;
      await tail;
    } while (tail !== this.tail);
  }
}
