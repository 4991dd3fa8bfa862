/**
 * New-terms decisions against PostgreSQL (issue 5): keys/s through the real path (advisory locks,
 * state load, pure decision, state save, one transaction per batch of 1,000 candidates) with 1M
 * and 10M stored sightings, and the process's memory.
 *
 *   node --import tsx bench/new-terms.ts            (DATABASE_URL, else an embedded PostgreSQL)
 *   BENCH_NEWTERMS_SIZES=1000000 … to pick sizes
 *
 * Prints human-readable lines, then one JSON object as the last line.
 */
import pg from "pg";
import { evaluateStateful, type NoveltySpec, type StatefulCandidate } from "@/lib/detection";
import { ruleMeta } from "@/lib/detection/testing";
import { openDatabase } from "../scripts/db-runtime";

const SIZES = (process.env.BENCH_NEWTERMS_SIZES ?? "1000000,10000000").split(",").map(Number);
const BATCH = 1000;
const BATCHES = Number(process.env.BENCH_NEWTERMS_BATCHES ?? 60);
const NEW_SHARE = 0.1; // one key in ten has never been seen
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1);

const spec: NoveltySpec = { kind: "novelty", fields: ["process.command_line"], groupBy: ["host.id"], windowMs: 7 * DAY, learningMs: 0 };
const meta = { ...ruleMeta("bench-new-terms", spec), name: "bench", format: "elastic" as const, type: "new_terms" as const };

function candidate(i: number, n: number, at: number): StatefulCandidate {
  const known = Math.random() >= NEW_SHARE;
  const k = known ? Math.floor(Math.random() * n) : n + Math.floor(Math.random() * 1e12);
  const event = {
    "@timestamp": new Date(at).toISOString(),
    host: { id: `host-${k % 500}` },
    process: { command_line: `sh -c /opt/app/bin/job --id ${k}` },
  };
  return { index: i, event, match: { rule: meta, explanation: { details: [] }, stateful: spec }, ruleId: meta.id, time: at };
}

async function seed(client: pg.Client, n: number): Promise<void> {
  // Seeded keys go through the engine's own key derivation, so the bench's lookups find them.
  await client.query("TRUNCATE novelty_states, rule_states");
  const { noveltyStateKey } = await import("@/lib/detection");
  const chunk = 50_000;
  for (let start = 0; start < n; start += chunk) {
    const rows: string[] = [];
    for (let k = start; k < Math.min(n, start + chunk); k++) {
      const key = noveltyStateKey(meta.id, spec, [`sh -c /opt/app/bin/job --id ${k}`, `host-${k % 500}`]);
      rows.push(key.hash);
    }
    await client.query(
      `INSERT INTO novelty_states (rule_id, key_hash, "values", first_seen, last_seen, count, days, known)
       SELECT $1, h, jsonb_build_array('sh -c /opt/app/bin/job --id ' || (o - 1 + $3), 'host-' || ((o - 1 + $3) % 500)),
              $2::timestamptz, $2::timestamptz, 1, jsonb_build_object($4::text, jsonb_build_array($5::bigint, $5::bigint)), false
       FROM unnest($6::text[]) WITH ORDINALITY AS u(h, o)`,
      [meta.id, new Date(T0).toISOString(), start, String(Math.floor(T0 / DAY)), T0, rows],
    );
  }
  await client.query("ANALYZE novelty_states");
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main() {
  const db = await openDatabase({ freshDb: true, log: () => {} });
  process.env.DATABASE_URL = db.url;
  const { inTransaction, closePool } = await import("@/lib/db/pool");
  const { PgStateStore } = await import("@/lib/db/state-store");
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  await admin.query(
    `INSERT INTO rules (id, name, format, type, severity, risk_score, source, source_path, source_hash) VALUES ($1, 'bench', 'elastic', 'new_terms', 'medium', 47, '', 'bench', '') ON CONFLICT DO NOTHING`,
    [meta.id],
  );
  const result: Record<string, number> = { rss_mb_start: Math.round(process.memoryUsage().rss / 1e6) };
  try {
    for (const n of SIZES) {
      const seeded = Date.now();
      await seed(admin, n);
      console.log(`seeded ${n.toLocaleString()} sightings in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);
      const latencies: number[] = [];
      let keys = 0;
      let alerts = 0;
      const started = Date.now();
      for (let b = 0; b < BATCHES; b++) {
        const at = T0 + DAY + b * 60_000;
        const batch = Array.from({ length: BATCH }, (_, i) => candidate(i, n, at));
        const t = performance.now();
        const verdicts = await inTransaction((client) => evaluateStateful(batch, new PgStateStore(client)));
        latencies.push(performance.now() - t);
        keys += batch.length;
        alerts += verdicts.filter((v) => v.alert).length;
      }
      const seconds = (Date.now() - started) / 1000;
      latencies.sort((a, b) => a - b);
      const label = n >= 1e6 ? `${n / 1e6}m` : String(n);
      result[`newterms_keys_per_s_${label}`] = Math.round(keys / seconds);
      result[`newterms_batch_p50_ms_${label}`] = Math.round(percentile(latencies, 50));
      result[`newterms_batch_p99_ms_${label}`] = Math.round(percentile(latencies, 99));
      console.log(
        `${n.toLocaleString()} stored: ${Math.round(keys / seconds).toLocaleString()} keys/s over ${BATCHES} batches of ${BATCH} (${alerts} new), ` +
          `batch p50 ${Math.round(percentile(latencies, 50))} ms, p99 ${Math.round(percentile(latencies, 99))} ms`,
      );
    }
  } finally {
    await admin.end();
    await closePool();
    await db.stop();
  }
  result.rss_mb_end = Math.round(process.memoryUsage().rss / 1e6);
  console.log(JSON.stringify(result));
}

await main();
