// The package as users install it: `npm pack` (its prepack builds dist/), the tarball installed
// into fresh projects of every shape a CDKTF user has, sharing one temporary npm cache. In each,
// the installed (compiled) CLI applies the project's stack to a devserver of its own and the
// synthesized cdk.tf.json then plans clean; the stacks synthesize the same JSON whatever the
// module system, the language or the CDK (cdktf or cdktn). About 140 s of CPU in all (npm pack's
// build, five installs, two of them with TypeScript): well under 2 minutes on 2 idle cores, as
// the installs after the first run at once; the time limits allow for a busy machine.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runProcess, type CliResult } from "../support/cli.js";
import { startTestDevServer } from "../support/devserver.js";

const work = mkdtempSync(join(tmpdir(), "prefect-gitops-pack-"));
const cache = join(work, "npm-cache");
let tarball = "";

/**
 * What a user's shell has: no NODE_OPTIONS (the test runner's points "prefect-gitops" at the
 * sources) and none of the npm_* settings of the `npm test` that started us, but the registry
 * and proxy settings.
 */
function userEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key === "NODE_OPTIONS" || key.startsWith("VITEST")) continue;
    if (key.toLowerCase().startsWith("npm_") && !/^npm_config_(registry|.*proxy|strict_ssl|cafile)$/i.test(key)) continue;
    env[key] = value;
  }
  return { ...env, CHECKPOINT_DISABLE: "1", npm_config_cache: cache, npm_config_update_notifier: "false", ...extra };
}

function run(command: string, args: string[], cwd: string, env: Record<string, string> = userEnv()): Promise<CliResult> {
  return runProcess(command, args, { cwd, env });
}

async function succeed(command: string, args: string[], cwd: string, env?: Record<string, string>): Promise<CliResult> {
  const result = await run(command, args, cwd, env);
  if (result.code !== 0) throw new Error(`\`${command} ${args.join(" ")}\` in ${cwd} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  return result;
}

const npmInstall = (dir: string, packages: string[]) => succeed("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", ...packages], dir);

/** The same stack in every project: a pool with a queue, a flow, a scheduled deployment, an automation. */
const STACK_BODY = `
    new PrefectProvider(this, "prefect");
    const pool = new WorkPool(this, "pool", { name: "pack-pool", type: "process" });
    const queue = pool.addQueue("scheduled", { priority: 2 });
    const flow = new Flow(this, "flow", { name: "pack-flow" });
    const deployment = new Deployment(this, "deployment", { name: "nightly", flow, workQueue: queue, entrypoint: "flows/etl.py:etl" });
    deployment.addSchedule(Schedule.cron("0 2 * * *"), { slug: "nightly" });
    new Automation(this, "retry", { name: "retry-nightly", trigger: Trigger.flowRunState(deployment, ["Failed"]), actions: [Action.runDeployment(deployment)] });`;
const NAMES = "Action, Automation, Deployment, Flow, PrefectProvider, Schedule, Trigger, WorkPool";

function stackSource(options: { cdk: "cdktf" | "cdktn"; typed: boolean; require: boolean }): string {
  const imports = options.require
    ? `const { App, TerraformStack } = require("${options.cdk}");\nconst { ${NAMES} } = require("prefect-gitops");\n`
    : `${options.typed ? 'import { Construct } from "constructs";\n' : ""}import { App, TerraformStack } from "${options.cdk}";\nimport { ${NAMES} } from "prefect-gitops";\n`;
  const signature = options.typed ? "scope: Construct, id: string" : "scope, id";
  return `${imports}
class PrefectStack extends TerraformStack {
  constructor(${signature}) {
    super(scope, id);${STACK_BODY}
  }
}

const app = new App();
new PrefectStack(app, "prefect");
app.synth();
`;
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
const cdktfJson = (app: string) => json({ language: "typescript", app, projectId: "pack-test", sendCrashReports: "false", terraformProviders: [], terraformModules: [], context: {} });

interface Project {
  name: string;
  dir: string;
  /** Packages besides the tarball. */
  packages: string[];
  files: Record<string, string>;
  /** Run after installing (compiling). */
  prepare?: string[][];
}

function project(name: string, packages: string[], files: Record<string, string>, prepare?: string[][]): Project {
  return { name, dir: join(work, name), packages, files, prepare };
}

const CDKTF = ["cdktf@^0.21.0", "constructs@^10.4.2"];
const PROJECTS: Project[] = [
  // What `cdktf init --template=typescript` makes: CommonJS, ts-node (which type-checks main.ts), "moduleResolution": "node".
  project("cdktf-template", [...CDKTF, "ts-node@^10.9.2", "typescript@~5.9.0", "@types/node@^20"], {
    "package.json": json({ name: "cdktf-template", private: true, main: "main.js", types: "main.ts" }),
    "cdktf.json": cdktfJson("npx ts-node main.ts"),
    "tsconfig.json": json({
      compilerOptions: { alwaysStrict: true, declaration: true, experimentalDecorators: true, inlineSourceMap: true, inlineSources: true, lib: ["es2018"], module: "CommonJS", moduleResolution: "node", noEmitOnError: true, strict: true, target: "ES2018", skipLibCheck: true, types: ["node"] },
      exclude: ["node_modules", "cdktf.out"],
    }),
    // The same CommonJS file type-checked with node16 resolution too (types from the .d.cts).
    "tsconfig.node16.json": json({ extends: "./tsconfig.json", compilerOptions: { module: "node16", moduleResolution: "node16", noEmit: true } }),
    "main.ts": stackSource({ cdk: "cdktf", typed: true, require: false }),
  }, [["npx", "tsc", "-p", "tsconfig.node16.json"]]),
  // An ES module project compiled by tsc with "nodenext"; its types are checked with "node16" and "bundler" too.
  project("esm-nodenext", [...CDKTF, "typescript@~5.9.0"], {
    "package.json": json({ name: "esm-nodenext", private: true, type: "module" }),
    "cdktf.json": cdktfJson("node main.js"),
    "tsconfig.json": json({ compilerOptions: { module: "nodenext", moduleResolution: "nodenext", target: "es2022", strict: true, skipLibCheck: true, types: [] }, files: ["main.ts"] }),
    "tsconfig.node16.json": json({ extends: "./tsconfig.json", compilerOptions: { module: "node16", moduleResolution: "node16", noEmit: true } }),
    "tsconfig.bundler.json": json({ extends: "./tsconfig.json", compilerOptions: { module: "esnext", moduleResolution: "bundler", noEmit: true } }),
    "main.ts": stackSource({ cdk: "cdktf", typed: true, require: false }),
  }, [["npx", "tsc", "-p", "tsconfig.json"], ["npx", "tsc", "-p", "tsconfig.node16.json"], ["npx", "tsc", "-p", "tsconfig.bundler.json"]]),
  // Plain JavaScript: the app imports the package; main.cjs requires it.
  project("plain-js", CDKTF, {
    "package.json": json({ name: "plain-js", private: true }),
    "cdktf.json": cdktfJson("node main.mjs"),
    "main.mjs": stackSource({ cdk: "cdktf", typed: false, require: false }),
    "main.cjs": stackSource({ cdk: "cdktf", typed: false, require: true }),
  }),
  // CDK Terrain, the maintained fork of CDKTF (its constructs range ends before 10.8).
  project("cdktn", ["cdktn@^0.24.0", "constructs@~10.7.0"], {
    "package.json": json({ name: "cdktn-app", private: true, type: "module" }),
    "cdktf.json": cdktfJson("node main.js"),
    "main.js": stackSource({ cdk: "cdktn", typed: false, require: false }),
  }),
];

const cliOf = (dir: string) => join(dir, "node_modules", "prefect-gitops", "bin", "prefect-gitops.js");
/** A synthesized stack, with the project's directory (in the local backend's path) replaced by a placeholder. */
function readStack(dir: string, outdir = join(dir, "cdktf.out")): Record<string, Record<string, unknown>> {
  return JSON.parse(readFileSync(join(outdir, "stacks", "prefect", "cdk.tf.json"), "utf8").replaceAll(dir, "<project>")) as Record<string, Record<string, unknown>>;
}

/** Synthesized JSON without what names the CDK's own version. */
function withoutCdkVersion(stack: Record<string, Record<string, unknown>>): unknown {
  const { "//": meta, ...rest } = stack;
  const { metadata, ...other } = (meta ?? {}) as { metadata?: Record<string, unknown> };
  const { version: _version, ...keptMetadata } = metadata ?? {};
  return { ...rest, "//": { ...other, metadata: keptMetadata } };
}

afterAll(() => rm(work, { recursive: true, force: true }), 300_000);

beforeAll(async () => {
  const packed = await succeed("npm", ["pack", "--json", "--pack-destination", work], REPO_ROOT, userEnv());
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("["))) as { filename: string }[];
  tarball = join(work, info!.filename);
  for (const p of PROJECTS) {
    mkdirSync(p.dir);
    for (const [file, content] of Object.entries(p.files)) writeFileSync(join(p.dir, file), content);
  }
  // One install fills the shared cache with what every project needs; the others then install at once.
  const [first, ...rest] = PROJECTS;
  await npmInstall(first!.dir, [tarball, ...first!.packages]);
  await Promise.all(rest.map((p) => npmInstall(p.dir, [tarball, ...p.packages])));
  for (const p of PROJECTS) for (const [command, ...args] of p.prepare ?? []) await succeed(command!, args, p.dir);
}, 600_000);

describe("the packed package", () => {
  it("ships compiled JavaScript with types and source maps, and no sources, tests or configs", async () => {
    const listing = await succeed("tar", ["-tzf", tarball], work);
    const files = listing.stdout.trim().split("\n").map((line) => line.replace(/^package\//, ""));
    expect(files).toEqual(expect.arrayContaining(["package.json", "README.md", "bin/prefect-gitops.js", "bin/prefect-gitops-devserver.js", "dist/provider/index.js", "dist/provider/index.d.ts", "dist/provider/index.js.map", "dist/reconciler/cli.js", "dist/provider/cdk-runtime/cdk.cjs", "dist/provider/generated/package.json"]));
    const unwanted = files.filter((file) => /\.test\.|\.testing\.|(^|\/)tsconfig|eslint|vitest|^test\/|^bench\/|^scripts\/|(^|\/)[^/]+(?<!\.d)\.ts$/.test(file) && !file.startsWith("dist/examples/") && !file.startsWith("dist/reconciler/init/templates/"));
    expect(unwanted).toEqual([]);
  });

  it.each(PROJECTS.map((p) => [p.name, p] as const))("%s: the installed CLI applies the stack to a devserver, and the synthesized cdk.tf.json then plans clean", async (_name, p) => {
    expect(existsSync(join(p.dir, "node_modules", "prefect-gitops", "reconciler")), "the installed package has no sources").toBe(false);
    const server = await startTestDevServer();
    try {
      const env = userEnv({ PREFECT_API_URL: server.url });
      const state = join(p.dir, "prefect-gitops.state.json");
      const applied = await run(process.execPath, [cliOf(p.dir), "apply", "--auto-approve", "--state", state], p.dir, env);
      expect(applied.code, applied.stdout + applied.stderr).toBe(0);
      expect(applied.stdout).toMatch(/Apply complete! Resources: 6 added, 0 changed, 0 destroyed/);
      const planned = await run(process.execPath, [cliOf(p.dir), "plan", "--detailed-exitcode", "--state", state, join("cdktf.out", "stacks", "prefect")], p.dir, env);
      expect(planned.code, planned.stdout + planned.stderr).toBe(0);
      expect(planned.stdout).toMatch(/No changes/);
      expect(server.responseViolations).toEqual([]);
    } finally {
      await server.close();
    }
  }, 180_000);

  it("synthesizes the same stack whatever the project: CommonJS or ESM, TypeScript or JavaScript, require or import, cdktf or cdktn", async () => {
    const plain = PROJECTS.find((p) => p.name === "plain-js")!;
    const outdir = join(plain.dir, "required.out");
    await succeed(process.execPath, ["main.cjs"], plain.dir, userEnv({ CDKTF_OUTDIR: outdir }));
    const reference = withoutCdkVersion(readStack(plain.dir));
    expect(withoutCdkVersion(readStack(plain.dir, outdir))).toEqual(reference);
    for (const p of PROJECTS) expect(withoutCdkVersion(readStack(p.dir)), p.name).toEqual(reference);
    expect(Object.keys((reference as { resource: object }).resource).sort()).toEqual(["prefect_automation", "prefect_deployment", "prefect_deployment_schedule", "prefect_flow", "prefect_work_pool", "prefect_work_queue"]);
  }, 60_000);

  it("starts a repository with init in which `npm install && npx prefect-gitops plan` works", async () => {
    const plain = PROJECTS.find((p) => p.name === "plain-js")!;
    await succeed(process.execPath, [cliOf(plain.dir), "init", join(work, "from-init")], work);
    const dir = join(work, "from-init");
    // The tarball stands in for the registry's prefect-gitops@^version.
    await npmInstall(dir, [tarball]);
    const server = await startTestDevServer();
    try {
      const env = userEnv({ PREFECT_API_URL: server.url });
      const first = await run("npx", ["prefect-gitops", "plan", "--detailed-exitcode"], dir, env);
      expect(first.code, first.stdout + first.stderr).toBe(2);
      expect(first.stdout).toMatch(/prefect_work_pool\.[\w-]+ will be created/);
      await succeed("npx", ["prefect-gitops", "apply", "--auto-approve"], dir, env);
      const second = await run("npx", ["prefect-gitops", "plan", "--detailed-exitcode"], dir, env);
      expect(second.code, second.stdout + second.stderr).toBe(0);
      const version = await succeed("npx", ["prefect-gitops", "--version"], dir, env);
      expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version);
      // The devserver's bin loads its compiled code too (its --help comes after every import).
      const devserverHelp = await succeed("npx", ["prefect-gitops-devserver", "--help"], dir, env);
      expect(devserverHelp.stdout).toMatch(/--port <port>/);
    } finally {
      await server.close();
    }
  }, 300_000);
});
