import { z } from "zod";
import { CHECKLISTS, findChecklist, setChecklistStep } from "@/lib/db/triage";
import { alertIdParam } from "@/lib/http/alert-json";
import { checklistJson } from "@/lib/http/checklist-json";
import { ApiError, withErrors } from "@/lib/http/api-error";
import { requireAccess } from "@/lib/http/auth";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };


/** GET /api/v1/alerts/{id}/checklist: the triage and response steps of every rule that fired, with ticks. */
export const GET = withErrors(async (request: Request, context: Context) => {
  await requireAccess(request, "read");
  const id = await alertIdParam(context);
  return Response.json({ steps: checklistJson(await findChecklist(id)) });
});

const putSchema = z.object({ rule_id: z.string().min(1).max(200), list: z.enum(CHECKLISTS), step: z.string().regex(/^[0-9a-f]{16}$/), done: z.boolean() }).strict();

/** PUT /api/v1/alerts/{id}/checklist {rule_id, list, step, done}: tick or untick a step (`step` from GET). */
export const PUT = withErrors(async (request: Request, context: Context) => {
  const principal = await requireAccess(request, "triage");
  const id = await alertIdParam(context);
  const body = putSchema.parse(await request.json().catch(() => {
    throw new ApiError("bad_request", "the body must be a JSON object");
  }));
  const result = await setChecklistStep(id, { ruleId: body.rule_id, list: body.list, hash: body.step }, body.done, principal);
  if (result.kind === "not_found") throw new ApiError("not_found", `no alert ${id}`);
  if (result.kind === "no_such_step") throw new ApiError("unprocessable_entity", "no such step in the checklists of the rules that fired on this alert");
  return Response.json({ done: result.done, total: result.total, changed: result.kind === "updated" });
});
