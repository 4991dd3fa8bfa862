import { db, Prisma } from "./client";

/** Who did something: a person (by email), an API token ("token:<name>") or Vigil itself. */
export interface Actor {
  actor: string;
  actorType: "user" | "token" | "system";
  userId?: string;
  ip?: string | null;
  userAgent?: string | null;
}

export interface AuditEntry {
  action: string;
  objectType?: string;
  objectId?: string;
  before?: unknown;
  after?: unknown;
}

export const SYSTEM_ACTOR: Actor = { actor: "system", actorType: "system" };

/** Appends to the audit trail (append-only: a database trigger refuses updates and deletes). */
export async function recordAudit(actor: Actor, entry: AuditEntry): Promise<void> {
  await db().auditEvent.create({ data: auditRow(actor, entry) });
}

export function auditRow(actor: Actor, entry: AuditEntry) {
  return {
    actor: actor.actor.slice(0, 320),
    actorType: actor.actorType,
    action: entry.action,
    objectType: entry.objectType ?? null,
    objectId: entry.objectId ?? null,
    before: entry.before === undefined ? Prisma.DbNull : (entry.before as Prisma.InputJsonValue),
    after: entry.after === undefined ? Prisma.DbNull : (entry.after as Prisma.InputJsonValue),
    ip: actor.ip?.slice(0, 100) ?? null,
    userAgent: actor.userAgent?.slice(0, 500) ?? null,
  };
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  objectType?: string;
  objectId?: string;
  since?: Date;
  until?: Date;
}

export interface AuditRecord {
  id: bigint;
  at: Date;
  actor: string;
  actorType: string;
  action: string;
  objectType: string | null;
  objectId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  userAgent: string | null;
}

/** Newest first, keyset-paginated on (at, id). `action` may end in "." to match a family ("alert."). */
export async function findAuditPage(filter: AuditFilter, limit: number, cursor: { at: Date; id: bigint } | null) {
  const where: Prisma.Sql[] = [];
  if (filter.actor) where.push(Prisma.sql`actor = ${filter.actor}`);
  if (filter.action) {
    where.push(filter.action.endsWith(".") ? Prisma.sql`action LIKE ${filter.action.replace(/[\\%_]/g, "\\$&") + "%"}` : Prisma.sql`action = ${filter.action}`);
  }
  if (filter.objectType) where.push(Prisma.sql`object_type = ${filter.objectType}`);
  if (filter.objectId) where.push(Prisma.sql`object_id = ${filter.objectId}`);
  if (filter.since) where.push(Prisma.sql`at >= ${filter.since}::timestamptz`);
  if (filter.until) where.push(Prisma.sql`at < ${filter.until}::timestamptz`);
  if (cursor) where.push(Prisma.sql`(at, id) < (${cursor.at}::timestamptz, ${cursor.id})`);
  const rows = await db().$queryRaw<
    { id: bigint; at: Date; actor: string; actor_type: string; action: string; object_type: string | null; object_id: string | null; before: unknown; after: unknown; ip: string | null; user_agent: string | null }[]
  >(Prisma.sql`
    SELECT id, at, actor, actor_type, action, object_type, object_id, before, after, ip, user_agent FROM audit_events
    ${where.length ? Prisma.sql`WHERE ${Prisma.join(where, " AND ")}` : Prisma.empty}
    ORDER BY at DESC, id DESC LIMIT ${limit + 1}`);
  const entries: AuditRecord[] = rows.slice(0, limit).map((r) => ({
    id: r.id,
    at: r.at,
    actor: r.actor,
    actorType: r.actor_type,
    action: r.action,
    objectType: r.object_type,
    objectId: r.object_id,
    before: r.before,
    after: r.after,
    ip: r.ip,
    userAgent: r.user_agent,
  }));
  const last = entries[entries.length - 1];
  return { entries, next: rows.length > limit && last ? { at: last.at, id: last.id } : null };
}
