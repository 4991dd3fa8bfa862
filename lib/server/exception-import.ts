import { z } from "zod";
import YAML from "yaml";
import { sigmaFilterToExceptions } from "@/lib/detection";
import type { ExceptionRecord } from "@/lib/db/exceptions";

/**
 * Exceptions in and out as YAML or JSON (Vigil's own shape, the API's body); Elastic
 * exception-list items mapped to Vigil's operators where they map (match, match_any, wildcard,
 * exists; `list` and `nested` entries have no equivalent and are reported); and Sigma filter
 * documents (lib/detection/exceptions/sigma-filter.ts), whose `rules` may name rules by id or
 * title.
 */

export function exportExceptions(list: readonly ExceptionRecord[], format: "json" | "yaml"): string {
  const doc = {
    vigil_exceptions: 1,
    exceptions: list.map((e) => ({
      name: e.name,
      reason: e.reason,
      rule_ids: e.ruleIds,
      entries: e.entries,
      expires_at: e.expiresAt?.toISOString() ?? null,
      enabled: e.enabled,
    })),
  };
  return format === "yaml" ? YAML.stringify(doc) : `${JSON.stringify(doc, null, 2)}\n`;
}

const elasticEntry = z.object({
  field: z.string(),
  operator: z.enum(["included", "excluded"]),
  type: z.string(),
  value: z.union([z.string(), z.array(z.string())]).optional(),
});

/** One Elastic exception list item (`entries` of type match / match_any / wildcard / exists). */
export function fromElasticItem(item: unknown): { ok: true; body: Record<string, unknown> } | { ok: false; error: string } {
  const parsed = z.object({ name: z.string().optional(), description: z.string().optional(), entries: z.array(elasticEntry).min(1) }).passthrough().safeParse(item);
  if (!parsed.success) return { ok: false, error: `not an Elastic exception item: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}` };
  const entries: Record<string, unknown>[] = [];
  for (const [i, e] of parsed.data.entries.entries()) {
    const inc = e.operator === "included";
    const values = Array.isArray(e.value) ? e.value : e.value !== undefined ? [e.value] : [];
    switch (e.type) {
      case "match":
        entries.push({ field: e.field, operator: inc ? "is" : "is_not", value: values[0] ?? "" });
        break;
      case "match_any":
        entries.push({ field: e.field, operator: inc ? "is_one_of" : "is_not_one_of", values });
        break;
      case "wildcard":
        entries.push({ field: e.field, operator: inc ? "matches" : "does_not_match", value: values[0] ?? "" });
        break;
      case "exists":
        entries.push({ field: e.field, operator: inc ? "exists" : "does_not_exist" });
        break;
      default:
        return { ok: false, error: `entries[${i}]: Elastic entry type "${e.type}" has no Vigil equivalent` };
    }
  }
  return {
    ok: true,
    body: { name: parsed.data.name ?? "Imported Elastic exception", reason: parsed.data.description || "imported from an Elastic exception list", entries },
  };
}

/**
 * The exception bodies in an import document: Vigil's `{vigil_exceptions: 1, exceptions: [...]}`,
 * a bare list of bodies, or Elastic items (`{"entries": [{"type": "match", ...}]}`, NDJSON as
 * Kibana exports them, or a list). Items that cannot be read are reported by position.
 */
export function readImport(
  text: string,
  resolveRule: (ref: string) => string | null = (ref) => ref,
): { bodies: { index: number; body: Record<string, unknown> }[]; errors: { index: number; error: string }[] } {
  let docs: unknown[];
  const trimmed = text.trim();
  if (/^filter\s*:/m.test(trimmed) && /^logsource\s*:/m.test(trimmed)) return readSigmaFilters(trimmed, resolveRule);
  try {
    if (trimmed.startsWith("{") && trimmed.includes("\n{")) docs = trimmed.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as unknown);
    else {
      const doc = YAML.parse(trimmed, { maxAliasCount: 10 }) as unknown;
      docs = Array.isArray(doc) ? doc : doc && typeof doc === "object" && Array.isArray((doc as { exceptions?: unknown }).exceptions) ? (doc as { exceptions: unknown[] }).exceptions : [doc];
    }
  } catch (error) {
    return { bodies: [], errors: [{ index: 0, error: `not YAML or JSON: ${(error as Error).message}` }] };
  }
  const bodies: { index: number; body: Record<string, unknown> }[] = [];
  const errors: { index: number; error: string }[] = [];
  docs.forEach((doc, index) => {
    if (!doc || typeof doc !== "object" || Array.isArray(doc)) {
      errors.push({ index, error: "expected an object" });
      return;
    }
    const entries = (doc as { entries?: unknown }).entries;
    const elastic = Array.isArray(entries) && entries.some((e) => e && typeof e === "object" && "type" in e && "operator" in e && ["included", "excluded"].includes(String((e as { operator: unknown }).operator)));
    if (elastic) {
      const mapped = fromElasticItem(doc);
      if (mapped.ok) bodies.push({ index, body: { rule_ids: null, ...mapped.body } });
      else errors.push({ index, error: mapped.error });
      return;
    }
    if ("list_id" in doc && !("entries" in doc)) return; // an Elastic list header line
    bodies.push({ index, body: doc as Record<string, unknown> });
  });
  return { bodies, errors };
}

function readSigmaFilters(text: string, resolveRule: (ref: string) => string | null) {
  const { exceptions, problems } = sigmaFilterToExceptions(text, "import.yml");
  const bodies: { index: number; body: Record<string, unknown> }[] = [];
  const errors: { index: number; error: string }[] = problems.map((p) => ({ index: 0, error: p.message }));
  exceptions.forEach((e, index) => {
    const ids = e.rule_refs.map((ref) => ({ ref, id: resolveRule(ref) }));
    const unknown = ids.filter((r) => !r.id).map((r) => r.ref);
    if (e.rule_refs.length === 0) errors.push({ index, error: `filter "${e.name}" names no rules` });
    else if (unknown.length) errors.push({ index, error: `filter "${e.name}": unknown rules ${unknown.join(", ")}` });
    else bodies.push({ index, body: { name: e.name, reason: e.reason, rule_ids: ids.map((r) => r.id), entries: e.entries } });
  });
  return { bodies, errors };
}
