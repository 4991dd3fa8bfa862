import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { resetDatabase } from "@/lib/db/test-setup/reset";

/**
 * Ingest backpressure, the per-token rate limit, request ids and the Prometheus metrics, through
 * the real route on PostgreSQL.
 */
process.env.VIGIL_INGEST_TOKEN = "limits-ingest-token-0123456789";
process.env.VIGIL_ADMIN_TOKEN = "limits-admin-token-0123456789-0123456789";
process.env.VIGIL_RULES_DIR = path.resolve("rules");
process.env.VIGIL_INGEST_MAX_CONCURRENT = "2";
process.env.VIGIL_INGEST_EVENTS_PER_SECOND = "5";

const BASE = "http://vigil.test";
let events: typeof import("./events/route");
let metrics: typeof import("./metrics/route");

beforeAll(async () => {
  await resetDatabase();
  events = await import("./events/route");
  metrics = await import("./metrics/route");
});

let seq = 0;
const line = (fields: Record<string, unknown> = {}) =>
  JSON.stringify({
    EventID: 1,
    UtcTime: `2026-11-13 10:00:${String(++seq % 60).padStart(2, "0")}.000`,
    Computer: "LIM01",
    ProcessGuid: `{LIM-${seq}}`,
    Image: "C:\\Windows\\System32\\cmd.exe",
    CommandLine: `cmd.exe /c whoami ${seq}`,
    ParentImage: "C:\\Windows\\System32\\inetsrv\\w3wp.exe",
    ...fields,
  });
const post = (body: string, headers: Record<string, string> = {}) =>
  events.POST(new Request(`${BASE}/api/v1/events`, { method: "POST", headers: { authorization: `Bearer ${process.env.VIGIL_INGEST_TOKEN}`, "content-type": "application/x-ndjson", ...headers }, body }));

describe("ingest limits", () => {
  it("answers 429 with Retry-After past the token's event rate, and accepts again after waiting", async () => {
    const first = await post([line(), line(), line()].join("\n"), { "x-request-id": "shipper-42" });
    expect(first.status).toBe(200);
    expect(first.headers.get("x-request-id")).toBe("shipper-42");
    // Burst is 2 s worth (10 events): 3 spent, 8 more do not fit.
    const over = await post(Array.from({ length: 8 }, () => line()).join("\n"));
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await over.json()).error).toMatch(/5 events\/s/);
    expect(over.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    await new Promise((r) => setTimeout(r, 1200));
    expect((await post([line(), line()].join("\n"))).status).toBe(200);
    // More than a burst in one request can never pass: 413 says so.
    expect((await post(Array.from({ length: 11 }, () => line()).join("\n"))).status).toBe(413);
  });

  it("refuses requests past the in-flight limit with 429 instead of queueing them", async () => {
    const { acquireIngestSlot } = await import("@/lib/server/ingest-limits");
    const a = acquireIngestSlot();
    const b = acquireIngestSlot();
    const refused = await post(line());
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("1");
    a();
    b();
    await new Promise((r) => setTimeout(r, 1000));
    expect((await post(line())).status).toBe(200);
  });

  it("exposes Prometheus metrics: accepted, rejected by reason, alerts by rule, requests by status, latency", async () => {
    await new Promise((r) => setTimeout(r, 1000));
    await post([line(), "{not json", '{"hello": 1}'].join("\n"));
    const res = await metrics.GET(new Request(`${BASE}/api/v1/metrics`, { headers: { authorization: `Bearer ${process.env.VIGIL_ADMIN_TOKEN}` } }), undefined as never);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0.0.4/);
    const text = await res.text();
    expect(text).toMatch(/^vigil_events_accepted_total 7$/m);
    expect(text).toMatch(/^vigil_events_rejected_total\{reason="invalid_json"\} 1$/m);
    expect(text).toMatch(/^vigil_events_rejected_total\{reason="unknown_format"\} 1$/m);
    expect(text).toMatch(/^vigil_alerts_total\{rule="8202070f-edeb-4d31-a010-a26c72ac5600"\} 7$/m);
    expect(text).toMatch(/^vigil_ingest_requests_total\{status="429"\} 2$/m);
    expect(text).toMatch(/^vigil_ingest_batch_seconds_count \d+$/m);
    expect(text).toMatch(/^vigil_ingest_in_flight 0$/m);
    const unauthorized = await metrics.GET(new Request(`${BASE}/api/v1/metrics`, { headers: { authorization: `Bearer ${process.env.VIGIL_INGEST_TOKEN}` } }), undefined as never);
    expect(unauthorized.status).toBe(403);
  });
});
