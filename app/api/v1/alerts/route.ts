import { findAlertGroups, findAlertPage } from "@/lib/db/alerts";
import { alertJson, encodeCursor } from "@/lib/http/alert-json";
import { parseAlertQuery } from "@/lib/http/alert-query";
import { withErrors } from "@/lib/http/api-error";
import { requireAccess } from "@/lib/http/auth";

export const dynamic = "force-dynamic";

/** GET /api/v1/alerts: newest first by event time, keyset-paginated; `group=` adds counts by rule, host or parent. */
export const GET = withErrors(async (request: Request) => {
  await requireAccess(request, "read");
  const query = parseAlertQuery(new URL(request.url).searchParams);
  const [page, groups] = await Promise.all([
    findAlertPage(query.filter, query.limit, query.cursor, query.sort),
    query.group ? findAlertGroups(query.filter, query.group) : null,
  ]);
  return Response.json({
    alerts: page.alerts.map(alertJson),
    next_cursor: page.next ? encodeCursor(page.next) : null,
    ...(groups && { groups: groups.map((g) => ({ key: g.key, label: g.label, count: g.count })) }),
  });
});
