import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { resetDatabase } from "@/lib/db/test-setup/reset";

/**
 * The public API, called the way Next calls it (a Request in, a Response out), against a real
 * PostgreSQL and the rule pack in rules/.
 */
const TOKEN = "test-ingest-token-0123456789";
const ADMIN_TOKEN = "test-admin-token-0123456789-0123456789";
process.env.VIGIL_INGEST_TOKEN = TOKEN;
process.env.VIGIL_ADMIN_TOKEN = ADMIN_TOKEN;
process.env.VIGIL_RULES_DIR = path.resolve("rules");
process.env.VIGIL_MAX_BODY_BYTES = String(10 * 1024 * 1024);

type Routes = {
  baseline: typeof import("./rules/[id]/baseline/route");
  baselineEntry: typeof import("./rules/[id]/baseline/[key]/route");
  markKnown: typeof import("./alerts/[id]/mark-known/route");
  events: typeof import("./events/route");
  alerts: typeof import("./alerts/route");
  alert: typeof import("./alerts/[id]/route");
  rules: typeof import("./rules/route");
  health: typeof import("./health/route");
};
let routes: Routes;

beforeAll(async () => {
  await resetDatabase();
  routes = {
    baseline: await import("./rules/[id]/baseline/route"),
    baselineEntry: await import("./rules/[id]/baseline/[key]/route"),
    markKnown: await import("./alerts/[id]/mark-known/route"),
    events: await import("./events/route"),
    alerts: await import("./alerts/route"),
    alert: await import("./alerts/[id]/route"),
    rules: await import("./rules/route"),
    health: await import("./health/route"),
  };
});

const BASE = "http://vigil.test";
/** The ingest token posts events; reading and triage need the admin (or a read/triage) token. */
const ingestAuth = { authorization: `Bearer ${TOKEN}` };
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** Sysmon process start, flat: w3wp.exe spawning cmd.exe on WEB01 (the seed web-shell pattern). */
function sysmon(fields: Record<string, unknown> = {}) {
  return {
    EventID: 1,
    UtcTime: "2026-11-09 10:15:02.123",
    Computer: "WEB01.corp.example",
    ProcessGuid: "{5AA13A44-D441-68FC-E330-000000004002}",
    ProcessId: 7112,
    Image: "C:\\Windows\\System32\\cmd.exe",
    CommandLine: "cmd.exe /c whoami",
    ParentImage: "C:\\Windows\\System32\\inetsrv\\w3wp.exe",
    ParentCommandLine: "c:\\windows\\system32\\inetsrv\\w3wp.exe -ap DefaultAppPool",
    User: "IIS APPPOOL\\DefaultAppPool",
    ...fields,
  };
}
const ndjson = (...lines: unknown[]) => lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n");

function post(body: BodyInit | null, headers: Record<string, string> = {}) {
  return routes.events.POST(
    new Request(`${BASE}/api/v1/events`, { method: "POST", body, headers: { ...ingestAuth, "content-type": "application/x-ndjson", ...headers }, duplex: "half" } as RequestInit),
    undefined as never,
  );
}
const get = (url: string, headers: Record<string, string> = auth) => routes.alerts.GET(new Request(`${BASE}${url}`, { headers }), undefined as never);

describe("POST /api/v1/events", () => {
  it("needs a valid bearer token", async () => {
    const none = await post(ndjson(sysmon()), { authorization: "" });
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toContain("Bearer");
    const wrong = await post(ndjson(sysmon()), { authorization: "Bearer nope-nope-nope-nope" });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error).toBe("invalid or revoked token");
  });

  it("accepts good lines, rejects bad ones by line number, and counts new alerts", async () => {
    const res = await post(
      ndjson(
        sysmon({ ProcessGuid: "{A-1}" }),
        '{"EventID": 1, "Image": ',
        "[1, 2, 3]",
        { hello: "world" },
        sysmon({ ProcessGuid: "{A-2}", Image: "C:\\Windows\\System32\\notepad.exe", CommandLine: "notepad.exe", ParentImage: "C:\\Windows\\explorer.exe" }),
      ),
    );
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ accepted: 2, rejected: 3, alerts: 1, duplicates: 0 });
    expect(body.errors.map((e: { line: number }) => e.line)).toEqual([2, 3, 4]);
    expect(body.errors[0].error).toMatch(/^invalid JSON/);
    expect(body.errors[1].error).toBe("expected a JSON object, got an array");
    expect(body.errors[2].error).toMatch(/unrecognised event/i);
  });

  it("creates no duplicate when the same events are sent again", async () => {
    const lines = ndjson(sysmon({ ProcessGuid: "{B-1}", CommandLine: "cmd.exe /c net user" }));
    const first = await (await post(lines)).json();
    const again = await (await post(lines)).json();
    expect(first).toMatchObject({ accepted: 1, alerts: 1, duplicates: 0 });
    expect(again).toMatchObject({ accepted: 1, alerts: 0, duplicates: 1 });
  });

  it("takes application/json as one object or an array", async () => {
    const one = await post(JSON.stringify(sysmon({ ProcessGuid: "{C-1}" })), { "content-type": "application/json" });
    expect(await one.json()).toMatchObject({ accepted: 1, rejected: 0, alerts: 1 });
    const many = await post(JSON.stringify([sysmon({ ProcessGuid: "{C-2}" }), 5]), { "content-type": "application/json; charset=utf-8" });
    expect(await many.json()).toMatchObject({ accepted: 1, rejected: 1, errors: [{ line: 2, error: "expected a JSON object, got number" }] });
  });

  it("uses the arrival time for an event without a timestamp, and says so", async () => {
    const before = Date.now();
    const res = await post(ndjson(sysmon({ UtcTime: undefined, ProcessGuid: "{D-1}", CommandLine: "cmd.exe /c hostname" })));
    const body = await res.json();
    expect(body).toMatchObject({ accepted: 1, alerts: 1 });
    expect(body.warnings[0]).toMatchObject({ line: 1 });
    expect(body.warnings[0].warning).toMatch(/arrival time/);
    const list = await (await get("/api/v1/alerts?limit=500")).json();
    const alert = list.alerts.find((a: { process: { command_line: string } }) => a.process.command_line === "cmd.exe /c hostname");
    expect(alert.event.vigil.timestamp_source).toBe("arrival");
    expect(Date.parse(alert["@timestamp"])).toBeGreaterThanOrEqual(before - 1000);
  });

  it.each([
    ["an empty body", 400, "", {}, /empty/],
    ["only malformed lines", 400, "nope\n{bad", {}, /no event in the body could be accepted/],
    ["a wrong content type", 415, ndjson(sysmon()), { "content-type": "text/plain" }, /unsupported Content-Type "text\/plain"/],
  ])("answers %s with %i", async (_name, status, body, headers, message) => {
    const res = await post(body, headers as Record<string, string>);
    expect(res.status).toBe(status);
    const json = await res.json();
    expect(json.error).toMatch(message);
    expect(json).toMatchObject({ accepted: 0, alerts: 0 });
  });

  it("lists the bad lines when nothing parses", async () => {
    const body = await (await post("nope\n{bad")).json();
    expect(body.rejected).toBe(2);
    expect(body.errors.map((e: { line: number }) => e.line)).toEqual([1, 2]);
  });

  it("refuses a 20 MiB body with 413, declared or streamed", async () => {
    const big = "x".repeat(20 * 1024 * 1024);
    const declared = await post(big, { "content-length": String(big.length) });
    expect(declared.status).toBe(413);
    const chunk = new TextEncoder().encode("y".repeat(1024 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ >= 20) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const streamed = await post(stream);
    expect(streamed.status).toBe(413);
    expect((await streamed.json()).error).toMatch(/larger than 10485760 bytes/);
  });
});

describe("GET /api/v1/alerts", () => {
  it("needs a token", async () => {
    expect((await get("/api/v1/alerts", {})).status).toBe(401);
  });

  it("returns alerts in the documented shape", async () => {
    const body = await (await get("/api/v1/alerts?limit=1")).json();
    const [a] = body.alerts;
    expect(Object.keys(a).sort()).toEqual(
      ["@timestamp", "assignee", "checklist", "created_at", "disposition", "event", "host", "id", "mitre", "process", "risk_score", "rule", "rules", "severity", "status", "updated_at", "user"].sort(),
    );
    expect(a.rule).toMatchObject({ id: expect.any(String), name: expect.any(String), type: expect.any(String), format: expect.any(String) });
    expect(a.mitre.length).toBeGreaterThan(0);
    expect(a.mitre[0]).toMatchObject({ tactic: { id: expect.stringMatching(/^TA\d{4}$/), name: expect.any(String) } });
    expect(typeof body.next_cursor).toBe("string");
  });

  it("pages with next_cursor until null, without repeats", async () => {
    const ids: string[] = [];
    let url = "/api/v1/alerts?limit=2";
    for (;;) {
      const body = await (await get(url)).json();
      ids.push(...body.alerts.map((a: { id: string }) => a.id));
      if (!body.next_cursor) break;
      url = `/api/v1/alerts?limit=2&cursor=${body.next_cursor}`;
    }
    const all = await (await get("/api/v1/alerts?limit=500")).json();
    expect(ids).toEqual(all.alerts.map((a: { id: string }) => a.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("filters by host, status and rule, and refuses unknown parameters", async () => {
    const byHost = await (await get("/api/v1/alerts?host=WEB01.corp.example&status=open")).json();
    expect(byHost.alerts.length).toBeGreaterThan(0);
    expect(byHost.alerts.every((a: { host: { name: string }; status: string }) => a.host.name === "WEB01.corp.example" && a.status === "open")).toBe(true);
    const ruleId = byHost.alerts[0].rule.id;
    const byRule = await (await get(`/api/v1/alerts?rule=${ruleId}`)).json();
    expect(byRule.alerts.every((a: { rules: { id: string }[] }) => a.rules.some((r) => r.id === ruleId))).toBe(true);
    const bad = await get("/api/v1/alerts?hostname=x");
    expect(bad.status).toBe(400);
  });
});

describe("PATCH /api/v1/alerts/{id}", () => {
  const patch = (id: string, body: unknown, headers: Record<string, string> = auth) =>
    routes.alert.PATCH(
      new Request(`${BASE}/api/v1/alerts/${id}`, { method: "PATCH", body: JSON.stringify(body), headers: { ...headers, "content-type": "application/json" } }),
      { params: Promise.resolve({ id }) },
    );

  async function someAlertId(): Promise<string> {
    return (await (await get("/api/v1/alerts?limit=1&status=open")).json()).alerts[0].id;
  }

  it("closes with a disposition and a note, and shows them in the activity", async () => {
    const id = await someAlertId();
    const res = await patch(id, { status: "closed", disposition: "benign_positive", note: "deploy script" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id, status: "closed", disposition: "benign_positive" });
    const detail = await routes.alert.GET(new Request(`${BASE}/api/v1/alerts/${id}`, { headers: auth }), { params: Promise.resolve({ id }) });
    const body = await detail.json();
    expect(body.activity).toEqual([
      expect.objectContaining({ actor: "token:VIGIL_ADMIN_TOKEN", action: "status", from_status: "open", to_status: "closed", disposition: "benign_positive", note: "deploy script" }),
    ]);
  });

  it.each([
    [{ status: "closed" }, /needs a disposition/],
    [{ status: "acknowledged", disposition: "true_positive" }, /only when closing/],
  ])("refuses %j with 422 and the reason", async (change, message) => {
    const res = await patch(await someAlertId(), change);
    expect(res.status).toBe(422);
    expect((await res.json()).error).toMatch(message);
  });

  it("refuses to escalate a closed alert, naming the way out", async () => {
    const id = await someAlertId();
    await patch(id, { status: "closed", disposition: "false_positive" });
    const res = await patch(id, { status: "escalated" });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: 'the alert is closed: reopen it (status "open") before setting it escalated', current_status: "closed" });
  });

  it("validates the body and the id", async () => {
    expect((await patch(await someAlertId(), { status: "done" })).status).toBe(422);
    expect((await patch(await someAlertId(), { status: "open", extra: 1 })).status).toBe(422);
    expect((await patch("00000000-0000-4000-8000-000000000000", { status: "open" })).status).toBe(404);
    expect((await patch("not-a-uuid", { status: "open" })).status).toBe(404);
    expect((await patch(await someAlertId(), { status: "open" }, {})).status).toBe(401);
  });
});

describe("GET /api/v1/rules and /api/v1/health", () => {
  it("lists the shipped rules with their state", async () => {
    const res = await routes.rules.GET(new Request(`${BASE}/api/v1/rules`, { headers: auth }), undefined as never);
    const body = await res.json();
    const seed = body.rules.find((r: { id: string }) => r.id === "8202070f-edeb-4d31-a010-a26c72ac5600");
    expect(seed).toMatchObject({ name: "Suspicious Process By Web Server Process", format: "sigma", type: "query", state: "active", enabled: true, severity: "high" });
    expect(body.errors).toEqual([]);
  });

  it("reports health without a token", async () => {
    const res = await routes.health.GET();
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", database: { reachable: true, migrations_pending: [] } });
  });
});

describe("baselines of stateful rules", () => {
  const NEW_TERMS = "65f28c4d-cfc8-4847-9cca-f2fb1e319151";
  const ctx = (id: string) => ({ params: Promise.resolve({ id }) });
  const getBaseline = (id: string, qs = "") =>
    routes.baseline.GET(new Request(`${BASE}/api/v1/rules/${id}/baseline${qs}`, { headers: auth }), ctx(id));
  const phpShell = (cmd: string, at: string) => ({
    "@timestamp": at,
    event: { category: ["process"], type: ["start"], action: "exec", id: `bl-${cmd}-${at}` },
    host: { name: "lnx-web09", id: "host-9", os: { type: "linux" } },
    process: { name: "sh", executable: "/usr/bin/dash", command_line: `sh -c ${cmd}`, args: ["sh", "-c", cmd], parent: { name: "php-fpm8.2", executable: "/usr/sbin/php-fpm8.2" } },
  });

  it("lists what the new_terms rule learned, and marks an alert's terms known", async () => {
    const res = await post(ndjson(phpShell("whoami", "2026-11-10T10:00:00Z")));
    expect((await res.json()).alerts).toBe(1);

    const baseline = await (await getBaseline(NEW_TERMS, "?q=whoami")).json();
    expect(baseline).toMatchObject({ kind: "novelty", fields: ["process.command_line", "host.id", "process.parent.executable"], group_by: [] });
    expect(baseline.entries).toEqual([
      expect.objectContaining({
        values: { "process.command_line": "sh -c whoami", "host.id": "host-9", "process.parent.executable": "/usr/sbin/php-fpm8.2" },
        count: 1,
        known: false,
      }),
    ]);

    const list = await (await get("/api/v1/alerts?host=lnx-web09&limit=1")).json();
    const marked = await routes.markKnown.POST(new Request(`${BASE}/api/v1/alerts/${list.alerts[0].id}/mark-known`, { method: "POST", headers: auth }), ctx(list.alerts[0].id));
    expect(await marked.json()).toMatchObject({ rules: [{ id: NEW_TERMS, terms: 1 }] });
    const after = await (await getBaseline(NEW_TERMS, "?q=whoami")).json();
    expect(after.entries[0].known).toBe(true);
  });

  it("adds a value combination by hand, refuses an incomplete one, and forgets one", async () => {
    const values = { "process.command_line": "sh -c /opt/deploy.sh", "host.id": "host-9", "process.parent.executable": "/usr/sbin/php-fpm8.2" };
    const post = (body: unknown) =>
      routes.baseline.POST(new Request(`${BASE}/api/v1/rules/${NEW_TERMS}/baseline`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify(body) }), ctx(NEW_TERMS));
    const created = await post({ values });
    expect(created.status).toBe(201);
    const { key } = await created.json();
    const incomplete = await post({ values: { "process.command_line": "x" } });
    expect(incomplete.status).toBe(422);
    expect(await incomplete.json()).toMatchObject({ missing: ["host.id", "process.parent.executable"] });

    const del = (k: string) =>
      routes.baselineEntry.DELETE(new Request(`${BASE}/api/v1/rules/${NEW_TERMS}/baseline/${k}`, { method: "DELETE", headers: auth }), { params: Promise.resolve({ id: NEW_TERMS, key: k }) });
    expect((await del(key)).status).toBe(204);
    expect((await del(key)).status).toBe(404);
    expect((await (await getBaseline(NEW_TERMS, "?q=deploy")).json()).entries).toEqual([]);
  });

  it("answers 404 for a rule that is not stateful, and 422 for marking an alert no novelty rule fired on", async () => {
    expect((await getBaseline("8202070f-edeb-4d31-a010-a26c72ac5600")).status).toBe(404);
    const windows = await (await get("/api/v1/alerts?host=WEB01.corp.example&limit=1")).json();
    const res = await routes.markKnown.POST(new Request(`${BASE}/api/v1/alerts/${windows.alerts[0].id}/mark-known`, { method: "POST", headers: auth }), ctx(windows.alerts[0].id));
    expect(res.status).toBe(422);
  });

  it("needs a token to read and the triage scope to change", async () => {
    const anonymous = await routes.baseline.GET(new Request(`${BASE}/api/v1/rules/${NEW_TERMS}/baseline`), ctx(NEW_TERMS));
    expect(anonymous.status).toBe(401);
  });
});

describe("authorization", () => {
  const call = (handler: (r: Request, c: never) => Promise<Response>, url: string, headers: Record<string, string>, init: RequestInit = {}) =>
    handler(new Request(`${BASE}${url}`, { ...init, headers }), undefined as never);

  it("the ingest token posts events but cannot read alerts, rules or the audit trail", async () => {
    expect((await get("/api/v1/alerts", ingestAuth)).status).toBe(403);
    expect((await call(routes.rules.GET, "/api/v1/rules", ingestAuth)).status).toBe(403);
    const audit = await import("./audit/route");
    expect((await call(audit.GET, "/api/v1/audit", ingestAuth)).status).toBe(403);
    expect((await (await get("/api/v1/alerts", ingestAuth)).json()).error).toBe('this token lacks the "read" scope');
  });

  it("refuses missing and unknown tokens with 401 on every route", async () => {
    const audit = await import("./audit/route");
    for (const [handler, url] of [
      [routes.alerts.GET, "/api/v1/alerts"],
      [routes.rules.GET, "/api/v1/rules"],
      [audit.GET, "/api/v1/audit"],
    ] as const) {
      expect((await call(handler, url, {})).status).toBe(401);
      expect((await call(handler, url, { authorization: "Bearer not-a-real-token-at-all" })).status).toBe(401);
      expect((await call(handler, url, { authorization: "Basic dXNlcjpwYXNz" })).status).toBe(401);
    }
  });

  it("a token created with read only can read but not triage; once revoked it is refused", async () => {
    const { createApiToken, revokeApiToken } = await import("@/lib/db/tokens");
    const { token, row } = await createApiToken(`reader-${Date.now()}`, ["read"], { actor: "test", actorType: "system" });
    const reader = { authorization: `Bearer ${token}` };
    expect((await get("/api/v1/alerts?limit=1", reader)).status).toBe(200);
    const id = (await (await get("/api/v1/alerts?limit=1", reader)).json()).alerts[0].id;
    const patch = await routes.alert.PATCH(
      new Request(`${BASE}/api/v1/alerts/${id}`, { method: "PATCH", headers: { ...reader, "content-type": "application/json" }, body: JSON.stringify({ status: "acknowledged" }) }),
      { params: Promise.resolve({ id }) },
    );
    expect(patch.status).toBe(403);
    await revokeApiToken(row.id, { actor: "test", actorType: "system" });
    expect((await get("/api/v1/alerts?limit=1", reader)).status).toBe(401);
  });

  it("every route refuses a missing, a revoked and an under-scoped token", async () => {
    const { createApiToken, revokeApiToken } = await import("@/lib/db/tokens");
    const audit = await import("./audit/route");
    const rule = await import("./rules/[id]/route");
    const reload = await import("./rules/reload/route");
    const bulk = await import("./alerts/bulk/route");
    const checklist = await import("./alerts/[id]/checklist/route");
    const ingestStatus = await import("./ingest/status/route");
    const alertId = (await (await get("/api/v1/alerts?limit=1")).json()).alerts[0].id as string;
    const NEW_TERMS = "65f28c4d-cfc8-4847-9cca-f2fb1e319151";
    const json = (body: unknown) => ({ method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
    type Route = { name: string; scope: string; call: (headers: Record<string, string>) => Promise<Response> };
    const req = (url: string, headers: Record<string, string>, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) =>
      new Request(`${BASE}${url}`, { ...init, headers: { ...init.headers, ...headers } });
    const idCtx = (id: string) => ({ params: Promise.resolve({ id }) });
    const table: Route[] = [
      { name: "POST /events", scope: "ingest", call: (h) => routes.events.POST(req("/api/v1/events", h, { ...json(sysmon()), headers: { "content-type": "application/x-ndjson" } }), undefined as never) },
      { name: "GET /alerts", scope: "read", call: (h) => routes.alerts.GET(req("/api/v1/alerts", h), undefined as never) },
      { name: "GET /alerts/{id}", scope: "read", call: (h) => routes.alert.GET(req(`/api/v1/alerts/${alertId}`, h), idCtx(alertId)) },
      { name: "PATCH /alerts/{id}", scope: "triage", call: (h) => routes.alert.PATCH(req(`/api/v1/alerts/${alertId}`, h, { ...json({ note: "x" }), method: "PATCH" }), idCtx(alertId)) },
      { name: "POST /alerts/{id}/mark-known", scope: "triage", call: (h) => routes.markKnown.POST(req(`/api/v1/alerts/${alertId}/mark-known`, h, { method: "POST" }), idCtx(alertId)) },
      { name: "GET /rules", scope: "read", call: (h) => routes.rules.GET(req("/api/v1/rules", h), undefined as never) },
      { name: "PATCH /rules/{id}", scope: "admin", call: (h) => rule.PATCH(req(`/api/v1/rules/${NEW_TERMS}`, h, { ...json({ enabled: true }), method: "PATCH" }), idCtx(NEW_TERMS)) },
      { name: "POST /rules/reload", scope: "admin", call: (h) => reload.POST(req("/api/v1/rules/reload", h, { method: "POST" }), undefined as never) },
      { name: "GET /rules/{id}/baseline", scope: "read", call: (h) => routes.baseline.GET(req(`/api/v1/rules/${NEW_TERMS}/baseline`, h), idCtx(NEW_TERMS)) },
      {
        name: "POST /rules/{id}/baseline",
        scope: "triage",
        call: (h) => routes.baseline.POST(req(`/api/v1/rules/${NEW_TERMS}/baseline`, h, json({ values: {} })), idCtx(NEW_TERMS)),
      },
      {
        name: "DELETE /rules/{id}/baseline/{key}",
        scope: "triage",
        call: (h) => routes.baselineEntry.DELETE(req(`/api/v1/rules/${NEW_TERMS}/baseline/00000000`, h, { method: "DELETE" }), { params: Promise.resolve({ id: NEW_TERMS, key: "00000000" }) }),
      },
      { name: "GET /audit", scope: "admin", call: (h) => audit.GET(req("/api/v1/audit", h), undefined as never) },
      { name: "POST /alerts/bulk", scope: "triage", call: (h) => bulk.POST(req("/api/v1/alerts/bulk", h, json({ ids: [alertId], status: "acknowledged" })), undefined as never) },
      { name: "GET /alerts/{id}/checklist", scope: "read", call: (h) => checklist.GET(req(`/api/v1/alerts/${alertId}/checklist`, h), idCtx(alertId)) },
      { name: "GET /ingest/status", scope: "read", call: (h) => ingestStatus.GET(req("/api/v1/ingest/status", h), undefined as never) },
      {
        name: "PUT /alerts/{id}/checklist",
        scope: "triage",
        call: (h) => checklist.PUT(req(`/api/v1/alerts/${alertId}/checklist`, h, { ...json({ rule_id: "x", list: "triage", step: "0123456789abcdef", done: true }), method: "PUT" }), idCtx(alertId)),
      },
    ];
    const SCOPES = ["ingest", "read", "triage", "admin"];
    const who = { actor: "test", actorType: "system" } as const;
    const revoked = await createApiToken(`revoked-${Date.now()}`, SCOPES, who);
    await revokeApiToken(revoked.row.id, who);
    for (const route of table) {
      const others = SCOPES.filter((s) => s !== route.scope);
      const under = await createApiToken(`under-${route.scope}-${Math.random()}`, others, who);
      const exact = await createApiToken(`exact-${route.scope}-${Math.random()}`, [route.scope], who);
      const status = async (headers: Record<string, string>) => (await route.call(headers)).status;
      expect([route.name, await status({})]).toEqual([route.name, 401]);
      expect([route.name, await status({ authorization: `Bearer ${revoked.token}` })]).toEqual([route.name, 401]);
      expect([route.name, await status({ authorization: `Bearer ${under.token}` })]).toEqual([route.name, 403]);
      // The right scope gets past authorization (the answer may still be a 4xx about the request).
      const allowed = await status({ authorization: `Bearer ${exact.token}` });
      expect({ route: route.name, authorized: allowed !== 401 && allowed !== 403 }).toEqual({ route: route.name, authorized: true });
    }
  });

  it("admins turn rules off and on; the change is audited and the rule stops firing", async () => {
    const rule = await import("./rules/[id]/route");
    const audit = await import("./audit/route");
    const SEED = "8202070f-edeb-4d31-a010-a26c72ac5600";
    const toggle = (enabled: boolean) =>
      rule.PATCH(
        new Request(`${BASE}/api/v1/rules/${SEED}`, { method: "PATCH", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ enabled }) }),
        { params: Promise.resolve({ id: SEED }) },
      );
    const off = await toggle(false);
    expect(await off.json()).toMatchObject({ id: SEED, enabled: false, changed: true });
    const rulesOn = async (host: string) => {
      const found = await (await get(`/api/v1/alerts?host=${host}&status=open`)).json();
      return found.alerts.flatMap((a: { rules: { id: string }[] }) => a.rules.map((r) => r.id));
    };
    await post(ndjson(sysmon({ ProcessGuid: "{RULE-OFF-1}", Computer: "RULEOFF1", CommandLine: "cmd.exe /c echo off" })));
    expect(await rulesOn("RULEOFF1")).not.toContain(SEED);
    expect(await (await toggle(true)).json()).toMatchObject({ enabled: true, changed: true });
    expect(await (await toggle(true)).json()).toMatchObject({ enabled: true, changed: false });
    await post(ndjson(sysmon({ ProcessGuid: "{RULE-OFF-2}", Computer: "RULEOFF2", CommandLine: "cmd.exe /c echo on" })));
    expect(await rulesOn("RULEOFF2")).toContain(SEED);
    const trail = await (await call(audit.GET, `/api/v1/audit?object_type=rule&object_id=${SEED}`, auth)).json();
    expect(trail.events.map((e: { action: string }) => e.action)).toEqual(["rule.enable", "rule.disable"]);
    expect(trail.events[1]).toMatchObject({ actor: "token:VIGIL_ADMIN_TOKEN", before: { enabled: true }, after: { enabled: false } });
    const missing = await rule.PATCH(
      new Request(`${BASE}/api/v1/rules/nope`, { method: "PATCH", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ enabled: false }) }),
      { params: Promise.resolve({ id: "nope" }) },
    );
    expect(missing.status).toBe(404);
  });

  it("only admins reload rules", async () => {
    const reload = await import("./rules/reload/route");
    const { createApiToken } = await import("@/lib/db/tokens");
    const { token } = await createApiToken(`triager-${Date.now()}`, ["read", "triage"], { actor: "test", actorType: "system" });
    expect((await call(reload.POST, "/api/v1/rules/reload", { authorization: `Bearer ${token}` }, { method: "POST" })).status).toBe(403);
    expect((await call(reload.POST, "/api/v1/rules/reload", auth, { method: "POST" })).status).toBe(200);
  });
});
