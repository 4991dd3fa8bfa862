import { expect, test, type Browser, type Page } from "@playwright/test";
import { ADMIN, adminAuth, postEvents, signIn } from "./helpers";

/**
 * Identity end to end (issue 6): the bootstrap admin creates an analyst and a viewer in the
 * console; the viewer sees no triage controls and a forged change is refused by the server; the
 * analyst's change goes through; the audit page names who did each thing.
 */
const ANALYST = { email: "ana.lyst@e2e.test", name: "Ana Lyst", password: "analyst-password-0123" };
const VIEWER = { email: "vi.ewer@e2e.test", name: "Vi Ewer", password: "viewer-password-0123" };

/** A Sysmon process start on a host of its own, so this spec's alert is easy to find. */
const webShellEvent = JSON.stringify({
  EventID: 1,
  UtcTime: "2026-11-20 09:30:00.000",
  Computer: "ACCT-WEB01",
  ProcessGuid: "{E2E-ACCOUNTS-1}",
  ProcessId: 4242,
  Image: "C:\\Windows\\System32\\cmd.exe",
  CommandLine: "cmd.exe /c whoami /all",
  ParentImage: "C:\\Windows\\System32\\inetsrv\\w3wp.exe",
  User: "IIS APPPOOL\\DefaultAppPool",
});

async function newSignedInPage(browser: Browser, email: string, password: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email, password);
  return page;
}

async function createAccount(page: Page, account: { email: string; name: string; password: string }, role: string) {
  const form = page.getByRole("form", { name: "Create an account" });
  await form.getByLabel("Email").fill(account.email);
  await form.getByLabel("Name").fill(account.name);
  await form.getByLabel("Role").selectOption(role);
  await form.getByLabel(/^Password/).fill(account.password);
  await form.getByRole("button", { name: "Create account" }).click();
  await expect(form.getByRole("status")).toHaveText(`account created for ${account.email}`);
}

test("an admin creates an analyst and a viewer; roles are enforced and every change is audited", async ({ page, browser, request }) => {
  const posted = await postEvents(request, webShellEvent);
  expect(await posted.json()).toMatchObject({ accepted: 1, alerts: 1 });
  const alert = (await (await request.get("/api/v1/alerts?host=ACCT-WEB01", { headers: adminAuth })).json()).alerts[0];
  expect(alert).toBeDefined();

  // The bootstrap admin signs in and creates the two accounts.
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
  await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
  await createAccount(page, ANALYST, "analyst");
  await createAccount(page, VIEWER, "viewer");
  const users = page.getByRole("table", { name: "Users" });
  await expect(users.getByRole("row").filter({ hasText: ANALYST.email })).toContainText("Analyst");
  await expect(users.getByRole("row").filter({ hasText: VIEWER.email })).toContainText("Viewer");
  await page.screenshot({ path: "test-results/screenshots/admin-users.png", fullPage: true });

  // The viewer reads the alert but has no control to change it, and no admin pages.
  const viewer = await newSignedInPage(browser, VIEWER.email, VIEWER.password);
  await expect(viewer.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" })).toHaveCount(0);
  await viewer.goto(`/alerts/${alert.id}`);
  await expect(viewer.getByText("cmd.exe /c whoami /all").first()).toBeVisible();
  for (const name of ["Acknowledge", "Escalate", "Mark benign", "Close as true positive", "Assign", "Add note"]) {
    await expect(viewer.getByRole("button", { name })).toHaveCount(0);
  }
  await viewer.screenshot({ path: "test-results/screenshots/alert-as-viewer.png", fullPage: true });
  // A forged change with the viewer's session cookie, from the console's own origin: refused.
  const forged = await viewer.request.patch(`/api/v1/alerts/${alert.id}`, {
    data: { status: "acknowledged" },
    headers: { origin: new URL(viewer.url()).origin },
  });
  expect(forged.status()).toBe(403);
  expect((await forged.json()).error).toMatch(/triage/);
  const adminPage = await viewer.goto("/admin/users");
  expect(adminPage?.status()).toBe(403);
  const unchanged = await (await request.get(`/api/v1/alerts/${alert.id}`, { headers: adminAuth })).json();
  expect(unchanged.status).toBe("open");

  // The analyst can triage: acknowledge, then close as benign with a reason.
  const analyst = await newSignedInPage(browser, ANALYST.email, ANALYST.password);
  await analyst.goto(`/alerts/${alert.id}`);
  await analyst.getByRole("button", { name: "Acknowledge" }).click();
  await expect(analyst.getByRole("status").filter({ hasText: /acknowledged/i })).toBeVisible();
  await analyst.getByRole("button", { name: "Mark benign" }).click();
  await analyst.getByLabel("Disposition").selectOption("benign_positive");
  await analyst.getByLabel(/Reason/).fill("IIS health probe runs whoami");
  await analyst.getByRole("button", { name: "Confirm benign" }).click();
  await expect(analyst.getByRole("button", { name: "Reopen" })).toBeVisible();
  // The analyst is not an admin either.
  expect((await analyst.goto("/audit"))?.status()).toBe(403);

  const closed = await (await request.get(`/api/v1/alerts/${alert.id}`, { headers: adminAuth })).json();
  expect(closed).toMatchObject({ status: "closed", disposition: "benign_positive" });
  expect(closed.activity.map((a: { actor: string }) => a.actor)).toEqual(expect.arrayContaining([ANALYST.email]));

  // Every change shows in the audit page with who made it.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit" }).click();
  const trail = page.getByRole("table", { name: "Audit trail" });
  await expect(trail).toBeVisible();
  const row = (actor: string, action: string) =>
    trail
      .getByRole("row")
      .filter({ has: page.getByRole("cell", { name: actor, exact: true }) })
      .filter({ has: page.getByRole("cell", { name: action, exact: true }) });
  await expect(row(ADMIN.email, "user.create")).toHaveCount(2);
  await expect(row(ADMIN.email, "auth.sign_in")).not.toHaveCount(0);
  await expect(row(VIEWER.email, "auth.sign_in")).toHaveCount(1);
  await expect(row(ANALYST.email, "alert.status")).toHaveCount(2);
  await expect(row(ANALYST.email, "alert.status").first()).toContainText("closed");
  await page.screenshot({ path: "test-results/screenshots/audit-trail.png", fullPage: true });

  // A filtered view: only the analyst's actions.
  await page.goto(`/audit?actor=${encodeURIComponent(ANALYST.email)}`);
  await expect(row(ADMIN.email, "user.create")).toHaveCount(0);
  await expect(row(ANALYST.email, "alert.status")).toHaveCount(2);
});

test("a wrong password is refused and audited; signing out ends the session", async ({ page, request }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("form").getByRole("alert")).toHaveText("Wrong email or password.");
  await expect(page).toHaveURL(/\/sign-in/);

  await signIn(page, ADMIN.email, ADMIN.password);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/alerts");
  await expect(page).toHaveURL(/\/sign-in/);

  const failed = await (await request.get(`/api/v1/audit?action=auth.sign_in_failed&actor=${encodeURIComponent(ADMIN.email)}`, { headers: adminAuth })).json();
  expect(failed.events.length).toBeGreaterThanOrEqual(1);
  expect(JSON.stringify(failed.events)).not.toContain("not-the-password");
});
