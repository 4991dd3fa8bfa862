import { expect, test } from "@playwright/test";
import { ADMIN, adminAuth, postEvents, signIn } from "./helpers";

/**
 * The rules page (issue 10): the shipped rules with their stats, a Sigma rule's highlighted
 * source, the enabled switch, and uploading a rule file that ingest uses at once.
 */
const SHIPPED_SIGMA = "8202070f-edeb-4d31-a010-a26c72ac5600";
const UPLOADED = "6d1e0c55-3f0a-4c43-9a7e-0e2e2e2e0001";
const NEW_VALUE = "ba8fb9be-2768-4a43-85ba-b6ab15222c82";

/** ECS process start on a Linux web server: nginx started `name`. */
function nginxChild(name: string, at: string): string {
  return JSON.stringify({
    "@timestamp": at,
    event: { kind: "event", category: ["process"], type: ["start"], action: "exec" },
    host: { name: "rules-lnx-01", os: { type: "linux" } },
    process: { name, executable: `/usr/bin/${name}`, command_line: `${name} -c id`, parent: { name: "nginx", executable: "/usr/sbin/nginx" } },
  });
}

function sigma(id: string, title: string, image: string): string {
  return [
    `title: ${title}`,
    `id: ${id}`,
    "status: experimental",
    "description: Uploaded by the end-to-end test. <script>alert('x')</script>",
    "logsource:",
    "    category: process_creation",
    "    product: windows",
    "detection:",
    "    selection:",
    `        Image|endswith: '\\${image}'`,
    "    condition: selection",
    "level: medium",
    "tags:",
    "    - attack.execution",
    "    - attack.t1059.003",
  ].join("\n");
}

test("rules: list, a Sigma rule's source, the enabled switch, and an upload that fires", async ({ page, request }) => {
  // One alert for the shipped web-shell rule, so the list has stats to show.
  await postEvents(
    request,
    JSON.stringify({
      EventID: 1,
      UtcTime: new Date().toISOString().replace("T", " ").slice(0, 23),
      Computer: "RULES-WEB01",
      ProcessGuid: "{E2E-RULES-1}",
      Image: "C:\\Windows\\System32\\cmd.exe",
      CommandLine: "cmd.exe /c whoami",
      ParentImage: "C:\\Windows\\System32\\inetsrv\\w3wp.exe",
      User: "IIS APPPOOL\\DefaultAppPool",
    }),
  );

  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/rules");
  const table = page.getByRole("table", { name: "Rules" });
  const shipped = table.getByRole("row").filter({ hasText: "Suspicious Process By Web Server Process" });
  await expect(shipped).toContainText("Sigma");
  await expect(shipped).toContainText("T1505.003");
  await expect(shipped).toContainText(/ago/); // last fired
  await expect(table).toContainText("Elastic TOML");
  await expect(table).toContainText("new_value");
  await expect(page.getByRole("heading", { name: "Load errors" })).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/rules.png", fullPage: true });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: "test-results/screenshots/rules-dark.png", fullPage: true });
  await page.emulateMedia({ colorScheme: "light" });

  // Filters live in the URL.
  await page.getByLabel("Format").selectOption("elastic");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/format=elastic/);
  await expect(table).not.toContainText("Suspicious Process By Web Server Process");
  await page.goto(`/rules?q=${SHIPPED_SIGMA.slice(0, 8)}`);
  await expect(table.getByRole("row")).toHaveCount(2); // header + the shipped Sigma rule

  // A Sigma rule: metadata, ATT&CK links, the highlighted source.
  await table.getByRole("link", { name: "Suspicious Process By Web Server Process" }).click();
  await expect(page).toHaveURL(new RegExp(`/rules/${SHIPPED_SIGMA}$`));
  await expect(page.getByRole("heading", { name: "Suspicious Process By Web Server Process" })).toBeVisible();
  const source = page.getByLabel("Rule source", { exact: true });
  await expect(source).toContainText("ParentImage|endswith:");
  await expect(source.locator("span", { hasText: /^\|endswith$/ }).first()).toBeVisible(); // the modifier is its own token
  await expect(page.getByRole("link", { name: /T1505\.003/ })).toHaveAttribute("href", "https://attack.mitre.org/techniques/T1505/003/");
  await expect(page.getByTestId("rule-recent-alerts")).toHaveText(/^[1-9]\d* alerts?$/);
  await expect(page.getByRole("link", { name: "All its alerts" })).toHaveAttribute("href", new RegExp(`/alerts\\?status=all&rule=${SHIPPED_SIGMA}`));

  // Hunt with it elsewhere: the rule as Sentinel KQL and Elastic EQL.
  const hunt = page.getByRole("region", { name: "Hunt with it elsewhere" });
  await expect(hunt.getByLabel("Microsoft Sentinel query", { exact: true })).toContainText(/^imProcessCreate/);
  await expect(hunt.getByLabel("Elastic query", { exact: true })).toContainText(/^process where/);
  await expect(hunt.getByRole("button", { name: "Copy the Microsoft Sentinel query" })).toBeVisible();

  // The enabled switch (admin): off, then on again; the API agrees.
  const enabled = page.getByRole("switch", { name: "Suspicious Process By Web Server Process enabled" });
  await expect(enabled).toHaveAttribute("aria-checked", "true");
  await enabled.click();
  await expect(enabled).toHaveAttribute("aria-checked", "false");
  const ruleState = async () => ((await (await request.get("/api/v1/rules", { headers: adminAuth })).json()).rules as { id: string; enabled: boolean }[]).find((r) => r.id === SHIPPED_SIGMA)?.enabled;
  await expect.poll(ruleState).toBe(false);
  await enabled.click();
  await expect(enabled).toHaveAttribute("aria-checked", "true");
  await expect.poll(ruleState).toBe(true);
  await page.screenshot({ path: "test-results/screenshots/rules-detail.png", fullPage: true });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: "test-results/screenshots/rules-detail-dark.png", fullPage: true });
  await page.emulateMedia({ colorScheme: "light" });

  // A stateful rule shows what it learned and whether it is still learning. Other specs share
  // the database and may have taught it keys already; this host's two are new.
  const baseline = page.getByRole("region", { name: "Baseline" });
  const learnedKeys = async () => {
    await page.goto(`/rules/${NEW_VALUE}`);
    const keys = baseline.getByTestId("baseline-keys");
    return (await keys.count()) > 0 ? Number(await keys.textContent()) : 0;
  };
  const keysBefore = await learnedKeys();
  await postEvents(request, [nginxChild("sh", "2026-11-20T08:00:00Z"), nginxChild("sh", "2026-11-20T09:00:00Z"), nginxChild("curl", "2026-11-20T10:00:00Z")].join("\n"));
  await expect.poll(learnedKeys).toBe(keysBefore + 2);
  await expect(baseline.getByTestId("baseline-learning")).toContainText(/learning — 7d from the first event, until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
  await expect(baseline.getByRole("table", { name: "Baseline: most frequent" }).getByRole("row").nth(1)).toContainText("sh");
  await page.screenshot({ path: "test-results/screenshots/rules-baseline.png", fullPage: true });

  // Upload: a broken file first (nothing stored, the position shown), then a good one.
  await page.goto("/rules");
  const file = page.getByLabel("Rule file", { exact: true });
  await file.setInputFiles({ name: "e2e-broken.yml", mimeType: "application/yaml", buffer: Buffer.from(sigma(UPLOADED, "E2E uploaded rule", "e2etool.exe").replace("|endswith:", "|endswithh:")) });
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "nothing was stored" })).toContainText("e2e-broken.yml:10:15: unknown modifier `endswithh`");
  await file.setInputFiles({ name: "e2e-upload.yml", mimeType: "application/yaml", buffer: Buffer.from(sigma(UPLOADED, "E2E uploaded rule", "e2etool.exe")) });
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByRole("status").filter({ hasText: "stored" })).toContainText("E2E uploaded rule");
  await expect(table.getByRole("row").filter({ hasText: "E2E uploaded rule" })).toContainText("upload/e2e-upload.yml");

  // Ingest uses it at once.
  const ingested = await postEvents(
    request,
    JSON.stringify({ EventID: 1, UtcTime: "2026-11-22 08:00:00.000", Computer: "RULES-WS01", ProcessGuid: "{E2E-RULES-2}", Image: "C:\\Tools\\e2etool.exe", CommandLine: "e2etool.exe --run", ParentImage: "C:\\Windows\\explorer.exe", User: "CORP\\bob" }),
  );
  expect(await ingested.json()).toMatchObject({ accepted: 1, alerts: 1 });
  const fired = await (await request.get(`/api/v1/alerts?rule=${UPLOADED}`, { headers: adminAuth })).json();
  expect(fired.alerts).toHaveLength(1);

  // Its page: uploaded, deletable, and the description's markup is text.
  await table.getByRole("link", { name: "E2E uploaded rule" }).click();
  await expect(page.getByText("<script>alert('x')</script>", { exact: false }).first()).toBeVisible();
  await expect(page.getByRole("button", { name: "Delete upload" })).toBeVisible();
});
