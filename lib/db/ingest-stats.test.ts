import { beforeEach, describe, expect, it } from "vitest";
import type { PreparedEvent } from "@/lib/ingest/prepare-batch";
import { statsEvent } from "@/lib/ingest/test-support";
import { IngestStatsAggregator, IngestStatsFlusher } from "@/lib/server/ingest-stats";
import { flushIngestStats, pruneIngestStats, readIngestStatus, REJECTED_LINES_KEPT } from "./ingest-stats";
import { pool } from "./pool";
import { resetDatabase } from "./test-setup/reset";
import { createApiToken, revokeApiToken } from "./tokens";

/** Two nodes' aggregators flushing into one PostgreSQL, and the status the page reads back. */
const NOW = Date.parse("2026-11-24T10:15:42.123Z");
const H = 3_600_000;
const MIN = 60_000;

const event = statsEvent;
const events = (n: number, host: string | null, format: PreparedEvent["format"], timestamp: string) => Array.from({ length: n }, () => event(host, format, timestamp));
const node = () => new IngestStatsAggregator();
const flush = (a: IngestStatsAggregator) => flushIngestStats(a.take());

beforeEach(async () => {
  await resetDatabase();
  await pool().query(`TRUNCATE ingest_minutes, ingest_token_minutes, ingest_host_hours, ingest_hosts, ingest_rejected_lines RESTART IDENTITY`);
});

describe("flushIngestStats", () => {
  it("adds two nodes' counts up, keeps the latest times per host and every sampled line", async () => {
    const a = node();
    const b = node();
    a.record({ sender: "token:VIGIL_INGEST_TOKEN", events: events(3, "WEB01", "windows_flat", "2026-11-24T10:10:00.000Z"), errors: [{ line: 4, error: "invalid JSON: x" }] }, NOW);
    b.record({ sender: "token:VIGIL_INGEST_TOKEN", events: events(2, "WEB01", "windows_flat", "2026-11-24T10:12:00.000Z"), errors: [] }, NOW - 30_000);
    b.record({ sender: "token:VIGIL_INGEST_TOKEN", events: events(4, "db1", "ecs", "2026-11-24T10:14:00.000Z"), errors: [{ line: 1, error: "expected a JSON object, got null" }] }, NOW);
    // Both nodes at once, with the same keys: they add up, in any order, without a deadlock.
    await Promise.all([flush(a), flush(b)]);
    // And again later: the same rows grow.
    a.record({ sender: "token:VIGIL_INGEST_TOKEN", events: events(1, "WEB01", "windows_flat", "2026-11-24T10:09:00.000Z"), errors: [] }, NOW + 1_000);
    await flush(a);

    const minutes = await pool().query(`SELECT minute, format, events FROM ingest_minutes ORDER BY format`);
    expect(minutes.rows).toEqual([
      { minute: new Date("2026-11-24T10:15:00Z"), format: "ecs", events: 4 },
      { minute: new Date("2026-11-24T10:15:00Z"), format: "windows_flat", events: 6 },
    ]);
    const senders = await pool().query(`SELECT token, outcome, lines, last_at FROM ingest_token_minutes ORDER BY outcome`);
    expect(senders.rows).toEqual([
      { token: "token:VIGIL_INGEST_TOKEN", outcome: "accepted", lines: 10, last_at: new Date(NOW + 1_000) },
      { token: "token:VIGIL_INGEST_TOKEN", outcome: "invalid_json", lines: 1, last_at: new Date(NOW) },
      { token: "token:VIGIL_INGEST_TOKEN", outcome: "not_an_object", lines: 1, last_at: new Date(NOW) },
    ]);
    const hosts = await pool().query(`SELECT host, format, first_seen_at, last_event_at, last_received_at FROM ingest_hosts ORDER BY host`);
    expect(hosts.rows).toEqual([
      { host: "WEB01", format: "windows_flat", first_seen_at: new Date(NOW - 30_000), last_event_at: new Date("2026-11-24T10:12:00Z"), last_received_at: new Date(NOW + 1_000) },
      { host: "db1", format: "ecs", first_seen_at: new Date(NOW), last_event_at: new Date("2026-11-24T10:14:00Z"), last_received_at: new Date(NOW) },
    ]);
    const hourly = await pool().query(`SELECT host, events FROM ingest_host_hours ORDER BY host`);
    expect(hourly.rows).toEqual([
      { host: "WEB01", events: 6 },
      { host: "db1", events: 4 },
    ]);
    const lines = await pool().query(`SELECT token, line, reason, message, excerpt FROM ingest_rejected_lines ORDER BY line`);
    expect(lines.rows).toEqual([
      { token: "token:VIGIL_INGEST_TOKEN", line: 1, reason: "not_an_object", message: "expected a JSON object, got null", excerpt: null },
      { token: "token:VIGIL_INGEST_TOKEN", line: 4, reason: "invalid_json", message: "invalid JSON: x", excerpt: null },
    ]);
  });

  it("a flush that fails writes nothing, and the next one writes everything once", async () => {
    const a = node();
    a.record({ sender: "s@example.com", events: events(2, "WEB01", "ecs", "2026-11-24T10:10:00.000Z"), errors: [{ line: 3, error: "invalid JSON: x" }] }, NOW);
    let fail = true;
    const flusher = new IngestStatsFlusher(
      a,
      async (delta) => {
        // Half the work done, then the connection drops: the transaction rolls back.
        await flushIngestStats(fail ? { ...delta, rejections: [{ ...delta.rejections[0]!, line: Number.NaN }] } : delta);
      },
      () => {},
    );
    expect(await flusher.flush(() => NOW)).toBe(false);
    expect((await pool().query(`SELECT count(*)::int AS n FROM ingest_minutes`)).rows[0].n).toBe(0);
    fail = false;
    expect(await flusher.flush(() => NOW)).toBe(true);
    expect((await pool().query(`SELECT sum(events)::int AS n FROM ingest_minutes`)).rows[0].n).toBe(2);
    expect((await pool().query(`SELECT count(*)::int AS n FROM ingest_rejected_lines`)).rows[0].n).toBe(1);
  });
});

describe("readIngestStatus", () => {
  it("reports the last 24 hours: per minute and format, hosts (quiet ones first), refused lines and the tokens in use", async () => {
    const who = { actor: "test", actorType: "system" } as const;
    await createApiToken("edr-shipper", ["ingest"], who);
    await createApiToken("idle-shipper", ["ingest"], who);
    await createApiToken("reporting", ["read"], who);
    const gone = await createApiToken("old-shipper", ["ingest"], who);
    await revokeApiToken(gone.row.id, who);

    const a = node();
    a.record({ sender: "token:edr-shipper", events: events(5, "WEB01", "windows_flat", "2026-11-24T10:14:00.000Z"), errors: [] }, NOW);
    a.record({ sender: "token:edr-shipper", events: events(2, "db1", "ecs", "2026-11-24T07:00:00.000Z"), errors: [] }, NOW - 3 * H); // quiet for 3 h
    a.record({ sender: "token:VIGIL_INGEST_TOKEN", events: events(1, "lab", "ecs", "2026-11-22T07:00:00.000Z"), errors: [] }, NOW - 30 * H); // silent
    a.record({ sender: "token:old-shipper", events: events(1, "WEB01", "windows_flat", "2026-11-24T09:00:00.000Z"), errors: [{ line: 2, error: "unrecognised event: x" }] }, NOW - 2 * MIN);
    a.record({ sender: "ana@example.com", events: [], errors: [{ line: 1, error: "invalid JSON: y" }, { line: 2, error: "invalid JSON: z" }] }, NOW - MIN);
    await flush(a);

    const status = await readIngestStatus(NOW);
    expect(status.from).toEqual(new Date("2026-11-23T10:16:00Z"));
    expect(status.formats).toEqual([
      { format: "windows_flat", events: 6 },
      { format: "ecs", events: 2 },
    ]);
    expect(status.perMinute).toEqual([
      { minute: new Date("2026-11-24T07:15:00Z"), format: "ecs", events: 2 },
      { minute: new Date("2026-11-24T10:13:00Z"), format: "windows_flat", events: 1 },
      { minute: new Date("2026-11-24T10:15:00Z"), format: "windows_flat", events: 5 },
    ]);
    expect(status.rejectedPerMinute).toEqual([
      { minute: new Date("2026-11-24T10:13:00Z"), lines: 1 },
      { minute: new Date("2026-11-24T10:14:00Z"), lines: 2 },
    ]);
    expect(status.totals).toMatchObject({ events: 8, rejected: 3, hostsSending: 1, quietHosts: 1, hostsKnown: 3, lastReceivedAt: new Date(NOW) });
    expect(status.hosts.map((h) => [h.host, h.state, h.events])).toEqual([
      ["db1", "quiet", 2],
      ["WEB01", "sending", 6],
      ["lab", "silent", 0],
    ]);
    expect(status.hosts[1]!.lastEventAt).toEqual(new Date("2026-11-24T10:14:00Z"));
    expect(status.rejectionsByReason).toEqual([
      { reason: "invalid_json", lines: 2 },
      { reason: "unknown_format", lines: 1 },
    ]);
    expect(status.rejections.map((r) => [r.token, r.line, r.reason])).toEqual([
      ["ana@example.com", 1, "invalid_json"],
      ["ana@example.com", 2, "invalid_json"],
      ["token:old-shipper", 2, "unknown_format"],
    ]);
    const tokens = Object.fromEntries(status.tokens.map((t) => [t.name, t]));
    expect(Object.keys(tokens).sort()).toEqual(["ana@example.com", "edr-shipper", "idle-shipper", "old-shipper"]);
    expect(tokens["edr-shipper"]).toMatchObject({ kind: "api", scopes: ["ingest"], revoked: false, events: 7, rejected: 0, lastUsedAt: new Date(NOW) });
    expect(tokens["idle-shipper"]).toMatchObject({ kind: "api", events: 0, lastUsedAt: null });
    expect(tokens["old-shipper"]).toMatchObject({ kind: "api", revoked: true, events: 1, rejected: 1 });
    expect(tokens["ana@example.com"]).toMatchObject({ kind: "session", events: 0, rejected: 2 });
    // VIGIL_INGEST_TOKEN sent 30 h ago: outside the window, so not "in use".
    expect(tokens.VIGIL_INGEST_TOKEN).toBeUndefined();
    expect(JSON.stringify(status.tokens)).not.toMatch(/hash|vgl_/);
    expect(status.tokens[0]!.name).toBe("edr-shipper");
  });

  it("is empty before anything was sent", async () => {
    const status = await readIngestStatus(NOW);
    expect(status).toMatchObject({ perMinute: [], formats: [], hosts: [], rejections: [], totals: { events: 0, rejected: 0, hostsKnown: 0, lastReceivedAt: null } });
  });
});

describe("pruneIngestStats", () => {
  it("deletes counts past 48 hours, hosts silent for 30 days and refused lines beyond the newest 1,000", async () => {
    const a = node();
    a.record({ sender: "s", events: events(1, "old", "ecs", "2026-10-01T00:00:00.000Z"), errors: [] }, NOW - 31 * 24 * H);
    a.record({ sender: "s", events: events(1, "WEB01", "ecs", "2026-11-22T00:00:00.000Z"), errors: [] }, NOW - 49 * H);
    a.record({ sender: "s", events: events(1, "WEB01", "ecs", "2026-11-24T00:00:00.000Z"), errors: [] }, NOW - 47 * H);
    await flush(a);
    await pool().query(
      `INSERT INTO ingest_rejected_lines (at, token, line, reason, message)
       SELECT $1::timestamptz + make_interval(secs => i), 's', i, 'invalid_json', 'x' FROM generate_series(1, $2::int) i`,
      [new Date(NOW - H).toISOString(), REJECTED_LINES_KEPT + 25],
    );

    expect(await pruneIngestStats(NOW)).toEqual({ minutes: 4, hostHours: 2, hosts: 1, rejectedLines: 25 });
    expect((await pool().query(`SELECT host FROM ingest_hosts`)).rows).toEqual([{ host: "WEB01" }]);
    expect((await pool().query(`SELECT count(*)::int AS n FROM ingest_minutes`)).rows[0].n).toBe(1);
    // The newest are kept.
    expect((await pool().query(`SELECT min(line)::int AS first FROM ingest_rejected_lines`)).rows[0].first).toBe(26);
    expect(await pruneIngestStats(NOW)).toEqual({ minutes: 0, hostHours: 0, hosts: 0, rejectedLines: 0 });
  });

  it("runs with the scheduler's expiry", async () => {
    const a = node();
    a.record({ sender: "s", events: events(1, "WEB01", "ecs", "2026-11-01T00:00:00.000Z"), errors: [] }, Date.now() - 72 * H);
    await flush(a);
    const { runExpiry } = await import("@/lib/server/scheduler");
    const result = await runExpiry();
    expect(result?.ingestStats).toMatchObject({ minutes: 2, hostHours: 1 });
    expect((await pool().query(`SELECT count(*)::int AS n FROM ingest_minutes`)).rows[0].n).toBe(0);
  });
});
