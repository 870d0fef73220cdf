// The one module through which the project uses the CDK for Terraform. Which CDK that is,
// CDKTF (`cdktf`) or CDK Terrain (`cdktn`, its maintained fork), is the app's choice:
// cdk-runtime/cdk.cjs loads whichever the app has, and the generated L1 bindings load it through
// the same file. A lint rule keeps every other import of the CDK out.
import cdk from "./cdk-runtime/cdk.cjs";

// cdk.cjs decides its module at run time, so Node.js cannot see its names statically: each is
// taken from its exports object, as value and type at once.
export import Annotations = cdk.Annotations;
export import App = cdk.App;
export import Aspects = cdk.Aspects;
export import Fn = cdk.Fn;
export import Lazy = cdk.Lazy;
export import TerraformElement = cdk.TerraformElement;
export import TerraformOutput = cdk.TerraformOutput;
export import TerraformProvider = cdk.TerraformProvider;
export import TerraformResource = cdk.TerraformResource;
export import TerraformStack = cdk.TerraformStack;
export import TerraformVariable = cdk.TerraformVariable;
export import Testing = cdk.Testing;
export import Token = cdk.Token;
export type { IResolvable, ITerraformDependable, TerraformMetaArguments } from "./cdk-runtime/cdk.cjs";
export { Construct, Node, type IConstruct, type IValidation } from "constructs";
