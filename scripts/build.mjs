// `npm run build` (and `npm pack`'s prepack): the published package's dist/. tsc compiles the
// product code (tsconfig.build.json) to JavaScript with .d.ts types and source maps; the files it
// does not emit, which the compiled code reads at run time, are copied beside it. Plain
// JavaScript, so that building needs nothing beyond `npm install`.
import { execFileSync } from "node:child_process";
import { cpSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");

/** Files and folders the compiled code reads at run time, relative to the repository root; copied to dist/ at the same place. */
const ASSETS = [
  "provider/cdk-runtime/cdk.cjs", // the CDK the app has (cdktf or cdktn), and its types
  "provider/cdk-runtime/cdk.d.cts",
  "provider/generated/package.json", // the generated L1 bindings are CommonJS
  "contract/prefect-openapi.json", // the devserver validates against the contract
  "contract/cloud-additions.json",
  "devserver/catalog/catalog.json", // the devserver's system block catalog
  "devserver/catalog/worker-metadata.json",
  "examples/quickstart", // `prefect-gitops quickstart`
  "reconciler/init/templates", // `prefect-gitops init`
  "provider/terraform/plugin/proto", // the Terraform plugin loads the protocol's .proto files at start-up
];

/**
 * Entry points given CommonJS-flavoured types (package.json "exports" → "require" → "types"):
 * TypeScript's node16 resolution refuses to `import` an ES module's .d.ts from a CommonJS file,
 * though Node.js 20.19 loads it with require(); a .d.cts that re-exports the types lets it.
 */
const COMMONJS_TYPES = ["provider/index", "devserver/index"];

const SKIP = new Set(["cdktf.out", "node_modules", ".prefect-gitops"]);

rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit", cwd: root });
for (const asset of ASSETS) {
  cpSync(join(root, asset), join(dist, asset), { recursive: true, filter: (source) => !SKIP.has(source.split(/[\\/]/).pop()) && !source.includes(".state.json") });
}
for (const entry of COMMONJS_TYPES) writeFileSync(join(dist, `${entry}.d.cts`), `export * from "./${entry.split("/").pop()}.js";\n`);
