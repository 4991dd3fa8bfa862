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
          include: ["lib/**/*.test.ts", "rules/**/*.test.ts", "scripts/**/*.test.ts"],
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
      {
        resolve: { alias },
        test: {
          // Load and fault tests against a production server (faults/global-setup.ts builds it if needed).
          name: "faults",
          include: ["faults/**/*.test.ts"],
          environment: "node",
          globalSetup: ["./faults/global-setup.ts"],
          // Each file starts servers and loads the machine: one file at a time.
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
