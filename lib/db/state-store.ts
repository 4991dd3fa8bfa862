import type pg from "pg";
import {
  stateMapKey,
  type EventTime,
  type NoveltyState,
  type RarityState,
  type StateKey,
  type StateStore,
  type StoredState,
} from "@/lib/detection";

/**
 * The StateStore of lib/detection on PostgreSQL, used inside the ingest transaction.
 *
 * Atomic decisions: `load` first takes a transaction-scoped advisory lock per key (in one sorted
 * order, so two batches never deadlock on each other), then reads the rows in a *new* statement,
 * whose snapshot includes anything a competing batch committed while we waited. The decision is
 * made on that state and `save` writes it before the same transaction commits the alerts. Two
 * concurrent ingests of the same new key therefore serialize: the second sees the first's
 * sighting, so exactly one alerts. Advisory locks (rather than row locks) also cover keys that
 * have no row yet.
 */
export class PgStateStore implements StateStore {
  constructor(private readonly client: pg.PoolClient) {}

  load(kind: "novelty", keys: readonly StateKey[]): Promise<Map<string, NoveltyState>>;
  load(kind: "rarity", keys: readonly StateKey[]): Promise<Map<string, RarityState>>;
  async load(kind: "novelty" | "rarity", keys: readonly StateKey[]): Promise<Map<string, NoveltyState | RarityState>> {
    const out = new Map<string, NoveltyState | RarityState>();
    if (keys.length === 0) return out;
    const ruleIds = keys.map((k) => k.ruleId);
    const hashes = keys.map((k) => k.hash);
    await this.client.query(
      `SELECT pg_advisory_xact_lock(k) FROM (
         SELECT DISTINCT hashtextextended($3 || ':' || r || ':' || h, 0) AS k
         FROM unnest($1::text[], $2::text[]) AS u(r, h) ORDER BY k) s`,
      [ruleIds, hashes, kind],
    );
    if (kind === "novelty") {
      const { rows } = await this.client.query<NoveltyRow>(
        `SELECT s.rule_id, s.key_hash, s.first_seen, s.last_seen, s.count, s.days, s.known
         FROM novelty_states s JOIN unnest($1::text[], $2::text[]) AS u(r, h) ON s.rule_id = u.r AND s.key_hash = u.h`,
        [ruleIds, hashes],
      );
      for (const r of rows) {
        out.set(stateMapKey({ ruleId: r.rule_id, hash: r.key_hash }), {
          firstSeen: r.first_seen.getTime(),
          lastSeen: r.last_seen.getTime(),
          count: Number(r.count),
          days: r.days,
          ...(r.known && { known: true }),
        });
      }
    } else {
      const { rows } = await this.client.query<RarityRow>(
        `SELECT s.rule_id, s.key_hash, s.first_seen, s.last_seen, s.days, s.last_alert_at
         FROM rarity_states s JOIN unnest($1::text[], $2::text[]) AS u(r, h) ON s.rule_id = u.r AND s.key_hash = u.h`,
        [ruleIds, hashes],
      );
      for (const r of rows) {
        out.set(stateMapKey({ ruleId: r.rule_id, hash: r.key_hash }), {
          firstSeen: r.first_seen.getTime(),
          lastSeen: r.last_seen.getTime(),
          days: r.days,
          lastAlertAt: r.last_alert_at?.getTime() ?? null,
        });
      }
    }
    return out;
  }

  save(kind: "novelty", states: readonly StoredState<NoveltyState>[]): Promise<void>;
  save(kind: "rarity", states: readonly StoredState<RarityState>[]): Promise<void>;
  async save(kind: "novelty" | "rarity", states: readonly StoredState<NoveltyState | RarityState>[]): Promise<void> {
    if (states.length === 0) return;
    if (kind === "novelty") {
      const rows = (states as readonly StoredState<NoveltyState>[]).map(({ key, state }) => ({
        rule_id: key.ruleId,
        key_hash: key.hash,
        values: key.values,
        first_seen: iso(state.firstSeen),
        last_seen: iso(state.lastSeen),
        count: state.count,
        days: state.days,
        known: state.known === true,
      }));
      await this.client.query(
        `INSERT INTO novelty_states (rule_id, key_hash, "values", first_seen, last_seen, count, days, known, updated_at)
         SELECT rule_id, key_hash, "values", first_seen, last_seen, count, days, known, now()
         FROM jsonb_to_recordset($1::jsonb) AS x(rule_id text, key_hash text, "values" jsonb, first_seen timestamptz,
           last_seen timestamptz, count bigint, days jsonb, known boolean)
         ON CONFLICT (rule_id, key_hash) DO UPDATE SET first_seen = EXCLUDED.first_seen, last_seen = EXCLUDED.last_seen,
           count = EXCLUDED.count, days = EXCLUDED.days, known = EXCLUDED.known, updated_at = now()`,
        [JSON.stringify(rows)],
      );
    } else {
      const rows = (states as readonly StoredState<RarityState>[]).map(({ key, state }) => ({
        rule_id: key.ruleId,
        key_hash: key.hash,
        values: key.values,
        first_seen: iso(state.firstSeen),
        last_seen: iso(state.lastSeen),
        days: state.days,
        last_alert_at: state.lastAlertAt === null ? null : iso(state.lastAlertAt),
      }));
      await this.client.query(
        `INSERT INTO rarity_states (rule_id, key_hash, "values", first_seen, last_seen, days, last_alert_at, updated_at)
         SELECT rule_id, key_hash, "values", first_seen, last_seen, days, last_alert_at, now()
         FROM jsonb_to_recordset($1::jsonb) AS x(rule_id text, key_hash text, "values" jsonb, first_seen timestamptz,
           last_seen timestamptz, days jsonb, last_alert_at timestamptz)
         ON CONFLICT (rule_id, key_hash) DO UPDATE SET first_seen = EXCLUDED.first_seen, last_seen = EXCLUDED.last_seen,
           days = EXCLUDED.days, last_alert_at = EXCLUDED.last_alert_at, updated_at = now()`,
        [JSON.stringify(rows)],
      );
    }
  }

  /**
   * The first event time each rule evaluated (set once, so a rule's learning period does not
   * move). Inserting with DO NOTHING takes no lock on an existing row, so concurrent ingests for
   * one rule never wait on each other here; the latest event time, which only expiry needs, is
   * recorded after the commit (see recordLatestEventTimes).
   */
  async ruleStarts(seen: ReadonlyMap<string, { earliest: EventTime; latest: EventTime }>): Promise<Map<string, EventTime>> {
    const out = new Map<string, EventTime>();
    if (seen.size === 0) return out;
    const rows = [...seen].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([rule_id, t]) => ({ rule_id, earliest: iso(t.earliest), latest: iso(t.latest) }));
    for (const [ruleId, t] of seen) this.latest.set(ruleId, Math.max(this.latest.get(ruleId) ?? -Infinity, t.latest));
    await this.client.query(
      `INSERT INTO rule_states (rule_id, first_event_at, latest_event_at)
       SELECT rule_id, earliest, latest FROM jsonb_to_recordset($1::jsonb) AS x(rule_id text, earliest timestamptz, latest timestamptz)
       ON CONFLICT (rule_id) DO NOTHING`,
      [JSON.stringify(rows)],
    );
    const result = await this.client.query<{ rule_id: string; first_event_at: Date }>(
      `SELECT rule_id, first_event_at FROM rule_states WHERE rule_id = ANY($1::text[])`,
      [rows.map((r) => r.rule_id)],
    );
    for (const r of result.rows) out.set(r.rule_id, r.first_event_at.getTime());
    return out;
  }

  /** Latest event time per rule seen by this batch (for recordLatestEventTimes after commit). */
  readonly latest = new Map<string, EventTime>();
}

/**
 * Moves each rule's latest event time forward, outside the ingest transaction (a short
 * autocommit update): expiry measures from it, and it needs to be current, not serialized.
 */
export async function recordLatestEventTimes(client: Pick<pg.Pool, "query">, latest: ReadonlyMap<string, EventTime>): Promise<void> {
  if (latest.size === 0) return;
  const rows = [...latest].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([rule_id, t]) => ({ rule_id, latest: iso(t) }));
  await client.query(
    `UPDATE rule_states r SET latest_event_at = x.latest
     FROM jsonb_to_recordset($1::jsonb) AS x(rule_id text, latest timestamptz)
     WHERE r.rule_id = x.rule_id AND r.latest_event_at < x.latest`,
    [JSON.stringify(rows)],
  );
}

function iso(t: EventTime): string {
  return new Date(t).toISOString();
}

interface NoveltyRow {
  rule_id: string;
  key_hash: string;
  first_seen: Date;
  last_seen: Date;
  count: string;
  days: NoveltyState["days"];
  known: boolean;
}

interface RarityRow {
  rule_id: string;
  key_hash: string;
  first_seen: Date;
  last_seen: Date;
  days: RarityState["days"];
  last_alert_at: Date | null;
}
