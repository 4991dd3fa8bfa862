import type { Severity } from "@/lib/detection";

/**
 * One row of the alert queue, as the table needs it. Built from the API's alert JSON, so the
 * server's first render and the client's live updates (which poll GET /api/v1/alerts) agree.
 */
export interface QueueRow {
  id: string;
  /** ISO event time; the display form is derived in UTC on both sides (no hydration drift). */
  timestamp: string;
  createdAt: string;
  severity: Severity;
  riskScore: number;
  rules: string[];
  /** ATT&CK leaves (sub-technique, else technique, else tactic): id and name. */
  mitre: { id: string; name: string }[];
  host: string | null;
  user: string | null;
  parent: string | null;
  process: string | null;
  commandLine: string | null;
  status: string;
  disposition: string | null;
  assignee: string | null;
  checklist: { done: number; total: number };
}

interface AlertJsonLike {
  id: string;
  "@timestamp": string;
  created_at: string;
  severity: Severity;
  risk_score: number;
  rules: { name: string }[];
  mitre: { tactic: { id: string; name: string }; technique?: { id: string; name: string }; subtechnique?: { id: string; name: string } }[];
  host: { name: string | null };
  user: { name: string | null };
  process: { name: string | null; command_line: string | null; parent: { name: string | null } };
  status: string;
  disposition: string | null;
  assignee: { email: string } | null;
  checklist: { done: number; total: number };
}

export function queueRowFromJson(a: AlertJsonLike): QueueRow {
  const mitre = new Map<string, string>();
  for (const m of a.mitre) {
    const leaf = m.subtechnique ?? m.technique ?? m.tactic;
    mitre.set(leaf.id, leaf.name);
  }
  return {
    id: a.id,
    timestamp: a["@timestamp"],
    createdAt: a.created_at,
    severity: a.severity,
    riskScore: a.risk_score,
    rules: a.rules.map((r) => r.name),
    mitre: [...mitre].map(([id, name]) => ({ id, name })),
    host: a.host.name,
    user: a.user.name,
    parent: a.process.parent.name,
    process: a.process.name,
    commandLine: a.process.command_line,
    status: a.status,
    disposition: a.disposition,
    assignee: a.assignee?.email ?? null,
    checklist: a.checklist,
  };
}

/** "2026-11-09 10:15:02" in UTC. */
export function displayTime(iso: string): string {
  return iso.replace("T", " ").slice(0, 19);
}

/** How long ago, compactly: 45s, 12m, 3h, 5d. */
export function age(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

/** Rows ordered as the queue is: event time, then id, newest first. */
export function compareRows(a: QueueRow, b: QueueRow): number {
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/**
 * Merges a poll's rows into the rows on screen without moving what the analyst is looking at:
 * rows already shown keep their place and take the new status, assignee and progress; new rows
 * are inserted where they sort, but only within the range already shown (older ones belong to
 * the next page). Returns the merged rows and the ids that are new.
 */
export function mergeRows(current: readonly QueueRow[], polled: readonly QueueRow[]): { rows: QueueRow[]; added: string[] } {
  const byId = new Map(polled.map((r) => [r.id, r]));
  const rows = current.map((r) => {
    const fresh = byId.get(r.id);
    return fresh ? { ...r, status: fresh.status, disposition: fresh.disposition, assignee: fresh.assignee, checklist: fresh.checklist } : r;
  });
  const shown = new Set(current.map((r) => r.id));
  const last = current[current.length - 1];
  const added = polled.filter((r) => !shown.has(r.id) && (!last || compareRows(r, last) < 0));
  if (added.length === 0) return { rows, added: [] };
  return { rows: [...rows, ...added].sort(compareRows), added: added.map((r) => r.id) };
}
