// How every bin starts. In an installed package: the compiled JavaScript in dist/, with no
// TypeScript loader in the way. In a checkout of the repository: the TypeScript sources through
// tsx, so development needs no build step. A checkout is told apart by its sources being there;
// the published package ships dist/ and bin/ only (package.json "files").
import { existsSync } from "node:fs";
import { register } from "node:module";

/** The export condition under which the package's own name resolves to its sources (package.json "exports"). */
export const SOURCE_CONDITION = "prefect-gitops-source";

/** Loads ENTRY (a module path relative to the package root, without extension) and resolves to its exports. */
export async function load(entry) {
  const source = new URL(`../${entry}.ts`, import.meta.url);
  if (!existsSync(source)) return import(new URL(`../dist/${entry}.js`, import.meta.url).href);
  // Apps run from a checkout import "prefect-gitops" too: resolve it to the sources in this process
  // (a resolve hook) and in the processes it starts (`npx tsx main.ts`, `cdktf synth`).
  register("./source-condition.js", import.meta.url);
  const flag = `--conditions=${SOURCE_CONDITION}`;
  const options = process.env.NODE_OPTIONS ?? "";
  if (!options.includes(flag)) process.env.NODE_OPTIONS = `${options} ${flag}`.trim();
  const { register: registerTsx } = await import("tsx/esm/api");
  registerTsx();
  return import(source.href);
}
