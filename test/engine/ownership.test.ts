// Ownership and safety: prune deletes only what the state owns, a live object with a declared
// natural key is adopted only with --adopt (or import) and otherwise blocks the create with the
// import command to run, a plan deleting every owned object is refused outside destroy, and
// lifecycle.prevent_destroy is honoured on replacement and on removal.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mutatingRequests, workdir } from "../support/cli.js";
import { useDevServer } from "../support/devserver.js";
import {
  automation,
  automationsNamed,
  cli,
  cloudWorkspace,
  createLive,
  declare,
  limit,
  limitsNamed,
  liveAutomation,
  ossWorkspace,
  output,
  ownedByState,
  readState,
  variable,
  variablesNamed,
  webhook,
  webhooksNamed,
  type Workspace,
} from "../support/engine.js";

describe("ownership", () => {
  const dev = useDevServer();
  const ws = (): Workspace => ossWorkspace(dev.server);
  let counter = 0;
  const unique = (base: string) => `own-${base}-${++counter}`;

  describe("prune", () => {
    it("removing a declaration deletes only the owned object, never an identical one it does not own", async () => {
      const dir = workdir();
      const name = unique("auto");
      declare(dir, { automations: { a: automation(name), b: automation(`${name}-b`) } });
      expect((await cli(dir, ws(), ["apply", "--auto-approve"])).code).toBe(0);
      const [owned] = await automationsNamed(ws(), name);
      // Someone makes an identical automation by hand: same name, same trigger, same actions.
      const twin = await createLive(ws(), "/automations/", liveAutomation(name));

      declare(dir, { automations: { b: automation(`${name}-b`) } });
      const result = await cli(dir, ws(), ["apply", "--auto-approve"]);
      expect(result.code, output(result)).toBe(0);
      expect(result.stdout).toContain("0 added, 0 changed, 1 destroyed");
      const left = await automationsNamed(ws(), name);
      expect(left.map((item) => item.id)).toEqual([twin]);
      expect(left.map((item) => item.id)).not.toContain(owned!.id);
    });

    it("a state only prunes its own objects: destroying one stack leaves another stack's objects of the same workspace", async () => {
      const shared = unique("stack");
      const [one, two] = [workdir(), workdir()];
      declare(one, { variables: { v: variable(`${shared}-one`, 1) }, automations: { a: automation(shared) } });
      declare(two, { variables: { v: variable(`${shared}-two`, 2) }, automations: { a: automation(shared) } });
      expect((await cli(one, ws(), ["apply", "--auto-approve"])).code).toBe(0);
      expect((await cli(two, ws(), ["apply", "--auto-approve"])).code).toBe(0);
      expect(await automationsNamed(ws(), shared)).toHaveLength(2);

      expect((await cli(one, ws(), ["destroy", "--auto-approve"])).code).toBe(0);
      expect(await variablesNamed(ws(), `${shared}-one`)).toEqual([]);
      expect(await variablesNamed(ws(), `${shared}-two`)).toHaveLength(1);
      const left = await automationsNamed(ws(), shared);
      expect(left.map((item) => item.id)).toEqual((await ownedByState(two, ws())).filter((entry) => entry.address === "prefect_automation.a").map((entry) => entry.id));
      const plan = await cli(two, ws(), ["plan", "--detailed-exitcode"]);
      expect(plan.code, output(plan)).toBe(0);
    });

    it("never deletes an undeclared object it does not own, whatever its name", async () => {
      const dir = workdir();
      const name = unique("v");
      declare(dir, { variables: { v: variable(name, 1) } });
      expect((await cli(dir, ws(), ["apply", "--auto-approve"])).code).toBe(0);
      await createLive(ws(), "/variables/", { name: `${name}-stranger`, value: 1 });
      await createLive(ws(), "/v2/concurrency_limits/", { name, limit: 1 });
      const plan = await cli(dir, ws(), ["plan", "--detailed-exitcode"]);
      expect(plan.code, output(plan)).toBe(0);
    });

    it("forgets, without a delete call, an owned object already deleted outside prefect-gitops", async () => {
      const dir = workdir();
      const name = unique("v");
      declare(dir, { variables: { v: variable(name, 1), w: variable(`${name}-w`, 1) } });
      expect((await cli(dir, ws(), ["apply", "--auto-approve"])).code).toBe(0);
      const [gone] = await variablesNamed(ws(), `${name}-w`);
      await ws().api.delete(`/variables/${gone!.id}`);
      declare(dir, { variables: { v: variable(name, 1) } });
      const plan = await cli(dir, ws(), ["plan"]);
      expect(plan.stdout).toContain("# prefect_variable.w will be removed from the state");
      expect(plan.stdout).toContain("already deleted outside prefect-gitops; only the state entry is removed");
      dev.server.resetRequestCounts();
      expect((await cli(dir, ws(), ["apply", "--auto-approve"])).code).toBe(0);
      expect(mutatingRequests(dev.server.requestCounts())).toEqual({});
      expect(Object.keys(readState(dir).resources)).toEqual(["prefect_variable.v"]);
    });
  });

  describe("look-alikes, --adopt and import", () => {
    it("an existing object with a declared name blocks the create: the plan names it and the import command, and changes nothing", async () => {
      const dir = workdir();
      const name = unique("taken");
      const id = await createLive(ws(), "/variables/", { name, value: "theirs" });
      const limitId = await createLive(ws(), "/v2/concurrency_limits/", { name, limit: 7 });
      declare(dir, { variables: { v: variable(name, "ours") }, limits: { l: limit(name, 1) }, automations: { a: automation(name) } });

      dev.server.resetRequestCounts();
      const plan = await cli(dir, ws(), ["plan"]);
      expect(plan.code).toBe(1);
      expect(plan.stdout).toContain(`variable "${name}" already exists and is not managed by this state`);
      expect(plan.stdout).toContain(`It blocks the create of prefect_variable.v (id ${id}).`);
      expect(plan.stdout).toContain(`prefect-gitops import prefect_variable.v ${id}`);
      expect(plan.stdout).toContain(`prefect-gitops import prefect_global_concurrency_limit.l ${limitId}`);
      expect(plan.stdout).toContain("or plan with --adopt");

      const apply = await cli(dir, ws(), ["apply", "--auto-approve"]);
      expect(apply.code).toBe(1);
      expect(mutatingRequests(dev.server.requestCounts())).toEqual({});
      expect((await variablesNamed(ws(), name))[0]?.value).toBe("theirs");
      expect(await automationsNamed(ws(), name), "nothing is applied while a create is blocked").toEqual([]);

      // The command the message gives works, and then the plan goes through.
      const command = /prefect-gitops (import prefect_variable\.v \S+)/.exec(plan.stdout)![1]!.split(" ");
      expect((await cli(dir, ws(), command)).code).toBe(0);
      expect((await cli(dir, ws(), ["import", "prefect_global_concurrency_limit.l", limitId])).code).toBe(0);
      const after = await cli(dir, ws(), ["apply", "--auto-approve"]);
      expect(after.code, output(after)).toBe(0);
      expect(after.stdout).toContain("1 added, 2 changed, 0 destroyed");
      expect(await variablesNamed(ws(), name)).toEqual([expect.objectContaining({ id, value: "ours" })]);
    });

    it("--adopt takes over the existing objects, updates them to the declaration and records them", async () => {
      const dir = workdir();
      const name = unique("adopt");
      const id = await createLive(ws(), "/variables/", { name, value: "theirs" });
      const same = await createLive(ws(), "/v2/concurrency_limits/", { name, limit: 1 });
      declare(dir, { variables: { v: variable(name, "ours") }, limits: { l: limit(name, 1) } });

      const plan = await cli(dir, ws(), ["plan", "--adopt"]);
      expect(plan.code, output(plan)).toBe(0);
      expect(plan.stdout).toContain("# prefect_variable.v will be imported and updated in place");
      expect(plan.stdout).toContain("# prefect_global_concurrency_limit.l will be imported");
      expect(plan.stdout).toContain("(adopting an existing object (--adopt))");
      expect(plan.stdout).toContain("Plan: 2 to import, 0 to add, 1 to change, 0 to destroy.");

      const result = await cli(dir, ws(), ["apply", "--adopt", "--auto-approve"]);
      expect(result.code, output(result)).toBe(0);
      expect(result.stdout).toContain("Apply complete! Resources: 2 imported, 0 added, 1 changed, 0 destroyed.");
      expect(await variablesNamed(ws(), name)).toEqual([expect.objectContaining({ id, value: "ours" })]);
      expect((await ownedByState(dir, ws())).map((entry) => entry.id).sort()).toEqual([id, same].sort());
      const again = await cli(dir, ws(), ["plan", "--detailed-exitcode"]);
      expect(again.code, output(again)).toBe(0);
    });

    it("an object the state owned, deleted and re-created by hand under its name, is adopted again", async () => {
      const dir = workdir();
      const name = unique("again");
      declare(dir, { variables: { v: variable(name, 1) } });
      expect((await cli(dir, ws(), ["apply", "--auto-approve"])).code).toBe(0);
      const [first] = await variablesNamed(ws(), name);
      await ws().api.delete(`/variables/${first!.id}`);
      const second = await createLive(ws(), "/variables/", { name, value: 1 });
      const plan = await cli(dir, ws(), ["plan"]);
      expect(plan.code, output(plan)).toBe(0);
      expect(plan.stdout).toContain("re-created outside prefect-gitops; adopting it");
      expect((await cli(dir, ws(), ["apply", "--auto-approve"])).code).toBe(0);
      expect(await ownedByState(dir, ws())).toEqual([expect.objectContaining({ id: second })]);
    });

    it("refuses a declaration of an object another address of the same state already manages", async () => {
      const dir = workdir();
      const name = unique("twice");
      declare(dir, { variables: { old: variable(name, 1) } });
      expect((await cli(dir, ws(), ["apply", "--auto-approve"])).code).toBe(0);
      declare(dir, { variables: { old: variable(`${name}-renamed`, 1), new: variable(name, 1) } });
      const plan = await cli(dir, ws(), ["plan"]);
      expect(plan.code).toBe(1);
      expect(output(plan)).toContain(`variable "${name}" is already managed as prefect_variable.old`);
    });
  });

  describe("refusing to delete everything", () => {
    it("a plan that would delete every owned object is refused outside destroy, and destroy does it", async () => {
      const dir = workdir();
      const name = unique("all");
      declare(dir, { variables: { v: variable(name, 1) }, automations: { a: automation(name) } });
      expect((await cli(dir, ws(), ["apply", "--auto-approve"])).code).toBe(0);

      declare(dir, {});
      dev.server.resetRequestCounts();
      const plan = await cli(dir, ws(), ["plan"]);
      expect(plan.code).toBe(1);
      expect(output(plan)).toContain("The plan would delete every object the state owns (2)");
      expect(output(plan)).toContain("run `prefect-gitops destroy`");
      const apply = await cli(dir, ws(), ["apply", "--auto-approve"]);
      expect(apply.code).toBe(1);
      expect(mutatingRequests(dev.server.requestCounts())).toEqual({});
      expect(await variablesNamed(ws(), name)).toHaveLength(1);
      expect(await automationsNamed(ws(), name)).toHaveLength(1);

      const destroy = await cli(dir, ws(), ["destroy", "--auto-approve"]);
      expect(destroy.code, output(destroy)).toBe(0);
      expect(await variablesNamed(ws(), name)).toEqual([]);
      expect(await automationsNamed(ws(), name)).toEqual([]);
    });

    it("deleting some owned objects while others stay is an ordinary plan", async () => {
      const dir = workdir();
      const name = unique("some");
      declare(dir, { variables: { v: variable(name, 1), w: variable(`${name}-w`, 1) } });
      expect((await cli(dir, ws(), ["apply", "--auto-approve"])).code).toBe(0);
      declare(dir, { variables: { v: variable(name, 1) } });
      const result = await cli(dir, ws(), ["apply", "--auto-approve"]);
      expect(result.code, output(result)).toBe(0);
    });
  });

  describe("prevent_destroy", () => {
    const cloud = (): Workspace => cloudWorkspace(dev.server);
    const SERVICE_ACCOUNT = "8a0c5f1e-4b6d-4e2f-9a7b-3c1d2e4f5a6b";

    it("refuses a plan that replaces a protected object, and allows it once the protection is lifted", async () => {
      const dir = workdir();
      const name = unique("hook");
      declare(dir, { webhooks: { w: webhook(name, { lifecycle: { prevent_destroy: true } }) } });
      expect((await cli(dir, cloud(), ["apply", "--auto-approve"])).code).toBe(0);
      const [before] = await webhooksNamed(cloud(), name);

      // service_account_id forces a replacement.
      declare(dir, { webhooks: { w: webhook(name, { service_account_id: SERVICE_ACCOUNT, lifecycle: { prevent_destroy: true } }) } });
      dev.server.resetRequestCounts();
      const plan = await cli(dir, cloud(), ["plan"]);
      expect(plan.code).toBe(1);
      expect(output(plan)).toContain("prefect_webhook.w has lifecycle.prevent_destroy, but the plan replaces it");
      expect(output(plan)).toContain("Changing service_account_id forces a replacement");
      expect((await cli(dir, cloud(), ["apply", "--auto-approve"])).code).toBe(1);
      expect(mutatingRequests(dev.server.requestCounts())).toEqual({});
      expect((await webhooksNamed(cloud(), name)).map((hook) => hook.id)).toEqual([before!.id]);

      declare(dir, { webhooks: { w: webhook(name, { service_account_id: SERVICE_ACCOUNT }) } });
      const replaced = await cli(dir, cloud(), ["apply", "--auto-approve"]);
      expect(replaced.code, output(replaced)).toBe(0);
      expect(replaced.stdout).toContain("# prefect_webhook.w must be replaced");
      const after = await webhooksNamed(cloud(), name);
      expect(after).toHaveLength(1);
      expect(after[0]?.id).not.toBe(before!.id);
      expect(after[0]?.service_account_id).toBe(SERVICE_ACCOUNT);
    });

    it("refuses to delete a protected object whose declaration was removed, even in destroy", async () => {
      const dir = workdir();
      const name = unique("keep");
      declare(dir, { variables: { keep: variable(name, 1), other: variable(`${name}-o`, 1) } });
      expect((await cli(dir, ws(), ["apply", "--auto-approve"])).code).toBe(0);
      // Protecting an existing object changes nothing in Prefect, but the state must record it.
      declare(dir, { variables: { keep: variable(name, 1, { lifecycle: { prevent_destroy: true } }), other: variable(`${name}-o`, 1) } });
      const protect = await cli(dir, ws(), ["apply", "--auto-approve"]);
      expect(protect.code, output(protect)).toBe(0);
      expect(protect.stdout).toContain("~ lifecycle.prevent_destroy = false -> true");
      expect(readState(dir).resources["prefect_variable.keep"]?.preventDestroy).toBe(true);

      declare(dir, { variables: { other: variable(`${name}-o`, 1) } });
      const plan = await cli(dir, ws(), ["apply", "--auto-approve"]);
      expect(plan.code).toBe(1);
      expect(output(plan)).toContain("prefect_variable.keep has lifecycle.prevent_destroy, but the plan deletes it");
      const destroy = await cli(dir, ws(), ["destroy", "--auto-approve"]);
      expect(destroy.code).toBe(1);
      expect(output(destroy)).toContain("prefect_variable.keep has lifecycle.prevent_destroy, but the plan deletes it");
      expect(await variablesNamed(ws(), name)).toHaveLength(1);
      expect(await variablesNamed(ws(), `${name}-o`), "destroy deletes nothing when refused").toHaveLength(1);

      // Lifting the protection takes an apply with prevent_destroy = false, then the removal goes through.
      declare(dir, { variables: { keep: variable(name, 1, { lifecycle: { prevent_destroy: false } }), other: variable(`${name}-o`, 1) } });
      expect((await cli(dir, ws(), ["apply", "--auto-approve"])).code).toBe(0);
      declare(dir, { variables: { other: variable(`${name}-o`, 1) } });
      const removed = await cli(dir, ws(), ["apply", "--auto-approve"]);
      expect(removed.code, output(removed)).toBe(0);
      expect(await variablesNamed(ws(), name)).toEqual([]);
    });
  });

  it("refuses to use a state made for another Prefect Cloud workspace", async () => {
    const dir = workdir();
    declare(dir, { variables: { v: variable(unique("ws"), 1) } });
    expect((await cli(dir, cloudWorkspace(dev.server), ["apply", "--auto-approve"])).code).toBe(0);
    const elsewhere = { ...cloudWorkspace(dev.server), env: { ...cloudWorkspace(dev.server).env, PREFECT_API_URL: dev.server.cloudUrl("6f0f7f5e-2b7a-4c57-9a43-1a4d1b2c3d01", "11111111-2222-4333-8444-555555555555") } };
    dev.server.resetRequestCounts();
    for (const args of [["plan"], ["apply", "--auto-approve"], ["destroy", "--auto-approve"]]) {
      const result = await cli(dir, elsewhere, args);
      expect(result.code, output(result)).toBe(1);
      expect(result.stderr).toContain("but the configuration targets");
    }
    expect(mutatingRequests(dev.server.requestCounts())).toEqual({});
  });

  it("keeps separate states apart: --state files never see each other's objects", async () => {
    const dir = workdir();
    const name = unique("sep");
    declare(dir, { limits: { l: limit(name, 1) } });
    const a = join(workdir(), "a.json");
    const b = join(workdir(), "b.json");
    expect((await cli(dir, ws(), ["apply", "--auto-approve", "--state", a])).code).toBe(0);
    const blocked = await cli(dir, ws(), ["plan", "--state", b]);
    expect(blocked.code).toBe(1);
    expect(blocked.stdout).toContain(`global concurrency limit "${name}" already exists and is not managed by this state`);
    expect(await limitsNamed(ws(), name)).toHaveLength(1);
  });
});
