import { expect, test } from "@playwright/test";
import { hourlyBatches, webShellScenario } from "../lib/demo/scenario";
import { ADMIN, adminAuth, postEvents, signIn } from "./helpers";

/**
 * The triage console end to end (issue 7): the seed scenario (eight days of routine web-server
 * activity, then a day of web-shell attacks) goes through the ingest API; an analyst works the
 * queue and an alert in Chromium.
 */
test.describe.configure({ mode: "serial" });

// After the other specs' events (late November): stateful rules start learning at the first event
// they see, so the scenario's routine days must not lie before it.
const START = Date.UTC(2026, 11, 1);

test.beforeAll(async ({ request }) => {
  for (const batch of hourlyBatches(webShellScenario({ start: START, days: 8 }))) {
    const res = await postEvents(request, batch.map((e) => JSON.stringify(e.body)).join("\n"));
    expect(res.status()).toBe(200);
  }
});

test("the queue shows the scenario's alerts with rule names and ATT&CK, and the alert page drives triage", async ({ page, request }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/alerts?host=IIS01");
  const queue = page.getByRole("table", { name: "Alert queue" });
  await expect(queue.getByRole("columnheader")).toHaveText(["", "Time (UTC)", "Severity", "Rules", "Host", "User", "Parent → process", "Status", "Assignee", "Steps", "Age"]);
  const whoami = queue.getByRole("row").filter({ hasText: "cmd.exe /c whoami" });
  await expect(whoami).toContainText("Suspicious Process By Web Server Process");
  await expect(whoami).toContainText("T1505.003");
  await expect(whoami).toContainText("w3wp.exe → cmd.exe");
  await page.screenshot({ path: "test-results/screenshots/triage-queue.png", fullPage: true });

  // Open it: what happened, the checklists from the rules' guides, the ancestry.
  await whoami.getByRole("link").first().click();
  await expect(page.getByRole("heading", { name: "What happened" })).toBeVisible();
  await expect(page.getByRole("link", { name: /T1505\.003/ }).first()).toHaveAttribute("href", /attack\.mitre\.org\/techniques\/T1505\/003/);
  const triage = page.getByRole("region", { name: /Triage steps/ });
  const steps = triage.getByRole("checkbox");
  expect(await steps.count()).toBeGreaterThanOrEqual(2);
  const firstStep = (await triage.locator("label").first().innerText()).trim();
  await steps.nth(0).check();
  await expect(triage.getByRole("heading")).toContainText("1 of");
  await steps.nth(1).check();
  await expect(triage.getByRole("heading")).toContainText("2 of");
  await expect(page.getByRole("region", { name: "Process ancestry" })).toContainText("cmd.exe");

  // Mark benign, with a reason.
  await page.getByRole("button", { name: "Mark benign" }).click();
  const benign = page.getByRole("form", { name: "Mark benign" });
  await benign.getByLabel("Disposition").selectOption("benign_positive");
  await benign.getByLabel(/Reason/).fill("pen test by the red team, ticket RT-7");
  await benign.getByRole("button", { name: "Confirm benign" }).click();
  await expect(page.getByTestId("alert-status")).toHaveText(/closed · benign positive/i);
  const activity = page.getByTestId("alert-activity");
  await expect(activity).toContainText(`${ADMIN.email} set the status open → closed (benign positive): pen test by the red team, ticket RT-7`);
  await expect(activity).toContainText(`${ADMIN.email} ticked Triage: `);
  expect(firstStep.length).toBeGreaterThan(5);
  await expect(page.getByRole("button", { name: "Reopen" })).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/triage-alert.png", fullPage: true });

  // The audit trail has the same, with the actor.
  const id = page.url().split("/").pop()!;
  const audit = await (await request.get(`/api/v1/audit?object_id=${id}`, { headers: adminAuth })).json();
  const actions = audit.events.map((e: { action: string; actor: string }) => `${e.actor} ${e.action}`);
  expect(actions).toEqual(expect.arrayContaining([`${ADMIN.email} alert.status`, `${ADMIN.email} alert.checklist`]));
  expect(audit.events.find((e: { action: string }) => e.action === "alert.status").after).toMatchObject({ status: "closed", disposition: "benign_positive" });
});

test("stateful alerts say why: the new terms and the rare window's counts", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/alerts?q=kdevtmpfsi&status=all");
  await page.getByRole("table", { name: "Alert queue" }).getByRole("row").nth(1).getByRole("link").first().click();
  await expect(page.getByTestId("rare-window").first()).toContainText(/Rare: 1 event in \d+ days/);
  await page.goto("/alerts?host=web02&q=.%2F.k&status=all");
  await page.getByRole("table", { name: "Alert queue" }).getByRole("row").nth(1).getByRole("link").first().click();
  await expect(page.getByTestId("new-terms").first()).toContainText(/never seen in the \d+d window/);
});

test("bulk-escalates three alerts, and the URL reproduces a filtered view", async ({ page, request }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  // A view by URL: linux hosts' alerts from php-fpm.
  await page.goto("/alerts?parent=php-fpm8.2&status=all");
  const queue = page.getByRole("table", { name: "Alert queue" });
  const rows = queue.getByRole("row");
  await expect(rows.nth(1)).toBeVisible();
  expect((await rows.allInnerTexts()).slice(1).every((t) => t.includes("php-fpm"))).toBe(true);
  const ids = () => queue.locator("tr[data-row-id]").evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-row-id")));
  const viaUrl = await ids();
  expect(viaUrl.length).toBeGreaterThan(1);
  await page.reload();
  expect(await ids()).toEqual(viaUrl);

  // The same view through the filter form lands on the same URL terms.
  await page.goto("/alerts?status=all");
  await page.getByRole("form", { name: "Filter alerts" }).getByLabel("Parent", { exact: true }).fill("php-fpm8.2");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/parent=php-fpm8\.2/);
  await expect.poll(ids).toEqual(viaUrl);

  // Bulk: the three newest unresolved alerts.
  await page.goto("/alerts");
  const boxes = queue.getByRole("checkbox", { name: /^Select alert/ });
  const picked: string[] = [];
  for (let i = 0; i < 3; i++) {
    await boxes.nth(i).check();
    picked.push((await queue.getByRole("row").nth(i + 1).getAttribute("data-row-id"))!);
  }
  const bar = page.getByRole("toolbar", { name: "Bulk actions" });
  await expect(bar).toContainText("3 selected");
  await bar.getByRole("button", { name: "Escalate" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Note").fill("handing to IR: web shell campaign");
  await dialog.getByRole("button", { name: "Escalate" }).click();
  await expect(page.getByRole("status").filter({ hasText: "3 alerts escalated" })).toBeAttached();
  for (const id of picked) {
    const alert = await (await request.get(`/api/v1/alerts/${id}`, { headers: adminAuth })).json();
    expect(alert.status).toBe("escalated");
    expect(alert.activity.at(-1)).toMatchObject({ actor: ADMIN.email, to_status: "escalated", note: "handing to IR: web shell campaign" });
  }
  await page.getByRole("navigation", { name: "Status" }).getByRole("link", { name: "Escalated" }).click();
  for (const id of picked) await expect(queue.locator(`tr[data-row-id="${id}"]`)).toBeVisible();
});

test("keyboard triage, and a new alert appears live without moving the rows", async ({ page, request }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/alerts");
  const queue = page.getByRole("table", { name: "Alert queue" });
  const first = queue.getByRole("row").nth(1);
  const second = queue.getByRole("row").nth(2);
  const secondId = (await second.getAttribute("data-row-id"))!;

  // j moves to the second row, a acknowledges it.
  await page.keyboard.press("j");
  await expect(second).toHaveAttribute("data-focused", "true");
  await page.keyboard.press("a");
  await expect(page.getByRole("status").filter({ hasText: "1 alert acknowledged" })).toBeAttached();
  expect((await (await request.get(`/api/v1/alerts/${secondId}`, { headers: adminAuth })).json()).status).toBe("acknowledged");
  const firstId = (await first.getAttribute("data-row-id"))!;

  // A new web-shell event, newer than everything shown.
  const posted = await postEvents(
    request,
    JSON.stringify({
      EventID: 1,
      UtcTime: "2027-01-10 09:00:00.000",
      Computer: "LIVE-WEB09",
      ProcessGuid: "{E2E-LIVE-1}",
      Image: "C:\\Windows\\System32\\cmd.exe",
      CommandLine: "cmd.exe /c ipconfig /all",
      ParentImage: "C:\\Windows\\System32\\inetsrv\\w3wp.exe",
    }),
  );
  expect(await posted.json()).toMatchObject({ alerts: 1 });
  const live = queue.getByRole("row").filter({ hasText: "LIVE-WEB09" });
  await expect(live).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole("status").filter({ hasText: "1 new alert" })).toBeAttached();
  // It went on top; the rows that were there keep their order and the focus stays on its row.
  await expect(queue.getByRole("row").nth(1)).toHaveAttribute("data-row-id", (await live.getAttribute("data-row-id"))!);
  await expect(queue.getByRole("row").nth(2)).toHaveAttribute("data-row-id", firstId);
  await expect(queue.locator(`tr[data-row-id="${secondId}"]`)).toHaveAttribute("data-focused", "true");
});
