// `prefect-gitops init` through the CLI: what it writes is a configuration the engine accepts,
// and it never overwrites a file. (test/package/ runs `npm install && prefect-gitops plan` in it.)
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "../../test/support/cli.js";

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
function temporaryDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "prefect-gitops-init-"));
  made.push(dir);
  return dir;
}

describe("prefect-gitops init", () => {
  it.each([
    [[], ["main.ts", "cdktf.json", "tsconfig.json"], 6],
    [["--hcl"], ["main.tf"], 6],
  ])("init %j writes a repository that validates", async (flags, expected, resources) => {
    const cwd = temporaryDir();
    const result = await runCli(["init", "infra", ...flags], { cwd });
    expect(result.code, result.stderr).toBe(0);
    const dir = join(cwd, "infra");
    for (const file of [...expected, "package.json", ".gitignore", "README.md"]) expect(readFileSync(join(dir, file), "utf8").length, file).toBeGreaterThan(0);
    expect(readFileSync(join(dir, ".gitignore"), "utf8")).toMatch(/\*\.state\.json\.journal[\s\S]*\*\.tfvars/);
    // As installed: "prefect-gitops" resolves from the repository's node_modules.
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(REPO_ROOT, join(dir, "node_modules", "prefect-gitops"), "dir");
    const validated = await runCli(["validate", "--json"], { cwd: dir });
    expect(validated.code, validated.stderr + validated.stdout).toBe(0);
    expect(JSON.parse(validated.stdout)).toMatchObject({ valid: true, resources });
  });

  it("writes nothing when a file it would write exists, and says which", async () => {
    const cwd = temporaryDir();
    writeFileSync(join(cwd, "main.ts"), "// mine\n");
    const result = await runCli(["init"], { cwd });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/already has main\.ts; init never overwrites files/);
    expect(readFileSync(join(cwd, "main.ts"), "utf8")).toBe("// mine\n");
    expect(() => readFileSync(join(cwd, "package.json"))).toThrow();
  });

  it("refuses a language it cannot write", async () => {
    const result = await runCli(["init", "--language", "python"], { cwd: temporaryDir() });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--language.*python.*typescript/);
  });
});

describe("prefect-gitops --version", () => {
  it("prints the package's version", async () => {
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
    const result = await runCli(["--version"], { cwd: REPO_ROOT });
    expect(result).toMatchObject({ code: 0, stdout: version });
  });
});
