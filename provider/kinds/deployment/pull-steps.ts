// A deployment's pull steps. The official provider flattens every step type into one object
// with `type` and the union of all types' attributes; Prefect stores each step as
// `{"<module>.<function>": {inputs}}`. Which attributes a type takes is checked here, and the
// two shapes are converted both ways (pure code: constructs and the engine share it).
import { attr, oneOf, type SpecOf } from "../attributes.js";
import type { SpecIssue } from "../kind.js";

/** One pull step, flattened: `type` plus whichever attributes that type takes (derived from its attributes). */
export type PullStepSpec = SpecOf<ReturnType<typeof pullStepAttributes>>;

type StepAttribute = Exclude<keyof PullStepSpec, "type">;

interface StepRule {
  /** The Prefect step function the type stands for, as a pull step names it. */
  step: string;
  /** Attributes the type takes besides `type` and `requires` (which every step takes). */
  takes: StepAttribute[];
  /** Attributes the step function cannot run without. */
  requires: StepAttribute[];
}

/** Every pull step type of the official provider, with the Prefect step it stands for. */
export const PULL_STEP_RULES: Readonly<Record<string, StepRule>> = {
  set_working_directory: { step: "prefect.deployments.steps.set_working_directory", takes: ["directory"], requires: ["directory"] },
  git_clone: {
    step: "prefect.deployments.steps.git_clone",
    takes: ["repository", "branch", "access_token", "credentials", "include_submodules"],
    requires: ["repository"],
  },
  run_shell_script: {
    step: "prefect.deployments.steps.run_shell_script",
    takes: ["script", "directory", "env", "expand_env_vars", "stream_output"],
    requires: ["script"],
  },
  pip_install_requirements: { step: "prefect.deployments.steps.pip_install_requirements", takes: ["requirements_file", "directory", "stream_output"], requires: [] },
  pull_from_azure_blob_storage: {
    step: "prefect_azure.deployments.steps.pull_from_azure_blob_storage",
    takes: ["container", "folder", "credentials"],
    requires: ["container", "folder"],
  },
  pull_from_gcs: { step: "prefect_gcp.deployments.steps.pull_from_gcs", takes: ["bucket", "folder", "credentials"], requires: ["bucket", "folder"] },
  pull_from_s3: { step: "prefect_aws.deployments.steps.pull_from_s3", takes: ["bucket", "folder", "credentials"], requires: ["bucket", "folder"] },
};

const TYPES = Object.keys(PULL_STEP_RULES);
const STEP_ATTRIBUTES: StepAttribute[] = [
  "credentials",
  "requires",
  "directory",
  "repository",
  "branch",
  "access_token",
  "include_submodules",
  "bucket",
  "container",
  "folder",
  "script",
  "env",
  "expand_env_vars",
  "stream_output",
  "requirements_file",
];

/** The attributes of one pull step (the official provider's nested attributes). */
export function pullStepAttributes() {
  const text = (description: string) => attr.string({ description, optional: true });
  const flag = (description: string) => attr.bool({ description, optional: true });
  return {
    type: attr.string({
      description: `The type of pull step: one of ${TYPES.join(", ")}.`,
      required: true,
      check: oneOf("a pull step type", TYPES),
    }),
    credentials: text("(git_clone, pull_from_*) Credentials for the step, usually a block reference such as {{ prefect.blocks.github-credentials.name }}."),
    requires: text("Python packages the step needs, installed before it runs (e.g. prefect-aws>=0.3.4)."),
    directory: text("(set_working_directory, run_shell_script, pip_install_requirements) The directory to work in."),
    repository: text("(git_clone) The URL of the repository to clone."),
    branch: text("(git_clone) The branch to clone; the repository's default branch when not set."),
    // Sensitive here though not in the official schema: a token must never reach a plan or a state file.
    access_token: attr.string({ description: "(git_clone) An access token for the repository; prefer credentials, which keeps it in a block.", optional: true, sensitive: true }),
    include_submodules: flag("(git_clone) Whether to clone the repository's submodules too."),
    bucket: text("(pull_from_s3, pull_from_gcs) The bucket the files are in."),
    container: text("(pull_from_azure_blob_storage) The container the files are in."),
    folder: text("(pull_from_*) The folder of the bucket or container the files are in."),
    script: text("(run_shell_script) The script to run."),
    env: attr.stringMap({ description: "(run_shell_script) Environment variables for the script.", optional: true }),
    expand_env_vars: flag("(run_shell_script) Whether to expand environment variables in the script before running it."),
    stream_output: flag("(run_shell_script, pip_install_requirements) Whether to stream the step's output to the flow run's logs."),
    requirements_file: text("(pip_install_requirements) The requirements file to install (requirements.txt when not set)."),
  };
}

/** The rules across a step's attributes: what its type takes and needs. */
export function checkPullSteps(steps: readonly PullStepSpec[]): SpecIssue[] {
  const issues: SpecIssue[] = [];
  steps.forEach((step, index) => {
    const rule = PULL_STEP_RULES[step.type];
    if (!rule) return;
    const at = (name: string): SpecIssue["path"] => ["pull_steps", index, name];
    for (const name of STEP_ATTRIBUTES) {
      if (step[name] === undefined || name === "requires" || rule.takes.includes(name)) continue;
      issues.push({
        path: at(name),
        message: `is not used by a ${step.type} step, which takes ${[...rule.takes, "requires"].join(", ")}; remove it or change the step's type`,
      });
    }
    for (const name of rule.requires) {
      if (step[name] === undefined || step[name] === "") issues.push({ path: at(name), message: `is required by a ${step.type} step` });
    }
    if (step.type === "git_clone" && step.access_token !== undefined && step.credentials !== undefined) {
      issues.push({ path: at("access_token"), message: "conflicts with credentials: Prefect's git_clone takes an access token or credentials, not both" });
    }
  });
  return issues;
}

/** A declared step as Prefect stores it: `{"<step function>": {inputs}}`. */
export function pullStepToWire(step: PullStepSpec): Record<string, Record<string, unknown>> {
  const rule = PULL_STEP_RULES[step.type];
  const inputs: Record<string, unknown> = {};
  for (const name of STEP_ATTRIBUTES) if (step[name] !== undefined) inputs[name] = step[name];
  return { [rule?.step ?? step.type]: inputs };
}

const TYPE_BY_STEP = new Map(Object.entries(PULL_STEP_RULES).map(([type, rule]) => [rule.step, type]));

/**
 * A stored step in the declared shape. Every attribute is present (undefined when the step does
 * not set it), as nested attributes compare key by key. A step the official provider has no
 * type for keeps its full function name as `type`, so the plan shows it rather than hiding it.
 */
export function pullStepFromWire(raw: Record<string, unknown>): PullStepSpec {
  const [key = "", value] = Object.entries(raw)[0] ?? [];
  const inputs = (value && typeof value === "object" ? value : {}) as Record<string, unknown>;
  const step: PullStepSpec = { type: TYPE_BY_STEP.get(key) ?? key };
  for (const name of STEP_ATTRIBUTES) {
    const input = inputs[name];
    (step as unknown as Record<string, unknown>)[name] = input === null ? undefined : input;
  }
  return step;
}
