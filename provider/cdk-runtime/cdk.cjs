// The CDK for Terraform module the app uses: CDKTF (`cdktf` 0.21) or its maintained fork CDK
// Terrain (`cdktn` 0.24), whichever is installed (both are optional peer dependencies, one is
// required). Plain CommonJS so that the generated L1 bindings (CommonJS) and provider/cdk.ts (ESM)
// load the very same copy the app loads: a construct of one copy is not a construct to another.
// Types come from cdk.d.cts (cdktn 0.24 exports every name cdktf 0.21 does, and a few more).
"use strict";

/** Tried in this order; an app has one of them (with both, CDKTF wins). */
const CANDIDATES = ["cdktf", "cdktn"];

function load() {
  for (const name of CANDIDATES) {
    let path;
    try {
      path = require.resolve(name);
    } catch {
      continue;
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- which module is decided at run time
    return require(path);
  }
  const error = new Error(
    `prefect-gitops needs the CDK for Terraform, but neither "cdktf" nor "cdktn" can be loaded from ${__dirname}. ` +
      `Expected one of them in your app's dependencies; fix: npm install cdktf@^0.21 constructs@^10 (CDKTF) or npm install cdktn@^0.24 constructs@~10.7 (CDK Terrain).`,
  );
  error.code = "cdk_not_found";
  throw error;
}

module.exports = load();
