import { describe, expect, it } from "vitest";
import { FaultInjector, isWrite, validateContention, validateFaultConfig, type WriteAdmission } from "./faults.js";

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
