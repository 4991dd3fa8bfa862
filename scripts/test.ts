/**
 * npm test: every check the project has, fail-fast, in order of cost: lint, types, engine unit
 * tests, integration tests against a real PostgreSQL, end-to-end tests in Chromium against the
 * built app, load and fault tests against the same build (overload, SIGKILL, PostgreSQL stop).
 * DATABASE_URL selects the PostgreSQL server (a fresh database is created per tier); without it
 * an embedded server starts in .data/pg-test.
 */
import { spawnSync } from "node:child_process";

const steps: [string, string][] = [
  ["lint", "npx eslint --max-warnings=0 ."],
  ["types", "npx tsc --noEmit"],
  ["unit", "npx vitest run --project unit"],
  // The integration tier makes its own fresh database (lib/db/test-setup/global-setup.ts).
  ["integration", "npx vitest run --project integration"],
  ["e2e", "node --import tsx scripts/with-db.ts --fresh-db -- npx playwright test"],
  // Load and fault tests (faults/): production servers on the build the e2e tier just made.
  ["faults", "npx vitest run --project faults"],
];

const only = process.argv.slice(2);
for (const [name, command] of steps) {
  if (only.length > 0 && !only.includes(name)) continue;
  const started = Date.now();
  console.log(`\n▶ ${name}: ${command}`);
  const run = spawnSync(command, { shell: true, stdio: "inherit" });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (run.status !== 0) {
    console.error(`\n✖ ${name} failed after ${seconds}s (exit ${run.status ?? run.signal})`);
    process.exit(run.status ?? 1);
  }
  console.log(`✔ ${name} passed in ${seconds}s`);
}
