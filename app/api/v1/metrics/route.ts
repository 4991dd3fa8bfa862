import { withErrors } from "@/lib/http/api-error";
import { requireAccess } from "@/lib/http/auth";
import { renderMetrics } from "@/lib/server/metrics";

export const dynamic = "force-dynamic";

/** GET /api/v1/metrics (scope `read`): this process's metrics in Prometheus text format. */
export const GET = withErrors(async (request: Request) => {
  await requireAccess(request, "read");
  return new Response(renderMetrics(), { headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" } });
});
