import { expect, test } from "vitest";
import type { ResolvedConfig, ResourceInstance } from "../config/resolve.js";
import type { Plan, ResourceChange } from "../plan/model.js";
import { changedDeployments, stampVersions } from "./versions.js";

const instance = (type: string, name: string, attributes: Record<string, unknown>): ResourceInstance => ({
  address: `${type}.${name}`,
  type,
  name,
  block: { type, name, attributes, dependsOn: [], lifecycle: { preventDestroy: false, ignoreChanges: [] }, location: { file: "main.tf" }, attributeLines: {} },
});

const changes = (entries: [string, ResourceChange["action"]][]) => ({ changes: entries.map(([address, action]) => ({ address, type: address.split(".")[0], action })) }) as unknown as Plan;

test.each([
  ["created, updated and replaced deployments", [["prefect_deployment.a", "create"], ["prefect_deployment.b", "update"], ["prefect_deployment.c", "replace"]], ["prefect_deployment.a", "prefect_deployment.b", "prefect_deployment.c"]],
  ["not unchanged or deleted ones", [["prefect_deployment.a", "no-op"], ["prefect_deployment.b", "delete"]], []],
  ["not other kinds", [["prefect_flow.a", "update"]], []],
] as const)("changed deployments: %s", (_name, entries, expected) => {
  expect([...changedDeployments(changes(entries as unknown as [string, ResourceChange["action"]][]))]).toEqual(expected);
});

test("stamps the SHA on changed deployments that declare no version; declared versions win", () => {
  const config = {
    instances: [
      instance("prefect_deployment", "undeclared", { name: "a" }),
      instance("prefect_deployment", "declared", { name: "b", version: "v2" }),
      instance("prefect_deployment", "unchanged", { name: "c" }),
      instance("prefect_flow", "flow", { name: "f" }),
    ],
  } as unknown as ResolvedConfig;
  const stamped = stampVersions(config, new Set(["prefect_deployment.undeclared", "prefect_deployment.declared", "prefect_flow.flow"]), "abc123");
  expect(stamped).toEqual(["prefect_deployment.undeclared"]);
  expect(config.instances.map((i) => i.block.attributes.version)).toEqual(["abc123", "v2", undefined, undefined]);
});
