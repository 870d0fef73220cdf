// A CDKTF app needs its node_modules, and a fresh checkout of a pull request or branch head has
// none. The workflow installs them in its own checkout (from the default branch's lock file, in
// a step without secrets); the stack's checkout gets a link to them, so synthesis needs no
// network and a pull request cannot swap in packages of its own.
import { existsSync, symlinkSync } from "node:fs";
import { join } from "node:path";

/**
 * Link `node_modules` of the stack directory and of the repository root from `installedRoot`
 * into `checkoutRoot`, where the installed one exists and the checkout has none. Answers the
 * links made.
 */
export function linkInstalledDependencies(installedRoot: string, checkoutRoot: string, stackPath: string): string[] {
  const made: string[] = [];
  for (const relative of [...new Set([join(stackPath, "node_modules"), "node_modules"])]) {
    const installed = join(installedRoot, relative);
    const target = join(checkoutRoot, relative);
    if (!existsSync(installed) || existsSync(target) || !existsSync(join(target, ".."))) continue;
    symlinkSync(installed, target, "dir");
    made.push(relative);
  }
  return made;
}
