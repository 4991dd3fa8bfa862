import { z } from "zod";
import { ALERT_STATUSES, changeProblem, DISPOSITIONS, transitionProblem } from "@/lib/alerts/status";
import { findAlert, findAlertActivity } from "@/lib/db/alerts";
import { assignAlerts, resolveUserId } from "@/lib/db/triage";
import { alertIdParam, alertJson } from "@/lib/http/alert-json";
import { ApiError, withErrors } from "@/lib/http/api-error";
import { requireAccess } from "@/lib/http/auth";
import { changeStatus } from "@/lib/server/triage";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };


/** GET /api/v1/alerts/{id}: the alert and its activity trail. */
export const GET = withErrors(async (request: Request, context: Context) => {
  await requireAccess(request, "read");
  const id = await alertIdParam(context);
  const alert = await findAlert(id);
  if (!alert) throw new ApiError("not_found", `no alert ${id}`);
  const activity = await findAlertActivity(id);
  return Response.json({
    ...alertJson(alert),
    activity: activity.map((a) => ({
      at: a.at.toISOString(),
      actor: a.actor,
      action: a.action,
      from_status: a.fromStatus,
      to_status: a.toStatus,
      disposition: a.disposition,
      note: a.note,
    })),
  });
});

const patchSchema = z
  .object({
    status: z.enum(ALERT_STATUSES).optional(),
    disposition: z.enum(DISPOSITIONS).nullable().optional(),
    note: z.string().trim().min(1).max(10_000).optional(),
    /** A user id or email; null unassigns. */
    assignee: z.string().trim().min(1).max(320).nullable().optional(),
  })
  .strict()
  .refine((b) => b.status !== undefined || b.note !== undefined || b.assignee !== undefined, { message: "send a status, a note, an assignee, or several" })
  .refine((b) => b.status !== undefined || b.disposition === undefined, {
    message: "a disposition needs a status",
    path: ["disposition"],
  });

/** PATCH /api/v1/alerts/{id} {status?, disposition?, note?, assignee?}: invalid transitions → 422 with the reason. */
export const PATCH = withErrors(async (request: Request, context: Context) => {
  const principal = await requireAccess(request, "triage");
  const id = await alertIdParam(context);
  let json: unknown;
  try {
    json = await request.json();
  } catch {
    throw new ApiError("bad_request", "the body must be a JSON object");
  }
  const body = patchSchema.parse(json);
  const change = body.status ? { status: body.status, disposition: body.disposition ?? null } : null;
  if (change) {
    // Checks that do not depend on the current status, before touching the database.
    const problem = changeProblem(change);
    if (problem) throw new ApiError("unprocessable_entity", problem);
  }
  if (body.assignee !== undefined) {
    const userId = body.assignee === null ? null : await resolveUserId(body.assignee);
    if (body.assignee !== null && !userId) throw new ApiError("unprocessable_entity", `no account ${body.assignee} to assign to`);
    const assigned = await assignAlerts([id], userId, principal);
    if (assigned.kind === "not_found") throw new ApiError("not_found", `no alert ${id}`);
    if (assigned.kind === "no_such_user") throw new ApiError("unprocessable_entity", `${body.assignee} cannot be assigned alerts (disabled)`);
  }
  const result = await changeStatus(id, change, body.note ?? null, principal);
  switch (result.kind) {
    case "not_found":
      throw new ApiError("not_found", `no alert ${id}`);
    case "conflict":
      throw new ApiError("unprocessable_entity", transitionProblem(result.current, change!) ?? "the alert changed meanwhile; reload it", {
        current_status: result.current,
      });
    case "updated":
    case "unchanged":
      return Response.json(alertJson(result.alert));
  }
});
