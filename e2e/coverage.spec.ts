import path from "node:path";
import { expect, test } from "@playwright/test";
import { ADMIN, postEvents, signIn } from "./helpers";

/**
 * The ATT&CK coverage page (issue 10): the shipped rules' techniques on the matrix, alert counts
 * linking to the queue, the full matrix with its gaps, and an admin importing a STIX bundle and
 * going back to the built-in catalogue.
 */
const MINI_BUNDLE = path.resolve("lib/detection/mitre/__fixtures__/enterprise-attack-mini.json");

// A web server starting a shell: the shipped rules map it to T1505.003 and T1190. Late November,
// like the other specs' events (stateful rules learn from the first event they see).
const webShellChild = JSON.stringify({
  EventID: 1,
  UtcTime: "2026-11-22 05:10:00.000",
  Computer: "COV-WEB01",
  ProcessGuid: "{E2E-COVERAGE-1}",
  Image: "C:\\Windows\\System32\\cmd.exe",
  CommandLine: "cmd.exe /c hostname",
  ParentImage: "C:\\Windows\\System32\\inetsrv\\w3wp.exe",
  User: "IIS APPPOOL\\Coverage",
});

test("the coverage matrix shows the shipped rules' techniques with alert counts, the gaps, and the catalogue in use", async ({ page, request }) => {
  expect(await (await postEvents(request, webShellChild)).json()).toMatchObject({ accepted: 1, alerts: 1 });
  await page.setViewportSize({ width: 1600, height: 1000 });
  await signIn(page, ADMIN.email, ADMIN.password);

  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: "Coverage" }).click();
  await expect(page).toHaveURL(/\/coverage$/);
  await expect(nav.getByRole("link", { name: "Coverage" })).toHaveAttribute("aria-current", "page");
  await expect(nav.getByRole("link", { name: "Queue" })).not.toHaveAttribute("aria-current", /.+/);
  await expect(page.getByRole("heading", { name: "ATT&CK coverage" })).toBeVisible();

  // Covered cells of the shipped rules; a sub-technique sits inside its parent's cell.
  const matrix = page.getByTestId("coverage-matrix");
  for (const id of ["T1190", "T1505", "T1505.003", "T1059.004", "T1071"]) {
    await expect(matrix.locator(`[data-technique="${id}"][data-covered="true"]`).first()).toBeVisible();
  }
  await expect(matrix.locator('[data-technique="T1505"] [data-technique="T1505.003"]').first()).toBeVisible();
  await expect(matrix.getByRole("link", { name: /T1505\.003 Web Shell/ }).first()).toHaveAttribute("href", "https://attack.mitre.org/techniques/T1505/003/");
  await expect(page.getByTestId("coverage-techniques")).toHaveText(/^[1-9]\d* \/ 216$/);
  await expect(page.getByTestId("catalogue-in-use")).toContainText("Built-in ATT&CK Enterprise 18.0");

  // The rules covering a technique expand, linking to the rule pages.
  const webShell = matrix.locator('[data-technique="T1505.003"]').first();
  await webShell.locator("summary").first().click();
  await expect(webShell.getByRole("link", { name: "Suspicious Process By Web Server Process" })).toHaveAttribute("href", /^\/rules\//);

  // All retained alerts (the event above is dated): the count links to the queue filtered by the id.
  await page.getByLabel("Alerts in").selectOption("all");
  await expect(page).toHaveURL(/days=all/);
  const alerts = matrix.locator('[data-technique="T1505.003"]').first().getByRole("link", { name: /alerts? for T1505\.003/ });
  await expect(alerts).toHaveText(/^[1-9]\d* alerts?$/);
  await page.screenshot({ path: "test-results/screenshots/coverage.png", fullPage: true });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: "test-results/screenshots/coverage-dark.png", fullPage: true });
  await page.emulateMedia({ colorScheme: "light" });

  await alerts.click();
  await expect(page).toHaveURL(/\/alerts\?mitre=T1505\.003&status=all/);
  await expect(page.getByRole("table", { name: "Alert queue" }).getByRole("row").filter({ hasText: "COV-WEB01" })).toHaveCount(1);
  await expect(nav.getByRole("link", { name: "Queue" })).toHaveAttribute("aria-current", "page");

  // The whole matrix: gaps show, in kill-chain order.
  await page.goto("/coverage");
  await page.getByLabel("Show uncovered techniques").check();
  await expect(page).toHaveURL(/uncovered=1/);
  await expect(matrix.locator('[data-technique="T1595"][data-covered="false"]')).toBeVisible(); // Active Scanning, Reconnaissance
  const tactics = await matrix.locator("section[data-tactic]").evaluateAll((els) => els.map((e) => e.getAttribute("data-tactic")));
  expect(tactics[0]).toBe("TA0043");
  expect(tactics.at(-1)).toBe("TA0040");
  await page.screenshot({ path: "test-results/screenshots/coverage-full.png" });

  // A wrong file is refused with the reason; the catalogue stays.
  await page.getByLabel("ATT&CK STIX bundle").setInputFiles({ name: "layer.json", mimeType: "application/json", buffer: Buffer.from('{"name": "a Navigator layer"}') });
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "STIX" })).toContainText("expected a STIX bundle");
  await expect(page.getByTestId("catalogue-in-use")).toContainText("Built-in ATT&CK Enterprise 18.0");

  // An admin imports a STIX bundle; the matrix follows it; then back to the built-in one.
  await page.getByLabel("ATT&CK STIX bundle").setInputFiles(MINI_BUNDLE);
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "imported" })).toContainText("ATT&CK 99.0 imported: 5 techniques, 4 sub-techniques");
  await expect(page.getByTestId("catalogue-in-use")).toContainText("Imported Enterprise ATT&CK 99.0");
  await expect(page.getByTestId("catalogue-in-use")).toContainText("enterprise-attack-mini.json");
  await expect(page.getByLabel("ATT&CK STIX bundle")).toHaveValue("");
  await expect(matrix.locator("section[data-tactic]")).toHaveCount(4);
  await expect(page.getByTestId("coverage-techniques")).toHaveText(/ \/ 5$/);
  await page.screenshot({ path: "test-results/screenshots/coverage-imported.png", fullPage: true });

  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("button", { name: "Revert to built-in" }).click();
  await expect(page.getByTestId("catalogue-in-use")).toContainText("Built-in ATT&CK Enterprise 18.0");
  await expect(matrix.locator("section[data-tactic]")).toHaveCount(14);
});
