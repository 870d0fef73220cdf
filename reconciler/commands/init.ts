// init: start an infrastructure repository (reconciler/init/files.ts says what it holds). Never
// overwrites a file: when any of them exists, nothing is written.
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { initFiles, packageNameFor, type InitFlavour } from "../init/files.js";
import { packageVersion } from "../version.js";
import { EXIT_ERROR, EXIT_OK, type CommandContext } from "./context.js";

const TEMPLATES_DIR = fileURLToPath(new URL("../init/templates/", import.meta.url));

/** Every template by path relative to the templates folder ("typescript/main.ts"). */
function readTemplates(dir = TEMPLATES_DIR): Map<string, string> {
  const templates = new Map<string, string>();
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else templates.set(relative(dir, path).split("\\").join("/"), readFileSync(path, "utf8"));
    }
  };
  walk(dir);
  return templates;
}

export async function initCommand(ctx: CommandContext, dirArg: string | undefined, flags: { language: "typescript"; hcl?: boolean }): Promise<number> {
  const dir = resolve(ctx.cwd, dirArg ?? ".");
  const flavour: InitFlavour = flags.hcl ? "hcl" : flags.language;
  const files = initFiles({ name: packageNameFor(basename(dir)), version: packageVersion(), flavour, projectId: randomUUID(), templates: readTemplates() });
  const existing = files.filter((file) => existsSync(join(dir, file.path))).map((file) => file.path);
  if (existing.length > 0) {
    ctx.err(`Error: prefect-gitops init: ${dir} already has ${existing.join(", ")}; init never overwrites files. Choose a new or empty directory, or move these files away.`);
    return EXIT_ERROR;
  }
  for (const file of files) {
    mkdirSync(dirname(join(dir, file.path)), { recursive: true });
    writeFileSync(join(dir, file.path), file.content);
  }
  const shown = relative(ctx.cwd, dir) || ".";
  ctx.out(`Wrote a prefect-gitops ${flavour === "hcl" ? "HCL" : "TypeScript (CDKTF)"} repository in ${shown}: ${files.map((file) => file.path).join(", ")}.`);
  ctx.out(`Next:${shown === "." ? "" : ` cd ${shown} &&`} npm install && npx prefect-gitops plan   (PREFECT_API_URL names the server; README.md says more)`);
  return EXIT_OK;
}
