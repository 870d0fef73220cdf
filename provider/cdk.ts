// The one module through which the project uses the CDK for Terraform. CDKTF was archived in
// December 2025 and continues as CDK Terrain (`cdktn`); moving there is an edit of this file
// (and regenerating the L1 bindings), nothing else. A lint rule keeps every other import out.
export {
  Annotations,
  App,
  Aspects,
  Fn,
  Lazy,
  TerraformElement,
  TerraformOutput,
  TerraformProvider,
  TerraformResource,
  TerraformStack,
  TerraformVariable,
  Testing,
  Token,
  type IResolvable,
  type ITerraformDependable,
  type TerraformMetaArguments,
} from "cdktf";
export { Construct, Node, type IConstruct, type IValidation } from "constructs";
