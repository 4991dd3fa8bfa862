import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/lib/db/pool";
import { resetDatabase } from "@/lib/db/test-setup/reset";

/**
 * GET /api/v1/ingest/status against a real PostgreSQL, fed by the real ingest route: what was
 * posted (and refused) shows up without waiting for the flush timer.
 */
const TOKEN = "test-ingest-token-0123456789";
const ADMIN_TOKEN = "test-admin-token-0123456789-0123456789";
process.env.VIGIL_INGEST_TOKEN = TOKEN;
process.env.VIGIL_ADMIN_TOKEN = ADMIN_TOKEN;
process.env.VIGIL_RULES_DIR = path.resolve("rules");

let events: typeof import("../events/route");
let status: typeof import("./status/route");

beforeAll(async () => {
  await resetDatabase();
  await pool().query(`TRUNCATE ingest_minutes, ingest_token_minutes, ingest_host_hours, ingest_hosts, ingest_rejected_lines RESTART IDENTITY`);
  events = await import("../events/route");
  status = await import("./status/route");
});

const BASE = "http://vigil.test";
const sysmon = (host: string, guid: string) =>
  JSON.stringify({ EventID: 1, UtcTime: "2026-11-09 10:15:02.123", Computer: host, ProcessGuid: guid, Image: "C:\\Windows\\System32\\cmd.exe", CommandLine: "cmd.exe /c ver" });
const post = (body: string) =>
  events.POST(new Request(`${BASE}/api/v1/events`, { method: "POST", body, headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/x-ndjson" } }));
const get = (headers: Record<string, string>) => status.GET(new Request(`${BASE}/api/v1/ingest/status`, { headers }), undefined as never);

describe("GET /api/v1/ingest/status", () => {
  it("shows what was just posted: counts by format, the host, the refused lines and the token", async () => {
    const ok = await post([sysmon("STATUS01", "{S-1}"), sysmon("STATUS01", "{S-2}"), '{"EventID": 1, "Image": \u202e', "[1]"].join("\n"));
    expect(await ok.json()).toMatchObject({ accepted: 2, rejected: 2 });
    const refused = await post("nope");
    expect(refused.status).toBe(400);

    const res = await get({ authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.totals).toMatchObject({ events: 2, rejected: 3, hosts_sending: 1, quiet_hosts: 0 });
    expect(body.formats).toEqual([{ format: "windows_flat", events: 2 }]);
    expect(body.hosts).toEqual([expect.objectContaining({ host: "STATUS01", format: "windows_flat", events_24h: 2, state: "sending", last_event_at: "2026-11-09T10:15:02.123Z" })]);
    expect(body.rejections.by_reason).toEqual([
      { reason: "invalid_json", lines: 2 },
      { reason: "not_an_object", lines: 1 },
    ]);
    expect(body.rejections.latest.map((r: { line: number; reason: string; excerpt: string }) => [r.line, r.reason, r.excerpt])).toEqual([
      [1, "invalid_json", "nope"],
      [3, "invalid_json", '{"EventID": 1, "Image": \\u{202e}'],
      [4, "not_an_object", "[1]"],
    ]);
    expect(body.rejections.latest[0]).toMatchObject({ token: "token:VIGIL_INGEST_TOKEN", message: expect.stringMatching(/^invalid JSON/) });
    expect(body.tokens).toEqual([expect.objectContaining({ name: "VIGIL_INGEST_TOKEN", kind: "environment", scopes: ["ingest"], events_24h: 2, rejected_24h: 3 })]);
    expect(body.per_minute).toEqual([expect.objectContaining({ format: "windows_flat", events: 2 })]);
    expect(JSON.stringify(body)).not.toContain(TOKEN);
  });

  it("needs the read scope", async () => {
    expect((await get({})).status).toBe(401);
    expect((await get({ authorization: "Bearer not-a-real-token-at-all" })).status).toBe(401);
    const forbidden = await get({ authorization: `Bearer ${TOKEN}` });
    expect(forbidden.status).toBe(403);
    expect((await forbidden.json()).error).toBe('this token lacks the "read" scope');
  });
});
