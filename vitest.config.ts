import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/cdktf.out/**"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // CDKTF's libraries run `terraform version` when loaded; no CLI config file means a warning.
    env: { CHECKPOINT_DISABLE: "1", TF_CLI_CONFIG_FILE: "/dev/null" },
  },
});
