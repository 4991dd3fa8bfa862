import { expect, test } from "@playwright/test";
import { ADMIN, adminAuth, postEvents, signIn } from "./helpers";

/**
 * Allowlist exceptions end to end (issue 8): from a benign alert, create an exception with a
 * preview, save it closing the matching alerts, re-ingest the activity and see no alert, the hit
 * counted, and all of it in the audit trail.
 */
let seq = 0;
function warmup(host = "EXC-WEB01") {
  seq++;
  return JSON.stringify({
    EventID: 1,
    UtcTime: `2026-11-22 07:0${seq}:00.000`,
    Computer: host,
    ProcessGuid: `{E2E-EXC-${seq}}`,
    Image: "C:\\Windows\\System32\\cmd.exe",
    CommandLine: "cmd.exe /c C:\\inetpub\\scripts\\warmup.cmd",
    ParentImage: "C:\\Windows\\System32\\inetsrv\\w3wp.exe",
    User: "IIS APPPOOL\\Warmup",
  });
}

test("an exception made from a benign alert stops the activity alerting, and counts its hits", async ({ page, request }) => {
  expect(await (await postEvents(request, [warmup(), warmup()].join("\n"))).json()).toMatchObject({ accepted: 2, alerts: 2 });
  const alerts = (await (await request.get("/api/v1/alerts?host=EXC-WEB01", { headers: adminAuth })).json()).alerts as { id: string }[];
  const [first, second] = alerts;

  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto(`/alerts/${first!.id}`);
  await page.getByRole("button", { name: "Mark benign" }).click();
  await page.getByLabel(/Reason/).fill("IIS warm-up script after each deploy");
  await page.getByRole("button", { name: "Confirm benign" }).click();
  await expect(page.getByTestId("alert-status")).toHaveText(/closed · benign positive/i);

  // "Allowlist this…": prefilled from the event.
  await page.getByRole("link", { name: "Allowlist this…" }).click();
  await expect(page.getByRole("heading", { name: "Allowlist this activity" })).toBeVisible();
  await expect(page.getByLabel("Value for Command line")).toHaveValue("cmd.exe /c C:\\inetpub\\scripts\\warmup.cmd");
  await expect(page.getByLabel("Value for Parent executable")).toHaveValue(/w3wp\.exe$/i);
  await expect(page.getByLabel("Use Host")).not.toBeChecked();
  await page.getByLabel(/^Reason/).fill("IIS warm-up script run after each deploy (CHG-88)");
  await expect(page.getByRole("button", { name: "Save exception" })).toBeDisabled(); // preview first

  await page.getByRole("button", { name: "Preview" }).click();
  const preview = page.getByTestId("exception-preview");
  await expect(preview).toContainText(/Would have suppressed 2 of \d+ alerts \(1 still open\)/);
  await expect(preview.getByRole("table", { name: "Preview by rule" })).toContainText("Suspicious Process By Web Server Process");
  await expect(preview.getByRole("alert")).toHaveCount(0); // narrow enough, no attack pattern
  await page.screenshot({ path: "test-results/screenshots/exception-preview.png", fullPage: true });

  await page.getByRole("button", { name: "Save exception" }).click();
  await expect(page).toHaveURL(/\/exceptions\?saved=/);
  const table = page.getByRole("table", { name: "Exceptions" });
  const row = table.getByRole("row").filter({ hasText: "warmup.cmd" });
  await expect(row).toContainText(/active/i);
  await expect(row).toContainText("IIS warm-up script run after each deploy (CHG-88)");

  // Close-matching closed the other open alert.
  const closed = await (await request.get(`/api/v1/alerts/${second!.id}`, { headers: adminAuth })).json();
  expect(closed).toMatchObject({ status: "closed", disposition: "benign_positive" });
  expect(closed.activity.at(-1).note).toMatch(/closed by exception/);

  // The same activity again: no alert, and the hit shows.
  expect(await (await postEvents(request, warmup())).json()).toMatchObject({ accepted: 1, alerts: 0 });
  await page.reload();
  await expect(row.getByRole("cell").nth(3)).toHaveText(/^[1-9]/);
  await expect(row.getByRole("cell").nth(4)).not.toHaveText("—");
  // Another host's different activity still alerts.
  expect(await (await postEvents(request, warmup("EXC-WEB02").replace("warmup.cmd", "evil.cmd"))).json()).toMatchObject({ alerts: 1 });
  await page.screenshot({ path: "test-results/screenshots/exceptions.png", fullPage: true });

  // Edit it: a narrower scope note in the reason; the preview runs again before saving.
  const exceptionId = (await row.getAttribute("data-exception-id"))!;
  await row.getByRole("link", { name: /^Edit / }).click();
  await expect(page.getByRole("heading", { name: "Edit exception" })).toBeVisible();
  await expect(page.getByLabel("Value for process.command_line")).toHaveValue("cmd.exe /c C:\\inetpub\\scripts\\warmup.cmd");
  await page.getByLabel(/^Reason/).fill("IIS warm-up script run after each deploy (CHG-88, reviewed)");
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByTestId("exception-preview")).toContainText("Would have suppressed");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page).toHaveURL(/\/exceptions\?saved=/);
  await expect(row).toContainText("(CHG-88, reviewed)");

  // All of it is in the audit trail, by the admin.
  const trail = await (await request.get(`/api/v1/audit?actor=${encodeURIComponent(ADMIN.email)}`, { headers: adminAuth })).json();
  const actions = trail.events.map((e: { action: string; object_id: string }) => `${e.action} ${e.object_id}`);
  expect(actions).toEqual(expect.arrayContaining([`exception.create ${exceptionId}`, `exception.update ${exceptionId}`, `alert.status ${second!.id}`, `alert.status ${first!.id}`]));
});
