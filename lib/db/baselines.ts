import type { StatefulSpec, StateKey } from "@/lib/detection";
import { DAY_MS, noveltyHorizonMs, rarityKeepDays } from "@/lib/detection";
import { db, Prisma } from "./client";
import { inTransaction } from "./pool";

export interface BaselineEntry {
  hash: string;
  values: (string | null)[];
  firstSeen: Date;
  lastSeen: Date;
  /** Sightings (novelty) or events in the stored window (rarity). */
  count: number;
  known: boolean;
}

export interface BaselinePage {
  entries: BaselineEntry[];
  next: { lastSeen: Date; hash: string } | null;
}

/**
 * What a stateful rule has learned, most recently seen first, one keyset page at a time.
 * `contains` filters on the readable values (case-insensitive).
 */
export async function findBaseline(
  ruleId: string,
  kind: "novelty" | "rarity",
  options: { limit: number; cursor: { lastSeen: Date; hash: string } | null; contains?: string },
): Promise<BaselinePage> {
  const where: Prisma.Sql[] = [Prisma.sql`s.rule_id = ${ruleId}`];
  if (options.cursor) where.push(Prisma.sql`(s.last_seen, s.key_hash) < (${options.cursor.lastSeen}::timestamptz, ${options.cursor.hash})`);
  if (options.contains) where.push(Prisma.sql`s."values"::text ILIKE ${"%" + escapeLike(options.contains) + "%"}`);
  const table = kind === "novelty" ? Prisma.sql`novelty_states` : Prisma.sql`rarity_states`;
  const count =
    kind === "novelty"
      ? Prisma.sql`s.count`
      : Prisma.sql`(SELECT coalesce(sum((d.value->>'count')::bigint), 0) FROM jsonb_each(s.days) d)`;
  const known = kind === "novelty" ? Prisma.sql`s.known` : Prisma.sql`false`;
  const rows = await db().$queryRaw<{ key_hash: string; values: (string | null)[]; first_seen: Date; last_seen: Date; count: bigint | number; known: boolean }[]>(Prisma.sql`
    SELECT s.key_hash, s."values", s.first_seen, s.last_seen, ${count} AS count, ${known} AS known
    FROM ${table} s WHERE ${Prisma.join(where, " AND ")}
    ORDER BY s.last_seen DESC, s.key_hash DESC
    LIMIT ${options.limit + 1}`);
  const entries = rows.slice(0, options.limit).map((r) => ({
    hash: r.key_hash,
    values: r.values,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    count: Number(r.count),
    known: r.known,
  }));
  const last = entries[entries.length - 1];
  return { entries, next: rows.length > options.limit && last ? { lastSeen: last.lastSeen, hash: last.hash } : null };
}

/**
 * Marks terms known: they join the baseline (created if never seen, stamped now) and never alert
 * until forgotten. Takes the same advisory lock as the ingest path's decisions, so a concurrent
 * ingest of the same term sees either the old state or the known one, never half of each.
 */
export async function markTermsKnown(keys: readonly StateKey[], now = new Date()): Promise<number> {
  if (keys.length === 0) return 0;
  return inTransaction(async (client) => {
    await client.query(
      `SELECT pg_advisory_xact_lock(k) FROM (
         SELECT DISTINCT hashtextextended('novelty:' || r || ':' || h, 0) AS k
         FROM unnest($1::text[], $2::text[]) AS u(r, h) ORDER BY k) s`,
      [keys.map((k) => k.ruleId), keys.map((k) => k.hash)],
    );
    const day = String(Math.floor(now.getTime() / DAY_MS));
    const rows = keys.map((k) => ({ rule_id: k.ruleId, key_hash: k.hash, values: k.values }));
    const result = await client.query(
      `INSERT INTO novelty_states (rule_id, key_hash, "values", first_seen, last_seen, count, days, known, updated_at)
       SELECT rule_id, key_hash, "values", $2::timestamptz, $2::timestamptz, 0, jsonb_build_object($3::text, jsonb_build_array($4::bigint, $4::bigint)), true, now()
       FROM jsonb_to_recordset($1::jsonb) AS x(rule_id text, key_hash text, "values" jsonb)
       ON CONFLICT (rule_id, key_hash) DO UPDATE SET known = true, updated_at = now()`,
      [JSON.stringify(rows), now.toISOString(), day, now.getTime()],
    );
    return result.rowCount ?? 0;
  });
}

/** Forgets one learned term or group: the next sighting is new again. */
export async function forgetBaselineEntry(ruleId: string, kind: "novelty" | "rarity", hash: string): Promise<boolean> {
  const deleted =
    kind === "novelty"
      ? await db().noveltyState.deleteMany({ where: { ruleId, keyHash: hash } })
      : await db().rarityState.deleteMany({ where: { ruleId, keyHash: hash } });
  return deleted.count > 0;
}

/**
 * Drops state no decision can need any more: older than the horizon the engine keeps day buckets
 * for (the rule's window plus its slack for late events), measured back from the latest event the
 * rule saw, never from the wall clock, so replaying last week keeps last week's state. Known
 * terms are kept.
 */
export async function expireStates(specs: ReadonlyMap<string, StatefulSpec>): Promise<{ novelty: number; rarity: number }> {
  let novelty = 0;
  let rarity = 0;
  for (const [ruleId, spec] of specs) {
    const keepMs = spec.kind === "novelty" ? noveltyHorizonMs(spec) : rarityKeepDays(spec) * DAY_MS;
    const table = spec.kind === "novelty" ? Prisma.sql`novelty_states` : Prisma.sql`rarity_states`;
    const keepKnown = spec.kind === "novelty" ? Prisma.sql`AND NOT s.known` : Prisma.empty;
    const n = await db().$executeRaw(Prisma.sql`
      DELETE FROM ${table} s USING rule_states r
      WHERE s.rule_id = ${ruleId} AND r.rule_id = s.rule_id
        AND s.last_seen < r.latest_event_at - make_interval(secs => ${keepMs / 1000}) ${keepKnown}`);
    if (spec.kind === "novelty") novelty += n;
    else rarity += n;
  }
  return { novelty, rarity };
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
