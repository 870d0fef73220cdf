import { hostname } from "node:os";
import { describe, expect, it, vi } from "vitest";
import { useApiTarget } from "../../test/support/target.js";
import { applyChange, emptyState, StateError, StateLockedError, type LockHolder, type StateBackend, type StateChange, type StateDocument, type StateEntry } from "./model.js";
import { createWorkspaceBackend, STATE_BLOCK_TYPE_SLUG } from "./workspace-backend.js";

const RENEW_ROUTE = "POST /v2/concurrency_limits/leases/{lease_id}/renew";

function entry(address: string): StateEntry {
  return {
    address,
    type: "prefect_variable",
    id: `id-${address}`,
    identity: address,
    appliedHash: `hmac-sha256:${address}`,
    values: { name: address, value: { $sensitive: "hmac-sha256:abc" } },
    dependencies: [],
    schemaVersion: 1,
    updatedAt: "2025-01-01T00:00:00.000Z",
  };
}

async function change(backend: StateBackend, document: StateDocument, item: StateChange): Promise<void> {
  applyChange(document, item);
  await backend.record(item, document);
}

function holder(who: string, operation = "apply"): LockHolder {
  return { who: `${who}@${hostname()}`, pid: process.pid, host: hostname(), operation, since: new Date().toISOString() };
}

describe("workspace backend", () => {
  const target = useApiTarget();

  it("stores the state in a block document: record, flush, load, save", async () => {
    const name = target.name("roundtrip");
    const backend = createWorkspaceBackend(target.client, { name });
    expect(backend.kind).toBe("workspace");
    expect(backend.describe()).toBe(`block prefect-gitops-state-${name} in ${target.url}`);
    expect(await backend.load()).toBeUndefined();

    const document = emptyState("lineage-1", "salt-1", target.url);
    await change(backend, document, { op: "put", entry: entry("a.x") });
    await change(backend, document, { op: "put", entry: entry("a.y") });
    await backend.flush(document);

    // Another runner, another client: it reads what the first one wrote.
    const other = createWorkspaceBackend(target.clientWith({}), { name });
    const loaded = await other.load();
    expect(loaded).toEqual(document);

    await change(other, loaded!, { op: "remove", address: "a.y" });
    loaded!.serial++;
    await other.save(loaded!);
    expect(await createWorkspaceBackend(target.client, { name }).load()).toEqual(loaded);

    const stored = await target.client.get<{ name: string; data: { state: unknown } }>(
      `/block_types/slug/${STATE_BLOCK_TYPE_SLUG}/block_documents/name/prefect-gitops-state-${name}`,
    );
    expect(stored.data.state).toEqual(loaded);
  });

  it("writes nothing on flush when nothing was recorded, and replaces (never merges) the data", async () => {
    const name = target.name("flush");
    const backend = createWorkspaceBackend(target.client, { name });
    const document = emptyState("lineage-1", "salt-1");
    target.server?.resetRequestCounts();
    await backend.flush(document);
    expect(target.server?.totalRequests() ?? 0).toBe(0);

    document.resources["a.x"] = entry("a.x");
    await backend.save(document);
    delete document.resources["a.x"];
    await change(backend, document, { op: "put", entry: entry("a.z") });
    await backend.flush(document);
    expect(Object.keys((await backend.load())?.resources ?? {})).toEqual(["a.z"]);
  });

  it("registers its block type once and can create the document again safely", async () => {
    const name = target.name("create-twice");
    const document = emptyState("lineage-1", "salt-1");
    await createWorkspaceBackend(target.client, { name }).save(document);

    // A second backend that never loaded: its create meets the existing document (409) and updates it.
    document.resources["a.x"] = entry("a.x");
    document.serial = 1;
    target.server?.resetRequestCounts();
    await createWorkspaceBackend(target.clientWith({}), { name }).save(document);
    expect(await createWorkspaceBackend(target.client, { name }).load()).toEqual(document);
    if (target.server) {
      const counts = target.server.requestCounts();
      expect(counts["POST /block_types/"]).toBeUndefined();
      expect(counts["POST /block_documents/"]).toBe(1);
      expect(counts["PATCH /block_documents/{id}"]).toBe(1);
    }
  });

  it("refuses a stored state it cannot read, naming the block", async () => {
    const name = target.name("corrupt");
    const backend = createWorkspaceBackend(target.client, { name });
    await backend.save(emptyState("lineage-1", "salt-1"));
    const stored = await target.client.get<{ id: string }>(`/block_types/slug/${STATE_BLOCK_TYPE_SLUG}/block_documents/name/prefect-gitops-state-${name}`);

    await target.client.patch(`/block_documents/${stored.id}`, { data: { state: { ...emptyState("l", "s"), version: 9 } }, merge_existing_data: false });
    await expect(backend.load()).rejects.toThrow(/block prefect-gitops-state-.* was written by a newer prefect-gitops \(state version 9/);

    await target.client.patch(`/block_documents/${stored.id}`, { data: { state: { resources: [] } }, merge_existing_data: false });
    const error = await backend.load().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateError);
    expect((error as Error).message).toMatch(/is not a valid prefect-gitops state: .*Restore an earlier version of the block document/);
  });

  it.each([
    [{ name: "Not Valid" }, /workspace state name "Not Valid" is not valid/],
    [{ leaseSeconds: 30 }, /between 60 and 86400 seconds .* got 30/],
  ])("refuses options %j", (options, message) => {
    expect(() => createWorkspaceBackend(target.client, options)).toThrow(message);
  });

  it("lets one run in at a time: the second waits, fails naming the first, and gets in after release", async () => {
    const name = target.name("contention");
    const first = createWorkspaceBackend(target.client, { name });
    const second = createWorkspaceBackend(target.clientWith({}), { name, pollMs: 50 });
    const lock = await first.lock(holder("first"), { timeoutMs: 0 });

    const waits: (LockHolder | undefined)[] = [];
    const started = performance.now();
    const error = await second.lock(holder("second", "plan"), { timeoutMs: 300, onWait: (h) => waits.push(h) }).catch((e: unknown) => e);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(error).toBeInstanceOf(StateLockedError);
    expect((error as StateLockedError).holder).toMatchObject({ who: `first@${hostname()}`, operation: "apply" });
    expect((error as Error).message).toMatch(new RegExp(`^state locked by first@.* running "apply" since .*concurrency limit prefect-gitops-lock-${name}`));
    expect(waits).toHaveLength(1);
    expect(waits[0]?.who).toBe(`first@${hostname()}`);

    // Waiting through the release.
    const waiting = second.lock(holder("second", "plan"), { timeoutMs: 10_000, onWait: () => void lock.release() });
    const secondLock = await waiting;
    const variable = await target.client.get<{ value: LockHolder }>(`/variables/name/prefect-gitops-lock-${name}`);
    expect(variable.value.who).toBe(`second@${hostname()}`);
    await secondLock.release();
    await secondLock.release();
    await expect(target.client.get(`/variables/name/prefect-gitops-lock-${name}`)).rejects.toMatchObject({ status: 404 });

    // Free again.
    await (await first.lock(holder("first"), { timeoutMs: 0 })).release();
  });

  it("refuses a lock limit that someone changed so it no longer excludes", async () => {
    const name = target.name("widened");
    await target.client.post("/v2/concurrency_limits/", { name: `prefect-gitops-lock-${name}`, limit: 2 });
    await expect(createWorkspaceBackend(target.client, { name }).lock(holder("first"), { timeoutMs: 0 })).rejects.toThrow(
      /concurrency limit prefect-gitops-lock-.* must be active with a limit of 1; it is set to 2/,
    );
  });

  it("renews the lease while the lock is held, and stops once released", async () => {
    if (!target.server) return;
    const name = target.name("renew");
    const backend = createWorkspaceBackend(target.client, { name, leaseSeconds: 60, renewEveryMs: 50 });
    target.server.resetRequestCounts();
    const lock = await backend.lock(holder("renewer"), { timeoutMs: 0 });
    await new Promise((resolve) => setTimeout(resolve, 400));
    const renewals = target.server.requestCounts()[RENEW_ROUTE] ?? 0;
    expect(renewals).toBeGreaterThanOrEqual(3);
    await lock.release();
    const after = target.server.requestCounts()[RENEW_ROUTE];
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(target.server.requestCounts()[RENEW_ROUTE]).toBe(after);
  });

  it("frees the lock of a holder that disappeared once its lease expires", async () => {
    if (!target.server) return;
    const name = target.name("crashed");
    // A holder that never renews and never releases: a crashed run.
    const crashed = createWorkspaceBackend(target.client, { name, renewEveryMs: 3_600_000 });
    const abandoned = await crashed.lock(holder("crashed"), { timeoutMs: 0 });
    const record = await target.client.get<{ value: { expires_at: string } }>(`/variables/name/prefect-gitops-lock-${name}`);
    expect(Math.abs(Date.parse(record.value.expires_at) - (Date.now() + 60_000))).toBeLessThan(5_000);

    const next = createWorkspaceBackend(target.clientWith({}), { name, pollMs: 50 });
    await expect(next.lock(holder("next"), { timeoutMs: 200 })).rejects.toThrow(/state locked by crashed@/);

    // The devserver expires leases from the request's clock, as a Prefect server's repossessor does.
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + 61_000);
      const lock = await next.lock(holder("next"), { timeoutMs: 0 });
      const variable = await target.client.get<{ value: LockHolder }>(`/variables/name/prefect-gitops-lock-${name}`);
      expect(variable.value.who).toBe(`next@${hostname()}`);
      // The crashed run's late release must not free the new holder's lock.
      await abandoned.release();
      await expect(createWorkspaceBackend(target.client, { name }).lock(holder("third"), { timeoutMs: 0 })).rejects.toBeInstanceOf(StateLockedError);
      await lock.release();
    } finally {
      vi.useRealTimers();
    }
  });

  it("stops writing the state once its expired lease was taken by another run", async () => {
    if (!target.server) return;
    const server = target.server;
    const name = target.name("lost");
    const warnings: string[] = [];
    const slow = createWorkspaceBackend(target.clientWith({ retry: { maxRetries: 0 } }), { name, renewEveryMs: 50, onWarning: (m) => warnings.push(m) });
    const slowLock = await slow.lock(holder("slow"), { timeoutMs: 0 });

    // The slow run cannot renew (an outage) until its lease has expired and another run took the lock.
    server.setFaults({ rules: [{ type: "error", ratio: 1, statuses: [503], route: "POST /v2/concurrency_limits/leases/**" }] });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(warnings.some((w) => /Could not renew the state lock's lease/.test(w))).toBe(true);
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + 61_000);
      const other = createWorkspaceBackend(target.clientWith({}), { name });
      const otherLock = await other.lock(holder("other"), { timeoutMs: 0 });
      server.clearFaults();
      await vi.waitFor(() => expect(warnings.some((w) => /another run took the lock/.test(w))).toBe(true), { timeout: 5_000, interval: 20 });

      await expect(slow.save(emptyState("lineage-1", "salt-1"))).rejects.toThrow(/state lock \(concurrency limit prefect-gitops-lock-.*\) was lost .* was not written/);
      await slowLock.release();
      const variable = await target.client.get<{ value: LockHolder }>(`/variables/name/prefect-gitops-lock-${name}`);
      expect(variable.value.who).toBe(`other@${hostname()}`);
      await otherLock.release();
    } finally {
      server.clearFaults();
      vi.useRealTimers();
    }
  });
});
