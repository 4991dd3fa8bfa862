import { afterEach, describe, expect, it, vi } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import type { IngestStatsDelta } from "@/lib/db/ingest-stats";
import { statsEvent } from "@/lib/ingest/test-support";
import { escapeText, excerpt, flushIntervalMs, IngestStatsAggregator, IngestStatsFlusher, lineBytes, OVERFLOW, STATS_LIMITS } from "./ingest-stats";

const NOW = Date.parse("2026-11-24T10:15:42.123Z");
const MINUTE = Date.parse("2026-11-24T10:15:00Z");
const HOUR = Date.parse("2026-11-24T10:00:00Z");

const event = statsEvent;

const utf8 = (s: string) => new TextEncoder().encode(s);

describe("IngestStatsAggregator.record", () => {
  it("counts one request's events per arrival minute and format, per hour and host, and keeps each host's latest event time", () => {
    const stats = new IngestStatsAggregator();
    stats.record(
      {
        sender: "token:shipper",
        events: [
          event("WEB01", "windows_flat", "2026-11-20T09:00:00.000Z"),
          event("WEB01", "windows_flat", "2026-11-20T09:05:00.000Z"),
          event("WEB01", "windows_flat", "2026-11-20T09:01:00.000Z"),
          event("db1", "ecs", "2026-11-24T10:15:40.000Z"),
          event(null, "ecs", "2026-11-24T10:15:41.000Z"),
        ],
        errors: [],
      },
      NOW,
    );
    const delta = stats.take();
    expect(delta.minutes).toEqual(
      expect.arrayContaining([
        { minute: MINUTE, format: "windows_flat", events: 3 },
        { minute: MINUTE, format: "ecs", events: 2 },
      ]),
    );
    expect(delta.minutes).toHaveLength(2);
    expect(delta.hostHours).toEqual(
      expect.arrayContaining([
        { hour: HOUR, host: "WEB01", format: "windows_flat", events: 3 },
        { hour: HOUR, host: "db1", format: "ecs", events: 1 },
        { hour: HOUR, host: "", format: "ecs", events: 1 },
      ]),
    );
    // Event time is the host's clock (days behind here); arrival is ours.
    expect(delta.hosts.find((h) => h.host === "WEB01")).toEqual({
      host: "WEB01",
      format: "windows_flat",
      firstSeenAt: NOW,
      lastEventAt: Date.parse("2026-11-20T09:05:00.000Z"),
      lastReceivedAt: NOW,
    });
    expect(delta.senders).toEqual([{ minute: MINUTE, token: "token:shipper", outcome: "accepted", lines: 5, lastAt: NOW }]);
    expect(delta.rejections).toEqual([]);
    expect(stats.size).toBe(0);
  });

  it("merges requests: counts add up, the latest event time and arrival win, the first sighting stays", () => {
    const stats = new IngestStatsAggregator();
    stats.record({ sender: "token:a", events: [event("WEB01", "ecs", "2026-11-24T10:10:00.000Z")], errors: [] }, NOW);
    stats.record({ sender: "token:a", events: [event("WEB01", "ecs", "2026-11-24T10:00:00.000Z")], errors: [] }, NOW + 1_000);
    stats.record({ sender: "token:b", events: [event("WEB01", "evtx_json", "2026-11-24T10:11:00.000Z")], errors: [] }, NOW + 2_000);
    const delta = stats.take();
    expect(delta.minutes).toEqual(expect.arrayContaining([{ minute: MINUTE, format: "ecs", events: 2 }, { minute: MINUTE, format: "evtx_json", events: 1 }]));
    expect(delta.hosts).toEqual([
      { host: "WEB01", format: "evtx_json", firstSeenAt: NOW, lastEventAt: Date.parse("2026-11-24T10:11:00.000Z"), lastReceivedAt: NOW + 2_000 },
    ]);
    expect(delta.senders).toEqual([
      { minute: MINUTE, token: "token:a", outcome: "accepted", lines: 2, lastAt: NOW + 1_000 },
      { minute: MINUTE, token: "token:b", outcome: "accepted", lines: 1, lastAt: NOW + 2_000 },
    ]);
  });

  it("counts refused lines by reason and samples them with line, reason, message and an excerpt", () => {
    const stats = new IngestStatsAggregator();
    const body = utf8(['{"EventID": 1}', '{"EventID": 1, "Image": ', "[1, 2]", '{"hello": "world"}'].join("\n"));
    stats.record(
      {
        sender: "token:shipper",
        events: [event("WEB01", "windows_flat", "2026-11-24T10:00:00.000Z")],
        errors: [
          { line: 2, error: "invalid JSON: Unexpected end of JSON input" },
          { line: 3, error: "expected a JSON object, got an array" },
          { line: 4, error: "unrecognised event: expected an ECS document" },
        ],
        body,
        kind: "ndjson",
      },
      NOW,
    );
    const delta = stats.take();
    expect(delta.senders).toEqual(
      expect.arrayContaining([
        { minute: MINUTE, token: "token:shipper", outcome: "accepted", lines: 1, lastAt: NOW },
        { minute: MINUTE, token: "token:shipper", outcome: "invalid_json", lines: 1, lastAt: NOW },
        { minute: MINUTE, token: "token:shipper", outcome: "not_an_object", lines: 1, lastAt: NOW },
        { minute: MINUTE, token: "token:shipper", outcome: "unknown_format", lines: 1, lastAt: NOW },
      ]),
    );
    expect(delta.rejections).toEqual([
      { at: NOW, token: "token:shipper", line: 2, reason: "invalid_json", message: "invalid JSON: Unexpected end of JSON input", excerpt: '{"EventID": 1, "Image": ' },
      { at: NOW, token: "token:shipper", line: 3, reason: "not_an_object", message: "expected a JSON object, got an array", excerpt: "[1, 2]" },
      { at: NOW, token: "token:shipper", line: 4, reason: "unknown_format", message: "unrecognised event: expected an ECS document", excerpt: '{"hello": "world"}' },
    ]);
  });

  it("has no excerpt for a JSON array body (positions are not lines)", () => {
    const stats = new IngestStatsAggregator();
    stats.record({ sender: "s", events: [], errors: [{ line: 2, error: "expected a JSON object, got number" }], body: utf8("[{}, 5]"), kind: "json" }, NOW);
    expect(stats.take().rejections[0]!.excerpt).toBeNull();
  });
});

describe("bounded memory", () => {
  const limits = { ...STATS_LIMITS, maxKeys: 3, maxRejections: 5, rejectionsPerRequest: 2 };

  it("keeps the newest refused lines, at most a few per request", () => {
    const stats = new IngestStatsAggregator(limits);
    for (let r = 0; r < 4; r++) {
      const errors = Array.from({ length: 1_000 }, (_, i) => ({ line: i + 1, error: `invalid JSON: request ${r}` }));
      stats.record({ sender: "s", events: [], errors }, NOW + r);
    }
    const delta = stats.take();
    // 2 per request × 4 requests, capped at 5: the oldest goes.
    expect(delta.rejections.map((r) => `${r.message}#${r.line}`)).toEqual([
      "invalid JSON: request 1#2",
      "invalid JSON: request 2#1",
      "invalid JSON: request 2#2",
      "invalid JSON: request 3#1",
      "invalid JSON: request 3#2",
    ]);
    // Every refused line is still counted.
    expect(delta.senders).toEqual([{ minute: MINUTE, token: "s", outcome: "invalid_json", lines: 4_000, lastAt: NOW + 3 }]);
  });

  it("folds hosts and senders past the key limit into one overflow row, counting every event", () => {
    const stats = new IngestStatsAggregator(limits);
    for (let i = 0; i < 10; i++) {
      stats.record({ sender: `token:t${i}`, events: [event(`host-${i}`, "ecs", "2026-11-24T10:00:00.000Z")], errors: [] }, NOW);
    }
    const delta = stats.take();
    expect(delta.hosts.map((h) => h.host)).toEqual(["host-0", "host-1", "host-2", OVERFLOW]);
    expect(delta.hostHours.map((h) => [h.host, h.events])).toEqual([
      ["host-0", 1],
      ["host-1", 1],
      ["host-2", 1],
      [OVERFLOW, 7],
    ]);
    expect(delta.senders.map((s) => [s.token, s.lines])).toEqual([
      ["token:t0", 1],
      ["token:t1", 1],
      ["token:t2", 1],
      [OVERFLOW, 7],
    ]);
    expect(delta.minutes).toEqual([{ minute: MINUTE, format: "ecs", events: 10 }]);
  });

  it("a flush that keeps failing never grows memory past the bound, and drops buckets past retention", async () => {
    const stats = new IngestStatsAggregator({ ...STATS_LIMITS, maxKeys: 100, maxRejections: 10 });
    const log = vi.fn();
    const flusher = new IngestStatsFlusher(stats, () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:5432")), log);
    let now = NOW;
    const sizes: number[] = [];
    // Three days of a minute-by-minute flush against a database that never comes back, 50 new hosts a minute.
    for (let minute = 0; minute < 3 * 24 * 60; minute += 7) {
      now = NOW + minute * 60_000;
      const events = Array.from({ length: 50 }, (_, i) => event(`h-${minute}-${i}`, "ecs", new Date(now).toISOString()));
      stats.record({ sender: `token:${minute % 13}`, events, errors: [{ line: 1, error: "invalid JSON: x" }] }, now);
      expect(await flusher.flush(() => now)).toBe(false);
      sizes.push(stats.size);
    }
    // Per table 100 keys, plus: hosts one overflow row, host hours one per hour of the 48 kept,
    // senders one per hour and outcome (2 here); and the 10 newest refused lines.
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4 * 100 + 1 + 49 + 49 * 2 + 10);
    const delta = stats.take();
    expect(delta.rejections).toHaveLength(10);
    expect(Math.min(...delta.minutes.map((m) => m.minute))).toBeGreaterThanOrEqual(now - 48 * 3_600_000);
    expect(Math.min(...delta.hostHours.map((h) => h.hour))).toBeGreaterThanOrEqual(now - 49 * 3_600_000);
    // Said once, not at every failed flush.
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0]![0]).toMatchObject({ level: "warn", error: "connect ECONNREFUSED 127.0.0.1:5432" });
  });
});

describe("IngestStatsFlusher", () => {
  it("puts a failed flush back, adds what came meanwhile, and writes it all once the database is back", async () => {
    const stats = new IngestStatsAggregator();
    const written: IngestStatsDelta[] = [];
    let up = false;
    const log = vi.fn();
    const flusher = new IngestStatsFlusher(stats, async (delta) => {
      if (!up) throw new Error("database down");
      written.push(delta);
    }, log);
    stats.record({ sender: "s", events: [event("WEB01", "ecs", "2026-11-24T10:00:00.000Z")], errors: [{ line: 2, error: "invalid JSON: x" }] }, NOW);
    expect(await flusher.flush(() => NOW)).toBe(false);
    stats.record({ sender: "s", events: [event("WEB01", "ecs", "2026-11-24T10:01:00.000Z")], errors: [] }, NOW + 1_000);
    up = true;
    expect(await flusher.flush(() => NOW + 2_000)).toBe(true);
    expect(written).toHaveLength(1);
    expect(written[0]!.minutes).toEqual([{ minute: MINUTE, format: "ecs", events: 2 }]);
    expect(written[0]!.hosts[0]).toMatchObject({ host: "WEB01", lastEventAt: Date.parse("2026-11-24T10:01:00.000Z"), lastReceivedAt: NOW + 1_000 });
    expect(written[0]!.rejections).toHaveLength(1);
    expect(stats.size).toBe(0);
    expect(log.mock.calls.map((c) => c[0].level)).toEqual(["warn", "info"]);
    // Nothing pending: nothing written twice.
    expect(await flusher.flush()).toBe(true);
    expect(written.at(-1)).toEqual({ minutes: [], senders: [], hostHours: [], hosts: [], rejections: [] });
  });

  it("runs one flush at a time; a flush asked for during another includes what came in between", async () => {
    const stats = new IngestStatsAggregator();
    const written: number[] = [];
    let release: () => void = () => {};
    const flusher = new IngestStatsFlusher(stats, async (delta) => {
      await new Promise<void>((resolve) => (release = resolve));
      written.push(delta.minutes.reduce((n, m) => n + m.events, 0));
    });
    stats.record({ sender: "s", events: [event("a", "ecs", "2026-11-24T10:00:00.000Z")], errors: [] }, NOW);
    const first = flusher.flush();
    flusher.tick(); // the timer skips while a flush runs
    stats.record({ sender: "s", events: [event("a", "ecs", "2026-11-24T10:00:00.000Z"), event("b", "ecs", "2026-11-24T10:00:00.000Z")], errors: [] }, NOW);
    const second = flusher.flush();
    release();
    await first;
    await vi.waitFor(() => expect(written).toHaveLength(1));
    release();
    await second;
    expect(written).toEqual([1, 2]);
  });
});

describe("refused-line excerpts", () => {
  it("finds NDJSON lines by physical line number, without the CR of CRLF", () => {
    const body = utf8('first\r\nsecond\n\nfourth line that is long\nfifth');
    const lines = lineBytes(body, [2, 4, 5, 9], 10);
    expect(new TextDecoder().decode(lines.get(2)!.head)).toBe("second");
    expect(lines.get(4)).toMatchObject({ size: 24 });
    expect(new TextDecoder().decode(lines.get(4)!.head)).toBe("fourth lin");
    expect(new TextDecoder().decode(lines.get(5)!.head)).toBe("fifth");
    expect(lines.has(9)).toBe(false);
  });

  it("escapes what would not show as itself: controls, bidi overrides, zero-width, BOM, bad bytes", () => {
    expect(escapeText("a\tb\u0000c\u001bd", 100)).toBe("a\\u{9}b\\u{0}c\\u{1b}d");
    expect(escapeText("evil\u202etxt.exe", 100)).toBe("evil\\u{202e}txt.exe");
    expect(escapeText("zero\u200bwidth\ufeff nbsp\u00a0", 100)).toBe("zero\\u{200b}width\\u{feff} nbsp\\u{a0}");
    expect(escapeText("bad \ufffd byte", 100)).toBe("bad \\u{fffd} byte");
    expect(escapeText("lone \ud800 surrogate", 100)).toBe("lone \\u{d800} surrogate");
    // Printable text, JSON escapes and other scripts stay as they are.
    expect(escapeText('{"path": "C:\\\\Windows", "user": "Łukasz", "emoji": "🙂"}', 100)).toBe('{"path": "C:\\\\Windows", "user": "Łukasz", "emoji": "🙂"}');
  });

  it("cuts at a whole character or escape and says how long the line was", () => {
    expect(escapeText("abcdef", 4)).toBe("abcd…");
    expect(escapeText("ab\u202ecd", 6)).toBe("ab…"); // never half an escape
    expect(escapeText("🙂🙂🙂", 5)).toBe("🙂🙂…"); // never half a surrogate pair
    const line = `{"CommandLine": "${"x".repeat(5_000)}"}`;
    const cut = excerpt(utf8(line).subarray(0, 480), utf8(line).byteLength, 120);
    expect(cut).toBe(`${line.slice(0, 120)}… (5,019 bytes)`);
    // A cut through a multi-byte character drops it instead of showing U+FFFD.
    const polish = utf8("żółw".repeat(100));
    expect(excerpt(polish.subarray(0, 3), polish.byteLength, 120)).toBe("ż… (700 bytes)");
    expect(excerpt(utf8("short"), 5, 120)).toBe("short");
  });

  it("never keeps a whole long line or an unescaped message", () => {
    const stats = new IngestStatsAggregator();
    const secret = `{"CommandLine": "net use \\\\\\\\fs /user:admin ${"p".repeat(2_000)}"`;
    stats.record({ sender: "s", events: [], errors: [{ line: 1, error: `invalid JSON: Unexpected end, "\u001b[31m${"q".repeat(1_000)}" is not valid JSON` }], body: utf8(secret), kind: "ndjson" }, NOW);
    const [kept] = stats.take().rejections;
    expect(kept!.excerpt!.length).toBeLessThan(150);
    expect(kept!.excerpt).toMatch(/… \(2,\d{3} bytes\)$/);
    expect(kept!.message.length).toBeLessThanOrEqual(STATS_LIMITS.messageChars + 1);
    expect(kept!.message).toContain("\\u{1b}[31m");
  });
});

describe("flushIntervalMs", () => {
  afterEach(() => {
    delete process.env.VIGIL_STATS_FLUSH_MS;
    resetEnvForTests();
  });

  it("is 10 s unless VIGIL_STATS_FLUSH_MS says otherwise, and refuses a nonsense value at start-up", () => {
    resetEnvForTests();
    expect(flushIntervalMs()).toBe(10_000);
    process.env.VIGIL_STATS_FLUSH_MS = "500";
    resetEnvForTests();
    expect(flushIntervalMs()).toBe(500);
    process.env.VIGIL_STATS_FLUSH_MS = "0";
    resetEnvForTests();
    expect(() => flushIntervalMs()).toThrow(/VIGIL_STATS_FLUSH_MS/);
  });
});
