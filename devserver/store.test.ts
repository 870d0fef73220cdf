import { appendFileSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Store } from "./store.js";

const tempDir = () => mkdtempSync(join(tmpdir(), "devserver-store-"));

describe("devserver store", () => {
  it("keeps data across a restart with a data directory", () => {
    const dir = tempDir();
    const first = new Store({ dataDir: dir });
    const things = first.workspace("oss").collection<{ id: string; name: string }>("things", (t) => t.name);
    things.put({ id: "1", name: "a" });
    things.put({ id: "2", name: "b" });
    things.delete("1");
    first.workspace("acct/ws").collection("things").put({ id: "3", name: "c" });
    first.close();

    const second = new Store({ dataDir: dir });
    const reloaded = second.workspace("oss").collection<{ id: string; name: string }>("things", (t) => t.name);
    expect(reloaded.all()).toEqual([{ id: "2", name: "b" }]);
    expect(reloaded.getByKey("b")?.id).toBe("2");
    expect(second.workspace("acct/ws").collection("things").get("3")).toEqual({ id: "3", name: "c" });
    second.close();
  });

  it("replays the journal after a crash and ignores a torn last line", () => {
    const dir = tempDir();
    const first = new Store({ dataDir: dir });
    first.workspace("oss").collection("things").put({ id: "1", name: "kept" });
    // Simulate a crash: no close(), and a half-written line at the end of the journal.
    appendFileSync(join(dir, "devserver-journal.jsonl"), '{"w":"oss","c":"things","op":"put","id":"2","v":{"id":"2"');

    const second = new Store({ dataDir: dir });
    expect(second.workspace("oss").collection("things").all()).toEqual([{ id: "1", name: "kept" }]);
    second.close();
  });

  it("replaces the snapshot atomically and leaves no temporary files", () => {
    const dir = tempDir();
    const store = new Store({ dataDir: dir });
    for (let i = 0; i < 100; i++) store.workspace("oss").collection("things").put({ id: String(i) });
    store.compact();
    store.close();
    expect(readdirSync(dir).sort()).toEqual(["devserver-journal.jsonl", "devserver-state.json"]);
    const snapshot = JSON.parse(readFileSync(join(dir, "devserver-state.json"), "utf8"));
    expect(snapshot.oss.things).toHaveLength(100);
  });

  it("keeps collections nobody touched since the restart", () => {
    const dir = tempDir();
    const first = new Store({ dataDir: dir });
    first.workspace("oss").collection("untouched").put({ id: "x" });
    first.close();
    const second = new Store({ dataDir: dir });
    second.workspace("oss").collection("other").put({ id: "y" });
    second.close();
    const third = new Store({ dataDir: dir });
    expect(third.workspace("oss").collection("untouched").get("x")).toEqual({ id: "x" });
    third.close();
  });
});
