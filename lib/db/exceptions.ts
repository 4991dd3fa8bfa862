import type { PoolClient } from "pg";
import type { EcsEvent } from "@/lib/detection";
import { readRetainedEvent } from "@/lib/ingest/retained-event";
import { auditRow, type Actor } from "./audit";
import { db, Prisma } from "./client";

/**
 * Allowlist exceptions in PostgreSQL: definitions, their hit counters (per exception and per
 * rule), and every change audited in the same transaction as the change.
 */

export interface ExceptionRecord {
  id: string;
  name: string;
  reason: string;
  /** null: every rule. */
  ruleIds: string[] | null;
  entries: unknown;
  author: string;
  status: "active" | "proposed";
  approvedBy: string | null;
  approvedAt: Date | null;
  enabled: boolean;
  expiresAt: Date | null;
  hits: number;
  lastHitAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** Suppressed events per rule. */
  ruleHits: { ruleId: string; hits: number; lastHitAt: Date }[];
}

export interface ExceptionInput {
  name: string;
  reason: string;
  ruleIds: string[] | null;
  entries: unknown;
  expiresAt: Date | null;
  enabled: boolean;
}

type Row = Prisma.AlertExceptionGetPayload<{ include: { ruleHits: true } }>;

function toRecord(r: Row): ExceptionRecord {
  return {
    id: r.id,
    name: r.name,
    reason: r.reason,
    ruleIds: r.allRules ? null : r.ruleIds,
    entries: r.entries,
    author: r.author,
    status: r.status === "proposed" ? "proposed" : "active",
    approvedBy: r.approvedBy,
    approvedAt: r.approvedAt,
    enabled: r.enabled,
    expiresAt: r.expiresAt,
    hits: Number(r.hits),
    lastHitAt: r.lastHitAt,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    ruleHits: r.ruleHits.map((h) => ({ ruleId: h.ruleId, hits: Number(h.hits), lastHitAt: h.lastHitAt })).sort((a, b) => b.hits - a.hits),
  };
}

/** What the audit trail keeps of an exception (no counters). */
function auditView(e: Pick<ExceptionRecord, "name" | "reason" | "ruleIds" | "entries" | "enabled" | "expiresAt" | "status">) {
  return { name: e.name, reason: e.reason, rule_ids: e.ruleIds, entries: e.entries, enabled: e.enabled, expires_at: e.expiresAt?.toISOString() ?? null, status: e.status } as Prisma.InputJsonValue;
}

export async function listExceptions(): Promise<ExceptionRecord[]> {
  const rows = await db().alertException.findMany({ include: { ruleHits: true }, orderBy: [{ status: "desc" }, { createdAt: "desc" }] });
  return rows.map(toRecord);
}

export async function findException(id: string): Promise<ExceptionRecord | null> {
  const row = await db().alertException.findUnique({ where: { id }, include: { ruleHits: true } });
  return row ? toRecord(row) : null;
}

/** Active, enabled, unexpired exceptions as the ingest path compiles them. */
export async function findApplicableExceptions(now = new Date()): Promise<{ id: string; ruleIds: string[] | null; entries: unknown }[]> {
  const rows = await db().alertException.findMany({
    where: { status: "active", enabled: true, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    select: { id: true, allRules: true, ruleIds: true, entries: true },
  });
  return rows.map((r) => ({ id: r.id, ruleIds: r.allRules ? null : r.ruleIds, entries: r.entries }));
}

/**
 * Changes whenever an exception is created, edited, approved or deleted, and when one expires
 * (the count of expired exceptions moves), so expiring needs no write.
 */
export async function findExceptionsVersion(now = new Date()): Promise<string> {
  const rows = await db().$queryRaw<{ n: number; latest: Date | null; expired: number }[]>(Prisma.sql`
    SELECT count(*)::int AS n, max(updated_at) AS latest, count(*) FILTER (WHERE expires_at <= ${now}::timestamptz)::int AS expired
    FROM exceptions`);
  const r = rows[0]!;
  return `${r.n}:${r.latest?.toISOString() ?? "-"}:${r.expired}`;
}

export async function createException(input: ExceptionInput, status: "active" | "proposed", who: Actor): Promise<ExceptionRecord> {
  return db().$transaction(async (tx) => {
    const row = await tx.alertException.create({
      data: {
        name: input.name,
        reason: input.reason,
        allRules: input.ruleIds === null,
        ruleIds: input.ruleIds ?? [],
        entries: input.entries as Prisma.InputJsonValue,
        author: who.actor,
        status,
        enabled: input.enabled,
        expiresAt: input.expiresAt,
        ...(status === "active" && { approvedBy: who.actor, approvedAt: new Date() }),
      },
      include: { ruleHits: true },
    });
    const record = toRecord(row);
    await tx.auditEvent.create({ data: auditRow(who, { action: status === "active" ? "exception.create" : "exception.propose", objectType: "exception", objectId: row.id, after: auditView(record) }) });
    return record;
  });
}

export type ExceptionChange = Partial<ExceptionInput>;

export async function updateException(id: string, change: ExceptionChange, who: Actor): Promise<ExceptionRecord | null> {
  return db().$transaction(async (tx) => {
    const before = await tx.alertException.findUnique({ where: { id }, include: { ruleHits: true } });
    if (!before) return null;
    const row = await tx.alertException.update({
      where: { id },
      data: {
        ...(change.name !== undefined && { name: change.name }),
        ...(change.reason !== undefined && { reason: change.reason }),
        ...(change.ruleIds !== undefined && { allRules: change.ruleIds === null, ruleIds: change.ruleIds ?? [] }),
        ...(change.entries !== undefined && { entries: change.entries as Prisma.InputJsonValue }),
        ...(change.expiresAt !== undefined && { expiresAt: change.expiresAt }),
        ...(change.enabled !== undefined && { enabled: change.enabled }),
        updatedAt: new Date(),
      },
      include: { ruleHits: true },
    });
    const action = change.enabled === false && Object.keys(change).length === 1 ? "exception.disable" : change.enabled === true && Object.keys(change).length === 1 ? "exception.enable" : "exception.update";
    await tx.auditEvent.create({ data: auditRow(who, { action, objectType: "exception", objectId: id, before: auditView(toRecord(before)), after: auditView(toRecord(row)) }) });
    return toRecord(row);
  });
}

export async function approveException(id: string, who: Actor): Promise<ExceptionRecord | null> {
  return db().$transaction(async (tx) => {
    const before = await tx.alertException.findUnique({ where: { id }, include: { ruleHits: true } });
    if (!before) return null;
    if (before.status === "active") return toRecord(before);
    const row = await tx.alertException.update({ where: { id }, data: { status: "active", approvedBy: who.actor, approvedAt: new Date(), updatedAt: new Date() }, include: { ruleHits: true } });
    await tx.auditEvent.create({ data: auditRow(who, { action: "exception.approve", objectType: "exception", objectId: id, before: { status: "proposed" }, after: { status: "active" } }) });
    return toRecord(row);
  });
}

export async function deleteException(id: string, who: Actor): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const before = await tx.alertException.findUnique({ where: { id }, include: { ruleHits: true } });
    if (!before) return false;
    await tx.alertException.delete({ where: { id } });
    await tx.auditEvent.create({ data: auditRow(who, { action: "exception.delete", objectType: "exception", objectId: id, before: auditView(toRecord(before)) }) });
    return true;
  });
}

/** One (exception, rule) pair's suppressions in a batch. */
export interface Suppression {
  exceptionId: string;
  ruleId: string;
  count: number;
  /** Latest event time suppressed. */
  lastAt: string;
}

/** Adds a batch's suppressions to the counters, inside the ingest transaction (key order: no deadlocks). */
export async function recordExceptionHits(client: PoolClient, suppressions: readonly Suppression[]): Promise<void> {
  if (suppressions.length === 0) return;
  const rows = [...suppressions].sort((a, b) => (a.exceptionId + a.ruleId < b.exceptionId + b.ruleId ? -1 : 1));
  await client.query(
    `WITH s AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(exception_id uuid, rule_id text, count int, last_at timestamptz)
     ), per_rule AS (
       INSERT INTO exception_hits (exception_id, rule_id, hits, last_hit_at)
       SELECT exception_id, rule_id, count, now() FROM s
       ON CONFLICT (exception_id, rule_id) DO UPDATE SET hits = exception_hits.hits + EXCLUDED.hits, last_hit_at = now()
     )
     UPDATE exceptions e SET hits = e.hits + t.total, last_hit_at = now()
     FROM (SELECT exception_id, sum(count)::bigint AS total FROM s GROUP BY exception_id ORDER BY exception_id) t
     WHERE e.id = t.exception_id`,
    [JSON.stringify(rows.map((r) => ({ exception_id: r.exceptionId, rule_id: r.ruleId, count: r.count, last_at: r.lastAt })))],
  );
}

/** Open (unresolved) alerts the exception covers, for close-matching on save: ids and events. */
export async function findOpenAlertsForRules(ruleIds: string[] | null, since: Date): Promise<{ id: string; event: unknown; ruleIds: string[] }[]> {
  const rows = await db().$queryRaw<{ id: string; event: unknown; rule_ids: string[] }[]>(Prisma.sql`
    SELECT a.id, a.event, a.rule_ids FROM alerts a
    WHERE a.status IN ('open', 'acknowledged', 'escalated') AND a.ts >= ${since}::timestamptz
      ${ruleIds ? Prisma.sql`AND a.rule_ids && ${ruleIds}::text[]` : Prisma.empty}
    ORDER BY a.ts DESC LIMIT 50000`);
  return rows.map((r) => ({ id: r.id, event: r.event, ruleIds: r.rule_ids }));
}

/** Alerts (any status) and retained events of the last days, for the preview. */
export async function findPreviewAlerts(ruleIds: string[] | null, since: Date, limit: number) {
  return db().$queryRaw<{ id: string; ts: Date; event: unknown; rule_ids: string[]; status: string; process_command_line: string | null; host_name: string | null }[]>(Prisma.sql`
    SELECT a.id, a.ts, a.event, a.rule_ids, a.status::text AS status, a.process_command_line, a.host_name FROM alerts a
    WHERE a.ts >= ${since}::timestamptz ${ruleIds ? Prisma.sql`AND a.rule_ids && ${ruleIds}::text[]` : Prisma.empty}
    ORDER BY a.ts DESC LIMIT ${limit}`);
}

export async function findPreviewEvents(since: Date, limit: number) {
  const rows = await db().$queryRaw<{ event_key: string; ts: Date; ingested_at: Date; doc: unknown }[]>(Prisma.sql`
    SELECT e.event_key, e.ts, e.ingested_at, e.doc FROM events e WHERE e.ts >= ${since}::timestamptz ORDER BY e.ts DESC LIMIT ${limit}`);
  const events: { eventKey: string; ts: Date; event: EcsEvent }[] = [];
  for (const r of rows) {
    const event = readRetainedEvent(r.doc, r.ingested_at);
    if (event) events.push({ eventKey: r.event_key, ts: r.ts, event });
  }
  return events;
}
