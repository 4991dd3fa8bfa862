import { approveException } from "@/lib/db/exceptions";
import { invalidateExceptionSet } from "@/lib/exceptions/registry";
import { isUuid } from "@/lib/http/alert-json";
import { ApiError, withErrors } from "@/lib/http/api-error";
import { requireAccess } from "@/lib/http/auth";
import { exceptionJson } from "@/lib/http/exception-json";

export const dynamic = "force-dynamic";

/** POST /api/v1/exceptions/{id}/approve (admins): a proposed exception starts applying. */
export const POST = withErrors(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const principal = await requireAccess(request, "admin");
  const { id } = await context.params;
  const approved = isUuid(id) ? await approveException(id, principal) : null;
  if (!approved) throw new ApiError("not_found", `no exception ${id}`);
  invalidateExceptionSet();
  return Response.json(exceptionJson(approved));
});
