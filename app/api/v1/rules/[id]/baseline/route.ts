import { z } from "zod";
import { noveltyStateKey } from "@/lib/detection";
import { recordAudit } from "@/lib/db/audit";
import { findBaseline, markTermsKnown } from "@/lib/db/baselines";
import { ApiError, withErrors } from "@/lib/http/api-error";
import { requireAccess } from "@/lib/http/auth";
import { baselineEntryJson, baselineFields, decodeBaselineCursor, encodeBaselineCursor } from "@/lib/http/baseline-json";
import { findStatefulSpec } from "@/lib/rules/registry";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

async function statefulRule(context: Context) {
  const { id } = await context.params;
  const found = await findStatefulSpec(decodeURIComponent(id));
  if (!found) throw new ApiError("not_found", `no stateful rule ${id}: baselines exist for new_terms, new_value and rare rules`);
  return found;
}

/** GET /api/v1/rules/{id}/baseline?limit=&cursor=&q=: what the rule has learned, most recent first. */
export const GET = withErrors(async (request: Request, context: Context) => {
  await requireAccess(request, "read");
  const { meta, spec } = await statefulRule(context);
  const params = new URL(request.url).searchParams;
  const limit = Number(params.get("limit") ?? 100);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new ApiError("bad_request", "limit must be an integer from 1 to 1000");
  const cursor = params.get("cursor");
  const q = params.get("q")?.trim();
  const page = await findBaseline(meta.id, spec.kind, {
    limit,
    cursor: cursor ? decodeBaselineCursor(cursor) : null,
    ...(q && { contains: q.slice(0, 200) }),
  });
  const fields = baselineFields(spec);
  return Response.json({
    rule: { id: meta.id, name: meta.name, type: meta.type },
    kind: spec.kind,
    fields: spec.kind === "novelty" ? spec.fields : [],
    group_by: spec.groupBy,
    ...(spec.kind === "novelty"
      ? { window_ms: spec.windowMs, learning_ms: spec.learningMs }
      : { window_days: spec.windowDays, learning_ms: spec.learningMs }),
    entries: page.entries.map((e) => baselineEntryJson(e, fields)),
    next_cursor: page.next ? encodeBaselineCursor(page.next) : null,
  });
});

const markKnownSchema = z.object({ values: z.record(z.string(), z.string().max(8192).nullable()) }).strict();

/**
 * POST /api/v1/rules/{id}/baseline {"values": {"process.name": "curl", "host.id": "…"}}: mark a
 * value combination known (novelty rules): it joins the baseline and never alerts until forgotten.
 */
export const POST = withErrors(async (request: Request, context: Context) => {
  const principal = await requireAccess(request, "triage");
  const { meta, spec } = await statefulRule(context);
  if (spec.kind !== "novelty") {
    throw new ApiError("unprocessable_entity", "rare rules judge counts, not values: tune the rule or add an exception instead");
  }
  const body = markKnownSchema.parse(await request.json().catch(() => null));
  const fields = baselineFields(spec);
  const missing = fields.filter((f) => !(f in body.values));
  const extra = Object.keys(body.values).filter((f) => !fields.includes(f));
  if (missing.length || extra.length) {
    throw new ApiError("unprocessable_entity", `values must give exactly the rule's fields: ${fields.join(", ")}`, { missing, unexpected: extra });
  }
  const key = noveltyStateKey(meta.id, spec, fields.map((f) => body.values[f] ?? null));
  await markTermsKnown([key]);
  await recordAudit(principal, { action: "baseline.add", objectType: "rule", objectId: meta.id, after: { key: key.hash, values: body.values } });
  return Response.json({ key: key.hash, values: body.values, known: true }, { status: 201 });
});
