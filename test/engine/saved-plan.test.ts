// `plan --out FILE` then `apply --plan FILE`: the saved plan is applied exactly, and refused
// (exit 1, nothing changed) when the configuration, the live objects or the state it was made
// from changed since, or when it was made for another workspace.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mutatingRequests, workdir } from "../support/cli.js";
import { useDevServer } from "../support/devserver.js";
import { automation, automationsNamed, cli, cloudWorkspace, declare, limit, ossWorkspace, output, readState, statePath, variable, variablesNamed, type Workspace } from "../support/engine.js";

describe("saved plans", () => {
  const dev = useDevServer();
  const ws = (): Workspace => ossWorkspace(dev.server);
  let counter = 0;
  const unique = (base: string) => `saved-${base}-${++counter}`;

  /** A directory with one applied variable, and a saved plan changing its value and adding a limit. */
  async function savedChange(): Promise<{ dir: string; name: string; id: string }> {
    const dir = workdir();
    const name = unique("v");
    declare(dir, { variables: { v: variable(name, "first") } });
    expect((await cli(dir, ws(), ["apply", "--auto-approve"])).code).toBe(0);
    declare(dir, { variables: { v: variable(name, "second") }, limits: { l: limit(name, 2) } });
    const saved = await cli(dir, ws(), ["plan", "--out", "change.plan.json"]);
    expect(saved.code, output(saved)).toBe(0);
    const [live] = await variablesNamed(ws(), name);
    return { dir, name, id: live!.id };
  }

  /** Apply the saved plan, expecting a refusal that names `why` and changes nothing. */
  async function expectRefused(dir: string, why: string | RegExp, workspace: Workspace = ws()): Promise<void> {
    const serial = readState(dir).serial;
    dev.server.resetRequestCounts();
    const result = await cli(dir, workspace, ["apply", "--plan", "change.plan.json"]);
    expect(result.code, output(result)).toBe(1);
    expect(result.stderr).toContain("Error: the saved plan change.plan.json is stale:");
    expect(result.stderr).toMatch(why);
    expect(result.stderr).toContain("Nothing was changed. Run `prefect-gitops plan --out FILE` again and apply the new plan.");
    expect(mutatingRequests(dev.server.requestCounts())).toEqual({});
    expect(readState(dir).serial, "the state is not touched").toBe(serial);
  }

  it("applies exactly the saved plan, without asking, and a second plan shows no changes", async () => {
    const { dir, name, id } = await savedChange();
    const result = await cli(dir, ws(), ["apply", "--plan", "change.plan.json"]);
    expect(result.code, output(result)).toBe(0);
    expect(result.stdout).toContain("Apply complete! Resources: 1 added, 1 changed, 0 destroyed.");
    const [live] = await variablesNamed(ws(), name);
    expect(live).toEqual(expect.objectContaining({ id, value: "second" }));
    const plan = await cli(dir, ws(), ["plan", "--detailed-exitcode"]);
    expect(plan.code, output(plan)).toBe(0);
  });

  it("runs the steps as saved: results of earlier steps resolved as they land, secrets from the configuration at apply time", async () => {
    const dir = workdir();
    const name = unique("steps");
    const secret = "tok-saved-5c1e7";
    declare(dir, { inputs: { token: { type: "string", sensitive: true } }, variables: { a: variable(name, "first"), b: variable(`${name}-b`, "${prefect_variable.a.id}"), s: variable(`${name}-s`, "${var.token}") } });
    const env = { TF_VAR_token: secret };
    expect((await cli(dir, ws(), ["plan", "--out", "change.plan.json"], env)).code).toBe(0);
    const text = readFileSync(join(dir, "change.plan.json"), "utf8");
    expect(text).not.toContain(secret);
    const send = (address: string) => (JSON.parse(text) as { changes: { address: string; send?: { spec: Record<string, unknown> } }[] }).changes.find((step) => step.address === address)?.send?.spec;
    expect(send("prefect_variable.b")?.value).toEqual({ $after: "prefect_variable.a.id" });
    expect(send("prefect_variable.s")?.value).toEqual({ $secret: "value" });

    // Without the secret's value the saved plan cannot be run: refused, nothing changed.
    dev.server.resetRequestCounts();
    const refused = await cli(dir, ws(), ["apply", "--plan", "change.plan.json"]);
    expect(refused.code, output(refused)).toBe(1);
    expect(refused.stderr).toContain("token");
    expect(mutatingRequests(dev.server.requestCounts())).toEqual({});

    const applied = await cli(dir, ws(), ["apply", "--plan", "change.plan.json"], env);
    expect(applied.code, output(applied)).toBe(0);
    const [a] = await variablesNamed(ws(), name);
    expect((await variablesNamed(ws(), `${name}-b`))[0]?.value).toBe(a!.id);
    expect((await variablesNamed(ws(), `${name}-s`))[0]?.value).toBe(secret);
  });

  it("is refused once applied: applying it again would act on a state that moved", async () => {
    const { dir } = await savedChange();
    expect((await cli(dir, ws(), ["apply", "--plan", "change.plan.json"])).code).toBe(0);
    await expectRefused(dir, /the state changed \(serial \d+ -> \d+\): another apply ran/);
  });

  it("is refused when the configuration changed since", async () => {
    const { dir, name } = await savedChange();
    declare(dir, { variables: { v: variable(name, "third") }, limits: { l: limit(name, 2) } });
    await expectRefused(dir, "the configuration (files or variable values) changed");
    expect((await variablesNamed(ws(), name))[0]?.value).toBe("first");
  });

  it("applies a plan saved before the first apply (no state yet)", async () => {
    const dir = workdir();
    const name = unique("first");
    declare(dir, { variables: { v: variable(name, 1) }, automations: { a: automation(name) } });
    expect((await cli(dir, ws(), ["plan", "--out", "change.plan.json"])).code).toBe(0);
    const result = await cli(dir, ws(), ["apply", "--plan", "change.plan.json"]);
    expect(result.code, output(result)).toBe(0);
    expect(result.stdout).toContain("Apply complete! Resources: 2 added, 0 changed, 0 destroyed.");
    expect(await automationsNamed(ws(), name)).toHaveLength(1);
  });

  it("is refused when a plan saved before the first apply finds that another apply created the state", async () => {
    const dir = workdir();
    const name = unique("first");
    declare(dir, { automations: { a: automation(name) } });
    expect((await cli(dir, ws(), ["plan", "--out", "change.plan.json"])).code).toBe(0);
    expect((await cli(dir, ws(), ["apply", "--auto-approve"])).code).toBe(0);
    await expectRefused(dir, "a state was created (another apply ran)");
    expect(await automationsNamed(ws(), name)).toHaveLength(1);
  });

  it("is refused when only a variable value changed since (TF_VAR_*)", async () => {
    const dir = workdir();
    const name = unique("tfvar");
    declare(dir, { inputs: { value: { type: "string" } }, variables: { v: variable(name, "${var.value}") } });
    const saved = await cli(dir, ws(), ["plan", "--out", "change.plan.json"], { TF_VAR_value: "one" });
    expect(saved.code, output(saved)).toBe(0);
    const result = await cli(dir, ws(), ["apply", "--plan", "change.plan.json"], { TF_VAR_value: "two" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("is stale: the configuration (files or variable values) changed");
    expect(await variablesNamed(ws(), name)).toEqual([]);
  });

  it("is refused when an object it was planned against changed in Prefect since", async () => {
    const { dir, name, id } = await savedChange();
    await ws().api.patch(`/variables/${id}`, { value: "changed by hand" });
    await expectRefused(dir, "the live objects changed in Prefect");
    expect((await variablesNamed(ws(), name))[0]?.value).toBe("changed by hand");
  });

  it("is refused when an object it was planned against was deleted in Prefect since", async () => {
    const { dir, id } = await savedChange();
    await ws().api.delete(`/variables/${id}`);
    await expectRefused(dir, "the live objects changed in Prefect");
  });

  it("is refused when an object it plans to create appeared in Prefect since", async () => {
    const { dir, name } = await savedChange();
    await ws().api.post("/v2/concurrency_limits/", { name, limit: 9 });
    const result = await cli(dir, ws(), ["apply", "--plan", "change.plan.json"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("is stale: the planned actions differ");
    expect((await variablesNamed(ws(), name))[0]?.value).toBe("first");
  });

  it("is refused when another apply ran in between", async () => {
    const { dir, name } = await savedChange();
    // Someone applies a different change from the same configuration directory meanwhile.
    declare(dir, { variables: { v: variable(name, "first"), w: variable(`${name}-w`, 1) } });
    expect((await cli(dir, ws(), ["apply", "--auto-approve"])).code).toBe(0);
    declare(dir, { variables: { v: variable(name, "second") }, limits: { l: limit(name, 2) } });
    await expectRefused(dir, /the state changed|the live objects changed/);
    expect((await variablesNamed(ws(), name))[0]?.value).toBe("first");
  });

  it("is refused when the state was replaced by another one (another lineage)", async () => {
    const { dir } = await savedChange();
    const state = readState(dir);
    state.lineage = "00000000-0000-4000-8000-00000000beef";
    writeFileSync(statePath(dir), JSON.stringify(state));
    await expectRefused(dir, "the state was replaced (another lineage)");
  });

  it("is refused against another workspace than the one it was made for", async () => {
    const { dir } = await savedChange();
    const result = await cli(dir, cloudWorkspace(dev.server), ["apply", "--plan", "change.plan.json", "--state", join(workdir(), "cloud.state.json")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("is stale: it was made for");
  });

  it("applies a saved plan from another directory, using the directory the plan was made in", async () => {
    const { dir, name } = await savedChange();
    const elsewhere = workdir();
    const result = await cli(elsewhere, ws(), ["apply", "--plan", join(dir, "change.plan.json"), "--state", statePath(dir)]);
    expect(result.code, output(result)).toBe(0);
    expect((await variablesNamed(ws(), name)).map((live) => live.value)).toEqual(["second"]);
  });

  it("refuses a file that is not a saved plan", async () => {
    const { dir } = await savedChange();
    writeFileSync(join(dir, "change.plan.json"), JSON.stringify({ format: "something-else" }));
    const result = await cli(dir, ws(), ["apply", "--plan", "change.plan.json"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("is not a saved plan of this version");
    writeFileSync(join(dir, "change.plan.json"), "{not json");
    expect((await cli(dir, ws(), ["apply", "--plan", "change.plan.json"])).stderr).toContain("is not a saved plan");
  });

  it("applies a saved destroy plan, and a saved --adopt plan adopts", async () => {
    const dir = workdir();
    const name = unique("adopt");
    await ws().api.post("/variables/", { name, value: 1 });
    declare(dir, { variables: { v: variable(name, 1) }, automations: { a: automation(name) } });
    expect((await cli(dir, ws(), ["plan", "--adopt", "--out", "adopt.plan.json"])).code).toBe(0);
    const adopted = await cli(dir, ws(), ["apply", "--plan", "adopt.plan.json"]);
    expect(adopted.code, output(adopted)).toBe(0);
    expect(adopted.stdout).toContain("1 imported, 1 added");

    expect((await cli(dir, ws(), ["plan", "--destroy", "--out", "destroy.plan.json"])).code).toBe(0);
    const destroyed = await cli(dir, ws(), ["apply", "--plan", "destroy.plan.json"]);
    expect(destroyed.code, output(destroyed)).toBe(0);
    expect(await variablesNamed(ws(), name)).toEqual([]);
    expect(await automationsNamed(ws(), name)).toEqual([]);
  });
});
