import { env } from "@/lib/env";
import {
  flushIngestStats,
  HOUR_MS,
  MINUTE_MS,
  STATS_RETENTION_MS,
  type HostHourCount,
  type HostSeen,
  type IngestStatsDelta,
  type MinuteCount,
  type RejectedLineSample,
  type SenderCount,
} from "@/lib/db/ingest-stats";
import type { BodyKind, LineError } from "@/lib/ingest/parse-body";
import type { PreparedEvent } from "@/lib/ingest/prepare-batch";
import { rejectionReason } from "./metrics";

/**
 * The in-process half of the ingest statistics (issue 10). The ingest route hands each answered
 * request to `recordIngest` (one call, no I/O: a few map updates per batch, one pass over its
 * events); a timer adds the counts to PostgreSQL every VIGIL_STATS_FLUSH_MS (10 s) with one
 * upsert per table (lib/db/ingest-stats.ts), so several nodes add up and ingest at 50,000
 * events/s costs no statistics write per event or per batch.
 *
 * A flush that fails (the database is down) keeps the counts for the next one, within fixed
 * bounds: past MAX_KEYS distinct keys a table's new hosts or senders fold into one "(overflow)"
 * row, and buckets older than the tables' retention are dropped, so memory never grows without
 * bound however long the outage lasts. Statistics never fail an ingest request.
 */

export interface StatsLimits {
  /** Distinct keys per table kept between flushes before new hosts/senders fold into OVERFLOW. */
  maxKeys: number;
  /** Refused lines kept between flushes (the newest). */
  maxRejections: number;
  /** Refused lines sampled from one request, so one bad batch cannot push out every other. */
  rejectionsPerRequest: number;
  /** Longest excerpt of a refused line, in characters after escaping. */
  excerptChars: number;
  /** Longest error message kept. */
  messageChars: number;
}

export const STATS_LIMITS: StatsLimits = { maxKeys: 20_000, maxRejections: 200, rejectionsPerRequest: 20, excerptChars: 120, messageChars: 300 };

/** Where hosts or senders past `maxKeys` are counted. */
export const OVERFLOW = "(overflow)";

/** One answered ingest request, as the route has it. */
export interface IngestOutcome {
  /** Who sent it, as the audit trail names them ("token:<name>", or a user's email). */
  sender: string;
  /** Events accepted and committed. */
  events: readonly PreparedEvent[];
  /** Every refused line (not only the ones the answer listed). */
  errors: readonly LineError[];
  /** The request body, to excerpt refused lines from (never kept). */
  body?: Uint8Array;
  kind?: BodyKind;
}

const floorTo = (ms: number, unit: number) => Math.floor(ms / unit) * unit;

export class IngestStatsAggregator {
  private minutes = new Map<string, MinuteCount>();
  private senders = new Map<string, SenderCount>();
  private hostHours = new Map<string, HostHourCount>();
  private hosts = new Map<string, HostSeen>();
  private rejections: RejectedLineSample[] = [];
  /** Counts folded into OVERFLOW (or dropped) since the last take(): reported when flushed. */
  folded = 0;

  constructor(readonly limits: StatsLimits = STATS_LIMITS) {}

  /** Distinct keys held, over every table (the memory bound's unit), plus refused lines. */
  get size(): number {
    return this.minutes.size + this.senders.size + this.hostHours.size + this.hosts.size + this.rejections.length;
  }

  record(outcome: IngestOutcome, now = Date.now()): void {
    const minute = floorTo(now, MINUTE_MS);
    const hour = floorTo(now, HOUR_MS);
    // One pass over the batch; the shared maps see one update per (host, format), not per event.
    // @timestamp is ISO-8601 UTC with milliseconds (normalizeEvent), so text order is time order.
    const perFormat = new Map<string, Map<string, { events: number; latest: string }>>();
    for (const e of outcome.events) {
      let hosts = perFormat.get(e.format);
      if (!hosts) perFormat.set(e.format, (hosts = new Map()));
      const host = e.hostName ?? "";
      const entry = hosts.get(host);
      if (entry) {
        entry.events++;
        if (e.timestamp > entry.latest) entry.latest = e.timestamp;
      } else hosts.set(host, { events: 1, latest: e.timestamp });
    }
    for (const [format, hosts] of perFormat) {
      let events = 0;
      for (const [host, h] of hosts) {
        events += h.events;
        this.addHostHour({ hour, host, format, events: h.events });
        const latest = Date.parse(h.latest);
        this.addHost({ host, format, firstSeenAt: now, lastEventAt: Number.isFinite(latest) ? latest : now, lastReceivedAt: now });
      }
      this.addMinute({ minute, format, events });
    }
    if (outcome.events.length > 0) this.addSender({ minute, token: outcome.sender, outcome: "accepted", lines: outcome.events.length, lastAt: now });

    if (outcome.errors.length > 0) {
      const reasons = new Map<string, number>();
      const sample: RejectedLineSample[] = [];
      for (const error of outcome.errors) {
        const reason = rejectionReason(error.error);
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        if (sample.length < this.limits.rejectionsPerRequest) {
          sample.push({ at: now, token: outcome.sender, line: error.line, reason, message: escapeText(error.error, this.limits.messageChars), excerpt: null });
        }
      }
      for (const [reason, lines] of reasons) this.addSender({ minute, token: outcome.sender, outcome: reason, lines, lastAt: now });
      if (outcome.body && outcome.kind === "ndjson") {
        const lines = lineBytes(outcome.body, sample.map((s) => s.line), this.limits.excerptChars * 4);
        for (const s of sample) {
          const bytes = lines.get(s.line);
          if (bytes) s.excerpt = excerpt(bytes.head, bytes.size, this.limits.excerptChars);
        }
      }
      this.addRejections(sample);
    }
  }

  /** Everything counted since the last take, for a flush; the aggregator starts empty again. */
  take(): IngestStatsDelta {
    const delta: IngestStatsDelta = {
      minutes: [...this.minutes.values()],
      senders: [...this.senders.values()],
      hostHours: [...this.hostHours.values()],
      hosts: [...this.hosts.values()],
      rejections: this.rejections,
    };
    this.minutes = new Map();
    this.senders = new Map();
    this.hostHours = new Map();
    this.hosts = new Map();
    this.rejections = [];
    return delta;
  }

  /**
   * Puts back a delta a flush could not write, added to what arrived meanwhile, within the same
   * bounds as record(): buckets past the tables' retention are dropped (they would be deleted
   * anyway), keys past the limit fold into OVERFLOW.
   */
  restore(delta: IngestStatsDelta, now = Date.now()): void {
    const oldest = now - STATS_RETENTION_MS;
    for (const m of delta.minutes) if (m.minute >= oldest) this.addMinute(m);
    else this.folded += m.events;
    for (const s of delta.senders) if (s.minute >= oldest) this.addSender(s);
    else this.folded += s.lines;
    for (const h of delta.hostHours) if (h.hour >= oldest) this.addHostHour(h);
    else this.folded += h.events;
    for (const h of delta.hosts) this.addHost(h);
    // Older lines go before the newer ones that arrived meanwhile; the newest are kept.
    this.rejections = [...delta.rejections, ...this.rejections];
    this.trimRejections();
  }

  private addMinute(m: MinuteCount): void {
    const key = `${m.minute}\u0000${m.format}`;
    const entry = this.minutes.get(key);
    if (entry) entry.events += m.events;
    // Formats are a closed set: only a very long outage fills this, and those minutes are the oldest.
    else if (this.minutes.size < this.limits.maxKeys) this.minutes.set(key, { ...m });
    else this.folded += m.events;
  }

  private addSender(s: SenderCount): void {
    let { minute, token } = s;
    let key = `${minute}\u0000${token}\u0000${s.outcome}`;
    if (!this.senders.has(key) && this.senders.size >= this.limits.maxKeys) {
      // Overflow rows are hourly (at the hour's first minute): at most 48 × outcomes of them.
      this.folded += s.lines;
      minute = Math.floor(minute / HOUR_MS) * HOUR_MS;
      token = OVERFLOW;
      key = `${minute}\u0000${token}\u0000${s.outcome}`;
    }
    const entry = this.senders.get(key);
    if (entry) {
      entry.lines += s.lines;
      if (s.lastAt > entry.lastAt) entry.lastAt = s.lastAt;
    } else this.senders.set(key, { ...s, minute, token });
  }

  private addHostHour(h: HostHourCount): void {
    let host = h.host;
    let key = `${h.hour}\u0000${host}\u0000${h.format}`;
    if (!this.hostHours.has(key) && this.hostHours.size >= this.limits.maxKeys) {
      this.folded += h.events;
      host = OVERFLOW;
      key = `${h.hour}\u0000${host}\u0000${h.format}`;
    }
    const entry = this.hostHours.get(key);
    if (entry) entry.events += h.events;
    else this.hostHours.set(key, { ...h, host });
  }

  private addHost(h: HostSeen): void {
    const host = !this.hosts.has(h.host) && this.hosts.size >= this.limits.maxKeys ? OVERFLOW : h.host;
    const entry = this.hosts.get(host);
    if (!entry) {
      this.hosts.set(host, { ...h, host });
      return;
    }
    if (h.lastReceivedAt >= entry.lastReceivedAt) entry.format = h.format;
    entry.firstSeenAt = Math.min(entry.firstSeenAt, h.firstSeenAt);
    entry.lastEventAt = Math.max(entry.lastEventAt, h.lastEventAt);
    entry.lastReceivedAt = Math.max(entry.lastReceivedAt, h.lastReceivedAt);
  }

  private addRejections(sample: RejectedLineSample[]): void {
    if (sample.length === 0) return;
    this.rejections.push(...sample);
    this.trimRejections();
  }

  private trimRejections(): void {
    const extra = this.rejections.length - this.limits.maxRejections;
    if (extra > 0) this.rejections.splice(0, extra);
  }
}

/**
 * The first `maxBytes` of each wanted NDJSON line (1-based physical lines, as parse-body counts
 * them) and its full size. One forward scan, only as far as the last wanted line.
 */
export function lineBytes(body: Uint8Array, wanted: readonly number[], maxBytes: number): Map<number, { head: Uint8Array; size: number }> {
  const result = new Map<number, { head: Uint8Array; size: number }>();
  if (wanted.length === 0) return result;
  const want = new Set(wanted);
  const last = Math.max(...wanted);
  let start = 0;
  for (let line = 1; line <= last && start <= body.byteLength; line++) {
    let end = body.indexOf(0x0a, start);
    if (end === -1) end = body.byteLength;
    if (want.has(line)) {
      const stop = end > start && body[end - 1] === 0x0d ? end - 1 : end;
      result.set(line, { head: body.subarray(start, Math.min(stop, start + maxBytes)), size: stop - start });
    }
    start = end + 1;
  }
  return result;
}

const lenient = new TextDecoder("utf-8");

/** An escaped excerpt of a line's first bytes, cut with "…" and the line's size when longer. */
export function excerpt(head: Uint8Array, size: number, maxChars: number): string {
  const truncated = head.byteLength < size;
  // A cut inside a multi-byte character decodes as U+FFFD: drop that tail rather than show it.
  const text = truncated ? lenient.decode(head).replace(/\ufffd+$/, "") : lenient.decode(head);
  const escaped = escapeCut(text, maxChars);
  return escaped.cut || truncated ? `${escaped.text}… (${size.toLocaleString("en-US")} bytes)` : escaped.text;
}

/**
 * Anything that would not show as itself is written as \u{hex}: control characters (tab and
 * newline too), invisible format characters (bidi overrides, zero-width, BOM), separators other
 * than the plain space, lone surrogates, private-use and unassigned code points, and U+FFFD (a
 * byte that was not UTF-8). JSON never spells \u{…}, so an escape cannot pass for the line's own
 * text. Cut at `maxChars` on a whole character or escape, marked with "…".
 */
export function escapeText(text: string, maxChars: number): string {
  const escaped = escapeCut(text, maxChars);
  return escaped.cut ? `${escaped.text}…` : escaped.text;
}

function escapeCut(text: string, maxChars: number): { text: string; cut: boolean } {
  let out = "";
  for (const ch of text) {
    const piece = INVISIBLE.test(ch) ? `\\u{${ch.codePointAt(0)!.toString(16)}}` : ch;
    if (out.length + piece.length > maxChars) return { text: out, cut: true };
    out += piece;
  }
  return { text: out, cut: false };
}

const INVISIBLE = /^(?:[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}\p{Cn}\ufffd]|(?! )\p{Zs})$/u;

/** How often counts go to the database: VIGIL_STATS_FLUSH_MS, 10 s by default (README "Configuration"). */
export function flushIntervalMs(): number {
  return env().VIGIL_STATS_FLUSH_MS;
}

type Log = (entry: Record<string, unknown>) => void;
const defaultLog: Log = (entry) => (entry.level === "info" ? console.log : console.error)(JSON.stringify(entry));

/**
 * Writes an aggregator's counts; one flush at a time. A failed flush puts its counts back and
 * says so once (not every ten seconds of an outage), and once more when flushing works again.
 */
export class IngestStatsFlusher {
  private running: Promise<boolean> | null = null;
  private failing = false;

  constructor(
    readonly aggregator: IngestStatsAggregator,
    private readonly write: (delta: IngestStatsDelta) => Promise<void> = flushIngestStats,
    private readonly log: Log = defaultLog,
  ) {}

  /** For the timer: a flush unless one is running (a slow database must not queue up flushes). */
  tick(): void {
    if (!this.running) void this.flush();
  }

  /** Everything recorded before the call is written (or kept for later) when it resolves; never rejects. */
  async flush(now?: () => number): Promise<boolean> {
    while (this.running) await this.running;
    this.running = this.flushOnce(now ?? Date.now).finally(() => (this.running = null));
    return this.running;
  }

  private async flushOnce(now: () => number): Promise<boolean> {
    const folded = this.aggregator.folded;
    const delta = this.aggregator.take();
    this.aggregator.folded = 0;
    try {
      await this.write(delta);
      if (this.failing || folded > 0) {
        this.log({ level: "info", msg: this.failing ? "ingest statistics flushed again" : "ingest statistics over their memory bound", folded });
      }
      this.failing = false;
      return true;
    } catch (error) {
      this.aggregator.restore(delta, now());
      this.aggregator.folded += folded;
      if (!this.failing) {
        this.log({ level: "warn", msg: "ingest statistics flush failed; kept in memory (bounded) for the next try", error: String((error as Error)?.message ?? error), pending: this.aggregator.size });
      }
      this.failing = true;
      return false;
    }
  }
}

const state = globalThis as unknown as {
  vigilIngestStats?: { flusher: IngestStatsFlusher; timer?: NodeJS.Timeout; logged?: boolean };
};

/** This process's aggregator and flusher (on globalThis: route and page bundles share one). */
export function ingestStats(): IngestStatsFlusher {
  state.vigilIngestStats ??= { flusher: new IngestStatsFlusher(new IngestStatsAggregator()) };
  return state.vigilIngestStats.flusher;
}

/** The ingest route's one call per answered request. Never throws: statistics never cost an event. */
export function recordIngest(outcome: IngestOutcome): void {
  try {
    ingestStats().aggregator.record(outcome);
    startFlushing();
  } catch (error) {
    const s = state.vigilIngestStats;
    if (s && !s.logged) {
      s.logged = true;
      console.error(JSON.stringify({ level: "error", msg: "ingest statistics could not count a request", error: String((error as Error)?.message ?? error) }));
    }
  }
}

/** Writes this node's pending counts now (the status page and API read after it). */
export function flushIngestStatsNow(): Promise<boolean> {
  return ingestStats().flush();
}

function startFlushing(): void {
  const s = state.vigilIngestStats!;
  if (s.timer) return;
  s.timer = setInterval(() => s.flusher.tick(), flushIntervalMs());
  s.timer.unref();
  // Best effort on shutdown: write what is pending before the process goes. Next's own handler
  // exits once in-flight requests are done; when nobody else listens, re-raise after flushing.
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      void Promise.race([s.flusher.flush(), new Promise((resolve) => setTimeout(resolve, 3_000).unref())]).finally(() => {
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      });
    });
  }
}
