import { noveltyKeys, type StateKey } from "@/lib/detection";
import { findAlert } from "@/lib/db/alerts";
import { recordAudit } from "@/lib/db/audit";
import { markTermsKnown } from "@/lib/db/baselines";
import { isUuid } from "@/lib/http/alert-json";
import { ApiError, withErrors } from "@/lib/http/api-error";
import { requireAccess } from "@/lib/http/auth";
import { findStatefulSpec } from "@/lib/rules/registry";

export const dynamic = "force-dynamic";

/**
 * POST /api/v1/alerts/{id}/mark-known: for every new-terms or new-value rule that fired on the
 * alert, add the alert event's terms to the rule's baseline, so this activity stops alerting.
 */
export const POST = withErrors(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const principal = await requireAccess(request, "triage");
  const { id } = await context.params;
  const alert = isUuid(id) ? await findAlert(id) : null;
  if (!alert) throw new ApiError("not_found", `no alert ${id}`);
  const keys: StateKey[] = [];
  const rules: { id: string; name: string; terms: number }[] = [];
  for (const hit of alert.rules) {
    const found = await findStatefulSpec(hit.id);
    if (found?.spec.kind !== "novelty") continue;
    const { keys: ruleKeys } = noveltyKeys(hit.id, found.spec, alert.event as never);
    keys.push(...ruleKeys);
    rules.push({ id: hit.id, name: hit.name, terms: ruleKeys.length });
  }
  if (rules.length === 0) {
    throw new ApiError("unprocessable_entity", "no new-terms or new-value rule fired on this alert: there is no baseline to add to");
  }
  await markTermsKnown(keys);
  await recordAudit(principal, { action: "baseline.mark_known", objectType: "alert", objectId: id, after: { rules } });
  return Response.json({ rules });
});
