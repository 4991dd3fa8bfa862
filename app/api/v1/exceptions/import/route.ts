import { ZodError } from "zod";
import { createException } from "@/lib/db/exceptions";
import { listRules } from "@/lib/db/rules";
import { invalidateExceptionSet } from "@/lib/exceptions/registry";
import { ApiError, withErrors } from "@/lib/http/api-error";
import { requireAccess } from "@/lib/http/auth";
import { readImport } from "@/lib/server/exception-import";
import { parseExceptionBody } from "@/lib/server/exceptions";

export const dynamic = "force-dynamic";

const MAX_IMPORT_BYTES = 2 * 1024 * 1024;

/**
 * POST /api/v1/exceptions/import (admins), body YAML or JSON (Vigil's export, Elastic exception
 * list items, or Sigma filter documents): each item is created on its own; `errors` lists the
 * ones refused, by position.
 */
export const POST = withErrors(async (request: Request) => {
  const principal = await requireAccess(request, "admin");
  const text = await request.text();
  if (text.length > MAX_IMPORT_BYTES) throw new ApiError("payload_too_large", `an import is at most ${MAX_IMPORT_BYTES} bytes`);
  const rules = await listRules();
  const byId = new Set(rules.map((r) => r.id));
  const byName = new Map(rules.map((r) => [r.name.toLowerCase(), r.id]));
  const { bodies, errors } = readImport(text, (ref) => (byId.has(ref) ? ref : (byName.get(ref.toLowerCase()) ?? null)));
  const created: { index: number; id: string; name: string }[] = [];
  for (const { index, body } of bodies) {
    try {
      const parsed = await parseExceptionBody(body, { importing: true });
      const row = await createException(parsed.input, "active", principal);
      created.push({ index, id: row.id, name: row.name });
    } catch (error) {
      if (error instanceof ApiError) errors.push({ index, error: error.message });
      else if (error instanceof ZodError) errors.push({ index, error: error.issues.map((i) => `${i.path.join(".") || "(item)"}: ${i.message}`).join("; ") });
      else throw error;
    }
  }
  if (created.length) invalidateExceptionSet();
  return Response.json({ created, errors: errors.sort((a, b) => a.index - b.index) }, { status: created.length ? 201 : 422 });
});
