import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "@": path.resolve(import.meta.dirname) };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "rules/**/*.test.ts"],
          exclude: ["lib/db/**", "**/*.int.test.ts", "node_modules/**"],
          environment: "node",
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["lib/db/**/*.test.ts", "**/*.int.test.ts"],
          exclude: ["node_modules/**", "e2e/**", ".data/**"],
          environment: "node",
          globalSetup: ["./lib/db/test-setup/global-setup.ts"],
          setupFiles: ["./lib/db/test-setup/setup-env.ts"],
          // One database, shared: files run one after another so their rows never interleave.
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
