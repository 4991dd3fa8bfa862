import { readRetainedEvent } from "@/lib/ingest/retained-event";
import type { AlertRecord } from "./alerts";
import { db, Prisma } from "./client";

/**
 * What an analyst looks at around an alert: the process ancestry rebuilt from retained events,
 * and related alerts. Lookups stay on one host and a bounded time window, served by the
 * (host_name, ts) index of events and alerts.
 */

export interface ProcessNode {
  /** ECS process.entity_id when the source has one (Sysmon ProcessGuid, Elastic Defend). */
  entityId: string | null;
  pid: number | null;
  name: string | null;
  executable: string | null;
  commandLine: string | null;
  user: string | null;
  /** When the process started (its start event's time), if that event was retained. */
  startedAt: Date | null;
  /** The alert raised on this process's start, if any. */
  alertId: string | null;
}

export interface ProcessTree {
  /** Oldest first: the root as far as known, down to the alert's parent. */
  ancestors: ProcessNode[];
  self: ProcessNode;
  /** Processes the alert's process started afterwards, in time order. */
  children: ProcessNode[];
}

const MAX_DEPTH = 12;
const PARENT_WINDOW_MS = 7 * 86_400_000;
const CHILD_WINDOW_MS = 86_400_000;
const MAX_CHILDREN = 50;

type Doc = { process?: { entity_id?: string; pid?: number; name?: string; executable?: string; command_line?: string; parent?: Record<string, unknown> }; user?: { name?: string } };

function node(doc: Doc, at: Date | null, alertId: string | null): ProcessNode {
  const p = doc.process ?? {};
  return {
    entityId: typeof p.entity_id === "string" ? p.entity_id : null,
    pid: typeof p.pid === "number" ? p.pid : null,
    name: p.name ?? null,
    executable: p.executable ?? null,
    commandLine: p.command_line ?? null,
    user: doc.user?.name ?? null,
    startedAt: at,
    alertId,
  };
}

function parentNode(doc: Doc): ProcessNode | null {
  const p = doc.process?.parent as { entity_id?: string; pid?: number; name?: string; executable?: string; command_line?: string } | undefined;
  if (!p || (!p.entity_id && p.pid === undefined && !p.executable)) return null;
  return {
    entityId: p.entity_id ?? null,
    pid: typeof p.pid === "number" ? p.pid : null,
    name: p.name ?? null,
    executable: p.executable ?? null,
    commandLine: p.command_line ?? null,
    user: null,
    startedAt: null,
    alertId: null,
  };
}

/** A process start on `host` matching the node (by entity id, else by pid, started before `before`). */
async function findStart(host: string, target: ProcessNode, before: Date): Promise<{ doc: Doc; ts: Date; alertId: string | null } | null> {
  const match = target.entityId
    ? Prisma.sql`e.process_entity_id = ${target.entityId}`
    : target.pid !== null
      ? Prisma.sql`e.process_pid = ${target.pid}`
      : null;
  if (!match) return null;
  const rows = await db().$queryRaw<RetainedRow[]>(Prisma.sql`
    SELECT e.doc, e.ts, e.ingested_at, (SELECT a.id FROM alerts a WHERE a.event_key = e.event_key) AS alert_id
    FROM events e
    WHERE e.host_name = ${host} AND e.ts <= ${before}::timestamptz AND e.ts > ${new Date(before.getTime() - PARENT_WINDOW_MS)}::timestamptz
      AND ${match}
    ORDER BY e.ts DESC LIMIT 1`);
  const r = rows[0];
  const doc = r ? readRetainedEvent(r.doc, r.ingested_at) : null;
  return r && doc ? { doc: doc as Doc, ts: r.ts, alertId: r.alert_id } : null;
}

/** A row of retained events: the original document, read through the normalizer. */
interface RetainedRow {
  doc: unknown;
  ts: Date;
  ingested_at: Date;
  alert_id: string | null;
}

export async function findProcessTree(alert: AlertRecord): Promise<ProcessTree> {
  const doc = alert.event as Doc;
  const self = node(doc, alert.timestamp, alert.id);
  const ancestors: ProcessNode[] = [];
  const host = alert.hostName;
  let parent = parentNode(doc);
  let before = alert.timestamp;
  const seen = new Set<string>();
  while (parent && ancestors.length < MAX_DEPTH) {
    const key = parent.entityId ?? `${parent.pid}@${parent.executable}`;
    if (seen.has(key)) break;
    seen.add(key);
    const start = host ? await findStart(host, parent, before) : null;
    if (!start) {
      ancestors.unshift(parent); // known from the child's event only
      break;
    }
    ancestors.unshift({ ...node(start.doc, start.ts, start.alertId), commandLine: start.doc.process?.command_line ?? parent.commandLine });
    before = start.ts;
    parent = parentNode(start.doc);
  }

  const children: ProcessNode[] = [];
  if (host && (self.entityId || self.pid !== null)) {
    const match = self.entityId ? Prisma.sql`e.parent_entity_id = ${self.entityId}` : Prisma.sql`e.parent_pid = ${self.pid}`;
    const rows = await db().$queryRaw<RetainedRow[]>(Prisma.sql`
      SELECT e.doc, e.ts, e.ingested_at, (SELECT a.id FROM alerts a WHERE a.event_key = e.event_key) AS alert_id
      FROM events e
      WHERE e.host_name = ${host} AND e.ts >= ${alert.timestamp}::timestamptz AND e.ts < ${new Date(alert.timestamp.getTime() + CHILD_WINDOW_MS)}::timestamptz
        AND ${match}
      ORDER BY e.ts LIMIT ${MAX_CHILDREN}`);
    for (const r of rows) {
      const doc = readRetainedEvent(r.doc, r.ingested_at);
      if (doc) children.push(node(doc as Doc, r.ts, r.alert_id));
    }
  }
  return { ancestors, self, children };
}

export interface RelatedAlert {
  id: string;
  timestamp: Date;
  severity: string;
  status: string;
  ruleName: string | null;
  commandLine: string | null;
  why: "host" | "parent" | "command line";
}

/** Up to `limit` other alerts each on the same host, from the same parent process, with the same command line. */
export async function findRelatedAlerts(alert: AlertRecord, limit = 5): Promise<RelatedAlert[]> {
  const pick = (why: RelatedAlert["why"], condition: Prisma.Sql) =>
    db().$queryRaw<{ id: string; ts: Date; severity: string; status: string; rule_name: string | null; process_command_line: string | null }[]>(Prisma.sql`
      SELECT a.id, a.ts, a.severity::text AS severity, a.status::text AS status, a.process_command_line,
        (SELECT r.name FROM rules r WHERE r.id = a.rule_ids[1]) AS rule_name
      FROM alerts a WHERE a.id <> ${alert.id}::uuid AND ${condition}
      ORDER BY a.ts DESC, a.id DESC LIMIT ${limit}`).then((rows) =>
      rows.map((r) => ({ id: r.id, timestamp: r.ts, severity: r.severity, status: r.status, ruleName: r.rule_name, commandLine: r.process_command_line, why })),
    );
  const lookups: Promise<RelatedAlert[]>[] = [];
  if (alert.hostName) lookups.push(pick("host", Prisma.sql`a.host_name = ${alert.hostName}`));
  if (alert.parentName) lookups.push(pick("parent", Prisma.sql`a.parent_name = ${alert.parentName}`));
  if (alert.processCommandLine) {
    // Trigram-indexed; the exact comparison then keeps only the same command line.
    const text = alert.processCommandLine.slice(0, 200).toLowerCase().replace(/[\\%_]/g, "\\$&");
    lookups.push(pick("command line", Prisma.sql`a.search_text LIKE ${"%" + text + "%"} AND a.process_command_line = ${alert.processCommandLine}`));
  }
  const seen = new Set<string>();
  const out: RelatedAlert[] = [];
  for (const group of await Promise.all(lookups)) {
    for (const r of group) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      out.push(r);
    }
  }
  return out;
}
