import { expect, test } from "@playwright/test";
import pg from "pg";
import { ADMIN, adminAuth, postEvents, signIn } from "./helpers";

/**
 * The ingest status page against the built app: events and a refused line posted through the
 * API show up as counts, a host, the refused line and the token that sent them.
 */
const sysmon = (host: string, guid: string, utc: string) =>
  JSON.stringify({
    EventID: 1,
    UtcTime: utc,
    Computer: host,
    ProcessGuid: guid,
    Image: "C:\\Windows\\System32\\notepad.exe",
    CommandLine: "notepad.exe report.txt",
    ParentImage: "C:\\Windows\\explorer.exe",
  });
const ecs = (host: string, id: string) =>
  JSON.stringify({
    "@timestamp": new Date().toISOString(),
    event: { id, kind: "event", category: ["process"], type: ["start"] },
    host: { name: host },
    process: { name: "ls", executable: "/usr/bin/ls", command_line: "ls -la", parent: { name: "bash" } },
  });

// The empty state (no event yet, the curl command to send the first) is checked by
// e2e/tour.spec.ts, which has a fresh database of its own; here other specs have sent events.

test("events and refused lines posted through the API show on the ingest page", async ({ page, request }) => {
  const run = Date.now().toString(36);
  const body = [
    sysmon("E2E-INGEST-01", `{E2E-${run}-1}`, "2026-11-20 09:14:03.517"),
    sysmon("E2E-INGEST-01", `{E2E-${run}-2}`, "2026-11-20 09:15:03.517"),
    sysmon("E2E-INGEST-02", `{E2E-${run}-3}`, "2026-11-20 09:16:03.517"),
    '{"EventID": 1, "Image": ',
    ecs("e2e-ingest-lnx", `e2e-${run}-4`),
    "[1, 2]",
  ].join("\n");
  const res = await postEvents(request, body);
  expect(res.status()).toBe(200);
  expect(await res.json()).toMatchObject({ accepted: 4, rejected: 2 });

  // A host that sent three hours ago and nothing since: quiet (nothing on the API can age one).
  const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  try {
    await db.query(
      `INSERT INTO ingest_hosts (host, format, first_seen_at, last_event_at, last_received_at)
       VALUES ('e2e-quiet-host', 'ecs', now() - interval '5 hours', now() - interval '3 hours 2 minutes', now() - interval '3 hours')
       ON CONFLICT (host) DO UPDATE SET last_received_at = EXCLUDED.last_received_at`,
    );
    // Its two busy hours, minute by minute, for the chart (and the same counts per hour).
    await db.query(
      `WITH m AS (
         SELECT date_trunc('minute', now() - interval '5 hours') + make_interval(mins => i) AS minute, 20 + (i % 23) + (i % 7) * 3 AS events
           FROM generate_series(0, 120) i
       ), minutes AS (
         INSERT INTO ingest_minutes (minute, format, events) SELECT minute, 'ecs', events FROM m ON CONFLICT DO NOTHING
       )
       INSERT INTO ingest_host_hours (hour, host, format, events)
       SELECT date_trunc('hour', minute), 'e2e-quiet-host', 'ecs', sum(events) FROM m GROUP BY 1
       ON CONFLICT DO NOTHING`,
    );
  } finally {
    await db.end();
  }

  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/ingest");
  await expect(page.getByRole("heading", { name: "Ingest", exact: true })).toBeVisible();

  const chart = page.getByRole("img", { name: /events in the last 24 hours/ });
  await expect(chart).toBeVisible();
  await expect(chart).toHaveAccessibleName(/Windows event \(flat\): \d+/);
  await expect(chart).toHaveAccessibleName(/ECS: [\d,]+/);

  const formats = page.getByRole("table", { name: "By source format" });
  await expect(formats.getByRole("row").filter({ hasText: "Windows event (flat)" })).toBeVisible();
  await expect(formats.getByRole("row").filter({ hasText: "ECS" })).toBeVisible();

  const hosts = page.getByRole("table", { name: "Hosts", exact: true });
  await expect(hosts.locator('tr[data-host="E2E-INGEST-01"]')).toContainText("sending");
  await expect(hosts.locator('tr[data-host="E2E-INGEST-01"]')).toContainText("2026-11-20 09:15:03");
  await expect(hosts.locator('tr[data-host="e2e-ingest-lnx"]')).toContainText("ECS");
  const quiet = hosts.locator('tr[data-host="e2e-quiet-host"]');
  await expect(quiet).toHaveAttribute("data-state", "quiet");
  await expect(quiet).toContainText("3 h 0 min ago");
  // Quiet hosts come first.
  await expect(hosts.locator("tbody tr").first()).toHaveAttribute("data-state", "quiet");
  await expect(page.getByText(/A host is quiet when it sent events in the last 24 hours but nothing has arrived from it for over an hour/)).toBeVisible();

  const refused = page.getByRole("table", { name: "Refused lines" });
  const bad = refused.getByRole("row").filter({ hasText: '{"EventID": 1, "Image":' });
  await expect(bad).toContainText("VIGIL_INGEST_TOKEN");
  await expect(bad).toContainText("invalid JSON");
  await expect(bad.getByRole("cell").nth(2)).toHaveText("4");
  await expect(refused.getByRole("row").filter({ hasText: "not a JSON object" }).getByRole("cell").nth(2)).toHaveText("6");

  const tokens = page.getByRole("table", { name: "Tokens in use" });
  const shipper = tokens.getByRole("row").filter({ hasText: "VIGIL_INGEST_TOKEN" });
  await expect(shipper).toContainText("environment");
  await expect(shipper).toContainText("ingest");
  await expect(tokens).not.toContainText("e2e-ingest-token-0123456789abcdef");

  await page.screenshot({ path: "test-results/screenshots/ingest.png", fullPage: true });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: "test-results/screenshots/ingest-dark.png", fullPage: true });
  await page.emulateMedia({ colorScheme: "light" });

  // The same for scripts.
  const api = await (await request.get("/api/v1/ingest/status", { headers: adminAuth })).json();
  expect(api.totals.events).toBeGreaterThanOrEqual(4);
  expect(api.hosts.map((h: { host: string }) => h.host)).toEqual(expect.arrayContaining(["E2E-INGEST-01", "E2E-INGEST-02", "e2e-ingest-lnx", "e2e-quiet-host"]));
  expect(api.rejections.latest).toEqual(expect.arrayContaining([expect.objectContaining({ line: 4, reason: "invalid_json", excerpt: '{"EventID": 1, "Image": ' })]));
});
