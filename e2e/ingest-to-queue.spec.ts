import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { ADMIN, adminAuth, postEvents, signIn } from "./helpers";

/**
 * End to end against the built app and a real PostgreSQL: events posted through the public API
 * become alerts in the queue an analyst reads in Chromium.
 */
const sample = fs.readFileSync("examples/events.ndjson");


test("events posted with the API show up as alerts in the queue", async ({ page, request }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  const res = await postEvents(request, sample);
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body).toMatchObject({ rejected: 0, errors: [], duplicates: 0 });
  expect(body.accepted).toBe(sample.toString().trim().split("\n").length);
  expect(body.alerts).toBeGreaterThanOrEqual(4);
  // Other specs may have left alerts in the queue: the default view shows every one to triage.
  const toTriage = (await (await request.get("/api/v1/alerts?status=open,acknowledged&limit=500", { headers: adminAuth })).json()).alerts.length;
  expect(toTriage).toBeGreaterThanOrEqual(body.alerts);

  await page.goto("/");
  await expect(page).toHaveURL(/\/alerts$/);
  const table = page.getByRole("table", { name: "Alert queue" });
  await expect(table).toBeVisible();
  await expect(table.getByRole("columnheader")).toHaveText(["", "Time (UTC)", "Severity", "Rules", "Host", "User", "Parent → process", "Status", "Assignee", "Steps", "Age"]);
  const row = table.getByRole("row").filter({ hasText: "cmd.exe /c whoami" });
  await expect(row).toContainText("Suspicious Process By Web Server Process");
  await expect(row).toContainText("WEB01");
  await expect(row).toContainText("w3wp.exe → cmd.exe");
  await expect(row).toContainText("High");
  await expect(row).toContainText("open");
  await expect(table.getByRole("row")).toHaveCount(toTriage + 1);
  await page.screenshot({ path: "test-results/screenshots/alert-queue.png", fullPage: true });

  // Sending the same file again creates nothing new.
  const again = await (await postEvents(request, sample)).json();
  expect(again).toMatchObject({ alerts: 0, duplicates: body.accepted });
  await page.reload();
  await expect(table.getByRole("row")).toHaveCount(toTriage + 1);
});

test("a closed alert leaves the unresolved view and shows under Closed", async ({ page, request }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  const list = await (await request.get("/api/v1/alerts?status=open&limit=1", { headers: adminAuth })).json();
  const alert = list.alerts[0];
  const closed = await request.patch(`/api/v1/alerts/${alert.id}`, {
    headers: adminAuth,
    data: { status: "closed", disposition: "benign_positive", note: "known deploy script" },
  });
  expect(closed.status()).toBe(200);

  await page.goto("/alerts");
  const cmd = alert.process.command_line as string;
  const queue = page.getByRole("table", { name: "Alert queue" });
  await expect(queue.getByRole("row").filter({ hasText: cmd })).toHaveCount(0);
  await page.getByRole("link", { name: "Closed" }).click();
  await expect(page).toHaveURL(/status=closed/);
  await expect(queue.getByRole("row").filter({ hasText: cmd })).toContainText("closed");
});

test("bad input is answered as specified", async ({ request }) => {
  const event = {
    EventID: 1,
    UtcTime: "2026-11-21 08:00:00.000",
    Computer: "WEB09",
    Image: "C:\\Windows\\System32\\cmd.exe",
    CommandLine: "cmd.exe /c ver",
    ParentImage: "C:\\Windows\\System32\\inetsrv\\w3wp.exe",
  };
  const sysmon = JSON.stringify(event);

  const missingToken = await request.post("/api/v1/events", { data: sysmon, headers: { "content-type": "application/x-ndjson" } });
  expect(missingToken.status()).toBe(401);

  const wrongType = await postEvents(request, sysmon, { "content-type": "text/csv" });
  expect(wrongType.status()).toBe(415);

  const empty = await postEvents(request, "");
  expect(empty.status()).toBe(400);
  expect((await empty.json()).error).toMatch(/empty/);

  const huge = await postEvents(request, Buffer.alloc(20 * 1024 * 1024, 0x61));
  expect(huge.status()).toBe(413);

  const noTimestamp = JSON.stringify({ ...event, UtcTime: undefined, CommandLine: "cmd.exe /c ver /2" });
  const mixed = await postEvents(request, [sysmon, "{not json", '{"unknown": "format"}', noTimestamp].join("\n"));
  expect(mixed.status()).toBe(200);
  const body = await mixed.json();
  expect(body).toMatchObject({ accepted: 2, rejected: 2 });
  expect(body.errors.map((e: { line: number }) => e.line)).toEqual([2, 3]);
  expect(body.errors[0].error).toMatch(/invalid JSON/);
  expect(body.errors[1].error).toMatch(/unrecognised event/i);
  expect(body.warnings).toEqual([{ line: 4, warning: expect.stringMatching(/arrival time/) }]);

  const nothing = await postEvents(request, "{bad\n[1]");
  expect(nothing.status()).toBe(400);
  expect(await nothing.json()).toMatchObject({ accepted: 0, rejected: 2 });
});
