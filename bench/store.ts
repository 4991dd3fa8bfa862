/**
 * The database half of ingest, without HTTP: prepared batches of 1,000 bench events stored by
 * `storePreparedBatch` from CONCURRENCY concurrent callers (as the route does for concurrent
 * requests), against a fresh database with the shipped rules. Separates PostgreSQL's share of an
 * ingest batch from the engine's (bench/run.ts) and HTTP's (bench/e2e.ts).
 *
 *   node --import tsx bench/store.ts        (DATABASE_URL, else an embedded PostgreSQL)
 *   BENCH_STORE_EVENTS=200000 BENCH_STORE_CONCURRENCY=4 VIGIL_EVENT_RETENTION_DAYS=0|7
 *
 * Prints human-readable lines, then one JSON object as the last line.
 */
import { openDatabase } from "../scripts/db-runtime";
import type { PreparedEvent } from "@/lib/ingest/prepare-batch";
import { generateEvents } from "./generate-events";

const EVENTS = Number(process.env.BENCH_STORE_EVENTS ?? 200_000);
const CONCURRENCY = Number(process.env.BENCH_STORE_CONCURRENCY ?? 4);
const BATCH = 1000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const database = await openDatabase({ freshDb: true, log: () => {} });
process.env.DATABASE_URL = database.url;
try {
  const { syncRulesFromDisk, getRuleSet } = await import("@/lib/rules/registry");
  const { prepareBatch } = await import("@/lib/ingest/prepare-batch");
  const { storePreparedBatch } = await import("@/lib/ingest/ingest-batch");
  const { closePool } = await import("@/lib/db/pool");
  const { disconnectDb } = await import("@/lib/db/client");
  await syncRulesFromDisk();
  const ruleSet = await getRuleSet();
  // Events of the last day, so they fall inside any retention window.
  const now = Date.now();
  const { lines } = generateEvents(EVENTS, 777, 0.004, now - 3_600_000);
  const batches: PreparedEvent[][] = [];
  for (let start = 0; start < lines.length; start += BATCH) {
    const records = lines.slice(start, start + BATCH).map((line, i) => {
      const value = JSON.parse(line) as Record<string, unknown>;
      return { line: i + 1, value };
    });
    batches.push(prepareBatch(records, ruleSet, new Date(now)).events);
  }
  const matched = batches.flat().filter((e) => e.matches.length + e.candidates.length > 0).length;
  console.log(`${EVENTS.toLocaleString("en-US")} events in ${batches.length} batches, ${matched} matched a rule; ${CONCURRENCY} concurrent callers`);

  const latencies: number[] = [];
  let next = 0;
  let alerts = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < batches.length) {
        const batch = batches[next++]!;
        const t0 = performance.now();
        const stored = await storePreparedBatch(batch);
        latencies.push(performance.now() - t0);
        alerts += stored.alertsCreated;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const result = {
    store_eps: Math.round(EVENTS / seconds),
    batch_p50_ms: Math.round(percentile(latencies, 50)),
    batch_p99_ms: Math.round(percentile(latencies, 99)),
    alerts,
    retention_days: Number(process.env.VIGIL_EVENT_RETENTION_DAYS ?? 7),
  };
  console.log(`stored ${result.store_eps.toLocaleString("en-US")} events/s, batch p50 ${result.batch_p50_ms} ms, p99 ${result.batch_p99_ms} ms, ${alerts} alerts`);
  console.log(JSON.stringify(result));
  await closePool();
  await disconnectDb();
} finally {
  await database.stop();
}
