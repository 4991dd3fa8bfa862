import type pg from "pg";
import { pool } from "./pool";

/**
 * Day partitions of the retained events table (see prisma/schema.prisma, model Event).
 *
 * A partition is events_pYYYYMMDD for one UTC day. Ingest makes sure the days it is about to
 * write inside the retained window have one (`ensureEventPartitions`); anything else lands in
 * events_default: days too far ahead to deserve a table of their own, and matched events older
 * than the window (kept until the next clean-up so a re-sent batch stays idempotent). Retention
 * drops whole partitions (`dropExpiredEvents`), which costs the same for ten rows or ten million.
 */
export const DAY_MS = 86_400_000;
/** How many days ahead of today ingest may create a partition for (clock skew, time zones). */
export const DAYS_AHEAD = 1;
const PARTITION_LOCK = 0x76696732; // "vig2"
/**
 * Rows past PostgreSQL's default 2 KB threshold are compressed (pglz) or moved out of line; rows
 * up to a page stay inline and uncompressed instead. Measured when rows held normalized events
 * (a Sysmon event 3.3 KB), bench/store.ts, 100k events, 4 callers: 25–26k events/s by default,
 * 30.5–31.9k with this (lz4 compression instead: 28.7–29.4k). Rows now hold the original
 * document (a Sysmon event as evtx JSON is about 1.8 KB), and the larger ones still straddle
 * the threshold. The price is disk: retained events take their plain size. Migration
 * 20261124130000_event_docs_inline sets it on the partitions made before.
 */
const PARTITION_STORAGE = "toast_tuple_target = 8160";

/** Partitions this process knows exist; one node dropping a day is harmless (rows fall to default). */
const known = globalThis as unknown as { vigilEventPartitions?: Set<number> };
function knownDays(): Set<number> {
  return (known.vigilEventPartitions ??= new Set());
}

export function dayOf(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

export function partitionName(day: number): string {
  return `events_p${new Date(day * DAY_MS).toISOString().slice(0, 10).replaceAll("-", "")}`;
}

function dayFromName(name: string): number | null {
  const m = /^events_p(\d{4})(\d{2})(\d{2})$/.exec(name);
  return m ? dayOf(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
}

/**
 * Creates the missing partitions among `days` (UTC day numbers). Rows already in events_default
 * for such a day move into the new partition in the same transaction, so attaching it never
 * fails on them. Serialized across nodes by an advisory lock; each day is created once.
 */
export async function ensureEventPartitions(days: Iterable<number>): Promise<void> {
  const missing = [...new Set(days)].filter((d) => !knownDays().has(d)).sort((a, b) => a - b);
  if (missing.length === 0) return;
  const client = await pool().connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [PARTITION_LOCK]);
    const existing = await listPartitionDays(client);
    for (const day of missing) {
      if (!existing.has(day)) await createPartition(client, day);
    }
    await client.query("COMMIT");
    for (const day of missing) knownDays().add(day);
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

async function createPartition(client: pg.PoolClient, day: number): Promise<void> {
  const name = partitionName(day);
  const from = new Date(day * DAY_MS).toISOString();
  const to = new Date((day + 1) * DAY_MS).toISOString();
  // LIKE copies columns and defaults; ATTACH builds the partition's share of the parent's indexes.
  // toast_tuple_target: see PARTITION_STORAGE.
  await client.query(`CREATE TABLE "${name}" (LIKE events INCLUDING DEFAULTS) WITH (${PARTITION_STORAGE})`);
  await client.query(
    `WITH moved AS (DELETE FROM events_default WHERE ts >= $1::timestamptz AND ts < $2::timestamptz RETURNING *)
     INSERT INTO "${name}" SELECT * FROM moved`,
    [from, to],
  );
  await client.query(`ALTER TABLE events ATTACH PARTITION "${name}" FOR VALUES FROM ('${from}') TO ('${to}')`);
}

async function listPartitionDays(client: pg.PoolClient | pg.Pool): Promise<Map<number, string>> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'events'::regclass`,
  );
  const days = new Map<number, string>();
  for (const { name } of rows) {
    const day = dayFromName(name);
    if (day !== null) days.set(day, name);
  }
  return days;
}

/**
 * Drops the day partitions that ended before `now - retentionDays`, and deletes older rows from
 * events_default and arrival_event_keys. Returns how many partitions went, how many default rows
 * and how many arrival keys. Days from today to DAYS_AHEAD are created ahead, so the first batch
 * of a day rarely waits for DDL.
 */
export async function dropExpiredEvents(retentionDays: number, now = new Date()): Promise<{ partitions: number; rows: number; arrivalKeys: number }> {
  const cutoff = now.getTime() - retentionDays * DAY_MS;
  const days = await listPartitionDays(pool());
  let partitions = 0;
  for (const [day, name] of days) {
    if ((day + 1) * DAY_MS > cutoff) continue;
    // IF EXISTS: another node may have run the same clean-up a moment ago.
    await pool().query(`DROP TABLE IF EXISTS "${name}"`);
    knownDays().delete(day);
    partitions++;
  }
  const deleted = await pool().query("DELETE FROM events_default WHERE ts < $1::timestamptz", [new Date(cutoff).toISOString()]);
  // The keys that kept arrival-timed events unique go with their events (lib/db/ingest.ts).
  const keys = await pool().query("DELETE FROM arrival_event_keys WHERE ts < $1::timestamptz", [new Date(cutoff).toISOString()]);
  const today = dayOf(now.getTime());
  await ensureEventPartitions(Array.from({ length: DAYS_AHEAD + 1 }, (_, i) => today + i));
  return { partitions, rows: deleted.rowCount ?? 0, arrivalKeys: keys.rowCount ?? 0 };
}

/** For tests: forget which partitions this process has seen (another node may have dropped them). */
export function forgetKnownPartitions(): void {
  knownDays().clear();
}
