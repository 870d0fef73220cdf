// Request counting per route, so tests and benchmarks can count the calls a client made.

export class RequestCounter {
  private counts = new Map<string, number>();
  private adminCounts = 0;

  /** Count one request under `METHOD /template`; admin requests are kept apart from API traffic. */
  count(method: string, template: string, admin = false): void {
    if (admin) {
      this.adminCounts++;
      return;
    }
    const key = `${method} ${template}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  byRoute(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  total(): number {
    let total = 0;
    for (const value of this.counts.values()) total += value;
    return total;
  }

  reset(): void {
    this.counts = new Map();
    this.adminCounts = 0;
  }
}
