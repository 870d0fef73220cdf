// Request counting per route, so tests and benchmarks can count the calls a client made and the
// objects the server answered (what a real server's time grows with: prefect-recordings README, "Speed").

export class RequestCounter {
  private counts = new Map<string, number>();
  private objects = new Map<string, number>();
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

  /** Count the objects one answer of `METHOD /template` held (see objectsAnswered in faults.ts). */
  countObjects(method: string, template: string, objects: number): void {
    const key = `${method} ${template}`;
    this.objects.set(key, (this.objects.get(key) ?? 0) + objects);
  }

  byRoute(): Record<string, number> {
    return sorted(this.counts);
  }

  /** Objects answered per `METHOD /template` (successful API answers only). */
  objectsByRoute(): Record<string, number> {
    return sorted(this.objects);
  }

  total(): number {
    let total = 0;
    for (const value of this.counts.values()) total += value;
    return total;
  }

  totalObjects(): number {
    let total = 0;
    for (const value of this.objects.values()) total += value;
    return total;
  }

  reset(): void {
    this.counts = new Map();
    this.objects = new Map();
    this.adminCounts = 0;
  }
}

function sorted(map: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...map.entries()].sort(([a], [b]) => a.localeCompare(b)));
}
