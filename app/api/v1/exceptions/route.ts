import { createException, listExceptions } from "@/lib/db/exceptions";
import { env } from "@/lib/env";
import { invalidateExceptionSet } from "@/lib/exceptions/registry";
import { withErrors } from "@/lib/http/api-error";
import { requireAccess } from "@/lib/http/auth";
import { exceptionJson } from "@/lib/http/exception-json";
import { readJson } from "@/lib/http/read-json";
import { closeMatchingAlerts, parseExceptionBody } from "@/lib/server/exceptions";

export const dynamic = "force-dynamic";

/** GET /api/v1/exceptions: every exception with its state, hits (total and per rule) and last hit. */
export const GET = withErrors(async (request: Request) => {
  await requireAccess(request, "read");
  return Response.json({ exceptions: (await listExceptions()).map((e) => exceptionJson(e)) });
});

/**
 * POST /api/v1/exceptions: create. Admins (and, with VIGIL_EXCEPTIONS_REQUIRE_APPROVAL=false,
 * analysts) create active exceptions; analysts otherwise propose one for an admin to approve.
 * `close_matching: true` closes the open alerts it covers as benign positive (active only).
 */
export const POST = withErrors(async (request: Request) => {
  const principal = await requireAccess(request, "triage");
  const parsed = await parseExceptionBody(await readJson(request));
  const direct = principal.scopes.includes("admin") || !env().VIGIL_EXCEPTIONS_REQUIRE_APPROVAL;
  const created = await createException(parsed.input, direct ? "active" : "proposed", principal);
  invalidateExceptionSet();
  const closed = direct && parsed.closeMatching ? await closeMatchingAlerts({ id: created.id, name: created.name, entries: parsed.entries, ruleIds: created.ruleIds }, principal) : 0;
  return Response.json({ ...exceptionJson(created), closed_alerts: closed }, { status: 201 });
});
