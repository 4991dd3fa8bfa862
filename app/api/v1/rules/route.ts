import { listRuleLoadErrors, listRules } from "@/lib/db/rules";
import { withErrors } from "@/lib/http/api-error";
import { requireAccess } from "@/lib/http/auth";
import { ready } from "@/lib/server/startup";

export const dynamic = "force-dynamic";

/** GET /api/v1/rules: every rule Vigil knows, and the rule files that failed to load. */
export const GET = withErrors(async (request: Request) => {
  await ready();
  await requireAccess(request, "read");
  const [rules, errors] = await Promise.all([listRules(), listRuleLoadErrors()]);
  return Response.json({
    rules: rules.map((r) => ({
      id: r.id,
      name: r.name,
      description: r.description,
      format: r.format,
      type: r.type,
      severity: r.severity,
      risk_score: r.riskScore,
      enabled: r.enabled,
      state: r.state,
      unsupported_reason: r.unsupportedReason,
      tags: r.tags,
      mitre: r.mitre,
      references: r.references,
      false_positives: r.falsePositives,
      author: r.author,
      guide: r.guide,
      source_path: r.sourcePath,
      source_line: r.sourceLine,
      updated_at: r.updatedAt.toISOString(),
    })),
    errors: errors.map((e) => ({ file: e.path, line: e.line, column: e.column, code: e.code, error: e.message })),
  });
});
