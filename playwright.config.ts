import { defineConfig } from "@playwright/test";

// scripts/with-db.mjs exports E2E_PORT (a free port) and DATABASE_URL (a fresh database); the
// config is evaluated again in each worker, so the port is never picked here.
const port = Number(process.env.E2E_PORT ?? 3123);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "./e2e",
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL,
    browserName: "chromium",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  webServer: {
    command: `npx next build && npx next start -H 127.0.0.1 -p ${port}`,
    url: `${baseURL}/api/v1/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    // The bootstrap admin and tokens the specs use (e2e/helpers.ts); the first start creates them.
    env: {
      VIGIL_INGEST_TOKEN: process.env.VIGIL_INGEST_TOKEN ?? "e2e-ingest-token-0123456789abcdef",
      VIGIL_ADMIN_TOKEN: process.env.VIGIL_ADMIN_TOKEN ?? "e2e-admin-token-0123456789abcdef",
      VIGIL_ADMIN_EMAIL: process.env.VIGIL_ADMIN_EMAIL ?? "admin@e2e.test",
      VIGIL_ADMIN_PASSWORD: process.env.VIGIL_ADMIN_PASSWORD ?? "e2e-admin-password-0123",
      // The specs sign in several times a minute from one address (the limiter has its own test).
      VIGIL_SIGNIN_ATTEMPTS_PER_MINUTE: "100",
      // Ingest statistics reach the database within a second instead of ten (the ingest page).
      VIGIL_STATS_FLUSH_MS: "1000",
    },
  },
});
