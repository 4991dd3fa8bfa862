import { withErrors } from "@/lib/http/api-error";
import { requireAccess } from "@/lib/http/auth";
import { readJson } from "@/lib/http/read-json";
import { parseExceptionBody, previewException } from "@/lib/server/exceptions";

export const dynamic = "force-dynamic";

/**
 * POST /api/v1/exceptions/preview with the same body as a create (and `preview_days`, default
 * 30): what it would have suppressed, per rule, with a sample and warnings. Changes nothing.
 */
export const POST = withErrors(async (request: Request) => {
  await requireAccess(request, "triage");
  const parsed = await parseExceptionBody(await readJson(request));
  return Response.json(await previewException(parsed.entries, parsed.input.ruleIds, parsed.previewDays));
});
