// The Variable construct: a named JSON value flows read at run time. The value is a Terraform
// `dynamic` attribute, which the generated bindings type as a map; it is written with an
// override so that numbers, strings, booleans and lists come out as they are.
import { Construct } from "../../cdk.js";
import { propProblems } from "../../constructs/prop-problems.js";
import { resolveSecrets } from "../../constructs/secret-value.js";
import { validateAtSynth } from "../../constructs/support.js";
import { Variable as VariableL1 } from "../../generated/prefect/variable/index.js";
import { variableSchema } from "./schema.js";

/** Properties of a {@link Variable}. */
export interface VariableProps {
  /** The variable's name: lowercase letters, digits, dashes and underscores. */
  readonly name: string;

  /**
   * The value: any JSON value (string, number, boolean, list or object). Values may be
   * references to other constructs or Terraform variables, and SecretValues (though Prefect
   * does not hide a variable's value: a secret belongs in `Block.secret`).
   */
  readonly value: unknown;

  /**
   * Tags on the variable (a set: order and duplicates do not matter).
   *
   * @default - no tags
   */
  readonly tags?: readonly string[];
}

/**
 * A Prefect variable: a named JSON value flows read at run time (`Variable.get("name")`).
 *
 * @example
 * new Variable(stack, "batch-size", { name: "batch_size", value: 500 });
 * new Variable(stack, "targets", { name: "targets", value: { regions: ["eu-west-1", "us-east-1"], dry_run: false }, tags: ["etl"] });
 */
export class Variable extends Construct {
  /** The variable's id: a reference (`${prefect_variable.<id>.id}`), known once it exists. */
  public readonly variableId: string;

  /** The variable's name: a reference to the declared name. */
  public readonly variableName: string;

  constructor(scope: Construct, id: string, props: VariableProps) {
    super(scope, id);
    const tags = props.tags === undefined ? undefined : [...props.tags];
    // Named "Default" so that the Terraform address is the construct's own (prefect_variable.<id>)
    // and the resource is node.defaultChild, the escape hatch.
    const value = resolveSecrets(props.value, this);
    const resource = new VariableL1(this, "Default", { name: props.name, value: {}, tags });
    resource.addOverride("value", value.value);
    this.variableId = resource.id;
    this.variableName = resource.name;
    validateAtSynth(this, () => [...value.problems(), ...propProblems(variableSchema, { name: props.name, value: value.value, tags })]);
  }
}
