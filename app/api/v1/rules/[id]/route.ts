import { z } from "zod";
import { deleteUploadedRule, setRuleEnabled } from "@/lib/db/rules";
import { ApiError, withErrors } from "@/lib/http/api-error";
import { requireAccess } from "@/lib/http/auth";
import { invalidateRuleSet } from "@/lib/rules/registry";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

const patchSchema = z.object({ enabled: z.boolean() }).strict();

/** PATCH /api/v1/rules/{id} {enabled}: turn a rule on or off (admin); audited as rule.enable / rule.disable. */
export const PATCH = withErrors(async (request: Request, context: Context) => {
  const principal = await requireAccess(request, "admin");
  const id = decodeURIComponent((await context.params).id);
  if (id.length > 200) throw new ApiError("not_found", "no such rule");
  let json: unknown;
  try {
    json = await request.json();
  } catch {
    throw new ApiError("bad_request", "the body must be a JSON object");
  }
  const body = patchSchema.parse(json);
  const result = await setRuleEnabled(id, body.enabled, principal);
  if (result.kind === "not_found") throw new ApiError("not_found", `no rule ${id}`);
  if (result.kind === "updated") invalidateRuleSet();
  return Response.json({ id, name: result.name, enabled: result.enabled, changed: result.kind === "updated" });
});

/**
 * DELETE /api/v1/rules/{id} (admin): remove an uploaded rule; audited as rule.delete. A rule that
 * raised alerts is kept as "missing" (its alerts still name it) and never runs again. Rules from
 * the rules folder go away with their file (409).
 */
export const DELETE = withErrors(async (request: Request, context: Context) => {
  const principal = await requireAccess(request, "admin");
  const id = decodeURIComponent((await context.params).id);
  if (id.length > 200) throw new ApiError("not_found", "no such rule");
  const result = await deleteUploadedRule(id, principal);
  switch (result.kind) {
    case "not_found":
      throw new ApiError("not_found", `no rule ${id}`);
    case "not_uploaded":
      throw new ApiError("conflict", `rule ${id} comes from ${result.sourcePath} in the rules folder: delete the file and reload the rules instead`);
    case "deleted":
    case "retired":
      invalidateRuleSet();
      return Response.json({ id, name: result.name, deleted: result.kind === "deleted", state: result.kind === "deleted" ? null : "missing" });
  }
});
