// GitHub delivers a webhook again when it saw no answer in time, and a person can redeliver one:
// the delivery id (X-GitHub-Delivery) is remembered so one delivery is acted on once. Bounded,
// oldest forgotten first: a service runs for months.

export class DeliveryLog {
  private readonly seen = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  /** Record `id`; answers false when it was recorded already. */
  firstTime(id: string): boolean {
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    if (this.seen.size > this.capacity) this.seen.delete(this.seen.values().next().value!);
    return true;
  }
}
