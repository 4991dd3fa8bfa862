import { expireStates } from "@/lib/db/baselines";
import { pruneIngestStats, type PrunedIngestStats } from "@/lib/db/ingest-stats";
import { runExclusive } from "@/lib/db/locks";
import { dropExpiredEvents } from "@/lib/db/partitions";
import { eventRetention } from "@/lib/ingest/ingest-batch";
import { getStatefulSpecs } from "@/lib/rules/registry";

/**
 * Background work, one node at a time (a session advisory lock decides which): expiry of
 * stateful-rule state, of retained events past VIGIL_EVENT_RETENTION_DAYS, and of ingest statistics.
 * Runs shortly after start-up, then every 10 minutes; never blocks a request.
 */
const EVERY_MS = 10 * 60_000;
const EXPIRY_LOCK = 0x76696731; // "vig1"

const state = globalThis as unknown as { vigilScheduler?: NodeJS.Timeout };

export function startScheduler(): void {
  if (state.vigilScheduler) return;
  const tick = () => {
    void runExpiry().catch((error: unknown) =>
      console.error(JSON.stringify({ level: "error", msg: "state expiry failed", error: String((error as Error).message) })),
    );
  };
  setTimeout(tick, 30_000).unref();
  state.vigilScheduler = setInterval(tick, EVERY_MS);
  state.vigilScheduler.unref();
}

export async function runExpiry(): Promise<{ novelty: number; rarity: number; events: { partitions: number; rows: number; arrivalKeys: number }; ingestStats: PrunedIngestStats } | null> {
  return runExclusive(EXPIRY_LOCK, async () => {
    const expired = await expireStates(await getStatefulSpecs());
    if (expired.novelty + expired.rarity > 0) console.log(JSON.stringify({ level: "info", msg: "expired stateful rule state", ...expired }));
    const { days } = eventRetention();
    const events = await dropExpiredEvents(days);
    if (events.partitions + events.rows + events.arrivalKeys > 0) console.log(JSON.stringify({ level: "info", msg: "dropped retained events past retention", ...events, days }));
    // Ingest status counts past 48 h, hosts silent for 30 days, refused lines beyond the newest 1,000.
    const ingestStats = await pruneIngestStats();
    return { ...expired, events, ingestStats };
  });
}
