import type { MitreMapping, Severity } from "@/lib/detection";
import type { AlertEventColumns } from "@/lib/ingest/alert-draft";
import { allowedFrom, type AlertStatus, type Disposition, type StatusChange } from "@/lib/alerts/status";
import { auditRow, type Actor } from "./audit";
import { db, Prisma } from "./client";

export interface AlertRuleHit {
  id: string;
  name: string;
  type: string;
  format: string;
  severity: Severity;
  riskScore: number;
  matched: unknown;
}

export interface AlertRecord extends AlertEventColumns {
  id: string;
  eventKey: string;
  timestamp: Date;
  createdAt: Date;
  updatedAt: Date;
  severity: Severity;
  riskScore: number;
  status: AlertStatus;
  disposition: Disposition | null;
  event: Record<string, unknown>;
  mitre: MitreMapping[];
  assignee: { id: string; email: string } | null;
  checklist: { total: number; done: number };
  /** Highest risk first: rules[0] is the alert's headline rule. */
  rules: AlertRuleHit[];
}

export interface AlertFilter {
  status?: AlertStatus[];
  severity?: Severity[];
  ruleIds?: string[];
  host?: string;
  /** Exact user.name. */
  user?: string;
  /** Exact process.parent.name (what "group by parent" links to). */
  parent?: string;
  /** A user id, or "none" for unassigned alerts. */
  assignee?: string;
  /** ATT&CK ids (TA…, T…, T….…): alerts mapped to any of them. */
  mitre?: string[];
  /** Free text, case-insensitive, in command lines, executables, user and host. */
  text?: string;
  since?: Date;
  until?: Date;
}

export const GROUP_BY = ["rule", "host", "parent"] as const;
export type GroupBy = (typeof GROUP_BY)[number];

/** Keyset position: the (event time, id), and the risk score when sorting by risk, of the last row of the previous page. */
export interface AlertCursor {
  ts: Date;
  id: string;
  risk?: number;
}

/** Queue orders: newest first (the default), oldest first (working a backlog), highest risk first. */
export const ALERT_SORTS = ["newest", "oldest", "risk"] as const;
export type AlertSort = (typeof ALERT_SORTS)[number];

export interface AlertPage {
  alerts: AlertRecord[];
  next: AlertCursor | null;
}

const ALERT_COLUMNS = Prisma.sql`
  a.id, a.event_key, a.ts, a.created_at, a.updated_at, a.severity::text AS severity, a.risk_score,
  a.status::text AS status, a.disposition::text AS disposition, a.host_name, a.host_id, a.user_name,
  a.process_name, a.process_executable, a.process_command_line, a.process_pid, a.parent_name,
  a.parent_executable, a.parent_command_line, a.event, a.mitre, a.assignee_id,
  (SELECT u.email FROM users u WHERE u.id = a.assignee_id) AS assignee_email,
  a.checklist_total, a.checklist_done,
  (SELECT coalesce(jsonb_agg(jsonb_build_object('id', r.id, 'name', r.name, 'type', r.type, 'format', r.format,
            'severity', ar.severity, 'risk_score', ar.risk_score, 'matched', ar.matched)
          ORDER BY ar.risk_score DESC, ar.created_at, r.id), '[]'::jsonb)
   FROM alert_rules ar JOIN rules r ON r.id = ar.rule_id WHERE ar.alert_id = a.id) AS rules`;

/**
 * Alerts newest first (event time, then id), one keyset page at a time: a page is a single index
 * range scan however deep it is, and rows inserted meanwhile never shift or repeat rows across
 * pages.
 */
export async function findAlertPage(filter: AlertFilter, limit: number, cursor: AlertCursor | null, sort: AlertSort = "newest"): Promise<AlertPage> {
  const rows = await db().$queryRaw<RawAlertRow[]>(alertPageQuery(filter, limit, cursor, sort));
  const alerts = rows.slice(0, limit).map(toRecord);
  const last = alerts[alerts.length - 1];
  return { alerts, next: rows.length > limit && last ? { ts: last.timestamp, id: last.id, ...(sort === "risk" && { risk: last.riskScore }) } : null };
}

/** The SQL of one queue page (limit + 1 rows, to know whether there is a next page); bench/queue.ts EXPLAINs it. */
export function alertPageQuery(filter: AlertFilter, limit: number, cursor: AlertCursor | null, sort: AlertSort = "newest"): Prisma.Sql {
  const where = filterConditions(filter);
  if (cursor) {
    if (sort === "oldest") where.push(Prisma.sql`(a.ts, a.id) > (${cursor.ts}::timestamptz, ${cursor.id}::uuid)`);
    else if (sort === "risk") where.push(Prisma.sql`(a.risk_score, a.ts, a.id) < (${cursor.risk ?? 100}, ${cursor.ts}::timestamptz, ${cursor.id}::uuid)`);
    else where.push(Prisma.sql`(a.ts, a.id) < (${cursor.ts}::timestamptz, ${cursor.id}::uuid)`);
  }
  const whereSql = where.length ? Prisma.sql`WHERE ${Prisma.join(where, " AND ")}` : Prisma.empty;
  const order =
    sort === "oldest" ? Prisma.sql`a.ts ASC, a.id ASC` : sort === "risk" ? Prisma.sql`a.risk_score DESC, a.ts DESC, a.id DESC` : Prisma.sql`a.ts DESC, a.id DESC`;
  return Prisma.sql`SELECT ${ALERT_COLUMNS} FROM alerts a ${whereSql} ORDER BY ${order} LIMIT ${limit + 1}`;
}

/** SQL conditions on `alerts a` for a filter; each is served by an index (see the schema). */
export function filterConditions(filter: AlertFilter): Prisma.Sql[] {
  const where: Prisma.Sql[] = [];
  if (filter.status?.length) where.push(Prisma.sql`a.status = ANY(${filter.status}::alert_status[])`);
  if (filter.severity?.length) where.push(Prisma.sql`a.severity = ANY(${filter.severity}::severity[])`);
  if (filter.host) where.push(Prisma.sql`a.host_name = ${filter.host}`);
  if (filter.user) where.push(Prisma.sql`a.user_name = ${filter.user}`);
  if (filter.parent) where.push(Prisma.sql`a.parent_name = ${filter.parent}`);
  if (filter.assignee === "none") where.push(Prisma.sql`a.assignee_id IS NULL`);
  else if (filter.assignee) where.push(Prisma.sql`a.assignee_id = ${filter.assignee}`);
  if (filter.mitre?.length) where.push(Prisma.sql`a.mitre_ids && ${filter.mitre}::text[]`);
  if (filter.ruleIds?.length) where.push(Prisma.sql`a.rule_ids && ${filter.ruleIds}::text[]`);
  if (filter.text) where.push(Prisma.sql`a.search_text LIKE lower(${"%" + filter.text.replace(/[\\%_]/g, "\\$&") + "%"})`);
  if (filter.since) where.push(Prisma.sql`a.ts >= ${filter.since}::timestamptz`);
  if (filter.until) where.push(Prisma.sql`a.ts < ${filter.until}::timestamptz`);
  return where;
}

export interface AlertGroup {
  /** The value to filter on (rule id, host name, parent name); null for alerts without one. */
  key: string | null;
  label: string;
  count: number;
}

/** The filtered alerts counted by rule, host or parent process, largest groups first (top `limit`). */
export async function findAlertGroups(filter: AlertFilter, by: GroupBy, limit = 50): Promise<AlertGroup[]> {
  const where = filterConditions(filter);
  const whereSql = where.length ? Prisma.sql`WHERE ${Prisma.join(where, " AND ")}` : Prisma.empty;
  if (by === "rule") {
    const rows = await db().$queryRaw<{ key: string; label: string | null; n: number }[]>(Prisma.sql`
      SELECT g.rule_id AS key, r.name AS label, g.n FROM (
        SELECT unnest(a.rule_ids) AS rule_id, count(*)::int AS n FROM alerts a ${whereSql} GROUP BY 1
      ) g LEFT JOIN rules r ON r.id = g.rule_id
      ORDER BY g.n DESC, label LIMIT ${limit}`);
    return rows.map((r) => ({ key: r.key, label: r.label ?? r.key, count: r.n }));
  }
  const column = by === "host" ? Prisma.sql`a.host_name` : Prisma.sql`a.parent_name`;
  const rows = await db().$queryRaw<{ key: string | null; n: number }[]>(Prisma.sql`
    SELECT ${column} AS key, count(*)::int AS n FROM alerts a ${whereSql}
    GROUP BY 1 ORDER BY n DESC, key NULLS LAST LIMIT ${limit}`);
  return rows.map((r) => ({ key: r.key, label: r.key ?? "(none)", count: r.n }));
}

/** The SQL of one alert by id (bench/queue.ts EXPLAINs it). */
export function alertByIdQuery(id: string): Prisma.Sql {
  return Prisma.sql`SELECT ${ALERT_COLUMNS} FROM alerts a WHERE a.id = ${id}::uuid`;
}

export async function findAlert(id: string): Promise<AlertRecord | null> {
  const rows = await db().$queryRaw<RawAlertRow[]>(alertByIdQuery(id));
  return rows[0] ? toRecord(rows[0]) : null;
}

export type UpdateResult =
  | { kind: "updated"; alert: AlertRecord; from: AlertStatus }
  | { kind: "unchanged"; alert: AlertRecord }
  | { kind: "not_found" }
  | { kind: "conflict"; current: AlertStatus };

/**
 * Applies a status change and records it (and the note) in the activity trail, in one statement.
 * The allowed previous statuses are part of the UPDATE's WHERE, so two analysts racing on one
 * alert cannot both move it through an invalid path: the loser gets `conflict` with the current
 * status and is told why.
 */
export async function updateAlertStatus(id: string, change: StatusChange | null, note: string | null, who: Actor): Promise<UpdateResult> {
  if (!change) {
    const alert = await findAlert(id);
    if (!alert) return { kind: "not_found" };
    if (note) await addAlertNote(id, note, who);
    return { kind: "unchanged", alert };
  }
  const audit = auditRow(who, { action: "alert.status", objectType: "alert", objectId: id });
  const from = allowedFrom(change.status);
  const rows = await db().$queryRaw<{ id: string; from_status: AlertStatus }[]>(Prisma.sql`
    WITH cur AS (
      SELECT id, status, disposition FROM alerts WHERE id = ${id}::uuid FOR UPDATE
    ), upd AS (
      UPDATE alerts a SET
        status = ${change.status}::alert_status,
        disposition = ${change.disposition ?? null}::disposition,
        closed_at = CASE WHEN ${change.status}::text = 'closed' THEN coalesce(a.closed_at, now()) ELSE NULL END,
        updated_at = now()
      FROM cur
      WHERE a.id = cur.id AND cur.status::text = ANY(${from})
        AND NOT (cur.status::text = 'closed' AND ${change.status}::text = 'closed' AND a.disposition::text IS NOT DISTINCT FROM ${change.disposition ?? null}::text)
      RETURNING a.id, cur.status::text AS from_status, cur.disposition::text AS prev_disposition
    ), act AS (
      INSERT INTO alert_activity (alert_id, actor, action, from_status, to_status, disposition, note)
      SELECT id, ${who.actor}::text, 'status', from_status::alert_status, ${change.status}::alert_status, ${change.disposition ?? null}::disposition, ${note}::text
      FROM upd
    ), aud AS (
      -- The audit record commits with the change or not at all.
      INSERT INTO audit_events (actor, actor_type, action, object_type, object_id, before, after, ip, user_agent)
      SELECT ${audit.actor}, ${audit.actorType}, ${audit.action}, ${audit.objectType}, ${audit.objectId},
        jsonb_build_object('status', from_status, 'disposition', prev_disposition),
        jsonb_build_object('status', ${change.status}::text, 'disposition', ${change.disposition ?? null}::text, 'note', ${note}::text),
        ${audit.ip}, ${audit.userAgent}
      FROM upd
    )
    SELECT id, from_status FROM upd`);
  const updated = rows[0];
  const alert = await findAlert(id);
  if (!alert) return { kind: "not_found" };
  if (updated) return { kind: "updated", alert, from: updated.from_status };
  // Nothing moved: either the alert is already there (idempotent) or the move is not allowed now.
  const sameDisposition = (alert.disposition ?? null) === (change.disposition ?? null);
  if (alert.status === change.status && (alert.status !== "closed" || sameDisposition)) {
    if (note) await addAlertNote(id, note, who);
    return { kind: "unchanged", alert };
  }
  return { kind: "conflict", current: alert.status };
}

export async function addAlertNote(alertId: string, note: string, who: Actor): Promise<void> {
  await db().$transaction([
    db().alertActivity.create({ data: { alertId, actor: who.actor, action: "note", note } }),
    db().auditEvent.create({ data: auditRow(who, { action: "alert.note", objectType: "alert", objectId: alertId, after: { note } }) }),
  ]);
}

export async function findAlertActivity(alertId: string) {
  return db().alertActivity.findMany({ where: { alertId }, orderBy: { at: "asc" } });
}

interface RawAlertRow {
  id: string;
  event_key: string;
  ts: Date;
  created_at: Date;
  updated_at: Date;
  severity: Severity;
  risk_score: number;
  status: AlertStatus;
  disposition: Disposition | null;
  host_name: string | null;
  host_id: string | null;
  user_name: string | null;
  process_name: string | null;
  process_executable: string | null;
  process_command_line: string | null;
  process_pid: bigint | number | null;
  parent_name: string | null;
  parent_executable: string | null;
  parent_command_line: string | null;
  event: Record<string, unknown>;
  mitre: MitreMapping[];
  assignee_id: string | null;
  assignee_email: string | null;
  checklist_total: number;
  checklist_done: number;
  rules: { id: string; name: string; type: string; format: string; severity: Severity; risk_score: number; matched: unknown }[];
}

function toRecord(r: RawAlertRow): AlertRecord {
  return {
    id: r.id,
    eventKey: r.event_key,
    timestamp: r.ts,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    severity: r.severity,
    riskScore: r.risk_score,
    status: r.status,
    disposition: r.disposition,
    hostName: r.host_name,
    hostId: r.host_id,
    userName: r.user_name,
    processName: r.process_name,
    processExecutable: r.process_executable,
    processCommandLine: r.process_command_line,
    processPid: r.process_pid === null ? null : Number(r.process_pid),
    parentName: r.parent_name,
    parentExecutable: r.parent_executable,
    parentCommandLine: r.parent_command_line,
    event: r.event,
    mitre: r.mitre,
    assignee: r.assignee_id && r.assignee_email ? { id: r.assignee_id, email: r.assignee_email } : null,
    checklist: { total: r.checklist_total, done: r.checklist_done },
    rules: r.rules.map((x) => ({
      id: x.id,
      name: x.name,
      type: x.type,
      format: x.format,
      severity: x.severity,
      riskScore: x.risk_score,
      matched: x.matched,
    })),
  };
}

/** Open alerts per severity, for the header badges. */
export async function countOpenAlertsBySeverity(): Promise<Record<Severity, number>> {
  // alert_counts is kept by triggers on alerts: a handful of rows, however many alerts there are.
  const rows = await db().$queryRaw<{ severity: Severity; n: number }[]>(Prisma.sql`
    SELECT severity::text AS severity, sum(n)::int AS n FROM alert_counts
    WHERE status IN ('open', 'acknowledged', 'escalated') GROUP BY severity`);
  const out: Record<Severity, number> = { informational: 0, low: 0, medium: 0, high: 0, critical: 0 };
  for (const r of rows) out[r.severity] = r.n;
  return out;
}
