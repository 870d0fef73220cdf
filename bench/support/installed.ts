// The package as npm installs it (bin/, dist/, package.json; no sources), its dependencies
// reached through a node_modules link: the bin shim then runs dist/, as in a user's project.
// Shared by the benchmarks that time the installed CLI (cli-startup.ts, scoped-reads.ts --installed).
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { workDir } from "./report.js";
import { REPO_ROOT } from "./server.js";

/** Build dist/ (unless `build` is false), lay the package out under `.work/NAME`; returns the project folder and the bin to run. */
export function installPackage(name: string, options: { build: boolean }): { project: string; bin: string } {
  if (options.build) spawnSync(process.execPath, [join(REPO_ROOT, "scripts", "build.mjs")], { stdio: "inherit", cwd: REPO_ROOT });
  if (!existsSync(join(REPO_ROOT, "dist", "reconciler", "cli.js"))) throw new Error("dist/ is missing: run `npm run build` (or drop --no-build).");
  const project = workDir(name);
  const installed = join(project, "node_modules", "prefect-gitops");
  rmSync(installed, { recursive: true, force: true });
  mkdirSync(installed, { recursive: true });
  for (const part of ["bin", "dist", "package.json"]) cpSync(join(REPO_ROOT, part), join(installed, part), { recursive: true });
  symlinkSync(join(REPO_ROOT, "node_modules"), join(installed, "node_modules"), "dir");
  return { project, bin: join(installed, "bin", "prefect-gitops.js") };
}
