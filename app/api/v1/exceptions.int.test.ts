import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { resetDatabase } from "@/lib/db/test-setup/reset";

/**
 * Allowlist exceptions through the API on a real PostgreSQL: applied at ingest with hit counts,
 * sightings kept for stateful rules, approval, expiry, preview, close-matching, import/export.
 */
const INGEST = "exc-ingest-token-0123456789";
const ADMIN = "exc-admin-token-0123456789-0123456789";
process.env.VIGIL_INGEST_TOKEN = INGEST;
process.env.VIGIL_ADMIN_TOKEN = ADMIN;
process.env.VIGIL_RULES_DIR = path.resolve("rules");

const BASE = "http://vigil.test";
const admin = { authorization: `Bearer ${ADMIN}` };
const SIGMA_WINDOWS = "8202070f-edeb-4d31-a010-a26c72ac5600";
const NEW_TERMS = "65f28c4d-cfc8-4847-9cca-f2fb1e319151";
const EQL_WEBSHELL = "2917d495-59bd-4250-b395-c29409b76086";

type Routes = {
  events: typeof import("./events/route");
  list: typeof import("./exceptions/route");
  one: typeof import("./exceptions/[id]/route");
  approve: typeof import("./exceptions/[id]/approve/route");
  preview: typeof import("./exceptions/preview/route");
  exportRoute: typeof import("./exceptions/export/route");
  importRoute: typeof import("./exceptions/import/route");
  alerts: typeof import("./alerts/route");
};
let routes: Routes;
let analyst: { authorization: string };

let seq = 0;
function deploy(fields: Record<string, unknown> = {}) {
  seq++;
  return {
    EventID: 1,
    UtcTime: `2026-11-12 10:${String(seq % 60).padStart(2, "0")}:00.000`,
    Computer: "WEB01",
    ProcessGuid: `{EXC-${seq}}`,
    Image: "C:\\Windows\\System32\\cmd.exe",
    CommandLine: "cmd.exe /c C:\\deploy\\publish.cmd --site shop",
    ParentImage: "C:\\Windows\\System32\\inetsrv\\w3wp.exe",
    User: "IIS APPPOOL\\Shop",
    ...fields,
  };
}

async function ingest(...events: unknown[]) {
  const res = await routes.events.POST(
    new Request(`${BASE}/api/v1/events`, { method: "POST", headers: { authorization: `Bearer ${INGEST}`, "content-type": "application/x-ndjson" }, body: events.map((e) => JSON.stringify(e)).join("\n") }),
    undefined as never,
  );
  return res.json();
}

const send = (method: string, body: unknown, headers = admin) => ({ method, headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(body) });
const ctx = (id: string) => ({ params: Promise.resolve({ id }) });

const deployException = {
  name: "Shop deploy script",
  reason: "the release pipeline runs publish.cmd through the IIS app (ticket OPS-12)",
  // Both rules that fire on w3wp → cmd.exe, as "Allowlist this…" proposes.
  rule_ids: [SIGMA_WINDOWS, EQL_WEBSHELL],
  entries: [
    { field: "process.parent.executable", operator: "is", value: "c:/windows/system32/inetsrv/w3wp.exe" },
    { field: "process.command_line", operator: "matches", value: "cmd.exe /c C:\\\\deploy\\\\publish.cmd *" },
  ],
};

beforeAll(async () => {
  await resetDatabase();
  routes = {
    events: await import("./events/route"),
    list: await import("./exceptions/route"),
    one: await import("./exceptions/[id]/route"),
    approve: await import("./exceptions/[id]/approve/route"),
    preview: await import("./exceptions/preview/route"),
    exportRoute: await import("./exceptions/export/route"),
    importRoute: await import("./exceptions/import/route"),
    alerts: await import("./alerts/route"),
  };
  const { createApiToken } = await import("@/lib/db/tokens");
  const { token } = await createApiToken("analyst-bot", ["read", "triage"], { actor: "test", actorType: "system" });
  analyst = { authorization: `Bearer ${token}` };
});

async function alertsOn(host: string) {
  const res = await routes.alerts.GET(new Request(`${BASE}/api/v1/alerts?host=${host}&status=open,acknowledged,escalated,closed`, { headers: admin }), undefined as never);
  return (await res.json()).alerts as { id: string; status: string; disposition: string | null; rules: { id: string }[] }[];
}

describe("exceptions", () => {
  it("previews what an exception would suppress, per rule, with warnings", async () => {
    await ingest(deploy(), deploy({ Computer: "WEB02" }), deploy({ CommandLine: "cmd.exe /c whoami" }));
    const res = await routes.preview.POST(new Request(`${BASE}/api/v1/exceptions/preview`, send("POST", deployException)), undefined as never);
    const preview = await res.json();
    expect(res.status).toBe(200);
    expect(preview.alerts).toMatchObject({ matched: 2, open: 2 });
    expect(preview.events.matched).toBe(2);
    expect(preview.by_rule).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rule_id: SIGMA_WINDOWS, rule_name: "Suspicious Process By Web Server Process", alerts: 2, events: 2 }),
        expect.objectContaining({ rule_id: EQL_WEBSHELL, alerts: 2, events: 2 }),
      ]),
    );
    expect(preview.sample).toHaveLength(2);
    expect(preview.warnings).toEqual([]);

    const broad = await (await routes.preview.POST(
      new Request(`${BASE}/api/v1/exceptions/preview`, send("POST", { ...deployException, rule_ids: null, entries: [{ field: "process.name", operator: "is", value: "cmd.exe" }] })),
      undefined as never,
    )).json();
    expect(broad.warnings.join("\n")).toMatch(/broad/i);
    expect(broad.warnings.join("\n")).toMatch(/attack patterns/);
  });

  it("refuses invalid entries with 422 naming the offending entry, and unknown rules", async () => {
    const bad = await routes.list.POST(
      new Request(`${BASE}/api/v1/exceptions`, send("POST", { ...deployException, entries: [deployException.entries[0], { field: "process.name", operator: "looks_like", value: "x" }] })),
      undefined as never,
    );
    expect(bad.status).toBe(422);
    const body = await bad.json();
    expect(body.error).toMatch(/entries\[1\]/);
    expect(body.problems[0].path).toMatch(/^entries\[1\]/);
    const cidr = await routes.list.POST(new Request(`${BASE}/api/v1/exceptions`, send("POST", { ...deployException, entries: [{ field: "source.ip", operator: "cidr", value: "10.0.0.0/33" }] })), undefined as never);
    expect((await cidr.json()).error).toMatch(/entries\[0\]\.value/);
    const rules = await routes.list.POST(new Request(`${BASE}/api/v1/exceptions`, send("POST", { ...deployException, rule_ids: ["nope"] })), undefined as never);
    expect(rules.status).toBe(422);
    expect((await rules.json()).unknown_rule_ids).toEqual(["nope"]);
    const noReason = await routes.list.POST(new Request(`${BASE}/api/v1/exceptions`, send("POST", { ...deployException, reason: " " })), undefined as never);
    expect(noReason.status).toBe(422);
  });

  it("applies at ingest once created, closing the matching open alerts, counting hits per rule", async () => {
    const res = await routes.list.POST(new Request(`${BASE}/api/v1/exceptions`, send("POST", { ...deployException, close_matching: true })), undefined as never);
    expect(res.status).toBe(201);
    const created = await res.json();
    expect(created).toMatchObject({ state: "active", author: "token:VIGIL_ADMIN_TOKEN", closed_alerts: 2 });
    const web01 = await alertsOn("WEB01");
    const closedOnes = web01.filter((a) => a.status === "closed");
    expect(closedOnes).toHaveLength(1);
    expect(closedOnes[0]!.disposition).toBe("benign_positive");
    expect(web01.filter((a) => a.status === "open")).toHaveLength(1); // the whoami alert stays open

    // The same activity again: no alert, the hit is counted; other activity still alerts.
    const again = await ingest(deploy({ CommandLine: "CMD.EXE /c c:/deploy/publish.cmd --site blog" }), deploy({ CommandLine: "cmd.exe /c net user" }));
    // `suppressed` counts rule matches: both rules' on the deploy event.
    expect(again).toMatchObject({ accepted: 2, alerts: 1, suppressed: 2 });
    const after = await (await routes.one.GET(new Request(`${BASE}/api/v1/exceptions/${created.id}`, { headers: admin }), ctx(created.id))).json();
    expect(after.hits).toBe(2);
    expect(after.hits_by_rule.map((h: { rule_id: string; hits: number }) => [h.rule_id, h.hits]).sort()).toEqual([[EQL_WEBSHELL, 1], [SIGMA_WINDOWS, 1]].sort());
    expect(after.last_hit_at).not.toBeNull();
    // Re-sending the same batch counts nothing twice.
    await ingest(deploy({ ProcessGuid: `{EXC-${seq - 1}}`, UtcTime: "2026-11-12 10:00:00.000" }));
    const audit = await db().auditEvent.findMany({ where: { objectId: created.id } });
    expect(audit.map((a) => a.action)).toEqual(["exception.create"]);
  });

  it("keeps the sighting for new-terms rules while suppressing their alert", async () => {
    const linux = (cmd: string) => ({
      "@timestamp": `2026-11-12T11:${String(++seq % 60).padStart(2, "0")}:00Z`,
      event: { category: ["process"], type: ["start"], action: "exec", id: `exc-nt-${seq}` },
      host: { name: "web09", id: "h-web09", os: { type: "linux" } },
      process: { name: "sh", executable: "/bin/sh", command_line: cmd, args: ["sh", "-c", cmd.slice(6)], parent: { name: "php-fpm8.2", executable: "/usr/sbin/php-fpm8.2" } },
      user: { name: "www-data" },
    });
    const ex = await (await routes.list.POST(
      new Request(`${BASE}/api/v1/exceptions`, send("POST", { name: "mail", reason: "php mail() runs sendmail", rule_ids: [NEW_TERMS], entries: [{ field: "process.command_line", operator: "is", value: "sh -c /usr/sbin/sendmail -t -i" }] })),
      undefined as never,
    )).json();
    const first = await ingest(linux("sh -c /usr/sbin/sendmail -t -i"));
    expect(first.alerts).toBe(0);
    const baseline = await db().noveltyState.findMany({ where: { ruleId: NEW_TERMS } });
    expect(baseline.some((b) => JSON.stringify(b.values).includes("sendmail"))).toBe(true);
    // Disabled, the exception stops applying, and the term is already known: still no alert.
    await routes.one.PATCH(new Request(`${BASE}/api/v1/exceptions/${ex.id}`, send("PATCH", { enabled: false })), ctx(ex.id));
    expect((await ingest(linux("sh -c /usr/sbin/sendmail -t -i"))).alerts).toBe(0);
    expect((await db().auditEvent.findMany({ where: { objectId: ex.id } })).map((a) => a.action)).toEqual(["exception.create", "exception.disable"]);
  });

  it("lets analysts propose; a proposal applies only once an admin approves it", async () => {
    const proposal = await (await routes.list.POST(
      new Request(`${BASE}/api/v1/exceptions`, send("POST", { name: "probe", reason: "monitoring probe runs ver", rule_ids: null, entries: [{ field: "process.command_line", operator: "is", value: "cmd.exe /c ver" }, { field: "host.name", operator: "is_one_of", values: ["WEB05"] }] }, analyst)),
      undefined as never,
    )).json();
    expect(proposal).toMatchObject({ status: "proposed", state: "proposed", author: "token:analyst-bot" });
    expect((await ingest(deploy({ Computer: "WEB05", CommandLine: "cmd.exe /c ver" }))).alerts).toBe(1);
    expect((await routes.approve.POST(new Request(`${BASE}/api/v1/exceptions/${proposal.id}/approve`, { method: "POST", headers: analyst }), ctx(proposal.id))).status).toBe(403);
    const approved = await (await routes.approve.POST(new Request(`${BASE}/api/v1/exceptions/${proposal.id}/approve`, { method: "POST", headers: admin }), ctx(proposal.id))).json();
    expect(approved).toMatchObject({ state: "active", approved_by: "token:VIGIL_ADMIN_TOKEN" });
    expect(await ingest(deploy({ Computer: "WEB05", CommandLine: "cmd.exe /c ver" }))).toMatchObject({ alerts: 0, suppressed: 2 });
    // The analyst can no longer change it once approved.
    expect((await routes.one.PATCH(new Request(`${BASE}/api/v1/exceptions/${proposal.id}`, send("PATCH", { reason: "x" }, analyst)), ctx(proposal.id))).status).toBe(403);
  });

  it("stops applying an expired exception and marks it", async () => {
    const ex = await (await routes.list.POST(
      new Request(`${BASE}/api/v1/exceptions`, send("POST", { name: "temp", reason: "maintenance window", rule_ids: null, expires_at: new Date(Date.now() + 3_600_000).toISOString(), entries: [{ field: "host.name", operator: "is", value: "WEB07" }, { field: "process.command_line", operator: "is", value: "cmd.exe /c ipconfig" }] })),
      undefined as never,
    )).json();
    expect((await ingest(deploy({ Computer: "WEB07", CommandLine: "cmd.exe /c ipconfig" }))).alerts).toBe(0);
    await db().alertException.update({ where: { id: ex.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const { invalidateExceptionSet } = await import("@/lib/exceptions/registry");
    invalidateExceptionSet();
    expect((await ingest(deploy({ Computer: "WEB07", CommandLine: "cmd.exe /c ipconfig" }))).alerts).toBe(1);
    const listed = (await (await routes.list.GET(new Request(`${BASE}/api/v1/exceptions`, { headers: admin }), undefined as never)).json()).exceptions;
    expect(listed.find((e: { id: string }) => e.id === ex.id).state).toBe("expired");
  });

  it("exports as YAML and imports Vigil and Elastic exception documents, reporting what does not map", async () => {
    const yaml = await (await routes.exportRoute.GET(new Request(`${BASE}/api/v1/exceptions/export?format=yaml`, { headers: admin }), undefined as never)).text();
    expect(yaml).toContain("vigil_exceptions: 1");
    expect(yaml).toContain("Shop deploy script");
    const elastic = [
      JSON.stringify({ list_id: "endpoint_list", type: "detection", name: "Endpoint list" }),
      JSON.stringify({ name: "Backup agent", description: "nightly backup", type: "simple", entries: [{ field: "process.executable", operator: "included", type: "match", value: "C:\\Program Files\\Backup\\agent.exe" }, { field: "host.name", operator: "excluded", type: "match_any", value: ["DC01"] }] }),
      JSON.stringify({ name: "Nested", entries: [{ field: "file.Ext.code_signature", operator: "included", type: "nested", entries: [] }] }),
    ].join("\n");
    const res = await routes.importRoute.POST(new Request(`${BASE}/api/v1/exceptions/import`, { method: "POST", headers: admin, body: elastic }), undefined as never);
    const body = await res.json();
    expect(body.created.map((c: { name: string }) => c.name)).toEqual(["Backup agent"]);
    expect(body.errors).toEqual([{ index: 2, error: expect.stringMatching(/nested/) }]);
    const imported = await db().alertException.findFirstOrThrow({ where: { name: "Backup agent" } });
    expect(imported.entries).toEqual([
      { field: "process.executable", operator: "is", value: "C:\\Program Files\\Backup\\agent.exe" },
      { field: "host.name", operator: "is_not_one_of", values: ["DC01"] },
    ]);
    // Round trip: re-importing the export creates the same definitions again.
    const again = await (await routes.importRoute.POST(new Request(`${BASE}/api/v1/exceptions/import`, { method: "POST", headers: admin, body: yaml }), undefined as never)).json();
    expect(again.errors).toEqual([]);
    expect(again.created.length).toBeGreaterThan(2);
    expect((await routes.importRoute.POST(new Request(`${BASE}/api/v1/exceptions/import`, { method: "POST", headers: analyst, body: yaml }), undefined as never)).status).toBe(403);
  });

  it("imports a Sigma filter document, resolving rules by id or title, and applies it", async () => {
    const filter = [
      "title: Filter out the reporting job",
      "description: nightly report export through IIS",
      "logsource:",
      "    category: process_creation",
      "    product: windows",
      "filter:",
      "    rules:",
      `        - ${SIGMA_WINDOWS}`,
      "        - 'Webshell Detection: Script Process Child of Common Web Processes'",
      "    selection:",
      "        ParentImage|endswith: '\\w3wp.exe'",
      "        CommandLine|startswith: 'cmd.exe /c C:\\reports\\export.cmd'",
      "    condition: not selection",
      "---",
      "title: Unsupported",
      "logsource:",
      "    category: process_creation",
      "    product: windows",
      "filter:",
      "    rules: [x]",
      "    selection:",
      "        CommandLine|re: 'a+'",
      "    condition: not selection",
    ].join("\n");
    const res = await routes.importRoute.POST(new Request(`${BASE}/api/v1/exceptions/import`, { method: "POST", headers: admin, body: filter }), undefined as never);
    const body = await res.json();
    expect(body.created.map((c: { name: string }) => c.name)).toEqual(["Filter out the reporting job"]);
    expect(body.errors.map((e: { error: string }) => e.error).join("\n")).toMatch(/re/);
    const row = await db().alertException.findFirstOrThrow({ where: { name: "Filter out the reporting job" } });
    expect([...row.ruleIds].sort()).toEqual([EQL_WEBSHELL, SIGMA_WINDOWS].sort());
    expect(await ingest(deploy({ Computer: "WEB08", CommandLine: "cmd.exe /c C:\\reports\\export.cmd --nightly" }))).toMatchObject({ alerts: 0 });
    expect((await ingest(deploy({ Computer: "WEB08", CommandLine: "cmd.exe /c whoami" }))).alerts).toBe(1);
  });

  it("deletes (admins), audited with the whole definition", async () => {
    const ex = (await db().alertException.findFirstOrThrow({ where: { name: "Backup agent" } })).id;
    expect((await routes.one.DELETE(new Request(`${BASE}/api/v1/exceptions/${ex}`, { method: "DELETE", headers: analyst }), ctx(ex))).status).toBe(403);
    expect((await routes.one.DELETE(new Request(`${BASE}/api/v1/exceptions/${ex}`, { method: "DELETE", headers: admin }), ctx(ex))).status).toBe(204);
    const audit = await db().auditEvent.findFirstOrThrow({ where: { objectId: ex, action: "exception.delete" } });
    expect(audit.before).toMatchObject({ name: "Backup agent", reason: "nightly backup" });
  });
});
