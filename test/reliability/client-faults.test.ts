// The client and kinds under a hostile server: 30% of requests fail with 502/503/504 or 429
// (with Retry-After), every request is slowed, and some connections are cut before or after the
// server handled the request. 500 mixed operations must complete with no duplicate object and
// no lost update. (No 500s: a Prefect 500 is a bug, not load, and is not retried.)
import { describe, expect, it } from "vitest";
import { PrefectClient } from "../../provider/client/client.js";
import { filterAll } from "../../provider/client/paginate.js";
import { resolveSettings } from "../../provider/client/settings.js";
import { automationKind } from "../../provider/kinds/automation/api.js";
import { flowKind } from "../../provider/kinds/flow/api.js";
import { globalConcurrencyLimitKind } from "../../provider/kinds/global-concurrency-limit/api.js";
import { createKindContext } from "../../provider/kinds/runtime.js";
import { variableKind } from "../../provider/kinds/variable/api.js";
import { workPoolKind } from "../../provider/kinds/work-pool/api.js";
import { useDevServer } from "../support/devserver.js";
import { declare } from "../support/kind-lifecycle.js";

describe("500 mixed operations under fault injection", () => {
  const ctx = useDevServer();

  it("complete with no duplicate objects and no lost updates", async () => {
    const client = new PrefectClient(resolveSettings({ apiUrl: ctx.server.url }, { env: {}, readFile: () => undefined }), {
      concurrency: 8,
      // Backoff scaled down so the test stays fast; Retry-After is still honoured.
      retry: { baseDelayMs: 5, maxDelayMs: 50, maxRetries: 10 },
    });
    const kinds = createKindContext(client);
    ctx.server.setFaults({
      seed: 42,
      rules: [
        { type: "error", ratio: 0.2, statuses: [502, 503, 504] },
        { type: "rate-limit", ratio: 0.1, retryAfter: 0.01 },
        { type: "latency", ms: 1, jitterMs: 4 },
        { type: "drop", ratio: 0.05, phase: "either" },
      ],
    });
    let operations = 0;
    const count = async <T>(work: Promise<T>): Promise<T> => {
      const result = await work;
      operations++;
      return result;
    };

    // 40 of each natural-key kind and 20 automations: create, update twice, read, delete a quarter.
    const N = 40;
    const variables = Array.from({ length: N }, (_, i) => `reliable-var-${i}`);
    const limits = Array.from({ length: N }, (_, i) => `reliable-limit-${i}`);
    const pools = Array.from({ length: N / 2 }, (_, i) => `reliable-pool-${i}`);
    const flows = Array.from({ length: N / 2 }, (_, i) => `reliable-flow-${i}`);
    const automations = Array.from({ length: 20 }, (_, i) => `reliable-automation-${i}`);

    const createdVariables = await Promise.all(variables.map((name, i) => count(variableKind.create(kinds, declare(variableKind, { name, value: i })))));
    const createdLimits = await Promise.all(limits.map((name, i) => count(globalConcurrencyLimitKind.create(kinds, declare(globalConcurrencyLimitKind, { name, limit: i })))));
    const createdPools = await Promise.all(pools.map((name) => count(workPoolKind.create(kinds, declare(workPoolKind, { name, type: "process" })))));
    const createdFlows = await Promise.all(flows.map((name) => count(flowKind.create(kinds, declare(flowKind, { name, tags: ["v1"] })))));
    const automationSpec = (name: string, threshold: number) =>
      declare(automationKind, { name, trigger: { event: { posture: "Reactive", expect: ["prefect.flow-run.Failed"], threshold } }, actions: [{ type: "do-nothing" }] });
    const createdAutomations = await Promise.all(automations.map((name) => count(automationKind.create(kinds, automationSpec(name, 1)))));

    for (const round of [1, 2]) {
      await Promise.all(
        createdVariables.map((live, i) => count(variableKind.update(kinds, live.id, declare(variableKind, { name: variables[i]!, value: { round, i } }), live, ["value"]))),
      );
      await Promise.all(
        createdLimits.map((live, i) => count(globalConcurrencyLimitKind.update(kinds, live.id, declare(globalConcurrencyLimitKind, { name: limits[i]!, limit: i + round * 100 }), live, ["limit"]))),
      );
      await Promise.all(
        createdPools.map((live, i) =>
          count(workPoolKind.update(kinds, live.id, declare(workPoolKind, { name: pools[i]!, type: "process", description: `round ${round}` }), live, ["description"])),
        ),
      );
      await Promise.all(createdFlows.map((live, i) => count(flowKind.update(kinds, live.id, declare(flowKind, { name: flows[i]!, tags: [`v${round + 1}`] }), live, ["tags"]))));
      await Promise.all(createdAutomations.map((live, i) => count(automationKind.update(kinds, live.id, automationSpec(automations[i]!, round + 1), live, ["trigger"]))));
    }
    await Promise.all(createdVariables.map((live) => count(variableKind.read(kinds, live.id))));
    await Promise.all(createdLimits.map((live) => count(globalConcurrencyLimitKind.read(kinds, live.id))));
    await Promise.all(createdAutomations.map((live) => count(automationKind.read(kinds, live.id))));
    const deleted = createdVariables.slice(0, N / 4);
    await Promise.all(deleted.map((live) => count(variableKind.delete(kinds, live.id))));
    await Promise.all(deleted.map((live) => count(variableKind.delete(kinds, live.id))));

    ctx.server.clearFaults();
    expect(operations).toBeGreaterThanOrEqual(500);
    const injected = ctx.server.injectedFaults();
    expect((injected.error ?? 0) + (injected["rate-limit"] ?? 0) + (injected.drop ?? 0)).toBeGreaterThan(100);

    // No duplicates: every name exists exactly once (or not at all, when deleted).
    const liveVariables = await filterAll<{ name: string; value: unknown }>(client, "/variables/filter", {});
    for (const [i, name] of variables.entries()) {
      const matching = liveVariables.filter((variable) => variable.name === name);
      if (i < N / 4) expect(matching, name).toHaveLength(0);
      else {
        expect(matching, name).toHaveLength(1);
        expect(matching[0]?.value, `${name} keeps its last update`).toEqual({ round: 2, i });
      }
    }
    const liveLimits = await filterAll<{ name: string; limit: number }>(client, "/v2/concurrency_limits/filter", {});
    for (const [i, name] of limits.entries()) {
      const matching = liveLimits.filter((limit) => limit.name === name);
      expect(matching, name).toHaveLength(1);
      expect(matching[0]?.limit).toBe(i + 200);
    }
    const livePools = await filterAll<{ name: string; description: string | null }>(client, "/work_pools/filter", {});
    for (const name of pools) expect(livePools.filter((pool) => pool.name === name).map((pool) => pool.description), name).toEqual(["round 2"]);
    const liveFlows = await filterAll<{ name: string; tags: string[] }>(client, "/flows/filter", {});
    for (const name of flows) expect(liveFlows.filter((flow) => flow.name === name).map((flow) => flow.tags), name).toEqual([["v3"]]);
    const liveAutomations = await filterAll<{ name: string; trigger: { threshold?: number } }>(client, "/automations/filter", {});
    for (const name of automations) {
      const matching = liveAutomations.filter((automation) => automation.name === name);
      expect(matching, `${name} exists exactly once`).toHaveLength(1);
      expect(matching[0]?.trigger.threshold).toBe(3);
    }
    await client.close();
  });

  it("creates and updates through sustained 503s (a busy SQLite server) with no failure and no duplicate", async () => {
    // Half of all writes answered 503 (the server rolled them back), as a real server under
    // concurrent writes does (recordings README, "503 under load"); the client repeats every
    // method, so no create needs a lookup.
    const client = new PrefectClient(resolveSettings({ apiUrl: ctx.server.url }, { env: { PREFECT_GITOPS_CLIENT_RETRY_MAX_DELAY: "0.02" }, readFile: () => undefined }), {
      concurrency: 16,
      retry: { baseDelayMs: 2 },
    });
    const kinds = createKindContext(client);
    ctx.server.setFaults({ seed: 11, rules: [{ type: "error", ratio: 0.5, statuses: [503], route: "^(POST|PATCH|PUT|DELETE) /(variables|automations)/(?!filter)" }] });
    const names = Array.from({ length: 60 }, (_, i) => `contended-${i}`);
    const automationSpec = (name: string, threshold: number) =>
      declare(automationKind, { name, trigger: { event: { posture: "Reactive", expect: ["prefect.flow-run.Failed"], threshold } }, actions: [{ type: "do-nothing" }] });
    const variables = await Promise.all(names.map((name, i) => variableKind.create(kinds, declare(variableKind, { name, value: i }))));
    const automations = await Promise.all(names.map((name) => automationKind.create(kinds, automationSpec(name, 1))));
    await Promise.all(variables.map((live, i) => variableKind.update(kinds, live.id, declare(variableKind, { name: names[i]!, value: 1000 + i }), live, ["value"])));
    await Promise.all(automations.map((live, i) => automationKind.update(kinds, live.id, automationSpec(names[i]!, 2), live, ["trigger"])));
    ctx.server.clearFaults();
    expect(ctx.server.injectedFaults().error ?? 0).toBeGreaterThan(60);
    expect(client.stats().retriesByReason["503"]).toBeGreaterThan(60);

    const liveVariables = await filterAll<{ name: string; value: unknown }>(client, "/variables/filter", {});
    const liveAutomations = await filterAll<{ name: string; trigger: { threshold?: number } }>(client, "/automations/filter", {});
    for (const [i, name] of names.entries()) {
      expect(liveVariables.filter((variable) => variable.name === name).map((variable) => variable.value), name).toEqual([1000 + i]);
      expect(liveAutomations.filter((automation) => automation.name === name).map((automation) => automation.trigger.threshold), name).toEqual([2]);
    }
    await client.close();
  });
});
