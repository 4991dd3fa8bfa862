import { readIngestStatus, type IngestStatus } from "@/lib/db/ingest-stats";
import { withErrors } from "@/lib/http/api-error";
import { requireAccess } from "@/lib/http/auth";
import { flushIngestStatsNow } from "@/lib/server/ingest-stats";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/ingest/status (scope `read`): what the ingest status page shows, for scripts.
 * Counts are summed over every node; this node's pending counts are written first, other
 * nodes' arrive within their flush interval.
 */
export const GET = withErrors(async (request: Request) => {
  await requireAccess(request, "read");
  await flushIngestStatsNow();
  return Response.json(statusJson(await readIngestStatus()));
});

const time = (d: Date | null) => (d ? d.toISOString() : null);

function statusJson(s: IngestStatus) {
  return {
    from: time(s.from),
    to: time(s.now),
    totals: {
      events: s.totals.events,
      rejected: s.totals.rejected,
      hosts_sending: s.totals.hostsSending,
      quiet_hosts: s.totals.quietHosts,
      hosts_known: s.totals.hostsKnown,
      last_received_at: time(s.totals.lastReceivedAt),
    },
    formats: s.formats,
    per_minute: s.perMinute.map((m) => ({ minute: time(m.minute), format: m.format, events: m.events })),
    rejected_per_minute: s.rejectedPerMinute.map((m) => ({ minute: time(m.minute), lines: m.lines })),
    hosts: s.hosts.map((h) => ({
      host: h.host,
      format: h.format,
      events_24h: h.events,
      state: h.state,
      first_seen_at: time(h.firstSeenAt),
      last_event_at: time(h.lastEventAt),
      last_received_at: time(h.lastReceivedAt),
    })),
    rejections: {
      by_reason: s.rejectionsByReason,
      latest: s.rejections.map((r) => ({ at: time(r.at), token: r.token, line: r.line, reason: r.reason, message: r.message, excerpt: r.excerpt })),
    },
    tokens: s.tokens.map((t) => ({
      name: t.name,
      kind: t.kind,
      scopes: t.scopes,
      revoked: t.revoked,
      last_used_at: time(t.lastUsedAt),
      events_24h: t.events,
      rejected_24h: t.rejected,
    })),
  };
}
