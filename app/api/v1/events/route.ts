import { env } from "@/lib/env";
import { withErrors } from "@/lib/http/api-error";
import { requireAccess } from "@/lib/http/auth";
import { bodyKind, IngestRejection, parseIngestBody } from "@/lib/ingest/parse-body";
import { getExceptionSet } from "@/lib/exceptions/registry";
import { storePreparedBatch } from "@/lib/ingest/ingest-batch";
import { prepareBatch } from "@/lib/ingest/prepare-batch";
import { readBodyWithLimit } from "@/lib/ingest/read-body";
import { getRuleSet } from "@/lib/rules/registry";
import { ready } from "@/lib/server/startup";

export const dynamic = "force-dynamic";

/** POST /api/v1/events: the machine contract for shippers (README "Ingest API"). */
export const POST = withErrors(async (request: Request) => {
  await ready();
  await requireAccess(request, "ingest");
  const config = env();
  const kind = bodyKind(request.headers.get("content-type"));
  const body = await readBodyWithLimit(request, config.VIGIL_MAX_BODY_BYTES);
  const parsed = parseIngestBody(body, kind, { maxLineBytes: config.VIGIL_MAX_LINE_BYTES, maxDepth: 64 });
  const batch = prepareBatch(parsed.records, await getRuleSet(), new Date());
  const errors = [...parsed.errors, ...batch.errors].sort((a, b) => a.line - b.line);
  const limit = config.VIGIL_MAX_REPORTED_ERRORS;
  if (batch.accepted === 0) {
    throw new IngestRejection("nothing_accepted", "no event in the body could be accepted", errors.slice(0, limit), errors.length);
  }
  // Answer only after the commit: an answered event is never lost.
  const stored = await storePreparedBatch(batch.events, await getExceptionSet());
  return Response.json({
    accepted: batch.accepted,
    rejected: errors.length,
    errors: errors.slice(0, limit),
    ...(errors.length > limit && { errors_truncated: true }),
    alerts: stored.alertsCreated,
    duplicates: batch.accepted - stored.eventsStored,
    ...(stored.suppressed > 0 && { suppressed: stored.suppressed }),
    ...(batch.warnings.length > 0 && { warnings: batch.warnings.slice(0, limit) }),
  });
});
