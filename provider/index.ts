// The construct library: L2 constructs for every Prefect object, the builders they take, and
// the CDK classes an app needs (through the seam in cdk.ts). Re-exports only.
export { App, Fn, TerraformOutput, TerraformStack, TerraformVariable, Testing, Token } from "./cdk.js";
