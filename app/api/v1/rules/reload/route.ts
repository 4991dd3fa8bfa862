import { recordAudit } from "@/lib/db/audit";
import { withErrors } from "@/lib/http/api-error";
import { requireAccess } from "@/lib/http/auth";
import { syncRulesFromDisk } from "@/lib/rules/registry";

export const dynamic = "force-dynamic";

/** POST /api/v1/rules/reload: re-read the rules folder now (after editing or adding files). */
export const POST = withErrors(async (request: Request) => {
  const principal = await requireAccess(request, "admin");
  const result = await syncRulesFromDisk();
  await recordAudit(principal, { action: "rules.reload", objectType: "rules", after: { active: result.loaded, unsupported: result.unsupported, failed: result.failed, missing: result.missing } });
  return Response.json({
    active: result.loaded,
    unsupported: result.unsupported,
    failed: result.failed,
    missing: result.missing,
    errors: result.errors.map((e) => e.toJSON()),
  });
});
