import path from "node:path";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: `${root}/` },
      // `server-only` throws outside Next's react-server build; web-boundary modules are tested as plain Node.
      { find: /^server-only$/, replacement: path.join(root, "test/empty-module.ts") },
    ],
  },
  test: {
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["{lib,workers,cli,app,components,scripts,agent,deploy,test,bench}/**/*.test.ts"], exclude: ["**/*.int.test.ts", "**/*.timing.test.ts", "**/node_modules/**"] },
      },
      {
        // CPU-time budgets (redaction in linear time): one file at a time, so other test files do not share the cores.
        extends: true,
        test: { name: "timing", include: ["lib/**/*.timing.test.ts"], fileParallelism: false, testTimeout: 120_000 },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["{lib,workers,cli,app,scripts,test,agent,deploy}/**/*.int.test.ts"],
          globalSetup: ["test/global-setup.ts"],
          setupFiles: ["test/setup-env.ts"],
          // One database for the run; tests isolate by creating their own organizations and key prefixes.
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
