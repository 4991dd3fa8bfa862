import { db, Prisma } from "./client";

/** Alerts counted in a rule's "recent" figure. */
export const RECENT_ALERT_DAYS = 7;
/** Dispositions (and the noise rate) are over the alerts a rule raised in this many days. */
export const NOISE_WINDOW_DAYS = 30;

const DAY_MS = 86_400_000;

/**
 * How a rule has been doing, from the alerts it raised. "Last fired" is detection time (when Vigil
 * raised the alert); the windows are in event time (`@timestamp`), like the queue's time filter,
 * so `/alerts?rule=<id>&since=<7 days ago>` lists exactly the alerts counted in `recentAlerts`.
 */
export interface RuleStats {
  ruleId: string;
  /** The last time the rule raised (or joined) an alert; null when it never fired. */
  lastFiredAt: Date | null;
  /** Alerts on events of the last RECENT_ALERT_DAYS days. */
  recentAlerts: number;
  /** Alerts on events of the last NOISE_WINDOW_DAYS days. */
  windowAlerts: number;
  /** Of those, the closed ones by disposition. */
  dispositions: { truePositive: number; benignPositive: number; falsePositive: number; undetermined: number };
  /** Closed alerts (every closed alert has a disposition) among the window's alerts. */
  resolved: number;
  /** (benign + false positives) / resolved; null while nothing is resolved. */
  noiseRate: number | null;
}

interface StatsRow {
  rule_id: string;
  last_fired: Date | null;
  recent: number;
  window: number;
  true_positive: number;
  benign_positive: number;
  false_positive: number;
  undetermined: number;
}

/**
 * Last fired, alerts of the last 7 days and dispositions of the last 30 days, per rule, in one
 * statement:
 * - the windowed figures are one GROUP BY over the alerts of the window, read through
 *   alerts_ts_id_idx (event time) with the rules from `alerts.rule_ids` (kept by a trigger from
 *   alert_rules), so the work is bounded by the window, never by the whole history;
 * - "last fired" is one step down alert_rules_rule_id_created_at_idx per rule (LATERAL … LIMIT 1).
 * An alert several rules fired on counts for each of them: its disposition judges all of them.
 */
export async function findRuleStats(options: { ids?: readonly string[]; now?: Date } = {}): Promise<Map<string, RuleStats>> {
  const now = options.now ?? new Date();
  const recentSince = new Date(now.getTime() - RECENT_ALERT_DAYS * DAY_MS);
  const windowSince = new Date(now.getTime() - NOISE_WINDOW_DAYS * DAY_MS);
  const ids = options.ids ? [...options.ids] : null;
  const rows = await db().$queryRaw<StatsRow[]>(Prisma.sql`
    WITH w AS (
      SELECT rid AS rule_id,
             count(*) FILTER (WHERE a.ts >= ${recentSince}::timestamptz) AS recent,
             count(*) AS "window",
             count(*) FILTER (WHERE a.status = 'closed' AND a.disposition = 'true_positive') AS true_positive,
             count(*) FILTER (WHERE a.status = 'closed' AND a.disposition = 'benign_positive') AS benign_positive,
             count(*) FILTER (WHERE a.status = 'closed' AND a.disposition = 'false_positive') AS false_positive,
             count(*) FILTER (WHERE a.status = 'closed' AND a.disposition = 'undetermined') AS undetermined
      FROM alerts a CROSS JOIN LATERAL unnest(a.rule_ids) AS rid
      WHERE a.ts >= ${windowSince}::timestamptz ${ids ? Prisma.sql`AND a.rule_ids && ${ids}::text[]` : Prisma.empty}
      GROUP BY rid
    )
    SELECT r.id AS rule_id, f.last_fired, coalesce(w.recent, 0)::int AS recent, coalesce(w."window", 0)::int AS "window",
           coalesce(w.true_positive, 0)::int AS true_positive, coalesce(w.benign_positive, 0)::int AS benign_positive,
           coalesce(w.false_positive, 0)::int AS false_positive, coalesce(w.undetermined, 0)::int AS undetermined
    FROM rules r
    LEFT JOIN LATERAL (
      SELECT ar.created_at AS last_fired FROM alert_rules ar WHERE ar.rule_id = r.id ORDER BY ar.created_at DESC LIMIT 1
    ) f ON true
    LEFT JOIN w ON w.rule_id = r.id
    ${ids ? Prisma.sql`WHERE r.id = ANY(${ids}::text[])` : Prisma.empty}`);
  return new Map(
    rows.map((r) => {
      const resolved = r.true_positive + r.benign_positive + r.false_positive + r.undetermined;
      return [
        r.rule_id,
        {
          ruleId: r.rule_id,
          lastFiredAt: r.last_fired,
          recentAlerts: r.recent,
          windowAlerts: r.window,
          dispositions: { truePositive: r.true_positive, benignPositive: r.benign_positive, falsePositive: r.false_positive, undetermined: r.undetermined },
          resolved,
          noiseRate: resolved === 0 ? null : (r.benign_positive + r.false_positive) / resolved,
        },
      ];
    }),
  );
}

/** What a stateful rule has learned, in one look: how much, since when, and up to when (event time). */
export interface BaselineSummary {
  /** Terms (novelty) or groups (rarity) stored. */
  keys: number;
  /** Terms an analyst marked known (novelty only). */
  known: number;
  /** The first event the rule evaluated: its learning duration runs from here. Null: it has seen none. */
  firstEventAt: Date | null;
  /** The latest event it evaluated (state expiry and "learning" are measured against it, not the clock). */
  latestEventAt: Date | null;
}

export async function findBaselineSummary(ruleId: string, kind: "novelty" | "rarity"): Promise<BaselineSummary> {
  const table = kind === "novelty" ? Prisma.sql`novelty_states` : Prisma.sql`rarity_states`;
  const known = kind === "novelty" ? Prisma.sql`count(*) FILTER (WHERE s.known)` : Prisma.sql`0`;
  const rows = await db().$queryRaw<{ keys: number; known: number; first_event_at: Date | null; latest_event_at: Date | null }[]>(Prisma.sql`
    SELECT (SELECT count(*)::int FROM ${table} s WHERE s.rule_id = ${ruleId}) AS keys,
           (SELECT ${known}::int FROM ${table} s WHERE s.rule_id = ${ruleId}) AS known,
           rs.first_event_at, rs.latest_event_at
    FROM (SELECT 1) one LEFT JOIN rule_states rs ON rs.rule_id = ${ruleId}`);
  const r = rows[0];
  return { keys: r?.keys ?? 0, known: r?.known ?? 0, firstEventAt: r?.first_event_at ?? null, latestEventAt: r?.latest_event_at ?? null };
}

export interface TopBaselineValue {
  hash: string;
  values: (string | null)[];
  /** Sightings (novelty) or events in the stored window (rarity). */
  count: number;
  firstSeen: Date;
  lastSeen: Date;
  known: boolean;
}

/** The most frequent learned terms or groups of a stateful rule. */
export async function findTopBaselineValues(ruleId: string, kind: "novelty" | "rarity", limit: number): Promise<TopBaselineValue[]> {
  const rows =
    kind === "novelty"
      ? await db().$queryRaw<{ key_hash: string; values: (string | null)[]; count: bigint | number; first_seen: Date; last_seen: Date; known: boolean }[]>(Prisma.sql`
          SELECT key_hash, "values", count, first_seen, last_seen, known FROM novelty_states
          WHERE rule_id = ${ruleId} ORDER BY count DESC, last_seen DESC LIMIT ${limit}`)
      : await db().$queryRaw<{ key_hash: string; values: (string | null)[]; count: bigint | number; first_seen: Date; last_seen: Date; known: boolean }[]>(Prisma.sql`
          SELECT s.key_hash, s."values", c.count, s.first_seen, s.last_seen, false AS known
          FROM rarity_states s, LATERAL (SELECT coalesce(sum((d.value->>'count')::bigint), 0) AS count FROM jsonb_each(s.days) d) c
          WHERE s.rule_id = ${ruleId} ORDER BY c.count DESC, s.last_seen DESC LIMIT ${limit}`);
  return rows.map((r) => ({ hash: r.key_hash, values: r.values, count: Number(r.count), firstSeen: r.first_seen, lastSeen: r.last_seen, known: r.known }));
}
