import { db, Prisma } from "./client";

/**
 * Retained events older than the retention window (by event time) are deleted in batches of
 * `batch` rows through the (ts) index, so a large backlog never holds one long transaction or
 * lock. Alerts keep their own copy of the event and are not touched; a re-sent event older than
 * the window never alerts twice (alerts are unique by event key).
 */
export async function deleteExpiredEvents(retentionDays: number, now = new Date(), batch = 10_000): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  let total = 0;
  for (;;) {
    const n = await db().$executeRaw(Prisma.sql`
      DELETE FROM events WHERE id IN (SELECT id FROM events WHERE ts < ${cutoff}::timestamptz ORDER BY ts LIMIT ${batch})`);
    total += n;
    if (n < batch) return total;
  }
}
