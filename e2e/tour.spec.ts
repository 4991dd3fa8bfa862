import { spawnSync } from "node:child_process";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { createScratchDatabase, type ScratchDatabase } from "../bench/load/scratch-database";
import { startServer, type RunningServer } from "../bench/load/start-server";

/**
 * Issue 10's acceptance: a console on a FRESH database (its own server and database, not the
 * one the other specs share), `npm run demo` into it, then every page renders with data, and
 * the coverage matrix shows the shipped rules' techniques. Every page is photographed, light
 * and dark, into test-results/screenshots/tour-*.png.
 */
const ADMIN = { email: "tour@e2e.test", password: "tour-admin-password-0123" };
const INGEST_TOKEN = "tour-ingest-token-0123456789abcdef";

let database: ScratchDatabase;
let server: RunningServer;

test.describe.configure({ mode: "serial" });
test.setTimeout(180_000);

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error("DATABASE_URL is not set (npm test runs e2e through scripts/with-db.ts)");
  database = await createScratchDatabase(base, "vigil_tour");
  server = await startServer({
    dir: process.cwd(),
    databaseUrl: database.url,
    env: {
      VIGIL_INGEST_TOKEN: INGEST_TOKEN,
      VIGIL_ADMIN_EMAIL: ADMIN.email,
      VIGIL_ADMIN_PASSWORD: ADMIN.password,
      VIGIL_SIGNIN_ATTEMPTS_PER_MINUTE: "100",
      VIGIL_STATS_FLUSH_MS: "1000",
    },
  });
});

test.afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

async function shoot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screenshots/tour-${name}.png`, fullPage: true });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: `test-results/screenshots/tour-${name}-dark.png`, fullPage: true });
  await page.emulateMedia({ colorScheme: "light" });
}

async function signedIn(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.url });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/alerts/);
  return page;
}

test("npm run demo fills a fresh console, and every page shows it", async ({ browser }) => {
  // The empty console says how to send the first event.
  const empty = await signedIn(browser);
  await empty.goto("/ingest");
  await expect(empty.getByRole("heading", { name: "No events received yet" })).toBeVisible();
  await expect(empty.locator("pre")).toHaveText(
    `curl -H 'Authorization: Bearer <token>' -H 'Content-Type: application/x-ndjson' --data-binary @examples/events.ndjson ${server.url}/api/v1/events`,
  );
  await shoot(empty, "ingest-empty");
  await empty.context().close();

  const demo = spawnSync("npm", ["run", "--silent", "demo"], {
    env: { ...process.env, VIGIL_URL: server.url, VIGIL_INGEST_TOKEN: INGEST_TOKEN, CI: "true" },
    encoding: "utf8",
    timeout: 120_000,
  });
  expect(demo.status, demo.stdout + demo.stderr).toBe(0);
  expect(demo.stdout + demo.stderr).toMatch(/alerts? created|alerts/i);

  const page = await signedIn(browser);

  // Queue: the attack day's alerts, every shipped rule among them.
  await page.goto("/alerts");
  const rows = page.locator("tbody tr");
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeGreaterThanOrEqual(10);
  await shoot(page, "queue");

  // An alert: what happened, ATT&CK, the checklist.
  await rows.first().locator("a").first().click();
  await expect(page).toHaveURL(/\/alerts\/[0-9a-f-]{36}/);
  await expect(page.getByText(/T1\d{3}/).first()).toBeVisible();
  await shoot(page, "alert");

  // Rules: the shipped pack, and one Sigma rule with its source and its conversions.
  await page.goto("/rules");
  await expect(page.getByText("Suspicious Process By Web Server Process").first()).toBeVisible();
  await shoot(page, "rules");
  await page.getByText("Suspicious Process By Web Server Process").first().click();
  await expect(page).toHaveURL(/\/rules\/.+/);
  await expect(page.getByText("imProcessCreate").first()).toBeVisible();
  await shoot(page, "rule");

  // Coverage: the techniques of the shipped rules.
  await page.goto("/coverage");
  const matrix = page.getByTestId("coverage-matrix");
  for (const id of ["T1190", "T1505.003", "T1059.004", "T1071"]) {
    const cell = matrix.locator(`[data-technique="${id}"][data-covered="true"]`).first();
    await expect(cell, id).toBeVisible();
    // The demo's alerts are counted in the cell.
    await expect(cell.getByRole("link", { name: new RegExp(`alerts? for ${id.replace(".", "\\.")}`) }).first(), id).toBeVisible();
  }
  await shoot(page, "coverage");

  // Ingest status: the demo's hosts and formats (statistics reach the database within a second).
  await expect(async () => {
    await page.goto("/ingest");
    await expect(page.getByText("web01").first()).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByText("IIS01", { exact: false }).first()).toBeVisible();
  await shoot(page, "ingest");

  // The pages without demo data still render, with their empty states.
  await page.goto("/exceptions");
  await expect(page.getByRole("heading").first()).toBeVisible();
  await shoot(page, "exceptions");
  await page.goto("/audit");
  await expect(page.getByText(ADMIN.email).first()).toBeVisible();
  await shoot(page, "audit");
  await page.goto("/admin/tokens");
  await expect(page.getByRole("heading").first()).toBeVisible();
  await shoot(page, "tokens");
  await page.goto("/admin/users");
  await expect(page.getByText(ADMIN.email).first()).toBeVisible();
  await shoot(page, "users");
});
