import type pg from "pg";
import type { StateStore } from "@/lib/detection";
import type { AlertDraft } from "@/lib/ingest/alert-draft";
import type { PreparedEvent } from "@/lib/ingest/prepare-batch";
import { recordExceptionHits, type Suppression } from "./exceptions";
import { dayOf, DAY_MS, DAYS_AHEAD, ensureEventPartitions } from "./partitions";
import { inTransaction, pool } from "./pool";
import { PgStateStore, recordLatestEventTimes } from "./state-store";

export interface StoredBatch {
  /** Events new to the database. */
  eventsStored: number;
  /** Events already stored by an earlier send (a shipper's retry). */
  duplicates: number;
  /** New triage items (one per source event that fired at least one rule). */
  alertsCreated: number;
  /** New (alert, rule) pairs, including rules newly firing on an existing alert. */
  ruleHitsStored: number;
  /** Rule matches an exception suppressed (new events only). */
  suppressed: number;
  /** New rule hits by rule id (metrics). */
  hitsByRule: Record<string, number>;
  /** Suppressed rule matches by exception id (metrics). */
  suppressedByException: Record<string, number>;
  /** Stateful candidates decided in this batch. */
  statefulDecisions: { alerted: number; quiet: number };
}

export interface Decision {
  alerts: AlertDraft[];
  suppressions: Suppression[];
  statefulDecisions: { alerted: number; quiet: number };
}

/**
 * Decides a batch's alerts inside its transaction, given which of the events a rule matched are
 * new to the database (the others were stored by an earlier send).
 */
export type DecideAlerts = (newEventKeys: ReadonlySet<string>, store: StateStore) => Promise<Decision>;

/** Which events a batch keeps (VIGIL_EVENT_RETENTION_DAYS). */
export interface EventRetention {
  /** Keep every event in the window; false keeps only events a rule matched ("retention off"). */
  all: boolean;
  /** Days events stay (whole day partitions go once they end this long ago). */
  days: number;
}

/**
 * Events a rule matched (or a stateful rule must decide on) are always kept: alerts link to them
 * for process trees, and storing them is what makes a re-sent batch idempotent (stateful rules
 * are decided only for events new to the database). Other events are kept when retention is on;
 * with retention off they cost no write at all. An event older than the window is stored too
 * (in events_default) and goes at the next clean-up.
 */
function kept(e: PreparedEvent, retention: EventRetention): boolean {
  return retention.all || e.matches.length > 0 || e.candidates.length > 0;
}

/**
 * Stores one ingest batch in ONE transaction: retained events, stateful rule state, alerts and
 * the rules that fired commit together or not at all, and the request is answered only after the
 * commit (an answered event is never lost).
 *
 * Idempotent: events are unique by (ts, event_key), alerts by event_key, rule hits by (alert, rule);
 * re-sending a batch inserts nothing, and `decide` learns which events are new so a re-sent
 * event never counts twice toward a baseline. Concurrent batches holding the same new event
 * serialize on the unique index: the second waits for the first, then finds it stored. Rows are
 * written in key order so two batches take their locks in the same order.
 */
export async function commitIngestBatch(
  events: readonly PreparedEvent[],
  decide: DecideAlerts,
  retention: EventRetention = { all: true, days: 7 },
  now = Date.now(),
): Promise<StoredBatch> {
  if (events.length === 0) return { ...EMPTY };
  const cutoff = now - retention.days * DAY_MS;
  const keep = events.filter((e) => kept(e, retention)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (keep.some((e) => e.key === "" || e.original === "")) throw new Error("commitIngestBatch: an event to store has no identity (prepareBatch identified matched events only)");
  // Partitions for the window's days; older and far-future rows go to events_default.
  const firstDay = dayOf(cutoff);
  const lastDay = dayOf(now) + DAYS_AHEAD;
  await ensureEventPartitions(keep.map((e) => dayOf(Date.parse(e.timestamp))).filter((d) => d >= firstDay && d <= lastDay));
  let store: PgStateStore | undefined;
  const stored = await inTransaction(async (client) => {
    const newKeys = new Set<string>();
    let eventsStored = 0;
    const rows = await withoutArrivalRetries(client, keep);
    if (rows.length > 0) {
      const matched = rows.filter((e) => e.event !== null).map((e) => e.key);
      const inserted = await client.query<{ stored: number; matched: string[] | null }>(INSERT_EVENTS_SQL, [eventRowsJson(rows), matched]);
      eventsStored = inserted.rows[0]!.stored;
      for (const key of inserted.rows[0]!.matched ?? []) newKeys.add(key);
    }
    store = new PgStateStore(client);
    const { alerts, suppressions, statefulDecisions } = await decide(newKeys, store);
    await recordExceptionHits(client, suppressions);
    const suppressedByException: Record<string, number> = {};
    for (const s of suppressions) suppressedByException[s.exceptionId] = (suppressedByException[s.exceptionId] ?? 0) + s.count;
    const base = { ...EMPTY, eventsStored, duplicates: keep.length - eventsStored, suppressed: suppressions.reduce((n, s) => n + s.count, 0), suppressedByException, statefulDecisions };
    if (alerts.length === 0) return base;
    const sorted = [...alerts].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const result = await client.query<{ alerts_created: number; hits_stored: number; hits_by_rule: Record<string, number> }>(STORE_ALERTS_SQL, [
      JSON.stringify(sorted.map(alertRow)),
      JSON.stringify(sorted.flatMap((a) => a.rules.map((r) => ({ key: a.key, rule_id: r.ruleId, severity: r.severity, risk_score: r.riskScore, matched: r.matched })))),
    ]);
    const r = result.rows[0]!;
    return { ...base, alertsCreated: Number(r.alerts_created), ruleHitsStored: Number(r.hits_stored), hitsByRule: r.hits_by_rule };
  });
  if (store) await recordLatestEventTimes(pool(), store.latest);
  return stored;
}

const EMPTY: StoredBatch = {
  eventsStored: 0,
  duplicates: 0,
  alertsCreated: 0,
  ruleHitsStored: 0,
  suppressed: 0,
  hitsByRule: {},
  suppressedByException: {},
  statefulDecisions: { alerted: 0, quiet: 0 },
};

function alertRow(a: AlertDraft) {
  return {
    key: a.key,
    ts: a.timestamp,
    severity: a.severity,
    risk_score: a.riskScore,
    host_name: a.hostName,
    host_id: a.hostId,
    user_name: a.userName,
    process_name: a.processName,
    process_executable: a.processExecutable,
    process_command_line: a.processCommandLine,
    process_pid: a.processPid,
    parent_name: a.parentName,
    parent_executable: a.parentExecutable,
    parent_command_line: a.parentCommandLine,
    event: a.event,
    mitre: a.mitre,
  };
}

/**
 * The events to insert, less the re-sends of events timed by their arrival: such an event's
 * (ts, event_key) differs on every send, so its key alone is claimed in arrival_event_keys (held
 * until retention drops the event), and an event whose key was claimed before is a duplicate.
 * Concurrent sends of one event serialize on that key like any other.
 */
async function withoutArrivalRetries(client: pg.PoolClient, events: readonly PreparedEvent[]): Promise<readonly PreparedEvent[]> {
  const byArrival = events.filter((e) => e.timedByArrival);
  if (byArrival.length === 0) return events;
  const claimed = await client.query<{ event_key: string }>(
    `INSERT INTO arrival_event_keys (event_key, ts)
     SELECT * FROM unnest($1::text[], $2::timestamptz[])
     ON CONFLICT (event_key) DO NOTHING
     RETURNING event_key`,
    [byArrival.map((e) => e.key), byArrival.map((e) => e.timestamp)],
  );
  const fresh = new Set(claimed.rows.map((r) => r.event_key));
  return events.filter((e) => !e.timedByArrival || fresh.has(e.key));
}

/**
 * The rows of a batch as one JSON array, built as text: each event's original document is JSON
 * already (JSON.stringify of the parsed line), so it goes in as it is instead of being
 * serialized again, and PostgreSQL reads it as `json` without building a jsonb tree.
 */
function eventRowsJson(events: readonly PreparedEvent[]): string {
  const parts: string[] = [];
  for (const e of events) {
    const p = e.processStart;
    parts.push(
      `{"key":${JSON.stringify(e.key)},"ts":${JSON.stringify(e.timestamp)},"at":${JSON.stringify(e.receivedAt)},"format":${JSON.stringify(e.format)},"host":${JSON.stringify(e.hostName)},` +
        `"pe":${JSON.stringify(p?.entityId ?? null)},"pp":${p?.pid ?? null},"ppe":${JSON.stringify(p?.parentEntityId ?? null)},"ppp":${p?.parentPid ?? null},"doc":${e.original}}`,
    );
  }
  return `[${parts.join(",")}]`;
}

// One JSON document of rows, read by json_to_recordset. Measured with a 100k-event insert-only
// experiment (4 callers, 1,000-row batches): normalized documents as jsonb through
// jsonb_to_recordset 35k events/s, 3.1 KB of WAL per event; the same as json 42k; original
// documents as json 65–87k, 1.75 KB of WAL. Column arrays (unnest of text[] … jsonb[]) were 8k:
// PostgreSQL's array-literal parsing of escaped JSON costs more than parsing the document once.
// It answers one row: how many events were new, and which of the matched ones ($2) were, which is
// all the decisions need, instead of a row per stored event.
const INSERT_EVENTS_SQL = `
WITH inserted AS (
  INSERT INTO events (event_key, ts, ingested_at, format, host_name, process_entity_id, process_pid, parent_entity_id, parent_pid, doc)
  SELECT key, ts, at, format, host, pe, pp, ppe, ppp, doc
  FROM json_to_recordset($1::json) AS x(key text, ts timestamptz, at timestamptz, format text, host text, pe text, pp bigint, ppe text, ppp bigint, doc json)
  ON CONFLICT (ts, event_key) DO NOTHING
  RETURNING event_key
)
SELECT count(*)::int AS stored, array_agg(event_key) FILTER (WHERE event_key = ANY($2::text[])) AS matched
FROM inserted`;

// Data-modifying CTEs all run against the statement's snapshot: `existing` sees alerts committed
// before this statement, `new_alerts` returns the ones it inserts, and together they give every
// alert id the rule hits need. An existing alert that gains a rule (rules changed between two
// sends of an event) takes the higher severity and risk and the union of ATT&CK mappings.
const STORE_ALERTS_SQL = `
WITH al AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
    key text, ts timestamptz, severity severity, risk_score int, host_name text, host_id text, user_name text,
    process_name text, process_executable text, process_command_line text, process_pid bigint,
    parent_name text, parent_executable text, parent_command_line text, event jsonb, mitre jsonb)
), hits AS (
  SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(key text, rule_id text, severity severity, risk_score int, matched jsonb)
), existing AS (
  SELECT a.id, a.event_key FROM alerts a JOIN al ON al.key = a.event_key
), new_alerts AS (
  INSERT INTO alerts (event_key, ts, severity, risk_score, host_name, host_id, user_name, process_name,
    process_executable, process_command_line, process_pid, parent_name, parent_executable, parent_command_line, event, mitre)
  SELECT key, ts, severity, risk_score, host_name, host_id, user_name, process_name,
    process_executable, process_command_line, process_pid, parent_name, parent_executable, parent_command_line, event, mitre
  FROM al WHERE NOT EXISTS (SELECT 1 FROM existing e WHERE e.event_key = al.key)
  ON CONFLICT (event_key) DO NOTHING
  RETURNING id, event_key
), all_alerts AS (
  SELECT id, event_key FROM existing UNION ALL SELECT id, event_key FROM new_alerts
), ins_hits AS (
  INSERT INTO alert_rules (alert_id, rule_id, severity, risk_score, matched)
  SELECT aa.id, h.rule_id, h.severity, h.risk_score, h.matched
  FROM hits h JOIN all_alerts aa ON aa.event_key = h.key
  ON CONFLICT (alert_id, rule_id) DO NOTHING
  RETURNING alert_id, rule_id
), grown AS (
  UPDATE alerts a SET
    severity = GREATEST(a.severity, al.severity),
    risk_score = GREATEST(a.risk_score, al.risk_score),
    mitre = (SELECT coalesce(jsonb_agg(DISTINCT m), '[]'::jsonb) FROM jsonb_array_elements(a.mitre || al.mitre) m),
    updated_at = now()
  FROM existing e JOIN al ON al.key = e.event_key
  WHERE a.id = e.id AND e.id IN (SELECT alert_id FROM ins_hits)
  RETURNING 1
)
SELECT
  (SELECT count(*) FROM new_alerts)::int AS alerts_created,
  (SELECT count(*) FROM ins_hits)::int AS hits_stored,
  (SELECT coalesce(jsonb_object_agg(rule_id, n), '{}'::jsonb) FROM (SELECT rule_id, count(*)::int AS n FROM ins_hits GROUP BY rule_id) h) AS hits_by_rule,
  (SELECT count(*) FROM grown)::int AS grown
`;
