// What `prefect-gitops init` writes: a ready infrastructure repository. Pure: the files are
// computed from the options and the templates (read by the caller), and written by the command.

/** The kinds of repository init starts. */
export type InitFlavour = "typescript" | "hcl";

export interface InitOptions {
  /** The package name (from the directory's name). */
  name: string;
  /** The prefect-gitops version the repository depends on. */
  version: string;
  flavour: InitFlavour;
  /** CDKTF's project id (cdktf.json). */
  projectId: string;
  /** Template files by name (templates/<flavour>/ and templates/common/). */
  templates: ReadonlyMap<string, string>;
}

/** A file to write, by path relative to the new repository. */
export interface InitFile {
  path: string;
  content: string;
}

/** The versions an initialized TypeScript repository starts with (the ones this package is tested with). */
export const STARTER_VERSIONS = { cdktf: "^0.21.0", constructs: "^10.4.2", tsx: "^4.20.0", typescript: "~5.9.0" } as const;

/** npm-valid package name from a directory name. */
export function packageNameFor(directoryName: string): string {
  const name = directoryName
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[._-]+|[-]+$/g, "");
  return name || "prefect-infrastructure";
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

function template(options: InitOptions, name: string): string {
  const text = options.templates.get(name);
  if (text === undefined) throw new Error(`prefect-gitops init: the template "${name}" is missing from this installation; reinstall prefect-gitops.`);
  return text;
}

function packageJson(options: InitOptions): string {
  const scripts = { validate: "prefect-gitops validate", plan: "prefect-gitops plan", apply: "prefect-gitops apply", drift: "prefect-gitops drift" };
  if (options.flavour === "hcl") return json({ name: options.name, private: true, scripts, dependencies: { "prefect-gitops": `^${options.version}` } });
  return json({
    name: options.name,
    private: true,
    type: "module",
    scripts: { ...scripts, synth: "tsx main.ts", typecheck: "tsc" },
    dependencies: { "prefect-gitops": `^${options.version}`, cdktf: STARTER_VERSIONS.cdktf, constructs: STARTER_VERSIONS.constructs },
    devDependencies: { tsx: STARTER_VERSIONS.tsx, typescript: STARTER_VERSIONS.typescript },
  });
}

function readme(options: InitOptions): string {
  const source = options.flavour === "hcl" ? "`main.tf` (Terraform HCL)" : "`main.ts` (a CDKTF app using the prefect-gitops constructs)";
  return `# ${options.name}

The Prefect objects of a workspace, declared in ${source}: a work pool with a queue, a flow, a
deployment with a daily schedule, and an automation that runs the deployment again when a run
fails. Made by \`prefect-gitops init\`.

## Plan and apply

\`\`\`sh
npm install
export PREFECT_API_URL=https://your-prefect-server/api   # and PREFECT_API_KEY for Prefect Cloud
npx prefect-gitops plan     # what would change
npx prefect-gitops apply    # make the workspace match (asks first; --auto-approve in CI)
npx prefect-gitops drift    # has anyone changed it since?
\`\`\`

To try it without a Prefect server, start the Prefect-compatible devserver in another terminal:

\`\`\`sh
npx prefect-gitops-devserver --port 4200
PREFECT_API_URL=http://127.0.0.1:4200/api npx prefect-gitops apply
\`\`\`

## What to commit

Commit \`prefect-gitops.state.json\`: it records which objects this repository owns, and
\`apply\` never deletes anything it does not own. \`.gitignore\` keeps out the state's journal and
lock (a run's working files), \`*.tfvars\` files (they hold secrets: give them in CI from its
secret store, or as \`TF_VAR_<name>\` variables) and build output.

In CI, \`npx prefect-gitops plan --detailed-exitcode\` exits 2 when there are changes, and
\`npx prefect-gitops apply --auto-approve\` applies them.
`;
}

/** Every file of a new repository. */
export function initFiles(options: InitOptions): InitFile[] {
  const files: InitFile[] = [
    { path: "package.json", content: packageJson(options) },
    { path: ".gitignore", content: template(options, "common/gitignore") },
    { path: "README.md", content: readme(options) },
  ];
  if (options.flavour === "hcl") return [...files, { path: "main.tf", content: template(options, "hcl/main.tf") }];
  const cdktf = { language: "typescript", app: "npx tsx main.ts", projectId: options.projectId, sendCrashReports: "false", terraformProviders: [], terraformModules: [], context: {} };
  return [
    ...files,
    { path: "cdktf.json", content: json(cdktf) },
    { path: "main.ts", content: template(options, "typescript/main.ts") },
    { path: "tsconfig.json", content: template(options, "typescript/tsconfig.json") },
  ];
}
