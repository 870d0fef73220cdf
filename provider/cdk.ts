// The one module through which the project uses the CDK for Terraform. Which CDK that is,
// CDKTF (`cdktf`) or CDK Terrain (`cdktn`, its maintained fork), is the app's choice:
// cdk-runtime/cdk.cjs loads whichever the app has, and the generated L1 bindings load it through
// the same file. A lint rule keeps every other import of the CDK out.
import cdk from "./cdk-runtime/cdk.cjs";
import type * as Cdk from "./cdk-runtime/cdk.cjs";

export const { Annotations, App, Aspects, Fn, Lazy, TerraformElement, TerraformOutput, TerraformProvider, TerraformResource, TerraformStack, TerraformVariable, Testing, Token } = cdk;
export type Annotations = Cdk.Annotations;
export type Aspects = Cdk.Aspects;
export type App = Cdk.App;
export type Fn = Cdk.Fn;
export type Lazy = Cdk.Lazy;
export type TerraformElement = Cdk.TerraformElement;
export type TerraformOutput = Cdk.TerraformOutput;
export type TerraformProvider = Cdk.TerraformProvider;
export type TerraformResource = Cdk.TerraformResource;
export type TerraformStack = Cdk.TerraformStack;
export type TerraformVariable = Cdk.TerraformVariable;
export type Testing = Cdk.Testing;
export type Token = Cdk.Token;
export type { IResolvable, ITerraformDependable, TerraformMetaArguments } from "./cdk-runtime/cdk.cjs";
export { Construct, Node, type IConstruct, type IValidation } from "constructs";
