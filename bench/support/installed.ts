// The package as npm installs it (bin/, dist/, package.json; no sources), its dependencies
// reached through a node_modules link: the bin shim then runs dist/, as in a user's project.
// Shared by the benchmarks that time the installed CLI (cli-startup.ts, scoped-reads.ts --installed).
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { workDir } from "./report.js";
import { REPO_ROOT } from "./server.js";

/**
 * Build dist/ (unless `build` is false), lay the package out under `.work/NAME`; returns the
 * project folder and the bin to run. `root`: another checkout to install (a baseline to compare
 * with, e.g. `git archive COMMIT` unpacked, with a node_modules link), this one by default.
 */
export function installPackage(name: string, options: { build: boolean; root?: string }): { project: string; bin: string } {
  const root = options.root ?? REPO_ROOT;
  if (options.build) spawnSync(process.execPath, [join(root, "scripts", "build.mjs")], { stdio: "inherit", cwd: root });
  if (!existsSync(join(root, "dist", "reconciler", "cli.js"))) throw new Error(`${root}/dist/ is missing: run \`npm run build\` there (or drop --no-build).`);
  const project = workDir(name);
  const installed = join(project, "node_modules", "prefect-gitops");
  rmSync(installed, { recursive: true, force: true });
  mkdirSync(installed, { recursive: true });
  for (const part of ["bin", "dist", "package.json"]) cpSync(join(root, part), join(installed, part), { recursive: true });
  symlinkSync(join(REPO_ROOT, "node_modules"), join(installed, "node_modules"), "dir");
  return { project, bin: join(installed, "bin", "prefect-gitops.js") };
}
