import { describe, expect, it } from "vitest";
import { initFiles, packageNameFor, STARTER_VERSIONS, type InitFlavour } from "./files.js";

const templates = new Map([
  ["common/gitignore", "node_modules/\n*.tfvars\n"],
  ["typescript/main.ts", "// main\n"],
  ["typescript/tsconfig.json", "{}\n"],
  ["hcl/main.tf", "# main\n"],
]);
const options = (flavour: InitFlavour) => ({ name: "infra", version: "1.2.3", flavour, projectId: "id-1", templates });

describe("initFiles", () => {
  it.each([
    ["typescript", [".gitignore", "README.md", "cdktf.json", "main.ts", "package.json", "tsconfig.json"]],
    ["hcl", [".gitignore", "README.md", "main.tf", "package.json"]],
  ] as const)("writes the %s repository's files", (flavour, paths) => {
    expect(initFiles(options(flavour)).map((file) => file.path).sort()).toEqual(paths);
  });

  it.each(["typescript", "hcl"] as const)("makes the %s repository depend on this version of prefect-gitops", (flavour) => {
    const manifest = JSON.parse(initFiles(options(flavour)).find((file) => file.path === "package.json")!.content);
    expect(manifest).toMatchObject({ name: "infra", private: true, dependencies: { "prefect-gitops": "^1.2.3" }, scripts: { plan: "prefect-gitops plan", apply: "prefect-gitops apply" } });
  });

  it("gives a TypeScript repository the CDK, an app command the engine runs in process, and its project id", () => {
    const files = new Map(initFiles(options("typescript")).map((file) => [file.path, file.content]));
    expect(JSON.parse(files.get("package.json")!)).toMatchObject({ type: "module", dependencies: { cdktf: STARTER_VERSIONS.cdktf, constructs: STARTER_VERSIONS.constructs } });
    expect(JSON.parse(files.get("cdktf.json")!)).toMatchObject({ language: "typescript", app: "npx tsx main.ts", projectId: "id-1" });
    expect(files.get("main.ts")).toBe("// main\n");
    expect(files.get(".gitignore")).toBe("node_modules/\n*.tfvars\n");
  });

  it("says which template is missing from a broken installation", () => {
    expect(() => initFiles({ ...options("hcl"), templates: new Map() })).toThrow(/template "common\/gitignore" is missing.*reinstall prefect-gitops/);
  });
});

describe("packageNameFor", () => {
  it.each([
    ["infra", "infra"],
    ["My Prefect Infra", "my-prefect-infra"],
    ["_x_", "x_"],
    ["...", "prefect-infrastructure"],
  ])("%s -> %s", (directory, name) => {
    expect(packageNameFor(directory)).toBe(name);
  });
});
