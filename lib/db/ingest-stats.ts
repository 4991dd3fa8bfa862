import { db } from "./client";
import { inTransaction, pool } from "./pool";

/**
 * Ingest statistics for the ingest status page (issue 10). Each node counts in memory
 * (lib/server/ingest-stats.ts) and adds its counts here every few seconds with one multi-row
 * upsert per table, so nodes add up and ingest never writes a statistic per event or per batch.
 *
 * Times are epoch milliseconds on the way in (the aggregator's keys) and Dates on the way out.
 */

/** Accepted events of one arrival minute and source format. */
export interface MinuteCount {
  minute: number;
  format: string;
  events: number;
}

/** Lines of one arrival minute, sender and outcome ("accepted" or a rejection reason). */
export interface SenderCount {
  minute: number;
  token: string;
  outcome: string;
  lines: number;
  lastAt: number;
}

/** Accepted events of one arrival hour, host ("" when none) and format. */
export interface HostHourCount {
  hour: number;
  host: string;
  format: string;
  events: number;
}

/** When a host was last heard of: its latest event time and our latest arrival. */
export interface HostSeen {
  host: string;
  format: string;
  firstSeenAt: number;
  lastEventAt: number;
  lastReceivedAt: number;
}

/** One refused line, as kept: never the line, at most an escaped excerpt of its start. */
export interface RejectedLineSample {
  at: number;
  token: string;
  line: number;
  reason: string;
  message: string;
  excerpt: string | null;
}

/** What one node adds to the tables at one flush. */
export interface IngestStatsDelta {
  minutes: MinuteCount[];
  senders: SenderCount[];
  hostHours: HostHourCount[];
  hosts: HostSeen[];
  rejections: RejectedLineSample[];
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
/** Minute and hour counts are kept this long (the page shows 24 hours). */
export const STATS_RETENTION_MS = 48 * HOUR_MS;
/** A host not heard from this long is forgotten. */
export const HOST_RETENTION_MS = 30 * 24 * HOUR_MS;
/** Refused lines kept, newest first. */
export const REJECTED_LINES_KEPT = 1_000;
/** A host that sent in the last 24 hours but nothing for this long is "quiet". */
export const QUIET_AFTER_MS = HOUR_MS;
/** The window the page and GET /api/v1/ingest/status report on. */
export const STATUS_WINDOW_MS = 24 * HOUR_MS;

const iso = (ms: number) => new Date(ms).toISOString();
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Adds one node's counts in ONE transaction: either all of a flush lands or none does, so the
 * caller can keep a failed flush in memory and try again without counting anything twice. Rows
 * go in key order, so two nodes flushing the same keys lock them in the same order (no
 * deadlock; a serialization failure still retries through inTransaction).
 */
export async function flushIngestStats(delta: IngestStatsDelta): Promise<void> {
  const minutes = [...delta.minutes].sort((a, b) => a.minute - b.minute || byText(a.format, b.format));
  const senders = [...delta.senders].sort((a, b) => a.minute - b.minute || byText(a.token, b.token) || byText(a.outcome, b.outcome));
  const hostHours = [...delta.hostHours].sort((a, b) => a.hour - b.hour || byText(a.host, b.host) || byText(a.format, b.format));
  const hosts = [...delta.hosts].sort((a, b) => byText(a.host, b.host));
  const rejections = [...delta.rejections].sort((a, b) => a.at - b.at);
  if (minutes.length + senders.length + hostHours.length + hosts.length + rejections.length === 0) return;
  await inTransaction(async (client) => {
    if (minutes.length > 0) {
      await client.query(
        `INSERT INTO ingest_minutes (minute, format, events)
         SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::int[])
         ON CONFLICT (minute, format) DO UPDATE SET events = ingest_minutes.events + EXCLUDED.events`,
        [minutes.map((r) => iso(r.minute)), minutes.map((r) => r.format), minutes.map((r) => r.events)],
      );
    }
    if (senders.length > 0) {
      await client.query(
        `INSERT INTO ingest_token_minutes (minute, token, outcome, lines, last_at)
         SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::int[], $5::timestamptz[])
         ON CONFLICT (minute, token, outcome) DO UPDATE
           SET lines = ingest_token_minutes.lines + EXCLUDED.lines, last_at = GREATEST(ingest_token_minutes.last_at, EXCLUDED.last_at)`,
        [senders.map((r) => iso(r.minute)), senders.map((r) => r.token), senders.map((r) => r.outcome), senders.map((r) => r.lines), senders.map((r) => iso(r.lastAt))],
      );
    }
    if (hostHours.length > 0) {
      await client.query(
        `INSERT INTO ingest_host_hours (hour, host, format, events)
         SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::int[])
         ON CONFLICT (hour, host, format) DO UPDATE SET events = ingest_host_hours.events + EXCLUDED.events`,
        [hostHours.map((r) => iso(r.hour)), hostHours.map((r) => r.host), hostHours.map((r) => r.format), hostHours.map((r) => r.events)],
      );
    }
    if (hosts.length > 0) {
      await client.query(
        `INSERT INTO ingest_hosts (host, format, first_seen_at, last_event_at, last_received_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[])
         ON CONFLICT (host) DO UPDATE SET
           format = CASE WHEN EXCLUDED.last_received_at >= ingest_hosts.last_received_at THEN EXCLUDED.format ELSE ingest_hosts.format END,
           first_seen_at = LEAST(ingest_hosts.first_seen_at, EXCLUDED.first_seen_at),
           last_event_at = GREATEST(ingest_hosts.last_event_at, EXCLUDED.last_event_at),
           last_received_at = GREATEST(ingest_hosts.last_received_at, EXCLUDED.last_received_at)`,
        [hosts.map((r) => r.host), hosts.map((r) => r.format), hosts.map((r) => iso(r.firstSeenAt)), hosts.map((r) => iso(r.lastEventAt)), hosts.map((r) => iso(r.lastReceivedAt))],
      );
    }
    if (rejections.length > 0) {
      await client.query(
        `INSERT INTO ingest_rejected_lines (at, token, line, reason, message, excerpt)
         SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[])`,
        [
          rejections.map((r) => iso(r.at)),
          rejections.map((r) => r.token),
          rejections.map((r) => r.line),
          rejections.map((r) => r.reason),
          rejections.map((r) => r.message),
          rejections.map((r) => r.excerpt),
        ],
      );
    }
  });
}

/** Rows deleted by one clean-up. */
export interface PrunedIngestStats {
  minutes: number;
  hostHours: number;
  hosts: number;
  rejectedLines: number;
}

/**
 * Retention, run by the scheduler on one node: minute and hour counts past 48 hours, hosts not
 * heard from for 30 days, and refused lines beyond the newest 1,000.
 */
export async function pruneIngestStats(now = Date.now()): Promise<PrunedIngestStats> {
  const cutoff = iso(now - STATS_RETENTION_MS);
  const minutes = await pool().query(`DELETE FROM ingest_minutes WHERE minute < $1`, [cutoff]);
  const senders = await pool().query(`DELETE FROM ingest_token_minutes WHERE minute < $1`, [cutoff]);
  const hostHours = await pool().query(`DELETE FROM ingest_host_hours WHERE hour < $1`, [cutoff]);
  const hosts = await pool().query(`DELETE FROM ingest_hosts WHERE last_received_at < $1`, [iso(now - HOST_RETENTION_MS)]);
  const rejected = await pool().query(
    `DELETE FROM ingest_rejected_lines WHERE id IN (SELECT id FROM ingest_rejected_lines ORDER BY at DESC, id OFFSET $1)`,
    [REJECTED_LINES_KEPT],
  );
  return {
    minutes: (minutes.rowCount ?? 0) + (senders.rowCount ?? 0),
    hostHours: hostHours.rowCount ?? 0,
    hosts: hosts.rowCount ?? 0,
    rejectedLines: rejected.rowCount ?? 0,
  };
}

/** "sending": heard from within the hour; "quiet": sent in the window, then nothing for an hour; "silent": nothing in the window. */
export type HostState = "sending" | "quiet" | "silent";

export interface HostStatus {
  host: string;
  format: string;
  firstSeenAt: Date;
  lastEventAt: Date;
  lastReceivedAt: Date;
  /** Events in the hourly buckets of the last 24 hours (the current hour and the 23 before). */
  events: number;
  state: HostState;
}

/** How a sender authenticated: an API token, an environment token, or a console session. */
export type SenderKind = "api" | "environment" | "session";

export interface TokenUsage {
  /** The token's name (or a session user's email). */
  name: string;
  kind: SenderKind;
  scopes: string[];
  revoked: boolean;
  /** The later of the token's last use (any API call) and its last ingest request. */
  lastUsedAt: Date | null;
  events: number;
  rejected: number;
}

export interface RejectedLine {
  id: string;
  at: Date;
  token: string;
  line: number;
  reason: string;
  message: string;
  excerpt: string | null;
}

export interface IngestStatus {
  now: Date;
  /** First minute of the window; the window ends with the current minute. */
  from: Date;
  /** Non-zero minutes only. */
  perMinute: { minute: Date; format: string; events: number }[];
  rejectedPerMinute: { minute: Date; lines: number }[];
  formats: { format: string; events: number }[];
  totals: { events: number; rejected: number; hostsSending: number; quietHosts: number; hostsKnown: number; lastReceivedAt: Date | null };
  /** Quiet hosts first, then by events; at most `hostLimit`. */
  hosts: HostStatus[];
  rejectionsByReason: { reason: string; lines: number }[];
  /** The newest refused lines kept, newest request first, in line order within one. */
  rejections: RejectedLine[];
  tokens: TokenUsage[];
}

const ENVIRONMENT_SCOPES: Record<string, string[]> = {
  VIGIL_INGEST_TOKEN: ["ingest"],
  VIGIL_ADMIN_TOKEN: ["ingest", "read", "triage", "admin"],
};

const STATE_ORDER: Record<HostState, number> = { quiet: 0, sending: 1, silent: 2 };

/** Everything the ingest status page shows, for the 24 hours before `now`. */
export async function readIngestStatus(now = Date.now(), options: { hostLimit?: number; rejectionLimit?: number } = {}): Promise<IngestStatus> {
  const hostLimit = options.hostLimit ?? 500;
  const rejectionLimit = options.rejectionLimit ?? 100;
  const lastMinute = Math.floor(now / MINUTE_MS) * MINUTE_MS;
  const from = lastMinute - STATUS_WINDOW_MS + MINUTE_MS;
  const hourFrom = Math.floor(now / HOUR_MS) * HOUR_MS - 23 * HOUR_MS;
  const windowStart = now - STATUS_WINDOW_MS;
  const q = pool();
  const [minutes, senders, hostRows, rejected] = await Promise.all([
    q.query<{ minute: Date; format: string; events: number }>(
      `SELECT minute, format, events FROM ingest_minutes WHERE minute >= $1 AND events > 0 ORDER BY minute, format`,
      [iso(from)],
    ),
    q.query<{ minute: Date; token: string; outcome: string; lines: number; last_at: Date }>(
      `SELECT minute, token, outcome, lines, last_at FROM ingest_token_minutes WHERE minute >= $1`,
      [iso(from)],
    ),
    q.query<{ host: string; format: string; first_seen_at: Date; last_event_at: Date; last_received_at: Date; events: string | null }>(
      `SELECT h.host, h.format, h.first_seen_at, h.last_event_at, h.last_received_at, c.events
         FROM ingest_hosts h
         LEFT JOIN (SELECT host, sum(events) AS events FROM ingest_host_hours WHERE hour >= $1 GROUP BY host) c ON c.host = h.host`,
      [iso(hourFrom)],
    ),
    q.query<{ id: string; at: Date; token: string; line: number; reason: string; message: string; excerpt: string | null }>(
      `SELECT id::text, at, token, line, reason, message, excerpt FROM ingest_rejected_lines ORDER BY at DESC, id LIMIT $1`,
      [rejectionLimit],
    ),
  ]);

  const formatTotals = new Map<string, number>();
  for (const r of minutes.rows) formatTotals.set(r.format, (formatTotals.get(r.format) ?? 0) + r.events);
  const formats = [...formatTotals].map(([format, events]) => ({ format, events })).sort((a, b) => b.events - a.events || byText(a.format, b.format));

  const rejectedByMinute = new Map<number, number>();
  const byReason = new Map<string, number>();
  const bySender = new Map<string, { events: number; rejected: number; lastAt: number }>();
  let rejectedTotal = 0;
  for (const r of senders.rows) {
    const sender = bySender.get(r.token) ?? { events: 0, rejected: 0, lastAt: 0 };
    sender.lastAt = Math.max(sender.lastAt, r.last_at.getTime());
    if (r.outcome === "accepted") sender.events += r.lines;
    else {
      sender.rejected += r.lines;
      rejectedTotal += r.lines;
      byReason.set(r.outcome, (byReason.get(r.outcome) ?? 0) + r.lines);
      const m = r.minute.getTime();
      rejectedByMinute.set(m, (rejectedByMinute.get(m) ?? 0) + r.lines);
    }
    bySender.set(r.token, sender);
  }

  const hosts: HostStatus[] = hostRows.rows.map((r) => {
    const received = r.last_received_at.getTime();
    const state: HostState = received < windowStart ? "silent" : now - received > QUIET_AFTER_MS ? "quiet" : "sending";
    return { host: r.host, format: r.format, firstSeenAt: r.first_seen_at, lastEventAt: r.last_event_at, lastReceivedAt: r.last_received_at, events: Number(r.events ?? 0), state };
  });
  hosts.sort(
    (a, b) =>
      STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
      (a.state === "sending" ? b.events - a.events : b.lastReceivedAt.getTime() - a.lastReceivedAt.getTime()) ||
      byText(a.host, b.host),
  );
  const lastReceived = hosts.reduce((max, h) => Math.max(max, h.lastReceivedAt.getTime()), 0);

  return {
    now: new Date(now),
    from: new Date(from),
    perMinute: minutes.rows.map((r) => ({ minute: r.minute, format: r.format, events: r.events })),
    rejectedPerMinute: [...rejectedByMinute].sort(([a], [b]) => a - b).map(([minute, lines]) => ({ minute: new Date(minute), lines })),
    formats,
    totals: {
      events: formats.reduce((n, f) => n + f.events, 0),
      rejected: rejectedTotal,
      hostsSending: hosts.filter((h) => h.state === "sending").length,
      quietHosts: hosts.filter((h) => h.state === "quiet").length,
      hostsKnown: hosts.length,
      lastReceivedAt: lastReceived > 0 ? new Date(lastReceived) : null,
    },
    hosts: hosts.slice(0, hostLimit),
    rejectionsByReason: [...byReason].map(([reason, lines]) => ({ reason, lines })).sort((a, b) => b.lines - a.lines || byText(a.reason, b.reason)),
    rejections: rejected.rows,
    tokens: await tokenUsage(bySender),
  };
}

/**
 * Every live token that may ingest, plus whoever else sent in the window (environment tokens,
 * revoked tokens, console sessions). Names, scopes and times only: never a secret or a hash.
 */
async function tokenUsage(bySender: Map<string, { events: number; rejected: number; lastAt: number }>): Promise<TokenUsage[]> {
  const senderNames = [...bySender.keys()].filter((s) => s.startsWith("token:")).map((s) => s.slice("token:".length));
  const tokens = await db().apiToken.findMany({
    where: { OR: [{ scopes: { has: "ingest" }, revokedAt: null }, { name: { in: senderNames } }] },
    select: { name: true, scopes: true, lastUsedAt: true, revokedAt: true },
  });
  const usage = new Map<string, TokenUsage>();
  for (const t of tokens) {
    usage.set(`token:${t.name}`, { name: t.name, kind: "api", scopes: t.scopes, revoked: t.revokedAt !== null, lastUsedAt: t.lastUsedAt, events: 0, rejected: 0 });
  }
  for (const [sender, counts] of bySender) {
    let entry = usage.get(sender);
    if (!entry) {
      const name = sender.startsWith("token:") ? sender.slice("token:".length) : sender;
      const environment = sender.startsWith("token:") ? ENVIRONMENT_SCOPES[name] : undefined;
      entry = { name, kind: environment ? "environment" : sender.startsWith("token:") ? "api" : "session", scopes: environment ?? [], revoked: false, lastUsedAt: null, events: 0, rejected: 0 };
      usage.set(sender, entry);
    }
    entry.events += counts.events;
    entry.rejected += counts.rejected;
    if (counts.lastAt > (entry.lastUsedAt?.getTime() ?? 0)) entry.lastUsedAt = new Date(counts.lastAt);
  }
  return [...usage.values()].sort((a, b) => b.events - a.events || (b.lastUsedAt?.getTime() ?? 0) - (a.lastUsedAt?.getTime() ?? 0) || byText(a.name, b.name));
}
