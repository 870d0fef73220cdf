import { describe, expect, it } from "vitest";
import { KINDS } from "../../provider/kinds/registry.js";
import { generateConfiguration, type GenerateInput } from "./generate.js";

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

function generate(live: Record<string, unknown[]>, extra: Partial<GenerateInput> = {}) {
  return generateConfiguration({ kinds: KINDS, live: new Map(Object.entries(live)), taken: new Map(), reservedNames: new Map(), reservedVariables: new Set(), ...extra });
}

const automation = (n: number, name: string, actions: unknown[]) => ({
  id: uuid(n),
  created: `2024-01-0${n}T00:00:00Z`,
  name,
  description: "",
  enabled: true,
  trigger: { type: "event", posture: "Reactive", match: {}, match_related: {}, after: [], expect: ["x"], for_each: [], threshold: 1, within: 0 },
  actions,
  actions_on_trigger: [],
  actions_on_resolve: [],
});

describe("generating configuration from live objects", () => {
  it("keeps ids where a reference would close a cycle (an automation pausing itself, two pausing each other)", () => {
    const generated = generate({
      prefect_automation: [
        automation(1, "a", [{ type: "pause-automation", source: "selected", automation_id: uuid(1) }, { type: "pause-automation", source: "selected", automation_id: uuid(2) }]),
        automation(2, "b", [{ type: "resume-automation", source: "selected", automation_id: uuid(1) }]),
      ],
    });
    const [a, b] = generated.resources;
    expect((a?.attributes.actions as { automation_id: string }[]).map((action) => action.automation_id)).toEqual([uuid(1), "${prefect_automation.b.id}"]);
    expect((b?.attributes.actions as { automation_id: string }[]).map((action) => action.automation_id)).toEqual([uuid(1)]);
    expect(a?.dependencies).toEqual(["prefect_automation.b"]);
    expect(b?.dependencies).toEqual([]);
  });

  it("keeps a whole block document secret when the read does not say which fields are", () => {
    const generated = generate({
      prefect_block: [{ id: uuid(3), name: "creds", data: { user: "u", password: "p4ss" }, block_type: { slug: "custom" }, block_schema: null, block_document_references: {} }],
    });
    expect(generated.resources[0]?.attributes.data).toBe("${jsonencode(var.custom_creds_data)}");
    expect(generated.secrets).toEqual({ custom_creds_data: { user: "u", password: "p4ss" } });
    expect(generated.resources[0]?.sensitive).toEqual(new Set(["data"]));
    expect(JSON.stringify(generated.resources[0]?.attributes)).not.toContain("p4ss");
  });

  it("skips what no declaration can state, with the reason, and refers to it by id", () => {
    const generated = generate({
      prefect_work_pool: [{ id: uuid(4), name: "prefect-managed", type: "prefect:managed", is_paused: false }],
      prefect_work_queue: [{ id: uuid(5), name: "default", work_pool_name: "prefect-managed", description: "", is_paused: false, priority: 1 }],
    });
    expect(generated.skipped).toEqual([expect.objectContaining({ type: "prefect_work_pool", id: uuid(4), reason: expect.stringContaining('starts with "prefect"') })]);
    expect(generated.resources.map((resource) => [resource.address, resource.attributes.work_pool_name])).toEqual([["prefect_work_queue.prefect_managed_default", "prefect-managed"]]);
  });

  it("refers to objects the configuration declares by their address and leaves them out", () => {
    const generated = generate(
      {
        prefect_work_pool: [{ id: uuid(6), name: "main", type: "process", is_paused: false }],
        prefect_work_queue: [{ id: uuid(7), name: "q", work_pool_name: "main", description: "", is_paused: false, priority: 2 }],
      },
      { taken: new Map([[`prefect_work_pool:${uuid(6)}`, "prefect_work_pool.declared[\"main\"]"]]), reservedNames: new Map([["prefect_work_queue", new Set(["main_q"])]]) },
    );
    expect(generated.resources.map((resource) => [resource.address, resource.attributes.work_pool_name])).toEqual([["prefect_work_queue.main_q_2", '${prefect_work_pool.declared["main"].name}']]);
  });
});
