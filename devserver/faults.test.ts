import { describe, expect, it } from "vitest";
import { FaultInjector, isWrite, objectsAnswered, REAL_SERVER_COST, validateContention, validateFaultConfig, type WriteAdmission } from "./faults.js";

describe("which requests write", () => {
  it.each([
    ["GET", "/deployments/abc", false],
    ["POST", "/deployments/filter", false],
    ["POST", "/deployments/count", false],
    ["POST", "/flows/paginate", false],
    ["POST", "/work_pools/pool/queues/filter", false],
    ["POST", "/automations/templates/validate", false],
    ["POST", "/deployments/", true],
    ["POST", "/work_pools/pool/queues", true],
    ["POST", "/v2/concurrency_limits/increment", true],
    ["PATCH", "/deployments/abc", true],
    ["PUT", "/automations/abc", true],
    ["DELETE", "/flows/abc", true],
  ])("%s %s writes: %s", (method, path, expected) => {
    expect(isWrite(method, path)).toBe(expected);
  });
});

describe("contention admission", () => {
  const admitted = (admission: WriteAdmission) => {
    if (admission.kind !== "admitted") throw new Error(`expected an admitted write, got ${admission.kind}`);
    return admission;
  };

  it("refuses a write while maxConcurrentWrites writes are in flight, and admits one again once a slot is released", () => {
    const faults = new FaultInjector(undefined, { maxConcurrentWrites: 2, backgroundRatio: 0 });
    const first = admitted(faults.admitWrite("POST", "/flows/"));
    admitted(faults.admitWrite("PATCH", "/flows/x"));
    expect(faults.admitWrite("DELETE", "/flows/x")).toEqual({ kind: "busy", reason: "overlap" });
    expect(faults.admitWrite("POST", "/flows/filter")).toEqual({ kind: "free" });
    first.release();
    first.release(); // a second release frees nothing more
    admitted(faults.admitWrite("POST", "/flows/"));
    expect(faults.admitWrite("POST", "/flows/").kind).toBe("busy");
    expect(faults.injected()).toMatchObject({ contention: 2, "contention-background": 0 });
  });

  it("holds each admitted write for writeMs, 15 ms by default", () => {
    expect(admitted(new FaultInjector(undefined, {}).admitWrite("POST", "/flows/")).holdMs).toBe(15);
    expect(admitted(new FaultInjector(undefined, { writeMs: 0 }).admitWrite("POST", "/flows/")).holdMs).toBe(0);
  });

  it("refuses the background ratio of free writes, reproducibly for a seed", () => {
    const run = () => {
      const faults = new FaultInjector({ seed: 11, rules: [] }, { backgroundRatio: 0.2 });
      return Array.from({ length: 500 }, () => {
        const admission = faults.admitWrite("POST", "/variables/");
        if (admission.kind === "admitted") admission.release();
        return admission.kind;
      });
    };
    const first = run();
    expect(run()).toEqual(first);
    const busy = first.filter((kind) => kind === "busy").length;
    expect(busy).toBeGreaterThan(60);
    expect(busy).toBeLessThan(140);
  });

  it("applies a contention fault rule to the routes it matches, over the standing contention, and keeps the standing one when rules are cleared", () => {
    const faults = new FaultInjector(undefined, { maxConcurrentWrites: 1, backgroundRatio: 0 });
    faults.configure({ rules: [{ type: "contention", maxConcurrentWrites: 3, backgroundRatio: 0, route: "/variables/**" }] });
    for (let i = 0; i < 3; i++) admitted(faults.admitWrite("POST", "/variables/"));
    expect(faults.admitWrite("POST", "/variables/").kind).toBe("busy");
    // Other routes fall back to the standing contention; the database (the in-flight count) is shared.
    expect(faults.admitWrite("POST", "/flows/").kind).toBe("busy");
    faults.configure({ rules: [] });
    expect(faults.standingContention()).toMatchObject({ maxConcurrentWrites: 1 });
    expect(faults.admitWrite("POST", "/flows/").kind).toBe("busy");
  });

  it("lets every write through without contention", () => {
    const faults = new FaultInjector();
    for (let i = 0; i < 10; i++) expect(faults.admitWrite("POST", "/flows/")).toEqual({ kind: "free" });
  });

  it("does not let a contention rule disturb the other rules' seeded decisions", () => {
    const decisions = (rules: Parameters<FaultInjector["configure"]>[0]["rules"]) => {
      const faults = new FaultInjector({ seed: 3, rules });
      return Array.from({ length: 50 }, () => faults.decide("GET", "/health").kind);
    };
    const error = { type: "error", ratio: 0.5 } as const;
    expect(decisions([{ type: "contention" }, error])).toEqual(decisions([error]));
  });

  it("rejects invalid contention settings with every problem listed", () => {
    expect(() => validateFaultConfig({ rules: [{ type: "contention", maxConcurrentWrites: 0, writeMs: -1, backgroundRatio: 2 }] })).toThrow(
      /rules\[0\]\.maxConcurrentWrites must be an integer >= 1; rules\[0\]\.writeMs must be a number of milliseconds >= 0; rules\[0\]\.backgroundRatio must be a number from 0 to 1/,
    );
    expect(() => validateContention({ maxConcurrentWrites: 1.5 })).toThrow(/contention\.maxConcurrentWrites/);
    expect(validateFaultConfig({ rules: [{ type: "contention" }] }).rules).toEqual([{ type: "contention" }]);
  });
});

describe("cost: what answering takes a real server", () => {
  const page = (n: number) => Array.from({ length: n }, (_, i) => ({ id: String(i) }));

  it.each([
    [page(3), 3],
    [{ results: page(5), count: 9, pages: 2 }, 5],
    [{ id: "x" }, 1],
    [[], 0],
    [7, 0],
    [undefined, 0],
  ])("counts the objects of an answer: %j holds %i", (body, expected) => {
    expect(objectsAnswered(body)).toBe(expected);
  });

  it("adds baseMs and perObjectMs per object answered, summed over the matching rules", () => {
    const faults = new FaultInjector({ rules: [{ type: "cost", route: "POST /deployments/filter", perObjectMs: 8, baseMs: 5 }, { type: "cost", route: "POST /*/filter", baseMs: 1 }] });
    expect(faults.costMs("POST", "/deployments/filter", 200, page(200))).toBe(5 + 8 * 200 + 1);
    expect(faults.costMs("POST", "/flows/filter", 200, page(200))).toBe(1);
    expect(faults.costMs("GET", "/deployments/abc", 200, { id: "abc" })).toBe(0);
  });

  it("costs nothing for a failed answer, and nothing without rules", () => {
    const faults = new FaultInjector({ rules: [{ type: "cost", perObjectMs: 8 }] });
    expect(faults.costMs("POST", "/deployments/filter", 422, { detail: [] })).toBe(0);
    expect(new FaultInjector().costMs("POST", "/deployments/filter", 200, page(200))).toBe(0);
  });

  it("costs like the recorded real server with the preset: 8 ms a deployment in a page, 25 ms a GET, 5 ms a count, and keeps it when rules are cleared", () => {
    const faults = new FaultInjector(undefined, undefined, REAL_SERVER_COST);
    expect(faults.costMs("POST", "/deployments/filter", 200, page(200))).toBe(1600);
    expect(faults.costMs("POST", "/deployments/paginate", 200, { results: page(200), count: 400, pages: 2 })).toBe(1605);
    expect(faults.costMs("GET", "/deployments/0b6f6f43-8d8b-4f7b-a6d2-5c0e9a1b2c02", 200, { id: "x" })).toBe(25);
    expect(faults.costMs("GET", "/deployments/name/etl/nightly", 200, { id: "x" })).toBe(25);
    expect(faults.costMs("POST", "/deployments/count", 200, 4000)).toBe(5);
    expect(faults.costMs("GET", "/deployments/x/schedules", 200, page(4))).toBe(0);
    expect(faults.costMs("POST", "/flows/filter", 200, page(200))).toBe(0);
    faults.configure({ rules: [{ type: "cost", route: "POST /flows/filter", perObjectMs: 1 }] });
    faults.configure({ rules: [] });
    expect(faults.costMs("POST", "/deployments/count", 200, 4000)).toBe(5);
  });

  it("never decides a fault from a cost rule, nor disturbs the other rules' seeded decisions", () => {
    const decisions = (rules: Parameters<FaultInjector["configure"]>[0]["rules"]) => {
      const faults = new FaultInjector({ seed: 5, rules });
      return Array.from({ length: 50 }, () => faults.decide("POST", "/deployments/filter"));
    };
    const error = { type: "error", ratio: 0.5 } as const;
    expect(decisions([{ type: "cost", perObjectMs: 8 }, error])).toEqual(decisions([error]));
    expect(decisions([{ type: "cost", perObjectMs: 8, baseMs: 5 }]).every((decision) => decision.kind === "none" && decision.delayMs === 0)).toBe(true);
  });

  it("rejects negative costs with every problem listed", () => {
    expect(() => validateFaultConfig({ rules: [{ type: "cost", perObjectMs: -1, baseMs: "5" }] })).toThrow(/rules\[0\]\.perObjectMs must be a number of milliseconds >= 0; rules\[0\]\.baseMs must be a number/);
  });
});
