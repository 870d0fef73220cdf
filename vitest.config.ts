import { defineConfig } from "vitest/config";

// Tests run the sources: "prefect-gitops" resolves to them under this export condition (package.json
// "exports"), in the test workers (execArgv) and in every Node.js process they start (NODE_OPTIONS).
const SOURCE_CONDITION = "--conditions=prefect-gitops-source";
const ENV = { CHECKPOINT_DISABLE: "1", TF_CLI_CONFIG_FILE: "/dev/null", NODE_OPTIONS: SOURCE_CONDITION };

// The kind suite and the engine cycle run again against a devserver answering like a busy SQLite
// server, which is what a default `prefect server start` is: writes that overlap get 503, idle
// connections close after 5 s (test/support/target.ts reads PREFECT_TEST_DEVSERVER_CONTENTION).
// The engine cycle takes the defaults, 2% background 503s on any write included. The kind tests
// count the requests a single write costs, so they take contention on overlapping writes only:
// a background 503 drawn from a sequence that parallel set-ups shift would make those counts flaky.
export default defineConfig({
  test: {
    exclude: ["**/node_modules/**", "**/cdktf.out/**"],
    execArgv: [SOURCE_CONDITION],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // CDKTF's libraries run `terraform version` when loaded; no CLI config file means a warning.
    env: ENV,
    projects: [
      { extends: true, test: { name: "default", include: ["**/*.test.ts"] } },
      {
        extends: true,
        test: { name: "contention", include: ["test/engine/target.test.ts"], env: { ...ENV, PREFECT_TEST_DEVSERVER_CONTENTION: "1" } },
      },
      {
        extends: true,
        test: { name: "contention-kinds", include: ["provider/kinds/*/api.test.ts"], env: { ...ENV, PREFECT_TEST_DEVSERVER_CONTENTION: JSON.stringify({ backgroundRatio: 0 }) } },
      },
    ],
  },
});
