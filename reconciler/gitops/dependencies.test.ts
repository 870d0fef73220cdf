import { mkdirSync, mkdtempSync, readlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { linkInstalledDependencies } from "./dependencies.js";

function tree(paths: string[]): string {
  const root = mkdtempSync(join(tmpdir(), "prefect-gitops-deps-"));
  for (const path of paths) mkdirSync(join(root, path), { recursive: true });
  return root;
}

test.each([
  ["links the stack's and the root's installed node_modules", ["stacks/dev/node_modules", "node_modules"], ["stacks/dev"], ["stacks/dev/node_modules", "node_modules"]],
  ["links only what was installed", ["stacks/dev/node_modules"], ["stacks/dev"], ["stacks/dev/node_modules"]],
  ["leaves a checkout's own node_modules alone", ["stacks/dev/node_modules"], ["stacks/dev/node_modules"], []],
  ["links nothing for a stack the checkout does not have", ["stacks/dev/node_modules"], [], []],
])("%s", (_name, installed, checkout, expected) => {
  const installedRoot = tree(installed);
  const checkoutRoot = tree(checkout);
  writeFileSync(join(checkoutRoot, "marker"), "");
  const made = linkInstalledDependencies(installedRoot, checkoutRoot, "stacks/dev");
  expect(made).toEqual(expected);
  for (const relative of made) expect(readlinkSync(join(checkoutRoot, relative))).toBe(join(installedRoot, relative));
});
