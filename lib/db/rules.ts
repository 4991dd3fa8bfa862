import { createHash } from "node:crypto";
import type { DetectionError, LoadedRule } from "@/lib/detection";
import { auditRow, type Actor } from "./audit";
import { db } from "./client";

export interface RuleSyncSummary {
  loaded: number;
  unsupported: number;
  failed: number;
  missing: number;
}

/**
 * Records the rules found on disk: every rule's metadata and source is upserted (an operator's
 * `enabled` choice survives; a new rule starts as its source suggests), rules whose file is gone
 * become "missing" (kept, because alerts reference them), and the load errors are replaced.
 * One batch transaction, so a concurrent reader never sees half a sync. Uploaded rules are never
 * touched: a file rule whose id an upload already holds is skipped here (the caller reports it).
 */
export async function syncRuleFiles(rules: readonly LoadedRule[], errors: readonly DetectionError[]): Promise<RuleSyncSummary> {
  const rows = rules.map(ruleRow);
  const errorRows = errors.map((e) => ({
    path: e.source.file ?? "(unknown)",
    rule_id: null,
    line: e.source.line ?? null,
    column: e.source.column ?? null,
    code: e.code,
    message: e.summary,
  }));
  const ids = rows.map((r) => r.id);
  const [, missing] = await db().$transaction([
    db().$executeRawUnsafe(UPSERT_RULES_SQL, JSON.stringify(rows)),
    db().$executeRawUnsafe(
      `UPDATE rules SET state = 'missing', updated_at = now()
       WHERE origin = 'file' AND state <> 'missing' AND NOT (id = ANY($1::text[]))`,
      ids,
    ),
    db().$executeRawUnsafe(`DELETE FROM rule_load_errors`),
    db().$executeRawUnsafe(
      `INSERT INTO rule_load_errors (path, rule_id, line, "column", code, message)
       SELECT path, rule_id, line, "column", code, message
       FROM jsonb_to_recordset($1::jsonb) AS x(path text, rule_id text, line int, "column" int, code text, message text)`,
      JSON.stringify(errorRows),
    ),
  ]);
  return {
    loaded: rows.filter((r) => r.state === "active").length,
    unsupported: rows.filter((r) => r.state === "unsupported").length,
    failed: errorRows.length,
    missing,
  };
}

/**
 * Upserts rule rows (ruleRow, as JSON) of one origin. File rules never overwrite an upload, and
 * their updated_at moves only when something that changes detection changed, because it is the
 * version the ingest path watches to rebuild its rule set; an upload always moves it.
 */
function upsertRulesSql(origin: "file" | "upload"): string {
  return `
INSERT INTO rules (id, name, description, format, type, severity, risk_score, tags, mitre, "references",
  false_positives, guide, author, source, source_path, source_line, source_hash, state, unsupported_reason,
  enabled, origin, loaded_at, updated_at)
SELECT id, name, description, format, type, severity, risk_score, tags, mitre, "references",
  false_positives, guide, author, source, source_path, source_line, source_hash, state, unsupported_reason,
  enabled, '${origin}', now(), now()
FROM jsonb_to_recordset($1::jsonb) AS x(id text, name text, description text, format text, type text,
  severity severity, risk_score int, tags text[], mitre jsonb, "references" text[], false_positives text[],
  guide jsonb, author text[], source text, source_path text, source_line int, source_hash text, state text,
  unsupported_reason text, enabled boolean)
ON CONFLICT (id) DO UPDATE SET
  name = EXCLUDED.name, description = EXCLUDED.description, format = EXCLUDED.format, type = EXCLUDED.type,
  severity = EXCLUDED.severity, risk_score = EXCLUDED.risk_score, tags = EXCLUDED.tags, mitre = EXCLUDED.mitre,
  "references" = EXCLUDED."references", false_positives = EXCLUDED.false_positives, guide = EXCLUDED.guide,
  author = EXCLUDED.author, source = EXCLUDED.source, source_path = EXCLUDED.source_path,
  source_line = EXCLUDED.source_line, source_hash = EXCLUDED.source_hash, state = EXCLUDED.state,
  unsupported_reason = EXCLUDED.unsupported_reason, origin = '${origin}', loaded_at = now(),
  ${
    origin === "file"
      ? `updated_at = CASE WHEN rules.source_hash IS DISTINCT FROM EXCLUDED.source_hash OR rules.state IS DISTINCT FROM EXCLUDED.state
                    THEN now() ELSE rules.updated_at END
WHERE rules.origin = 'file'`
      : "updated_at = now()"
  }
`;
}
const UPSERT_RULES_SQL = upsertRulesSql("file");
const UPSERT_UPLOADED_RULES_SQL = upsertRulesSql("upload");

/** A loaded rule as a row of the rules table (without origin and timestamps). */
function ruleRow(r: LoadedRule) {
  return {
    id: r.meta.id,
    name: r.meta.name,
    description: r.meta.description,
    format: r.meta.format,
    type: r.meta.type,
    severity: r.meta.severity,
    risk_score: r.meta.riskScore,
    tags: r.meta.tags,
    mitre: r.meta.mitre,
    references: r.meta.references,
    false_positives: r.meta.falsePositives,
    guide: r.meta.guide,
    author: r.meta.author,
    source: r.source.text,
    source_path: r.source.path,
    source_line: r.source.line,
    source_hash: createHash("sha256").update(r.source.text).digest("hex"),
    state: r.detector ? "active" : "unsupported",
    unsupported_reason: r.unsupported?.summary ?? null,
    enabled: r.meta.enabledByDefault,
  };
}

export interface RuleSourceRow {
  id: string;
  source: string;
  sourcePath: string;
}

/** Sources of the rules that should run: active (the engine can run them) and enabled. */
export async function findRunnableRuleSources(): Promise<RuleSourceRow[]> {
  return db().rule.findMany({
    where: { state: "active", enabled: true },
    select: { id: true, source: true, sourcePath: true },
    orderBy: { id: "asc" },
  });
}

/** One rule's stored source, whatever its state. */
export async function findRuleSource(id: string): Promise<RuleSourceRow | null> {
  return db().rule.findUnique({ where: { id }, select: { id: true, source: true, sourcePath: true } });
}

/**
 * A cheap fingerprint of everything that changes the runnable rule set; the ingest path compares
 * it to decide whether to rebuild (another node may have changed a rule).
 */
export async function findRulesVersion(): Promise<string> {
  const rows = await db().$queryRawUnsafe<{ n: number; latest: Date | null; enabled: number }[]>(
    `SELECT count(*)::int AS n, max(updated_at) AS latest, count(*) FILTER (WHERE enabled)::int AS enabled FROM rules`,
  );
  const r = rows[0]!;
  return `${r.n}:${r.enabled}:${r.latest?.toISOString() ?? "-"}`;
}

export async function listRules() {
  return db().rule.findMany({ orderBy: [{ state: "asc" }, { name: "asc" }] });
}

export async function listRuleLoadErrors() {
  return db().ruleLoadError.findMany({ orderBy: [{ path: "asc" }, { line: "asc" }] });
}

export async function countRules(): Promise<{ active: number; enabled: number; unsupported: number; missing: number; failed: number }> {
  const rows = await db().$queryRawUnsafe<{ active: number; enabled: number; unsupported: number; missing: number; failed: number }[]>(
    `SELECT count(*) FILTER (WHERE state = 'active')::int AS active,
            count(*) FILTER (WHERE state = 'active' AND enabled)::int AS enabled,
            count(*) FILTER (WHERE state = 'unsupported')::int AS unsupported,
            count(*) FILTER (WHERE state = 'missing')::int AS missing,
            (SELECT count(*) FROM rule_load_errors)::int AS failed
     FROM rules`,
  );
  return rows[0]!;
}

/** What the alert page shows of the rules that fired: description, guide, references. */
export async function findRuleGuides(ids: readonly string[]) {
  const rows = await db().rule.findMany({
    where: { id: { in: [...ids] } },
    select: { id: true, name: true, description: true, guide: true, references: true, falsePositives: true, severity: true, riskScore: true, format: true, type: true },
  });
  return new Map(rows.map((r) => [r.id, { ...r, guide: r.guide as unknown as import("@/lib/detection").RuleGuide }]));
}

export type SetRuleEnabledResult = { kind: "not_found" } | { kind: "unchanged" | "updated"; enabled: boolean; name: string };

/**
 * Turns a rule on or off (an operator's choice that survives reloads) and audits it in the same
 * transaction. `updated_at` moves, so every node's rules fingerprint changes and it rebuilds.
 */
export async function setRuleEnabled(id: string, enabled: boolean, who: Actor): Promise<SetRuleEnabledResult> {
  return db().$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ enabled: boolean; name: string }[]>`SELECT enabled, name FROM rules WHERE id = ${id} FOR UPDATE`;
    const current = rows[0];
    if (!current) return { kind: "not_found" } as const;
    if (current.enabled === enabled) return { kind: "unchanged", enabled, name: current.name } as const;
    await tx.rule.update({ where: { id }, data: { enabled, updatedAt: new Date() } });
    await tx.auditEvent.create({
      data: auditRow(who, { action: enabled ? "rule.enable" : "rule.disable", objectType: "rule", objectId: id, before: { enabled: current.enabled }, after: { enabled } }),
    });
    return { kind: "updated", enabled, name: current.name } as const;
  });
}

/** One rule, everything the rules page shows of it. */
export async function findRule(id: string) {
  return db().rule.findUnique({ where: { id } });
}

/** These rules, in id order (the ones that exist). */
export async function findRulesByIds(ids: readonly string[]) {
  return db().rule.findMany({ where: { id: { in: [...ids] } }, orderBy: { id: "asc" } });
}

/** Which of these ids an upload holds (a file rule with the same id is not loaded over it). */
export async function findUploadedRules(ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db().rule.findMany({ where: { id: { in: [...ids] }, origin: "upload" }, select: { id: true, sourcePath: true } });
  return new Map(rows.map((r) => [r.id, r.sourcePath]));
}

export interface RuleConflict {
  id: string;
  name: string;
  origin: string;
  state: string;
  sourcePath: string;
}

export type SaveUploadedRulesResult = { kind: "conflict"; conflicts: RuleConflict[] } | { kind: "saved"; created: string[]; replaced: string[] };

/**
 * Stores the rules of an uploaded file (already loaded without errors) with their source, as
 * `origin = 'upload'` under `sourcePath` (upload/<file name>), and audits each as `rule.upload`,
 * in one transaction. An id that already exists is a conflict, unless `overwrite` is set and the
 * existing rule is an upload or a file rule whose file is gone: a rule from the rules folder
 * cannot be replaced from the console (its file would win at the next reload anyway). A replaced
 * rule keeps the operator's `enabled` choice, as a reload does. `updated_at` moves, so every node
 * rebuilds its rule set.
 */
export async function saveUploadedRules(rules: readonly LoadedRule[], sourcePath: string, who: Actor, options: { overwrite: boolean }): Promise<SaveUploadedRulesResult> {
  const rows = rules.map((r) => ({ ...ruleRow(r), source_path: sourcePath }));
  const ids = rows.map((r) => r.id);
  return db().$transaction(async (tx) => {
    const existing = await tx.$queryRawUnsafe<{ id: string; name: string; origin: string; state: string; source_path: string; source_hash: string }[]>(
      `SELECT id, name, origin, state, source_path, source_hash FROM rules WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`,
      ids,
    );
    const replaceable = (e: (typeof existing)[number]) => options.overwrite && (e.origin === "upload" || e.state === "missing");
    const conflicts = existing.filter((e) => !replaceable(e));
    if (conflicts.length > 0) {
      return { kind: "conflict", conflicts: conflicts.map((e) => ({ id: e.id, name: e.name, origin: e.origin, state: e.state, sourcePath: e.source_path })) } as const;
    }
    await tx.$executeRawUnsafe(UPSERT_UPLOADED_RULES_SQL, JSON.stringify(rows));
    const before = new Map(existing.map((e) => [e.id, e]));
    await tx.auditEvent.createMany({
      data: rows.map((r) => {
        const old = before.get(r.id);
        return auditRow(who, {
          action: "rule.upload",
          objectType: "rule",
          objectId: r.id,
          ...(old && { before: { name: old.name, origin: old.origin, state: old.state, source_path: old.source_path, source_hash: old.source_hash } }),
          after: { name: r.name, format: r.format, type: r.type, state: r.state, source_path: r.source_path, source_hash: r.source_hash },
        });
      }),
    });
    return { kind: "saved", created: ids.filter((id) => !before.has(id)), replaced: ids.filter((id) => before.has(id)) } as const;
  });
}


export type DeleteUploadedRuleResult =
  | { kind: "not_found" }
  | { kind: "not_uploaded"; sourcePath: string }
  /** Gone, with its baseline. */
  | { kind: "deleted"; name: string }
  /** Alerts reference it: kept as "missing" (never runs again; its alerts keep their rule). */
  | { kind: "retired"; name: string };

/**
 * Removes an uploaded rule (rules from the rules folder go away with their file) and audits it
 * as `rule.delete`. A rule that ever fired stays as "missing", as a rule whose file was deleted
 * does: alerts name it. `updated_at` (or the row count) moves, so every node rebuilds.
 */
export async function deleteUploadedRule(id: string, who: Actor): Promise<DeleteUploadedRuleResult> {
  return db().$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ name: string; origin: string; state: string; source_path: string; source_hash: string }[]>`
      SELECT name, origin, state, source_path, source_hash FROM rules WHERE id = ${id} FOR UPDATE`;
    const current = rows[0];
    if (!current) return { kind: "not_found" } as const;
    if (current.origin !== "upload") return { kind: "not_uploaded", sourcePath: current.source_path } as const;
    const fired = await tx.$queryRaw<{ fired: boolean }[]>`SELECT EXISTS (SELECT 1 FROM alert_rules WHERE rule_id = ${id}) AS fired`;
    const keep = fired[0]?.fired === true;
    if (keep) await tx.$executeRaw`UPDATE rules SET state = 'missing', updated_at = now() WHERE id = ${id}`;
    else await tx.$executeRaw`DELETE FROM rules WHERE id = ${id}`;
    await tx.auditEvent.create({
      data: auditRow(who, {
        action: "rule.delete",
        objectType: "rule",
        objectId: id,
        before: { name: current.name, state: current.state, source_path: current.source_path, source_hash: current.source_hash },
        after: keep ? { state: "missing", kept: "alerts reference the rule" } : { deleted: true },
      }),
    });
    return keep ? ({ kind: "retired", name: current.name } as const) : ({ kind: "deleted", name: current.name } as const);
  });
}
