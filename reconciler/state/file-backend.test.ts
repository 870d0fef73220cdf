import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { appendFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFileBackend } from "./file-backend.js";
import { applyChange, emptyState, StateError, StateLockedError, type LockHolder, type StateChange, type StateDocument, type StateEntry } from "./model.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, "..", "..");

let dir: string;
let statePath: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "prefect-gitops-file-backend-"));
  statePath = join(dir, "prefect-gitops.state.json");
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function entry(address: string, id = `id-${address}`): StateEntry {
  return {
    address,
    type: "prefect_variable",
    id,
    identity: address,
    appliedHash: `hmac-sha256:${address}`,
    values: { name: address, value: { $sensitive: "hmac-sha256:abc" }, tags: ["b", "a"] },
    dependencies: [],
    schemaVersion: 1,
    updatedAt: "2025-01-01T00:00:00.000Z",
  };
}

/** Apply and record, as the engine does. */
async function change(backend: ReturnType<typeof createFileBackend>, document: StateDocument, item: StateChange): Promise<void> {
  applyChange(document, item);
  await backend.record(item, document);
}

function holder(operation = "apply"): LockHolder {
  return { who: `tester@${hostname()}`, pid: process.pid, host: hostname(), operation, since: new Date().toISOString() };
}

describe("file backend: state", () => {
  it("has no state until something is written", async () => {
    expect(await createFileBackend(statePath).load()).toBeUndefined();
    expect(createFileBackend(statePath).describe()).toBe(statePath);
  });

  it("round-trips recorded changes and saves through a restart", async () => {
    const backend = createFileBackend(statePath);
    const document = emptyState("lineage-1", "salt-1", "http://127.0.0.1:4200/api");
    await change(backend, document, { op: "intent", pending: { address: "a.x", type: "prefect_variable", identity: "x", specHash: "h", startedAt: "2025-01-01T00:00:00.000Z" } });
    await change(backend, document, { op: "put", entry: entry("a.x") });
    await change(backend, document, { op: "put", entry: entry("a.y") });
    await change(backend, document, { op: "remove", address: "a.y" });
    await backend.flush(document);

    // A new process: the snapshot plus the journal give the same document.
    expect(await createFileBackend(statePath).load()).toEqual(document);

    document.serial++;
    await backend.save(document);
    expect((await stat(`${statePath}.journal`)).size).toBe(0);
    expect(await createFileBackend(statePath).load()).toEqual(document);

    await change(backend, document, { op: "put", entry: entry("a.z") });
    const reloaded = await createFileBackend(statePath).load();
    expect(Object.keys(reloaded?.resources ?? {}).sort()).toEqual(["a.x", "a.z"]);
    expect(reloaded).toEqual(document);
  });

  it("writes a pretty snapshot with a stable key order", async () => {
    const backend = createFileBackend(statePath);
    const document = emptyState("lineage-1", "salt-1");
    document.resources["b.second"] = entry("b.second");
    document.resources["a.first"] = entry("a.first");
    await backend.save(document);
    const text = await readFile(statePath, "utf8");
    expect(text.startsWith('{\n  "version": 1,\n  "lineage": "lineage-1",\n  "serial": 0,')).toBe(true);
    expect(text.indexOf('"a.first"')).toBeLessThan(text.indexOf('"b.second"'));
    expect(text.indexOf('"address"')).toBeLessThan(text.indexOf('"appliedHash"'));
    // Same document, other insertion order: same bytes.
    const shuffled = structuredClone(document);
    shuffled.resources = { "b.second": entry("b.second"), "a.first": entry("a.first") };
    await backend.save(shuffled);
    expect(await readFile(statePath, "utf8")).toBe(text);
  });

  it("ignores a torn last journal line and appends after it cleanly", async () => {
    const backend = createFileBackend(statePath);
    const document = emptyState("lineage-1", "salt-1");
    await change(backend, document, { op: "put", entry: entry("a.x") });
    await change(backend, document, { op: "put", entry: entry("a.y") });
    // A run killed in the middle of writing a line.
    await appendFile(`${statePath}.journal`, '{"op":"put","entry":{"address":"a.torn","ty');

    const next = createFileBackend(statePath);
    const loaded = await next.load();
    expect(Object.keys(loaded?.resources ?? {}).sort()).toEqual(["a.x", "a.y"]);

    await change(next, loaded!, { op: "put", entry: entry("a.z") });
    const lines = (await readFile(`${statePath}.journal`, "utf8")).split("\n").filter(Boolean);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(Object.keys((await createFileBackend(statePath).load())?.resources ?? {}).sort()).toEqual(["a.x", "a.y", "a.z"]);
  });

  it("refuses a journal damaged before its last line, naming the line", async () => {
    const backend = createFileBackend(statePath);
    const document = emptyState("lineage-1", "salt-1");
    await change(backend, document, { op: "put", entry: entry("a.x") });
    await change(backend, document, { op: "put", entry: entry("a.y") });
    const journal = `${statePath}.journal`;
    const lines = (await readFile(journal, "utf8")).split("\n");
    lines.splice(1, 0, "garbage");
    await writeFile(journal, lines.join("\n"));
    const error = await createFileBackend(statePath).load().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateError);
    expect((error as Error).message).toMatch(/Line 2 of the state journal .*prefect-gitops\.state\.json\.journal is not a state change/);
  });

  it("ignores a journal left over from before the current snapshot", async () => {
    const backend = createFileBackend(statePath);
    const document = emptyState("lineage-1", "salt-1");
    await change(backend, document, { op: "put", entry: entry("a.x") });
    await change(backend, document, { op: "put", entry: entry("a.gone") });
    const staleJournal = await readFile(`${statePath}.journal`, "utf8");

    // `state rm` edits the document and saves it; then the run is killed before the journal is
    // emptied (simulated by putting the old journal back).
    delete document.resources["a.gone"];
    document.serial++;
    await backend.save(document);
    await writeFile(`${statePath}.journal`, staleJournal);

    const next = createFileBackend(statePath);
    const loaded = await next.load();
    expect(Object.keys(loaded?.resources ?? {})).toEqual(["a.x"]);
    // The next change starts a journal of its own.
    await change(next, loaded!, { op: "put", entry: entry("a.y") });
    expect(Object.keys((await createFileBackend(statePath).load())?.resources ?? {}).sort()).toEqual(["a.x", "a.y"]);
  });

  it("saves atomically: no temporary files, and every read sees a complete snapshot", async () => {
    const backend = createFileBackend(statePath);
    const document = emptyState("lineage-1", "salt-1");
    for (let i = 0; i < 200; i++) document.resources[`r.n${i}`] = entry(`r.n${i}`);
    await backend.save(document);

    let writing = true;
    const reads: Promise<number> = (async () => {
      let count = 0;
      while (writing) {
        const parsed = JSON.parse(await readFile(statePath, "utf8")) as StateDocument;
        expect(Object.keys(parsed.resources)).toHaveLength(200);
        count++;
      }
      return count;
    })();
    for (let i = 0; i < 30; i++) {
      document.serial++;
      await backend.save(document);
    }
    writing = false;
    expect(await reads).toBeGreaterThan(0);
    expect(await readdir(dir)).toEqual(["prefect-gitops.state.json"]);
    expect((await createFileBackend(statePath).load())?.serial).toBe(30);
  });

  it.each([
    ["is not JSON", '{"version": 1, "lineage": ', /is not valid JSON\. Restore it from Git or a backup/],
    ["is not a state", '{"hello": "world"}', /is not a valid prefect-gitops state: version: .*Restore it from Git/],
    ["has a resource without an id", JSON.stringify({ ...emptyState("l", "s"), resources: { "a.x": { ...entry("a.x"), id: 7 } } }), /resources\.a\.x\.id: /],
    ["is a list", "[]", /does not hold a state document/],
    ["comes from a newer version", JSON.stringify({ ...emptyState("l", "s"), version: 2 }), /written by a newer prefect-gitops \(state version 2; this version reads version 1\)\. Upgrade prefect-gitops/],
  ])("refuses a snapshot that %s with a StateError naming the file", async (_label, text, message) => {
    await writeFile(statePath, text);
    const error = await createFileBackend(statePath).load().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateError);
    expect((error as StateError).code).toBe("STATE_INVALID");
    expect((error as Error).message).toContain(`state file ${statePath}`);
    expect((error as Error).message).toMatch(message);
  });
});

describe("file backend: lock", () => {
  it("makes a second lock wait, then fail naming the holder; a release lets it in", async () => {
    const first = await createFileBackend(statePath).lock(holder("apply"), { timeoutMs: 0 });
    const waits: (LockHolder | undefined)[] = [];
    const started = performance.now();
    const error = await createFileBackend(statePath)
      .lock(holder("plan"), { timeoutMs: 400, onWait: (h) => waits.push(h) })
      .catch((e: unknown) => e);
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    expect(error).toBeInstanceOf(StateLockedError);
    expect((error as Error).message).toMatch(new RegExp(`^state locked by tester@.* \\(pid ${process.pid}\\) running "apply" since .*lock file ${statePath}\\.lock`));
    expect(waits).toHaveLength(1);
    expect(waits[0]?.operation).toBe("apply");

    await first.release();
    await first.release();
    const second = await createFileBackend(statePath).lock(holder("plan"), { timeoutMs: 0 });
    await second.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it("never removes a lock that is no longer its own", async () => {
    const backend = createFileBackend(statePath);
    const mine = await backend.lock(holder(), { timeoutMs: 0 });
    const someoneElse = JSON.stringify({ ...holder("other"), host: "elsewhere", token: "theirs" });
    await writeFile(`${statePath}.lock`, someoneElse);
    await mine.release();
    expect(await readFile(`${statePath}.lock`, "utf8")).toBe(someoneElse);
  });

  it("waits for a holder on another host and never takes its lock over", async () => {
    await writeFile(`${statePath}.lock`, JSON.stringify({ who: "ci@runner-7", pid: 999_999_999, host: "runner-7", operation: "apply", since: "2025-01-01T00:00:00Z" }));
    await expect(createFileBackend(statePath, { pollMs: 20 }).lock(holder(), { timeoutMs: 100 })).rejects.toThrow(/state locked by ci@runner-7 \(pid 999999999\)/);
  });

  it("takes over an unreadable lock file only once it is old", async () => {
    await writeFile(`${statePath}.lock`, "");
    const backend = createFileBackend(statePath, { pollMs: 20, unreadableLockStaleMs: 300 });
    await expect(backend.lock(holder(), { timeoutMs: 50 })).rejects.toThrow(/state locked by another run/);
    const lock = await backend.lock(holder(), { timeoutMs: 2000 });
    await lock.release();
  });

  it("takes over the lock of a dead process on this host, even one that had our pid", async () => {
    const dead = { who: "gone@here", pid: 999_999_999, host: hostname(), operation: "apply", since: "2025-01-01T00:00:00Z" };
    await writeFile(`${statePath}.lock`, JSON.stringify(dead));
    const lock = await createFileBackend(statePath).lock(holder(), { timeoutMs: 0 });
    await lock.release();

    // A container restarted with the same pid: a lock with our pid that this process does not hold.
    await writeFile(`${statePath}.lock`, JSON.stringify({ ...dead, pid: process.pid, token: "from-before" }));
    const again = await createFileBackend(statePath).lock(holder(), { timeoutMs: 0 });
    await again.release();
  });

  describe("between processes", () => {
    const children: ChildProcessWithoutNullStreams[] = [];
    afterEach(() => {
      for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    });

    /** A separate node process that takes the lock, says "locked", and releases it when told. */
    async function lockingChild(): Promise<{ child: ChildProcessWithoutNullStreams; line: (expected: string) => Promise<void> }> {
      const script = join(dir, "hold-lock.mjs");
      await writeFile(
        script,
        `import { hostname } from "node:os";
import { createInterface } from "node:readline";
const [moduleUrl, statePath] = process.argv.slice(2);
const { createFileBackend } = await import(moduleUrl);
const lock = await createFileBackend(statePath).lock(
  { who: "child@" + hostname(), pid: process.pid, host: hostname(), operation: "apply", since: new Date().toISOString() },
  { timeoutMs: 10000 },
);
process.stdout.write("locked\\n");
for await (const line of createInterface({ input: process.stdin })) {
  if (line === "release") {
    await lock.release();
    process.stdout.write("released\\n");
    process.exit(0);
  }
}
`,
      );
      const child = spawn(process.execPath, ["--import", "tsx", script, pathToFileURL(join(HERE, "file-backend.ts")).href, statePath], { cwd: REPO });
      children.push(child);
      let output = "";
      let stderr = "";
      let exit: number | null | undefined;
      const waiters = new Set<() => void>();
      const notify = () => waiters.forEach((waiter) => waiter());
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        notify();
      });
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.on("exit", (code) => {
        exit = code;
        notify();
      });
      const line = (expected: string) =>
        new Promise<void>((resolve, reject) => {
          const check = () => {
            if (output.split("\n").includes(expected)) resolve();
            else if (exit !== undefined) reject(new Error(`the child exited (${exit}) before saying "${expected}": ${stderr}`));
            else return;
            waiters.delete(check);
          };
          waiters.add(check);
          check();
        });
      return { child, line };
    }

    it("makes this process wait for the other one, fail after the timeout, and get in once it releases", async () => {
      const { child, line } = await lockingChild();
      await line("locked");

      const error = await createFileBackend(statePath).lock(holder(), { timeoutMs: 300 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StateLockedError);
      expect((error as StateLockedError).holder?.pid).toBe(child.pid);
      expect((error as Error).message).toMatch(new RegExp(`^state locked by child@.* \\(pid ${child.pid}\\) running "apply"`));

      let waited: LockHolder | undefined;
      const waiting = createFileBackend(statePath).lock(holder(), {
        timeoutMs: 15_000,
        onWait: (h) => {
          waited = h;
          child.stdin.write("release\n");
        },
      });
      const lock = await waiting;
      expect(waited?.pid).toBe(child.pid);
      await line("released");
      const content = JSON.parse(await readFile(`${statePath}.lock`, "utf8")) as LockHolder;
      expect(content.pid).toBe(process.pid);
      await lock.release();
    });

    it("takes over the lock of a process killed with SIGKILL", async () => {
      const { child, line } = await lockingChild();
      await line("locked");
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
      expect(JSON.parse(await readFile(`${statePath}.lock`, "utf8"))).toMatchObject({ pid: child.pid });

      const lock = await createFileBackend(statePath).lock(holder(), { timeoutMs: 0 });
      expect(JSON.parse(await readFile(`${statePath}.lock`, "utf8"))).toMatchObject({ pid: process.pid });
      await lock.release();
    });
  });
});
