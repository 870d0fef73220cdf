import { describe, expect, it } from "vitest";
import { SerialQueue } from "./queue.js";

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 5));

describe("SerialQueue", () => {
  it("runs jobs one at a time, in order, and keeps going after a failure", async () => {
    const queue = new SerialQueue();
    const seen: string[] = [];
    let active = 0;
    const job = (name: string, fail = false) => async () => {
      active++;
      expect(active).toBe(1);
      await tick();
      seen.push(name);
      active--;
      if (fail) throw new Error(name);
    };
    const first = queue.enqueue("a", job("a", true));
    void queue.enqueue("b", job("b"));
    void queue.enqueue("c", job("c"));
    await expect(first).rejects.toThrow("a");
    await queue.idle();
    expect(seen).toEqual(["a", "b", "c"]);
    expect(queue.depth).toBe(0);
  });

  it("does not queue a job twice while one under its key is still waiting", async () => {
    const queue = new SerialQueue();
    let runs = 0;
    const blocker = queue.enqueue("block", tick);
    const one = queue.enqueue("push main", async () => void runs++);
    const two = queue.enqueue("push main", async () => void runs++);
    expect(two).toBe(one);
    await blocker;
    await queue.idle();
    expect(runs).toBe(1);
    // Once started, the key is free again: an event arriving during a run is queued behind it.
    await queue.enqueue("push main", async () => void runs++);
    expect(runs).toBe(2);
  });
});
