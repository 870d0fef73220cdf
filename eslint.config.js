// Lint configuration. The last blocks enforce the dependency boundaries of ARCHITECTURE.md;
// test/architecture/boundaries.test.ts proves each one fails the lint when crossed.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

/** Import patterns (gitignore-style, matched against the import specifier). */
const RECONCILER = ["**/reconciler", "**/reconciler/**"];
const PROVIDER = ["**/provider", "**/provider/**"];
const DEVSERVER = ["**/devserver", "**/devserver/**"];
const HTTP_CODE = ["**/client", "**/client/**", "**/api", "**/api.js", "**/api.ts", "undici"];

const boundary = (message, group, allowTypeImports = false) => ({
  group,
  message,
  allowTypeImports,
});

/** Every CDK import goes through provider/cdk.ts, the one seam to CDK Terrain. */
const CDK_SEAM = ["cdktf", "constructs"].map((name) => ({
  name,
  message: "Import CDK classes from provider/cdk.ts (the one seam to CDK Terrain).",
}));

/**
 * The no-restricted-imports options for an area. In flat config the last matching block's
 * options win, so every block carries the CDK seam as well as its own boundaries.
 */
const restrict = (...patterns) => ["error", { paths: CDK_SEAM, patterns }];

/** Product code may not touch the process's environment, arguments or terminal. */
const ONLY_EDGES_MESSAGE =
  "Only the entry points (cli.ts, service.ts, the Terraform plugin's main.ts) read process.env/argv or write to the terminal: take it as a parameter.";
/** Entry points: the process's edges (the plugin's test entry runs it with a test provider). */
const ENTRY_POINTS = ["**/cli.ts", "**/service.ts", "provider/terraform/plugin/main.ts", "provider/terraform/plugin/testing/test-plugin-main.ts"];
const processRestrictions = ["env", "argv", "stdout", "stderr", "exit", "stdin"].map((property) => ({
  object: "process",
  property,
  message: ONLY_EDGES_MESSAGE,
}));

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      ".tmp/**",
      "**/cdktf.out/**",
      "provider/generated/**",
      "contract/wire.gen.ts",
      "bench/.work/**",
      "dist/**",
      "**/.gen-tmp/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: "module" },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-console": "off",
      "no-restricted-imports": restrict(),
    },
  },
  // Product code: no terminal, no environment, except at the edges.
  {
    files: ["provider/**/*.ts", "reconciler/**/*.ts", "devserver/**/*.ts", "contract/**/*.ts"],
    ignores: ["**/*.test.ts", ...ENTRY_POINTS],
    rules: {
      "no-console": ["error"],
      "no-restricted-properties": ["error", ...processRestrictions],
    },
  },
  // provider/ never depends on reconciler/ or devserver/.
  {
    files: ["provider/**/*.ts"],
    ignores: ["**/*.test.ts", "provider/kinds/*/construct.ts", "provider/kinds/*/schema.ts"],
    rules: {
      "no-restricted-imports": restrict(
        boundary("provider/ must not depend on reconciler/ (ARCHITECTURE.md boundaries).", RECONCILER),
        boundary("provider/ shares no code with devserver/.", DEVSERVER),
      ),
    },
  },
  // Constructs and kind schemas load no HTTP code: synthesizing a stack makes no request.
  {
    files: ["provider/kinds/*/construct.ts", "provider/kinds/*/schema.ts", "provider/constructs/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": restrict(
        boundary("construct.ts/schema.ts must not import HTTP code (client/, api.ts, undici).", HTTP_CODE, true),
        boundary("provider/ must not depend on reconciler/ (ARCHITECTURE.md boundaries).", RECONCILER),
        boundary("provider/ shares no code with devserver/.", DEVSERVER),
      ),
    },
  },
  // The devserver shares nothing with provider/ or reconciler/ except the contract's wire types,
  // so it catches the client's mistakes instead of repeating them.
  {
    files: ["devserver/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": restrict(
        boundary("devserver/ shares no code with provider/ (only contract/ wire types).", PROVIDER),
        boundary("devserver/ shares no code with reconciler/.", RECONCILER),
      ),
    },
  },
  // The contract is a leaf: generated wire types and the validator.
  {
    files: ["contract/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": restrict(boundary("contract/ is a leaf module.", [...PROVIDER, ...RECONCILER, ...DEVSERVER])),
    },
  },
  // Apply executes a Plan: it never loads or evaluates the configuration, plans or diffs again;
  // what a plan does not hold comes through its ApplyTarget.
  {
    files: ["reconciler/apply/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": restrict(
        boundary("apply/ runs a Plan as it is: resolve values through its ApplyTarget, not the configuration or the planner.", ["**/config", "**/config/**", "**/plan/plan.js", "**/plan/resolver.js", "**/plan/impact.js", "**/kinds/compare.js"]),
      ),
    },
  },
  // The seam itself (and the generator that writes code for it) imports the CDK.
  {
    files: ["provider/cdk.ts", "provider/cdk-runtime/**", "provider/terraform/generate-bindings.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            boundary("provider/ must not depend on reconciler/ (ARCHITECTURE.md boundaries).", RECONCILER),
            boundary("provider/ shares no code with devserver/.", DEVSERVER),
          ],
        },
      ],
    },
  },
);
