import { findAuditPage } from "@/lib/db/audit";
import { withErrors } from "@/lib/http/api-error";
import { encodeAuditCursor, parseAuditQuery } from "@/lib/http/audit-query";
import { requireAccess } from "@/lib/http/auth";

export const dynamic = "force-dynamic";

/** GET /api/v1/audit?actor=&action=&object_type=&object_id=&since=&until=&limit=&cursor= (admins). */
export const GET = withErrors(async (request: Request) => {
  await requireAccess(request, "admin");
  const query = parseAuditQuery(new URL(request.url).searchParams);
  const page = await findAuditPage(query.filter, query.limit, query.cursor);
  return Response.json({
    events: page.entries.map((e) => ({
      id: String(e.id),
      at: e.at.toISOString(),
      actor: e.actor,
      actor_type: e.actorType,
      action: e.action,
      object_type: e.objectType,
      object_id: e.objectId,
      before: e.before,
      after: e.after,
      ip: e.ip,
      user_agent: e.userAgent,
    })),
    next_cursor: page.next ? encodeAuditCursor(page.next) : null,
  });
});
