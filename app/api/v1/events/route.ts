import { randomUUID } from "node:crypto";
import { env } from "@/lib/env";
import { getExceptionSet } from "@/lib/exceptions/registry";
import { ApiError, toResponse } from "@/lib/http/api-error";
import { requireAccess } from "@/lib/http/auth";
import { eventRetention, storePreparedBatch } from "@/lib/ingest/ingest-batch";
import { bodyKind, DEFAULT_BODY_LIMITS, IngestRejection, parseIngestBody } from "@/lib/ingest/parse-body";
import { prepareBatch } from "@/lib/ingest/prepare-batch";
import { readBodyWithLimit } from "@/lib/ingest/read-body";
import { getRuleSet } from "@/lib/rules/registry";
import { acquireIngestSlot, spendEventBudget } from "@/lib/server/ingest-limits";
import { recordIngest } from "@/lib/server/ingest-stats";
import { countMetric, observeBatchSeconds, rejectionReason } from "@/lib/server/metrics";

export const dynamic = "force-dynamic";

/** A shipper's own X-Request-Id when it is sane, else a fresh one; echoed back and logged. */
function requestId(request: Request): string {
  const given = request.headers.get("x-request-id");
  return given && /^[A-Za-z0-9._:-]{1,100}$/.test(given) ? given : randomUUID();
}

/**
 * POST /api/v1/events: the machine contract for shippers (README "Ingest API"). One JSON log
 * line per request (never per event), with its request id, counts and time.
 */
// Next passes a route context as the second argument; ingest has no params.
export async function POST(request: Request, _context?: unknown): Promise<Response> {
  const started = performance.now();
  const id = requestId(request);
  let release: (() => void) | null = null;
  let summary: Record<string, unknown> = {};
  let response: Response;
  try {
    const principal = await requireAccess(request, "ingest");
    release = acquireIngestSlot();
    response = await ingest(request, principal.actor, (s) => (summary = s));
  } catch (error) {
    response = toResponse(error);
    if (error instanceof IngestRejection) for (const e of error.errors) countMetric("vigil_events_rejected_total", 1, { reason: rejectionReason(e.error) });
    if (error instanceof ApiError || error instanceof IngestRejection) summary = { error: error.message };
  } finally {
    release?.();
  }
  const seconds = (performance.now() - started) / 1000;
  observeBatchSeconds(seconds);
  countMetric("vigil_ingest_requests_total", 1, { status: String(response.status) });
  console.log(JSON.stringify({ level: response.status >= 500 ? "error" : "info", msg: "ingest", request_id: id, status: response.status, ms: Math.round(seconds * 1000), ...summary }));
  const headers = new Headers(response.headers);
  headers.set("x-request-id", id);
  return new Response(response.body, { status: response.status, headers });
}

async function ingest(request: Request, token: string, report: (summary: Record<string, unknown>) => void): Promise<Response> {
  const config = env();
  const kind = bodyKind(request.headers.get("content-type"));
  const body = await readBodyWithLimit(request, config.VIGIL_MAX_BODY_BYTES);
  const parsed = parseIngestBody(body, kind, { ...DEFAULT_BODY_LIMITS, maxLineBytes: config.VIGIL_MAX_LINE_BYTES });
  // With retention off only matched events are stored, so only they need an identity.
  const retention = eventRetention();
  const batch = prepareBatch(parsed.records, await getRuleSet(), new Date(), { identify: retention.all ? "all" : "matched" });
  const errors = [...parsed.errors, ...batch.errors].sort((a, b) => a.line - b.line);
  const limit = config.VIGIL_MAX_REPORTED_ERRORS;
  if (batch.accepted === 0) {
    recordIngest({ sender: token, events: [], errors, body, kind });
    throw new IngestRejection("nothing_accepted", "no event in the body could be accepted", errors.slice(0, limit), errors.length);
  }
  spendEventBudget(token, batch.accepted);
  // Answer only after the commit: an answered event is never lost.
  const stored = await storePreparedBatch(batch.events, await getExceptionSet(), retention);
  // Ingest status page: counted in memory once the request's outcome is final, flushed every ~10 s.
  recordIngest({ sender: token, events: batch.events, errors, body, kind });
  countMetric("vigil_events_accepted_total", batch.accepted);
  for (const e of errors) countMetric("vigil_events_rejected_total", 1, { reason: rejectionReason(e.error) });
  for (const [rule, n] of Object.entries(stored.hitsByRule)) countMetric("vigil_alerts_total", n, { rule });
  for (const [exception, n] of Object.entries(stored.suppressedByException)) countMetric("vigil_exception_hits_total", n, { exception });
  countMetric("vigil_stateful_decisions_total", stored.statefulDecisions.alerted, { outcome: "alert" });
  countMetric("vigil_stateful_decisions_total", stored.statefulDecisions.quiet, { outcome: "quiet" });
  report({ accepted: batch.accepted, rejected: errors.length, alerts: stored.alertsCreated, duplicates: stored.duplicates });
  return Response.json({
    accepted: batch.accepted,
    rejected: errors.length,
    errors: errors.slice(0, limit),
    ...(errors.length > limit && { errors_truncated: true }),
    alerts: stored.alertsCreated,
    duplicates: stored.duplicates,
    ...(stored.suppressed > 0 && { suppressed: stored.suppressed }),
    ...(batch.warnings.length > 0 && { warnings: batch.warnings.slice(0, limit) }),
  });
}
