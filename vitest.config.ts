import { defineConfig } from "vitest/config";

// The kind suite and the engine cycle run twice: against a plain devserver (with everything
// else), and against one answering like a busy SQLite server (writes that overlap get 503,
// idle connections close after 5 s), which is what a default `prefect server start` is.
const CONTENTION_SUITE = ["provider/kinds/*/api.test.ts", "test/engine/target.test.ts"];

export default defineConfig({
  test: {
    exclude: ["**/node_modules/**", "**/cdktf.out/**"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // CDKTF's libraries run `terraform version` when loaded; no CLI config file means a warning.
    env: { CHECKPOINT_DISABLE: "1", TF_CLI_CONFIG_FILE: "/dev/null" },
    projects: [
      { extends: true, test: { name: "default", include: ["**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "contention",
          include: CONTENTION_SUITE,
          env: { CHECKPOINT_DISABLE: "1", TF_CLI_CONFIG_FILE: "/dev/null", PREFECT_TEST_DEVSERVER_CONTENTION: "1" },
        },
      },
    ],
  },
});
