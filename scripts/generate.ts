// `npm run generate`: regenerates every committed generated file. With --check, regenerates in
// memory and fails if anything differs from what is committed.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { generateWireTypes } from "../contract/generate-wire.js";
import { BINDINGS_DIR, generateBindings } from "../provider/terraform/generate-bindings.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function walk(dir: string): string[] {
  try {
    return readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
  } catch {
    return [];
  }
}

/** Every generated file by path relative to the repository root, and the directories wholly owned by generation. */
export async function generatedFiles(): Promise<{ files: Map<string, string>; ownedDirs: string[] }> {
  const files = new Map<string, string>([["contract/wire.gen.ts", await generateWireTypes()]]);
  for (const [path, content] of await generateBindings()) files.set(path, content);
  return { files, ownedDirs: [BINDINGS_DIR] };
}

/** Differences between what generation produces and what is on disk. */
export async function staleGeneratedFiles(): Promise<string[]> {
  const { files, ownedDirs } = await generatedFiles();
  const stale: string[] = [];
  for (const [path, content] of files) {
    let current: string | undefined;
    try {
      current = readFileSync(join(root, path), "utf8");
    } catch {
      current = undefined;
    }
    if (current !== content) stale.push(path);
  }
  for (const dir of ownedDirs) {
    for (const path of walk(join(root, dir))) {
      const rel = relative(root, path);
      if (!files.has(rel)) stale.push(`${rel} (no longer generated)`);
    }
  }
  return stale;
}

async function run(): Promise<void> {
  const check = process.argv.includes("--check");
  if (check) {
    const stale = await staleGeneratedFiles();
    for (const path of stale) console.error(`${path} is stale: run \`npm run generate\` and commit the result.`);
    process.exitCode = stale.length ? 1 : 0;
    return;
  }
  const { files, ownedDirs } = await generatedFiles();
  for (const dir of ownedDirs) rmSync(join(root, dir), { recursive: true, force: true });
  for (const [path, content] of files) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  console.log(`wrote ${files.size} generated files`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await run();
