// The examples are for both tools: none declares what the official prefecthq/prefect provider
// refuses (provider/terraform/official-refusals.ts), neither examples/hcl nor the Terraform JSON
// each CDKTF example synthesizes, and synth leaves no warning in any example's manifest (where
// `cdktf synth` prints them from). A copy of the quickstart that declares the pool's `default`
// queue shows that the check finds it, and that synth warns there.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { officialRefusalsOf } from "../../provider/terraform/official-refusals.js";
import { childProcessRunner, synthesizeCdktfApp } from "../../reconciler/config/cdktf.js";
import { loadConfig } from "../../reconciler/config/load.js";
import { REPO_ROOT } from "../support/cli.js";

const EXAMPLES_DIR = join(REPO_ROOT, "examples");
const CDKTF_EXAMPLES = readdirSync(EXAMPLES_DIR)
  .filter((name) => readdirSync(join(EXAMPLES_DIR, name)).includes("cdktf.json"))
  .sort();

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** A copy of examples/NAME as a user's project (prefect-gitops installed as a link to this repository). */
function project(name: string, edit?: (source: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), `prefect-gitops-official-${name}-`));
  temporary.push(dir);
  const leftovers = new Set(["cdktf.out", "node_modules", ".terraform", ".prefect-gitops"]);
  cpSync(join(EXAMPLES_DIR, name), dir, { recursive: true, filter: (source) => !leftovers.has(basename(source)) && !basename(source).includes(".state.json") });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `prefect-gitops-official-${name}`, private: true, type: "module" }));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(REPO_ROOT, join(dir, "node_modules", "prefect-gitops"), "dir");
  if (edit) writeFileSync(join(dir, "main.ts"), edit(readFileSync(join(dir, "main.ts"), "utf8")));
  return dir;
}

type TerraformJson = { resource?: Record<string, Record<string, Record<string, unknown>>> };
type Manifest = { stacks: Record<string, { synthesizedStackPath: string; annotations: { constructPath: string; level: string; message: string }[] }> };

interface Synthesized {
  /** Every listed refusal declared, as `stack: type.name code`. */
  refusals: string[];
  /** Every warning synth left, as `constructPath: message`. */
  warnings: string[];
  /** How many resources the stacks hold (so an empty synth cannot pass). */
  resources: number;
}

/** Synthesize a CDKTF project as `cdktf synth` does, and read every stack's output and annotations. */
async function synthesize(dir: string): Promise<Synthesized> {
  const outdir = await synthesizeCdktfApp(dir, childProcessRunner(process.env));
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as Manifest;
  const result: Synthesized = { refusals: [], warnings: [], resources: 0 };
  for (const [stack, entry] of Object.entries(manifest.stacks)) {
    const json = JSON.parse(readFileSync(join(outdir, entry.synthesizedStackPath), "utf8")) as TerraformJson;
    for (const [type, byName] of Object.entries(json.resource ?? {})) {
      for (const [name, attributes] of Object.entries(byName)) {
        result.resources += 1;
        for (const finding of officialRefusalsOf(type, attributes)) result.refusals.push(`${stack}: ${type}.${name} ${finding.refusal.code}`);
      }
    }
    for (const annotation of entry.annotations) if (annotation.level !== "@cdktf/info") result.warnings.push(`${annotation.constructPath}: ${annotation.message}`);
  }
  return result;
}

describe("what the examples declare, the official provider applies", () => {
  it("examples/hcl declares no listed refusal", async () => {
    const { model } = await loadConfig(join(EXAMPLES_DIR, "hcl"));
    expect(model.resources.length).toBeGreaterThan(10);
    const refusals = model.resources.flatMap((resource) => officialRefusalsOf(resource.type, resource.attributes).map((finding) => `${resource.type}.${resource.name} ${finding.refusal.code}`));
    expect(refusals).toEqual([]);
  });

  it.each(CDKTF_EXAMPLES)("examples/%s synthesizes no listed refusal, and synth warns of nothing", async (name) => {
    const synthesized = await synthesize(project(name));
    expect(synthesized.resources).toBeGreaterThan(0);
    expect(synthesized.refusals).toEqual([]);
    expect(synthesized.warnings).toEqual([]);
  });

  it("a quickstart that declares the pool's default queue is caught, and synth warns on its construct", async () => {
    const synthesized = await synthesize(project("quickstart", (source) => source.replace('pool.addQueue("standard"', 'pool.addQueue("default"')));
    expect(synthesized.refusals).toEqual([expect.stringMatching(/^quickstart: prefect_work_queue\.pool_default_\w+ work-queue-default$/)]);
    expect(synthesized.warnings).toEqual([expect.stringMatching(/^quickstart\/pool\/default: prefect_work_queue\.name = "default" applies with prefect-gitops only\./)]);
  });
});
