// Apply runs a Plan it is given, as data: these plans are written by hand (no configuration
// anywhere), sent through JSON, and applied to a devserver over HTTP.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { kindFor } from "../../provider/kinds/registry.js";
import { useApiTarget } from "../../test/support/target.js";
import { PLAN_FORMAT, type Plan, type Step } from "../plan/model.js";
import { createFileBackend } from "../state/file-backend.js";
import { StateStore } from "../state/store.js";
import { applyPlan } from "./apply.js";
import { EngineError } from "../errors.js";
import type { ApplyTarget, StepResult } from "./target.js";

const api = useApiTarget();

function planOf(steps: Step[]): Plan {
  const plan: Plan = { format: PLAN_FORMAT, mode: "normal", createdAt: "", dir: "", configHash: "", liveFingerprint: "", stateLineage: "", stateSerial: 0, target: api.url, changes: steps, drift: [], diagnostics: [], summary: { add: 0, change: 0, destroy: 0, import: 0 } };
  return JSON.parse(JSON.stringify(plan)) as Plan;
}

const create = (address: string, spec: Record<string, unknown>, dependencies: string[] = []): Step => ({ address, type: "prefect_variable", label: address, action: "create", changes: [], replacePaths: [], dependencies, send: { spec } });

/** A target whose resolver answers secrets from a table and references from earlier results. */
function targetWith(secrets: Record<string, Record<string, unknown>>, asked: string[] = []): ApplyTarget {
  return {
    ctx: api.context(),
    kindFor,
    live: () => undefined,
    declared: () => ({}),
    resolve(step: Step, results: ReadonlyMap<string, StepResult>) {
      asked.push(step.address);
      const out: Record<string, unknown> = { ...secrets[step.address] };
      for (const [name, value] of Object.entries(step.send!.spec)) {
        if (!value || typeof value !== "object" || !("$after" in value)) continue;
        const [address] = String(value.$after).split(/\.(?=[^.]+$)/);
        const done = results.get(address!);
        if (!done) throw new EngineError("DEPENDENCY_FAILED", `${name} is still unknown`, { address: step.address, attribute: name });
        out[name] = (done.live as { id: string }).id;
      }
      return out;
    },
  };
}

async function openState(): Promise<StateStore> {
  return StateStore.open(createFileBackend(join(mkdtempSync(join(tmpdir(), "apply-unit-")), "state.json")), api.url);
}

describe("applyPlan runs the plan it is given", () => {
  it("sends each step's values, resolving secrets and references to earlier steps through its target", async () => {
    const [first, second, secret] = [api.name("first"), api.name("second"), api.name("secret")];
    const asked: string[] = [];
    const plan = planOf([
      create("prefect_variable.first", { name: first, value: "from the plan" }),
      create("prefect_variable.second", { name: second, value: { $after: "prefect_variable.first.id" } }, ["prefect_variable.first"]),
      create("prefect_variable.secret", { name: secret, value: { $secret: "value" } }),
    ]);
    const state = await openState();
    const result = await applyPlan(plan, targetWith({ "prefect_variable.secret": { value: "s3cret" } }, asked), state);
    expect(result.failed).toEqual([]);
    const read = (name: string) => api.client.get<{ id: string; value: unknown }>(`/variables/name/${name}`);
    const made = await read(first);
    expect(made.value).toBe("from the plan");
    expect((await read(second)).value).toBe(made.id);
    expect((await read(secret)).value).toBe("s3cret");
    // Only steps with markers ask the resolver; every outcome is in the state, the secret as a hash.
    expect(asked.sort()).toEqual(["prefect_variable.second", "prefect_variable.secret"]);
    expect(Object.keys(state.document.resources).sort()).toEqual(["prefect_variable.first", "prefect_variable.second", "prefect_variable.secret"]);
    expect(JSON.stringify(state.document)).not.toContain("s3cret");
  });

  it("skips the dependents of a step that cannot be resolved, and creates nothing for them", async () => {
    const [lonely, after] = [api.name("lonely"), api.name("after")];
    const plan = planOf([
      create("prefect_variable.lonely", { name: lonely, value: { $after: "prefect_variable.never.id" } }),
      create("prefect_variable.after", { name: after, value: 1 }, ["prefect_variable.lonely"]),
    ]);
    const result = await applyPlan(plan, targetWith({}), await openState());
    expect(result.failed.map((failure) => [failure.address, failure.error.code, failure.error.message])).toEqual([["prefect_variable.lonely", "DEPENDENCY_FAILED", "value is still unknown"]]);
    expect(result.skipped).toEqual(["prefect_variable.after"]);
    const found = await api.client.post<unknown[]>("/variables/filter", { variables: { name: { any_: [lonely, after] } } });
    expect(found).toEqual([]);
  });

  it("deletes what a delete step names, and forgets it", async () => {
    const name = api.name("doomed");
    const state = await openState();
    await applyPlan(planOf([create("prefect_variable.doomed", { name, value: 1 })]), targetWith({}), state);
    const id = state.document.resources["prefect_variable.doomed"]!.id;
    const remove: Step = { address: "prefect_variable.doomed", type: "prefect_variable", label: name, action: "delete", id, changes: [], replacePaths: [], dependencies: [] };
    const result = await applyPlan(planOf([remove]), targetWith({}), state);
    expect(result.done).toEqual(["prefect_variable.doomed"]);
    expect(state.document.resources["prefect_variable.doomed"]).toBeUndefined();
    await expect(api.client.get(`/variables/${id}`)).rejects.toMatchObject({ status: 404 });
  });
});
