import { z } from "zod";
import { ALERT_STATUSES, DISPOSITIONS } from "@/lib/alerts/status";
import { assignAlerts, resolveUserId } from "@/lib/db/triage";
import { ApiError, withErrors } from "@/lib/http/api-error";
import { requireAccess } from "@/lib/http/auth";
import { changeStatusMany } from "@/lib/server/triage";

export const dynamic = "force-dynamic";

const MAX_BULK = 500;

const bodySchema = z
  .object({
    ids: z.array(z.string().uuid()).min(1).max(MAX_BULK),
    status: z.enum(ALERT_STATUSES).optional(),
    disposition: z.enum(DISPOSITIONS).nullable().optional(),
    note: z.string().trim().min(1).max(10_000).optional(),
    assignee: z.string().trim().min(1).max(320).nullable().optional(),
  })
  .strict()
  .refine((b) => b.status !== undefined || b.assignee !== undefined, { message: "send a status, an assignee, or both" });

/**
 * POST /api/v1/alerts/bulk {ids, status?, disposition?, note?, assignee?}: the same change on up to
 * 500 alerts. Each alert succeeds or fails on its own: `results` says which and why.
 */
export const POST = withErrors(async (request: Request) => {
  const principal = await requireAccess(request, "triage");
  const body = bodySchema.parse(await request.json().catch(() => {
    throw new ApiError("bad_request", "the body must be a JSON object");
  }));
  let assigned = 0;
  if (body.assignee !== undefined) {
    const userId = body.assignee === null ? null : await resolveUserId(body.assignee);
    if (body.assignee !== null && !userId) throw new ApiError("unprocessable_entity", `no account ${body.assignee} to assign to`);
    const result = await assignAlerts(body.ids, userId, principal);
    if (result.kind === "no_such_user") throw new ApiError("unprocessable_entity", `${body.assignee} cannot be assigned alerts (disabled)`);
    assigned = result.kind === "done" ? result.changed : 0;
  }
  const results = body.status
    ? await changeStatusMany(body.ids, { status: body.status, disposition: body.disposition ?? null }, body.note ?? null, principal)
    : body.ids.map((id) => ({ id, ok: true }));
  return Response.json({ updated: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length, assigned, results });
});
