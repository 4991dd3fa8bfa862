import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { resetDatabase } from "@/lib/db/test-setup/reset";

/**
 * The public API, called the way Next calls it (a Request in, a Response out), against a real
 * PostgreSQL and the rule pack in rules/.
 */
const TOKEN = "test-ingest-token-0123456789";
process.env.VIGIL_INGEST_TOKEN = TOKEN;
process.env.VIGIL_RULES_DIR = path.resolve("rules");
process.env.VIGIL_MAX_BODY_BYTES = String(10 * 1024 * 1024);

type Routes = {
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
    events: await import("./events/route"),
    alerts: await import("./alerts/route"),
    alert: await import("./alerts/[id]/route"),
    rules: await import("./rules/route"),
    health: await import("./health/route"),
  };
});

const BASE = "http://vigil.test";
const auth = { authorization: `Bearer ${TOKEN}` };

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
    new Request(`${BASE}/api/v1/events`, { method: "POST", body, headers: { ...auth, "content-type": "application/x-ndjson", ...headers }, duplex: "half" } as RequestInit),
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
    ["an empty body", "", {}, 400, /empty/],
    ["only malformed lines", "nope\n{bad", {}, 400, /no event in the body could be accepted/],
    ["a wrong content type", ndjson(sysmon()), { "content-type": "text/plain" }, 415, /unsupported Content-Type "text\/plain"/],
  ])("answers %s with %i", async (_name, body, headers, status, message) => {
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
      ["@timestamp", "created_at", "disposition", "event", "host", "id", "mitre", "process", "risk_score", "rule", "rules", "severity", "status", "updated_at", "user"].sort(),
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
      expect.objectContaining({ actor: "token:VIGIL_INGEST_TOKEN", action: "status", from_status: "open", to_status: "closed", disposition: "benign_positive", note: "deploy script" }),
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
