import { deleteException, findException, updateException } from "@/lib/db/exceptions";
import { invalidateExceptionSet } from "@/lib/exceptions/registry";
import { isUuid } from "@/lib/http/alert-json";
import { ApiError, withErrors } from "@/lib/http/api-error";
import { requireAccess, type Principal } from "@/lib/http/auth";
import { exceptionJson } from "@/lib/http/exception-json";
import { readJson } from "@/lib/http/read-json";
import { checkEntriesAndRules, exceptionPatchSchema } from "@/lib/server/exceptions";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

async function load(context: Context) {
  const { id } = await context.params;
  const found = isUuid(id) ? await findException(id) : null;
  if (!found) throw new ApiError("not_found", `no exception ${id}`);
  return found;
}

/** Admins change any exception; an analyst only their own proposal, until it is approved. */
function mayChange(principal: Principal, e: { status: string; author: string }): boolean {
  return principal.scopes.includes("admin") || (e.status === "proposed" && e.author === principal.actor);
}

/** GET /api/v1/exceptions/{id} */
export const GET = withErrors(async (request: Request, context: Context) => {
  await requireAccess(request, "read");
  return Response.json(exceptionJson(await load(context)));
});

/** PATCH /api/v1/exceptions/{id}: any of name, reason, rule_ids, entries, expires_at, enabled. */
export const PATCH = withErrors(async (request: Request, context: Context) => {
  const principal = await requireAccess(request, "triage");
  const current = await load(context);
  if (!mayChange(principal, current)) throw new ApiError("forbidden", "only an admin changes an approved exception or another person's proposal");
  const body = exceptionPatchSchema.parse(await readJson(request));
  const entries = await checkEntriesAndRules(body.entries, body.rule_ids);
  const updated = await updateException(
    current.id,
    {
      ...(body.name !== undefined && { name: body.name }),
      ...(body.reason !== undefined && { reason: body.reason }),
      ...(body.rule_ids !== undefined && { ruleIds: body.rule_ids }),
      ...(entries !== undefined && { entries }),
      ...(body.expires_at !== undefined && { expiresAt: body.expires_at }),
      ...(body.enabled !== undefined && { enabled: body.enabled }),
    },
    principal,
  );
  invalidateExceptionSet();
  return Response.json(exceptionJson(updated!));
});

/** DELETE /api/v1/exceptions/{id} (audited with the whole definition). */
export const DELETE = withErrors(async (request: Request, context: Context) => {
  const principal = await requireAccess(request, "triage");
  const current = await load(context);
  if (!mayChange(principal, current)) throw new ApiError("forbidden", "only an admin deletes an approved exception or another person's proposal");
  await deleteException(current.id, principal);
  invalidateExceptionSet();
  return new Response(null, { status: 204 });
});
