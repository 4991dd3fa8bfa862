import type { ExceptionRecord } from "@/lib/db/exceptions";

const STALE_MS = 30 * 86_400_000;

/** The public JSON of an exception (API v1). `state` sums up whether it applies now and why not. */
export function exceptionJson(e: ExceptionRecord, now = Date.now()) {
  const expired = e.expiresAt !== null && e.expiresAt.getTime() <= now;
  const state = e.status === "proposed" ? "proposed" : !e.enabled ? "disabled" : expired ? "expired" : "active";
  return {
    id: e.id,
    name: e.name,
    reason: e.reason,
    rule_ids: e.ruleIds,
    entries: e.entries,
    author: e.author,
    status: e.status,
    state,
    approved_by: e.approvedBy,
    approved_at: e.approvedAt?.toISOString() ?? null,
    enabled: e.enabled,
    expires_at: e.expiresAt?.toISOString() ?? null,
    hits: e.hits,
    last_hit_at: e.lastHitAt?.toISOString() ?? null,
    /** Active for 30 days and never (or not since) hit: a candidate for removal. */
    stale: state === "active" && now - (e.lastHitAt ?? e.approvedAt ?? e.createdAt).getTime() > STALE_MS,
    hits_by_rule: e.ruleHits.map((h) => ({ rule_id: h.ruleId, hits: h.hits, last_hit_at: h.lastHitAt.toISOString() })),
    created_at: e.createdAt.toISOString(),
    updated_at: e.updatedAt.toISOString(),
  };
}
