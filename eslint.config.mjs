import js from "@eslint/js";
import nextPlugin from "@next/eslint-plugin-next";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

// The boundaries of STYLE.md F2, enforced here rather than only written down.
const prismaImports = [
  { group: ["@prisma/*", "**/generated/prisma/**", "**/generated/prisma"], message: "Only lib/db imports the Prisma client." },
];

export default tseslint.config(
  { ignores: [".next/**", "node_modules/**", "lib/db/generated/**", ".data/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { "@next/next": nextPlugin, "react-hooks": reactHooks },
    rules: {
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
      "no-sequences": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/switch-exhaustiveness-check": "off",
    },
  },
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
  // Everything outside lib/db: no Prisma client; only the engine's public entry.
  {
    files: ["**/*.ts", "**/*.tsx"],
    ignores: ["lib/db/**", "scripts/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            ...prismaImports,
            {
              group: ["@/lib/detection/*", "**/lib/detection/*/**", "!@/lib/detection", "!@/lib/detection/testing"],
              message: "Import the engine through @/lib/detection (its index.ts), never deep paths.",
            },
          ],
        },
      ],
    },
  },
  // lib/db may use the client but still only the engine's public entry.
  {
    files: ["lib/db/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@/lib/detection/*", "!@/lib/detection/testing"], message: "Import the engine through @/lib/detection." }] },
      ],
    },
  },
  // The engine is pure: no framework, database, file system or environment (DESIGN.md §1).
  {
    files: ["lib/detection/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: ["fs", "node:fs", "fs/promises", "node:fs/promises", "path", "node:path", "child_process", "node:child_process", "react", "server-only", "pg"],
          patterns: [
            ...prismaImports,
            { group: ["next", "next/*"], message: "lib/detection is framework-free." },
            { group: ["@/lib/*", "!@/lib/detection", "../../db/*", "../../ingest/*", "../../http/*"], message: "lib/detection depends on nothing else in lib/." },
          ],
        },
      ],
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "lib/detection takes configuration as arguments, never from process.env." }],
      "no-restricted-globals": ["error", { name: "process", message: "lib/detection is pure: no process access." }],
    },
  },
  {
    files: ["**/*.test.ts", "e2e/**/*.ts", "scripts/**", "*.config.*", "lib/cli/**"],
    rules: { "no-restricted-globals": "off", "no-restricted-properties": "off" },
  },
);
