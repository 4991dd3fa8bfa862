import { recordAudit } from "@/lib/db/audit";
import { forgetBaselineEntry } from "@/lib/db/baselines";
import { ApiError, withErrors } from "@/lib/http/api-error";
import { requireAccess } from "@/lib/http/auth";
import { findStatefulSpec } from "@/lib/rules/registry";

export const dynamic = "force-dynamic";

/** DELETE /api/v1/rules/{id}/baseline/{key}: forget a learned value or group; its next sighting is new. */
export const DELETE = withErrors(async (request: Request, context: { params: Promise<{ id: string; key: string }> }) => {
  const principal = await requireAccess(request, "triage");
  const { id, key } = await context.params;
  const found = await findStatefulSpec(decodeURIComponent(id));
  if (!found) throw new ApiError("not_found", `no stateful rule ${id}`);
  if (!/^[0-9a-f]{8,128}$/.test(key) || !(await forgetBaselineEntry(found.meta.id, found.spec.kind, key))) {
    throw new ApiError("not_found", `rule ${found.meta.id} has no baseline entry ${key}`);
  }
  await recordAudit(principal, { action: "baseline.forget", objectType: "rule", objectId: found.meta.id, before: { key } });
  return new Response(null, { status: 204 });
});
