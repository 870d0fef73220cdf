// The CDK for Terraform module the app uses: CDKTF (`cdktf` 0.21) or its maintained fork CDK
// Terrain (`cdktn` 0.24), whichever is installed (both are optional peer dependencies, one is
// required; with both, the one the app has loaded). Plain CommonJS so that the generated L1
// bindings (CommonJS) and provider/cdk.ts (ESM)
// load the very same copy the app loads: a construct of one copy is not a construct to another.
// Types come from cdk.d.cts (cdktn 0.24 exports every name cdktf 0.21 does, and a few more).
"use strict";

/** The CDKs, in the order tried when the app has loaded neither yet. */
const CANDIDATES = ["cdktf", "cdktn"];

/** Where each installed CDK resolves from here (the app resolves the same hoisted copy). */
function installed() {
  const found = [];
  for (const name of CANDIDATES) {
    try {
      found.push(require.resolve(name));
    } catch {
      // not installed
    }
  }
  return found;
}

function load() {
  const paths = installed();
  // The app imports its CDK before this package (as every example does): with both installed,
  // the one already loaded is the app's.
  const loaded = paths.find((path) => require.cache[path] !== undefined);
  if (loaded) return require.cache[loaded].exports;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- which module is decided at run time
  if (paths.length > 0) return require(paths[0]);
  const error = new Error(
    `prefect-gitops needs the CDK for Terraform, but neither "cdktf" nor "cdktn" can be loaded from ${__dirname}. ` +
      `Expected one of them in your app's dependencies; fix: npm install cdktf@^0.21 constructs@^10 (CDKTF) or npm install cdktn@^0.24 constructs@~10.7 (CDK Terrain).`,
  );
  error.code = "cdk_not_found";
  throw error;
}

module.exports = load();
