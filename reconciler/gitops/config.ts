// prefect-gitops.yaml: the stacks a repository declares. Parsed with `yaml` (which keeps every
// node's position, so an error names its line) and checked with zod. Connections come from
// named environment variables only: a literal URL or key in a repository would be a leaked secret.
import { posix } from "node:path";
import { isNode, LineCounter, parseDocument, type Document } from "yaml";
import { z } from "zod";
import { DiagnosticsError, error, type Diagnostic } from "../diagnostics.js";

export const GITOPS_CONFIG_FILE = "prefect-gitops.yaml";

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const envName = z.string().regex(ENV_NAME, "expected the NAME of an environment variable (letters, digits, _), not a value");
const stackName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "expected lowercase letters, digits and dashes (it names the state, the check run and the drift issue)");

const workspaceSchema = z.strictObject({
  /** The variable holding the API URL (`PREFECT_API_URL` of the workspace). */
  api_url_env: envName,
  /** The variable holding the API key; absent for a server without authentication. */
  api_key_env: envName.optional(),
  /** The variable holding a self-hosted server's basic auth string (`PREFECT_API_AUTH_STRING`). */
  auth_string_env: envName.optional(),
});

const stateSchema = z.strictObject({
  /** `workspace`: inside the Prefect workspace, shared by every runner with nothing to set up. */
  backend: z.enum(["workspace", "file"]).default("workspace"),
  /** Name of the state in the workspace backend. @default the stack's name */
  name: stackName.optional(),
  /** File of the file backend, relative to the repository root (only for local experiments: CI runners do not share it). */
  path: z.string().min(1).optional(),
});

const optionsSchema = z.strictObject({
  /** Apply on a push to the branch. @default true */
  auto_apply: z.boolean().default(true),
  /** On a drift audit, apply the branch to correct drift. @default false */
  self_heal: z.boolean().default(false),
  /** Who may start a plan of an untrusted pull request with `/prefect-gitops plan` (GitHub's repository permission). @default write */
  plan_permission: z.enum(["write", "maintain", "admin"]).default("write"),
  /** `/prefect-gitops apply` on a pull request applies its head (before the merge), for people with write access or more and at least plan_permission. Read from the base branch. @default false */
  apply_from_pull_request: z.boolean().default(false),
});

const stackSchema = z.strictObject({
  name: stackName,
  /** Directory of a CDKTF project (cdktf.json) or of .tf / .tf.json files, relative to the repository root. */
  path: z
    .string()
    .min(1)
    .refine((path) => !path.startsWith("/") && !path.split("/").includes(".."), "expected a path inside the repository (relative, without ..)")
    .transform((path) => posix.normalize(path).replace(/\/+$/, "") || "."),
  workspace: workspaceSchema,
  state: stateSchema.default({ backend: "workspace" }),
  options: optionsSchema.default({ auto_apply: true, self_heal: false, plan_permission: "write", apply_from_pull_request: false }),
});

const configSchema = z.strictObject({
  version: z.literal(1),
  /** The branch whose head is applied. @default the repository's default branch */
  branch: z.string().min(1).optional(),
  /** Limits of a CDKTF app's synthesis (it is code from the repository). */
  synth: z
    .strictObject({
      timeout_seconds: z.number().int().min(1).max(3600).default(300),
      memory_mb: z.number().int().min(128).max(16384).default(2048),
    })
    .default({ timeout_seconds: 300, memory_mb: 2048 }),
  stacks: z.array(stackSchema).min(1, "declare at least one stack"),
});

export type GitopsConfig = z.infer<typeof configSchema>;
export type StackConfig = GitopsConfig["stacks"][number];

/** Hints for mistakes people make, by the key they wrote. */
const KEY_HINTS: Record<string, string> = {
  api_key: "Never write a key in the repository: name the environment variable holding it, e.g. api_key_env: PREFECT_API_KEY_PROD.",
  api_url: "Name the environment variable holding the URL, e.g. api_url_env: PREFECT_API_URL_PROD.",
  auth_string: "Name the environment variable holding it, e.g. auth_string_env: PREFECT_API_AUTH_STRING.",
};

function lineOf(doc: Document, counter: LineCounter, path: readonly PropertyKey[]): number | undefined {
  // The deepest node that exists: a missing key is reported on its parent's line.
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth) as (string | number)[], true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

function describe(issue: z.core.$ZodIssue): { summary: string; detail?: string; path: PropertyKey[] } {
  const where = issue.path.length ? issue.path.join(".") : "the file";
  if (issue.code === "unrecognized_keys") {
    const keys = issue.keys;
    const hint = keys.map((key) => KEY_HINTS[key]).find(Boolean);
    return { summary: `${where}: unknown key${keys.length > 1 ? "s" : ""} ${keys.map((key) => `"${key}"`).join(", ")}`, detail: hint ?? "Remove it, or check its spelling against README's prefect-gitops.yaml reference.", path: [...issue.path, keys[0]!] };
  }
  return { summary: `${where}: ${issue.message}`, detail: "See README's prefect-gitops.yaml reference.", path: issue.path };
}

/** Parse and check prefect-gitops.yaml; every problem comes back as a diagnostic with its line. */
export function parseGitopsConfig(text: string, file = GITOPS_CONFIG_FILE): { config?: GitopsConfig; diagnostics: Diagnostic[] } {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    return {
      diagnostics: doc.errors.map((problem) => error("CONFIG_SYNTAX", `${file} is not valid YAML: ${problem.message.split("\n")[0]}`, { file, line: counter.linePos(problem.pos[0]).line, detail: "Fix the YAML syntax (indentation, quotes, a duplicate key)." })),
    };
  }
  const parsed = configSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    return {
      diagnostics: parsed.error.issues.map((issue) => {
        const { summary, detail, path } = describe(issue);
        return error("CONFIG_INVALID", summary, { file, line: lineOf(doc, counter, path), detail });
      }),
    };
  }
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, number>();
  parsed.data.stacks.forEach((stack, index) => {
    const line = lineOf(doc, counter, ["stacks", index, "name"]);
    if (seen.has(stack.name)) diagnostics.push(error("CONFIG_DUPLICATE", `stacks.${index}.name: the stack "${stack.name}" is declared twice`, { file, line, detail: `First declared on line ${seen.get(stack.name)}. Give each stack its own name.` }));
    seen.set(stack.name, line ?? 0);
    if (stack.state.backend === "file" && !stack.state.path) diagnostics.push(error("CONFIG_INVALID", `stacks.${index}.state: the file backend needs a path`, { file, line: lineOf(doc, counter, ["stacks", index, "state"]), detail: "Add path: (relative to the repository root), or use backend: workspace." }));
  });
  return diagnostics.length ? { diagnostics } : { config: parsed.data, diagnostics };
}

/** parseGitopsConfig, throwing DiagnosticsError on problems. */
export function loadGitopsConfig(text: string, file = GITOPS_CONFIG_FILE): GitopsConfig {
  const { config, diagnostics } = parseGitopsConfig(text, file);
  if (!config) throw new DiagnosticsError(diagnostics);
  return config;
}

/** The names of the environment variables a stack's connection reads (and that synthesis must never see). */
export function connectionVariables(stack: StackConfig): string[] {
  return [stack.workspace.api_url_env, stack.workspace.api_key_env, stack.workspace.auth_string_env].filter((name): name is string => name !== undefined);
}
