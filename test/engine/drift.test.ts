// `drift`: a read-only audit of live vs declared and live vs last applied, for every kind:
// objects modified and deleted outside prefect-gitops, unmanaged look-alikes, and kinds that
// could not be checked. Exit 0 clean, 2 drift, 1 error; --json for machines.
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { mutatingRequests, workdir } from "../support/cli.js";
import { useDevServer } from "../support/devserver.js";
import {
  automation,
  cli,
  cloudWorkspace,
  createLive,
  declare,
  limit,
  ossWorkspace,
  output,
  readState,
  statePath,
  variable,
  webhook,
  type Declarations,
  type Workspace,
} from "../support/engine.js";

interface DriftJson {
  modified: { address: string; id: string; changes: { path: string[]; before: unknown; after: unknown }[] }[];
  deleted: { address: string; id: string }[];
  pending: { address: string; action: string }[];
  lookalikes: { address: string; id: string; label: string }[];
  unchecked: { type: string; reason: string }[];
  errors: { summary: string }[];
  clean: boolean;
}

interface KindCase {
  type: string;
  cloud: boolean;
  declare: (name: string) => Declarations;
  /** Change the live object behind the engine's back: the attribute changed and its new value. */
  modify: (workspace: Workspace, id: string) => Promise<{ attribute: string; after: unknown }>;
  path: (id: string) => string;
  /** Create an unmanaged object with the declared natural key (kinds that have one). */
  lookalike?: (workspace: Workspace, name: string) => Promise<string>;
}

const KINDS: KindCase[] = [
  {
    type: "prefect_variable",
    cloud: false,
    declare: (name) => ({ variables: { x: variable(name, { level: 1 }) } }),
    modify: async (ws, id) => {
      await ws.api.patch(`/variables/${id}`, { value: { level: 2 } });
      return { attribute: "value", after: { level: 2 } };
    },
    path: (id) => `/variables/${id}`,
    lookalike: (ws, name) => createLive(ws, "/variables/", { name, value: 0 }),
  },
  {
    type: "prefect_global_concurrency_limit",
    cloud: false,
    declare: (name) => ({ limits: { x: limit(name, 3) } }),
    modify: async (ws, id) => {
      await ws.api.patch(`/v2/concurrency_limits/${id}`, { limit: 5 });
      return { attribute: "limit", after: 5 };
    },
    path: (id) => `/v2/concurrency_limits/${id}`,
    lookalike: (ws, name) => createLive(ws, "/v2/concurrency_limits/", { name, limit: 1 }),
  },
  {
    type: "prefect_automation",
    cloud: false,
    declare: (name) => ({ automations: { x: automation(name) } }),
    modify: async (ws, id) => {
      await ws.api.patch(`/automations/${id}`, { enabled: false });
      return { attribute: "enabled", after: false };
    },
    path: (id) => `/automations/${id}`,
  },
  {
    type: "prefect_webhook",
    cloud: true,
    declare: (name) => ({ webhooks: { x: webhook(name) } }),
    modify: async (ws, id) => {
      await ws.api.patch(`/webhooks/${id}`, { description: "edited in the UI" });
      return { attribute: "description", after: "edited in the UI" };
    },
    path: (id) => `/webhooks/${id}`,
  },
];

describe("drift", () => {
  const dev = useDevServer();
  let counter = 0;
  const unique = (base: string) => `drift-${base}-${++counter}`;
  const workspaceFor = (cloud: boolean): Workspace => (cloud ? cloudWorkspace(dev.server) : ossWorkspace(dev.server));

  async function drift(dir: string, ws: Workspace, expectedCode: number): Promise<DriftJson> {
    const result = await cli(dir, ws, ["drift", "--json"]);
    expect(result.code, output(result)).toBe(expectedCode);
    return JSON.parse(result.stdout) as DriftJson;
  }

  /** Apply the declaration; answers the directory and the live id. */
  async function applied(kind: KindCase, name: string): Promise<{ dir: string; id: string; ws: Workspace }> {
    const ws = workspaceFor(kind.cloud);
    const dir = workdir();
    declare(dir, kind.declare(name));
    const result = await cli(dir, ws, ["apply", "--auto-approve"]);
    expect(result.code, output(result)).toBe(0);
    return { dir, ws, id: readState(dir).resources[`${kind.type}.x`]!.id };
  }

  describe.each(KINDS.map((kind) => [kind.type, kind] as const))("%s", (_type, kind) => {
    it("is clean right after an apply: exit 0", async () => {
      const { dir, ws } = await applied(kind, unique("clean"));
      const result = await cli(dir, ws, ["drift"]);
      expect(result.code, output(result)).toBe(0);
      expect(result.stdout).toContain("No drift: the live workspace matches the configuration and the last apply.");
      expect((await drift(dir, ws, 0)).clean).toBe(true);
    });

    it("reports an object modified outside prefect-gitops: what changed, and that apply would change it back (exit 2)", async () => {
      const { dir, ws, id } = await applied(kind, unique("mod"));
      const { attribute, after } = await kind.modify(ws, id);
      const report = await drift(dir, ws, 2);
      expect(report.modified).toEqual([expect.objectContaining({ address: `${kind.type}.x`, id, changes: [expect.objectContaining({ path: [attribute], after })] })]);
      expect(report.pending).toEqual([expect.objectContaining({ address: `${kind.type}.x`, action: "update" })]);
      expect(report.deleted).toEqual([]);
      const text = await cli(dir, ws, ["drift"]);
      expect(text.code).toBe(2);
      expect(text.stdout).toContain("Changed outside prefect-gitops since the last apply:");
      expect(text.stdout).toContain(`~ ${kind.type}.x (`);
      expect(text.stdout).toContain(`      ${attribute}: `);
    });

    it("reports an object deleted outside prefect-gitops, which apply would create again (exit 2)", async () => {
      const { dir, ws, id } = await applied(kind, unique("del"));
      expect((await ws.api.delete(kind.path(id))).status).toBeLessThan(300);
      const report = await drift(dir, ws, 2);
      expect(report.deleted).toEqual([expect.objectContaining({ address: `${kind.type}.x`, id })]);
      expect(report.pending).toEqual([expect.objectContaining({ address: `${kind.type}.x`, action: "create" })]);
      expect((await cli(dir, ws, ["drift"])).stdout).toContain("Deleted outside prefect-gitops:");
    });

    if (kind.lookalike) {
      it("reports an unmanaged look-alike with the command to import it, as drift rather than an error (exit 2)", async () => {
        const ws = workspaceFor(kind.cloud);
        const dir = workdir();
        const name = unique("look");
        declare(dir, kind.declare(name));
        const id = await kind.lookalike!(ws, name);
        const report = await drift(dir, ws, 2);
        expect(report.lookalikes).toEqual([expect.objectContaining({ address: `${kind.type}.x`, id })]);
        expect(report.errors).toEqual([]);
        const text = await cli(dir, ws, ["drift"]);
        expect(text.stdout).toContain("Unmanaged look-alikes (exist with a declared name but are not owned):");
        expect(text.stdout).toContain(`prefect-gitops import ${kind.type}.x ${id}`);
      });
    } else {
      it("has no natural key: a same-named object it does not own is neither a look-alike nor drift", async () => {
        const { dir, ws } = await applied(kind, unique("twin"));
        const name = readState(dir).resources[`${kind.type}.x`]!.values.name as string;
        await (kind.cloud
          ? createLive(ws, "/webhooks/", { name, template: '{"event": "x", "resource": {"prefect.resource.id": "y"}}' })
          : createLive(ws, "/automations/", { name, trigger: { type: "event", posture: "Reactive", expect: ["x"], threshold: 1, within: 0 }, actions: [{ type: "do-nothing" }] }));
        expect((await drift(dir, ws, 0)).lookalikes).toEqual([]);
      });
    }
  });

  it("audits every kind at once, and is read-only: no write to Prefect, no state write, no lock", async () => {
    const ws = cloudWorkspace(dev.server);
    const dir = workdir();
    const name = unique("all");
    declare(dir, { variables: { v: variable(name, 1) }, limits: { l: limit(name, 1) }, automations: { a: automation(name) }, webhooks: { w: webhook(name) } });
    expect((await cli(dir, ws, ["apply", "--auto-approve"])).code).toBe(0);
    const state = readState(dir);
    await ws.api.patch(`/variables/${state.resources["prefect_variable.v"]!.id}`, { value: 2 });
    await ws.api.delete(`/automations/${state.resources["prefect_automation.a"]!.id}`);
    await ws.api.patch(`/webhooks/${state.resources["prefect_webhook.w"]!.id}`, { enabled: false });
    const before = readFileSync(statePath(dir), "utf8");

    dev.server.resetRequestCounts();
    const report = await drift(dir, ws, 2);
    expect(mutatingRequests(dev.server.requestCounts())).toEqual({});
    expect(readFileSync(statePath(dir), "utf8")).toBe(before);
    expect(existsSync(`${statePath(dir)}.lock`)).toBe(false);
    expect(existsSync(`${statePath(dir)}.journal`) ? readFileSync(`${statePath(dir)}.journal`, "utf8") : "").toBe("");
    expect(report.modified.map((entry) => entry.address).sort()).toEqual(["prefect_variable.v", "prefect_webhook.w"]);
    expect(report.deleted.map((entry) => entry.address)).toEqual(["prefect_automation.a"]);
    // Bulk reads: one list per kind, whatever the number of objects.
    const counts = dev.server.requestCounts();
    expect(counts["POST /variables/filter"]).toBe(1);
    expect(counts["POST /automations/filter"]).toBe(1);
  });

  it("does not take a concurrency limit's slots moved by running flows for drift", async () => {
    const ws = ossWorkspace(dev.server);
    const dir = workdir();
    const name = unique("slots");
    declare(dir, { limits: { l: limit(name, 5) } });
    expect((await cli(dir, ws, ["apply", "--auto-approve"])).code).toBe(0);
    expect((await ws.api.post("/v2/concurrency_limits/increment", { names: [name], slots: 2, mode: "concurrency" })).status).toBe(200);
    expect((await drift(dir, ws, 0)).clean).toBe(true);
  });

  it("reports a Cloud-only kind it could not check against an open-source server, without calling it deleted", async () => {
    const dir = workdir();
    const name = unique("oss");
    declare(dir, { variables: { v: variable(name, 1) }, webhooks: { w: webhook(name) } });
    expect((await cli(dir, cloudWorkspace(dev.server), ["apply", "--auto-approve"])).code).toBe(0);

    // The same configuration pointed at a Prefect server, which serves no webhooks.
    const report = await drift(dir, ossWorkspace(dev.server), 1);
    expect(report.unchecked).toEqual([{ type: "prefect_webhook", reason: "prefect_webhook exists only in Prefect Cloud" }]);
    expect(report.deleted.map((entry) => entry.address)).toEqual(["prefect_variable.v"]);
    expect(report.errors.map((error) => error.summary)).toEqual(["prefect_webhook needs Prefect Cloud"]);
    const text = await cli(dir, ossWorkspace(dev.server), ["drift"]);
    expect(text.stdout).toContain("Could not check:");
    expect(text.stdout).toContain("! prefect_webhook: prefect_webhook exists only in Prefect Cloud");
  });

  it("exits 1 for a configuration it cannot read", async () => {
    const dir = workdir();
    declare(dir, { variables: { v: variable("Not Valid", 1) } });
    const result = await cli(dir, ossWorkspace(dev.server), ["drift"]);
    expect(result.code).toBe(1);
    expect(output(result)).toContain("prefect_variable.v");
  });

  it("reports an object re-created outside prefect-gitops as one apply would adopt, not as a removal (exit 2)", async () => {
    const ws = ossWorkspace(dev.server);
    const dir = workdir();
    const name = unique("recreated");
    declare(dir, { variables: { v: variable(name, 1) } });
    expect((await cli(dir, ws, ["apply", "--auto-approve"])).code).toBe(0);
    expect((await ws.api.delete(`/variables/${readState(dir).resources["prefect_variable.v"]!.id}`)).status).toBe(204);
    await createLive(ws, "/variables/", { name, value: 1 });
    const text = await cli(dir, ws, ["drift"]);
    expect(text.code, output(text)).toBe(2);
    expect(text.stdout).toContain("  <= prefect_variable.v (import: re-created outside prefect-gitops; adopting it)");
  });

  it("reports declarations never applied as what apply would create (exit 2)", async () => {
    const dir = workdir();
    declare(dir, { variables: { v: variable(unique("new"), 1) } });
    const report = await drift(dir, ossWorkspace(dev.server), 2);
    expect(report.pending).toEqual([expect.objectContaining({ address: "prefect_variable.v", action: "create" })]);
    expect(report.modified).toEqual([]);
    expect(report.deleted).toEqual([]);
  });
});
