// Secret values for constructs (a block's secret fields): where the secret comes from when the
// plan runs, never the secret itself. cdk.tf.json then holds a reference to a sensitive
// Terraform variable (`var.NAME`), which Terraform and the engine fill from TF_VAR_NAME, --var
// or a tfvars file, mask in plans and keep out of errors. Only `unsafePlainText` writes a value
// into cdk.tf.json, and its name says so.
import { TerraformStack, TerraformVariable, Token, type Construct } from "../cdk.js";

/** Terraform's rule for variable names (letters, digits, underscores and dashes; no leading digit). */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Options of {@link SecretValue.fromEnvironment}. */
export interface SecretFromEnvironmentOptions {
  /**
   * What the secret is, shown by Terraform when it asks for a value.
   *
   * @default "A secret for Prefect; set it with the environment variable TF_VAR_<name>."
   */
  readonly description?: string;
}

/** A secret resolved for one construct: the value to write (a reference, or the literal) and what is wrong. */
export interface ResolvedSecret {
  /** A token referring to the variable (or the literal for `unsafePlainText`). */
  readonly value: string;
  /** Problems found at synth: a variable that is not sensitive, a bad name... */
  problems(): string[];
}

type Source =
  | { kind: "variable"; variable: TerraformVariable }
  | { kind: "environment"; name: string; description?: string }
  | { kind: "plain"; value: string };

const sources = new WeakMap<SecretValue, Source>();

/**
 * A secret a construct needs (a webhook URL, a token): taken from a sensitive Terraform
 * variable, given when the plan runs, so that it never appears in cdk.tf.json, plans, logs,
 * state files or errors.
 *
 * @example
 * // Set TF_VAR_SLACK_WEBHOOK_URL (or --var SLACK_WEBHOOK_URL=...) when running plan/apply.
 * Block.slackWebhook(stack, "alerts", { name: "alerts", url: SecretValue.fromEnvironment("SLACK_WEBHOOK_URL") });
 *
 * // A variable of your own, which must be sensitive and have no default.
 * const token = new TerraformVariable(stack, "github_token", { type: "string", sensitive: true });
 * Block.secret(stack, "github", { name: "github-token", value: SecretValue.fromVariable(token) });
 */
export class SecretValue {
  /**
   * The value of a Terraform variable declared with `sensitive: true` and no default (a default
   * would be written into cdk.tf.json). Checked at synth.
   *
   * @example
   * const token = new TerraformVariable(stack, "api_token", { type: "string", sensitive: true });
   * SecretValue.fromVariable(token);
   */
  public static fromVariable(variable: TerraformVariable): SecretValue {
    return new SecretValue({ kind: "variable", variable });
  }

  /**
   * A secret given in the environment when the plan runs. This does not read the environment
   * at synth (that would write the secret into cdk.tf.json): it declares a sensitive Terraform
   * variable named `name` in the stack, and Terraform and prefect-gitops read its value from
   * the environment variable `TF_VAR_<name>` (or `--var <name>=...`, or a tfvars file). A plan
   * without a value stops with "No value for required variable". Every use of the same name in
   * a stack shares one variable.
   *
   * @example
   * // export TF_VAR_SLACK_WEBHOOK_URL=https://hooks.slack.com/services/...
   * SecretValue.fromEnvironment("SLACK_WEBHOOK_URL");
   */
  public static fromEnvironment(name: string, options: SecretFromEnvironmentOptions = {}): SecretValue {
    return new SecretValue({ kind: "environment", name, description: options.description });
  }

  /**
   * A literal secret, written in clear text into cdk.tf.json (and so into your repository or
   * CI logs if the synthesized output is kept there). For values that are not really secret,
   * tests and local sandboxes.
   *
   * @example
   * SecretValue.unsafePlainText("not-a-real-secret");
   */
  public static unsafePlainText(value: string): SecretValue {
    return new SecretValue({ kind: "plain", value });
  }

  /** Whether `value` is a SecretValue. */
  public static isSecretValue(value: unknown): value is SecretValue {
    return value instanceof SecretValue;
  }

  // Makes the type nominal: any object would otherwise pass for a SecretValue.
  private readonly isSecret = true;

  private constructor(source: Source) {
    sources.set(this, source);
  }

  /** Never the secret, wherever a SecretValue ends up in a string by mistake. */
  public toString(): string {
    return "<SecretValue>";
  }
}

/**
 * The value a construct writes for a secret, declaring the variable `fromEnvironment` stands
 * for in the construct's stack (once per name).
 */
export function resolveSecret(secret: SecretValue, scope: Construct): ResolvedSecret {
  const source = sources.get(secret);
  if (!source) throw new Error("Not a SecretValue: use SecretValue.fromVariable, SecretValue.fromEnvironment or SecretValue.unsafePlainText.");
  switch (source.kind) {
    case "plain":
      return { value: source.value, problems: () => [] };
    case "variable":
      return { value: source.variable.stringValue, problems: () => variableProblems(source.variable) };
    case "environment":
      return environmentSecret(source.name, source.description, scope);
  }
}

/**
 * A JSON value with every SecretValue inside (at any depth) replaced by what is written for it;
 * fields left undefined are dropped (jsonencode would write them as null).
 */
export function resolveSecrets(value: unknown, scope: Construct): { value: unknown; problems(): string[] } {
  const found: ResolvedSecret[] = [];
  const walk = (item: unknown): unknown => {
    if (item instanceof SecretValue) {
      const resolved = resolveSecret(item, scope);
      found.push(resolved);
      return resolved.value;
    }
    if (Array.isArray(item)) return item.map(walk);
    if (item !== null && typeof item === "object" && !Token.isUnresolved(item)) {
      return Object.fromEntries(
        Object.entries(item)
          .filter(([, field]) => field !== undefined)
          .map(([key, field]) => [key, walk(field)]),
      );
    }
    return item;
  };
  const resolved = walk(value);
  return { value: resolved, problems: () => found.flatMap((secret) => secret.problems()) };
}

function variableProblems(variable: TerraformVariable): string[] {
  const problems: string[] = [];
  const name = variable.friendlyUniqueId;
  if (variable.sensitive !== true) {
    problems.push(
      `the variable "${name}" holding a secret is not sensitive: declare it with { sensitive: true } so that plans, logs and errors never show its value`,
    );
  }
  if (variable.default !== undefined) {
    problems.push(`the variable "${name}" holding a secret has a default, which is written in clear text into cdk.tf.json: remove the default and give the value with TF_VAR_${name} when the plan runs`);
  }
  return problems;
}

function environmentSecret(name: string, description: string | undefined, scope: Construct): ResolvedSecret {
  if (Token.isUnresolved(name) || !VARIABLE_NAME.test(name) || name.startsWith("TF_VAR_")) {
    const fix = name.startsWith("TF_VAR_")
      ? `drop the prefix: SecretValue.fromEnvironment(${JSON.stringify(name.slice("TF_VAR_".length))}) reads ${name}`
      : "use letters, digits, underscores and dashes, not starting with a digit (e.g. \"SLACK_WEBHOOK_URL\")";
    return { value: "", problems: () => [`SecretValue.fromEnvironment(${JSON.stringify(name)}): not a Terraform variable name; ${fix}`] };
  }
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(name);
  if (existing !== undefined && !(existing instanceof TerraformVariable)) {
    return { value: "", problems: () => [`SecretValue.fromEnvironment("${name}"): the stack already has a construct with the id "${name}" (${existing.node.path}) that is not a variable; choose another name`] };
  }
  // Made at the stack's root, so that the Terraform name is exactly `name` (TF_VAR_<name>).
  const variable =
    (existing as TerraformVariable | undefined) ??
    new TerraformVariable(stack, name, {
      type: "string",
      sensitive: true,
      nullable: false,
      description: description ?? `A secret for Prefect; set it with the environment variable TF_VAR_${name}.`,
    });
  return { value: variable.stringValue, problems: () => variableProblems(variable) };
}
