import { withErrors } from "@/lib/http/api-error";
import { requireToken } from "@/lib/http/auth";
import { syncRulesFromDisk } from "@/lib/rules/registry";
import { ready } from "@/lib/server/startup";

export const dynamic = "force-dynamic";

/** POST /api/v1/rules/reload: re-read the rules folder now (after editing or adding files). */
export const POST = withErrors(async (request: Request) => {
  await ready();
  await requireToken(request, "triage");
  const result = await syncRulesFromDisk();
  return Response.json({
    active: result.loaded,
    unsupported: result.unsupported,
    failed: result.failed,
    missing: result.missing,
    errors: result.errors.map((e) => e.toJSON()),
  });
});
