// Which CDK cdk.cjs loads, for each way an app can have them installed. Each case is a fresh
// project in a temporary directory: cdk.cjs copied into its node_modules/prefect-gitops, beside
// minimal stand-ins for the cdktf and cdktn packages that say which they are.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A project with these CDKs installed; resolves to a `require` from the app's directory. */
function project(cdks: string[]): { requireFromApp: NodeJS.Require; loader: string } {
  const dir = mkdtempSync(join(tmpdir(), "prefect-gitops-cdk-"));
  made.push(dir);
  for (const name of cdks) {
    mkdirSync(join(dir, "node_modules", name), { recursive: true });
    writeFileSync(join(dir, "node_modules", name, "package.json"), JSON.stringify({ name, main: "index.js" }));
    writeFileSync(join(dir, "node_modules", name, "index.js"), `exports.which = ${JSON.stringify(name)};`);
  }
  const loader = join(dir, "node_modules", "prefect-gitops", "cdk.cjs");
  mkdirSync(join(dir, "node_modules", "prefect-gitops"), { recursive: true });
  copyFileSync(new URL("./cdk.cjs", import.meta.url), loader);
  return { requireFromApp: createRequire(join(dir, "main.js")), loader };
}

describe("cdk-runtime/cdk.cjs", () => {
  it.each([
    [["cdktf"], [], "cdktf"],
    [["cdktn"], [], "cdktn"],
    [["cdktf", "cdktn"], [], "cdktf"],
    [["cdktf", "cdktn"], ["cdktn"], "cdktn"],
    [["cdktf", "cdktn"], ["cdktf"], "cdktf"],
  ])("with %j installed and %j loaded by the app, loads %s", (installed, loadedFirst, expected) => {
    const { requireFromApp, loader } = project(installed);
    for (const name of loadedFirst) requireFromApp(name);
    expect((requireFromApp(loader) as { which: string }).which).toBe(expected);
  });

  it("says what to install when the app has neither", () => {
    const { requireFromApp, loader } = project([]);
    expect(() => requireFromApp(loader)).toThrow(/neither "cdktf" nor "cdktn".*npm install cdktf@\^0\.21 constructs@\^10.*npm install cdktn@\^0\.24/);
    try {
      requireFromApp(loader);
    } catch (caught) {
      expect((caught as { code?: string }).code).toBe("cdk_not_found");
    }
  });
});
