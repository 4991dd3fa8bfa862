/**
 * End-to-end HTTP ingest throughput and latency (issue 9): `npm run bench:e2e`
 * (node --import tsx bench/e2e.ts); `npm run bench` runs it after the engine figures (bench/all.ts).
 *
 * Per phase, a fresh database on the PostgreSQL server (DATABASE_URL's, else the embedded one in
 * .data/pg-test), a production server (`next start` from the build in BENCH_BUILD_DIR, default
 * this checkout; built first when missing or older than the sources, as `npm start` does), and
 * BENCH_E2E_CLIENTS (4) keep-alive clients posting NDJSON batches of BENCH_E2E_BATCH (1,000)
 * events of the bench's mix (generate-events.ts, every event distinct) as fast as the server
 * answers: a warm-up of BENCH_E2E_WARMUP_SECONDS (5), then BENCH_E2E_SECONDS (30) measured.
 *
 *   retention on    VIGIL_EVENT_RETENTION_DAYS=7 (the default): events stored, alerts stored
 *   retention off   VIGIL_EVENT_RETENTION_DAYS=0: alerts, stateful state and matched events only
 *
 * Figures per phase: events/s accepted (200 answers; elapsed from the first request to the last
 * answer), batch latency p50/p95/p99/max, requests by status (429 = backpressure), the server's
 * RSS (its process group, from /proc) right after start-up, at the end and the most seen. With
 * retention on, the events table is counted afterwards against the answers (accepted −
 * duplicates), so a bench that "ingests" without storing would show.
 *
 * BENCH_QUICK=1: 1 s warm-up, 5 s measured (a smoke run).
 * BENCH_SOAK_SECONDS=600: after the phases, one more retention-on run of that length with the
 * RSS sampled every BENCH_RSS_EVERY_SECONDS (10), reporting the least-squares slope (MB/min)
 * after the first minute (while V8's heap grows to its working size) and over all samples:
 * memory is flat when the slope is about 0.
 * BENCH_E2E_PHASES=on,off picks phases (empty: none, e.g. for a soak alone).
 *
 * The clients share the machine with the server and PostgreSQL: their CPU time is printed, and
 * the load average at start and end. Human-readable lines first; the LAST line is one JSON object.
 */
import os from "node:os";
import path from "node:path";
import { openDatabase } from "../scripts/db-runtime";
import { ensureBuild } from "./load/ensure-build";
import { createEventStream } from "./load/event-stream";
import { runLoad, type LoadReport, type Percentiles } from "./load/run-load";
import { round1, round2, rssSlopeMbPerMinute, sampleRss, type RssSample } from "./load/sample-rss";
import { createScratchDatabase, withClient } from "./load/scratch-database";
import { startServer, type RunningServer } from "./load/start-server";

const QUICK = process.env.BENCH_QUICK === "1";
const SECONDS = Number(process.env.BENCH_E2E_SECONDS ?? (QUICK ? 5 : 30));
const WARMUP_SECONDS = Number(process.env.BENCH_E2E_WARMUP_SECONDS ?? (QUICK ? 1 : 5));
const CLIENTS = Number(process.env.BENCH_E2E_CLIENTS ?? 4);
const BATCH = Number(process.env.BENCH_E2E_BATCH ?? 1000);
/** Server processes (scripts/serve.ts, VIGIL_PROCESSES): 1 is plain `next start`. */
const PROCESSES = Number(process.env.BENCH_E2E_PROCESSES ?? 1);
const SOAK_SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 0);
const RSS_EVERY_MS = Number(process.env.BENCH_RSS_EVERY_SECONDS ?? 10) * 1000;
const PHASES = (process.env.BENCH_E2E_PHASES ?? "on,off")
  .split(",")
  .map((p) => p.trim())
  .filter(Boolean);
const BUILD_DIR = path.resolve(process.env.BENCH_BUILD_DIR ?? path.join(import.meta.dirname, ".."));
const TOKEN = "bench-ingest-token-0123456789abcdef";

export interface PhaseFigures {
  retention_days: number;
  seconds: number;
  clients: number;
  batch: number;
  eps: number;
  batches: number;
  statuses: Record<string, number>;
  latency_ms: Percentiles;
  rss_mb_start: number | null;
  rss_mb_end: number | null;
  rss_mb_max: number | null;
  /** Soak only: least-squares RSS slope over the samples after the first minute (the heap's ramp-up), and over all. */
  rss_slope_mb_per_min?: number;
  rss_slope_mb_per_min_all?: number;
  /** Client process CPU over the measured window, as a share of one core. */
  client_cpu_cores: number;
  /** Retention on: rows in `events` equal the new events the answers reported. */
  stored_check?: { stored: number; expected: number; ok: boolean };
  /** Soak: the samples (seconds, MB). */
  rss_samples?: RssSample[];
}

export interface E2eFigures {
  e2e_eps_retention_on: number | null;
  e2e_eps_retention_off: number | null;
  /** The worse p99 batch latency of the two phases, ms. */
  e2e_p99_ms: number | null;
  rss_mb_start: number | null;
  rss_mb_end: number | null;
  phases: Record<string, PhaseFigures | { error: string }>;
  soak?: PhaseFigures | { error: string };
  load_avg_start: number;
  load_avg_end: number;
}

const fmt = (x: number) => Math.round(x).toLocaleString("en-US");

async function runPhase(baseUrl: string, label: string, retentionDays: number, seconds: number, rssEveryMs: number, keepSamples: boolean): Promise<PhaseFigures> {
  console.log(`${label} (VIGIL_EVENT_RETENTION_DAYS=${retentionDays}): ${CLIENTS} clients × ${BATCH}-event batches, ${WARMUP_SECONDS} s warm-up, ${seconds} s measured`);
  const database = await createScratchDatabase(baseUrl, "vigil_bench_e2e");
  let server: RunningServer | undefined;
  try {
    server = await startServer({
      dir: BUILD_DIR,
      databaseUrl: database.url,
      env: { VIGIL_INGEST_TOKEN: TOKEN, VIGIL_EVENT_RETENTION_DAYS: String(retentionDays) },
      processes: PROCESSES,
    });
    const rssStart = server.rssMb();
    const stream = createEventStream({ batchSize: BATCH, runId: 1 });
    let next = 0;
    const batches = { next: () => next++ };
    const common = { url: server.url, token: TOKEN, stream, batches, clients: CLIENTS };
    const warm = await runLoad({ ...common, durationMs: WARMUP_SECONDS * 1000 });
    const sampler = sampleRss(() => server!.rssMb(), rssEveryMs);
    const cpu = process.cpuUsage();
    const measured = await runLoad({ ...common, durationMs: seconds * 1000 });
    const cpuUsed = process.cpuUsage(cpu);
    const samples = sampler.stop();
    const rssEnd = server.rssMb();
    if (!server.alive()) throw new Error(`the server died during the run; its output:\n${server.output()}`);
    const figures: PhaseFigures = {
      retention_days: retentionDays,
      seconds,
      clients: CLIENTS,
      batch: BATCH,
      eps: Math.round(measured.eps),
      batches: measured.results.length,
      statuses: measured.statuses,
      latency_ms: measured.latency,
      rss_mb_start: rssStart === null ? null : round1(rssStart),
      rss_mb_end: rssEnd === null ? null : round1(rssEnd),
      rss_mb_max: samples.length ? Math.max(...samples.map((s) => s.mb)) : null,
      client_cpu_cores: round2((cpuUsed.user + cpuUsed.system) / 1e6 / (measured.elapsedMs / 1000)),
    };
    if (keepSamples) {
      figures.rss_samples = samples;
      figures.rss_slope_mb_per_min = rssSlopeMbPerMinute(samples.filter((x) => x.t >= 60));
      figures.rss_slope_mb_per_min_all = rssSlopeMbPerMinute(samples);
    }
    // (With retention off only the events a rule matched are kept: no total to compare.)
    if (retentionDays > 0) figures.stored_check = await storedCheck(database.url, [warm, measured]);
    report(figures, measured);
    return figures;
  } finally {
    await server?.stop();
    await database.drop();
  }
}

async function storedCheck(url: string, reports: LoadReport[]): Promise<{ stored: number; expected: number; ok: boolean }> {
  let expected = 0;
  for (const r of reports) for (const a of r.answered.values()) expected += a.accepted - a.duplicates;
  const stored = await withClient(url, async (c) => Number((await c.query<{ n: string }>("SELECT count(*) AS n FROM events")).rows[0]!.n));
  return { stored, expected, ok: stored === expected };
}

function report(f: PhaseFigures, measured: LoadReport): void {
  const l = f.latency_ms;
  const other = Object.entries(f.statuses)
    .filter(([s]) => s !== "200")
    .map(([s, n]) => `${s}: ${n}`)
    .join(", ");
  console.log(`  ${fmt(f.eps).padStart(9)} events/s   ${measured.answered.size} batches answered 200${other ? ` (also ${other})` : ""}`);
  console.log(`  batch latency ms: p50 ${l.p50}  p95 ${l.p95}  p99 ${l.p99}  max ${l.max}  (${l.n} answers)`);
  console.log(`  server RSS MB: start ${f.rss_mb_start}, end ${f.rss_mb_end}, max ${f.rss_mb_max}; clients used ${f.client_cpu_cores} cores`);
  if (f.rss_samples) {
    console.log(`  RSS every ${RSS_EVERY_MS / 1000} s (MB): ${f.rss_samples.map((x) => Math.round(x.mb)).join(" ")}`);
    console.log(`  RSS slope after the first minute: ${f.rss_slope_mb_per_min} MB/min (over all samples: ${f.rss_slope_mb_per_min_all} MB/min)`);
  }
  if (f.stored_check) console.log(`  events table: ${f.stored_check.stored} rows, answers say ${f.stored_check.expected} new: ${f.stored_check.ok ? "ok" : "MISMATCH"}`);
}

/** The e2e figures; prints human-readable lines (not the JSON line: the caller decides). */
export async function runE2eBench(): Promise<E2eFigures> {
  const loadStart = os.loadavg()[0]!;
  console.log(`Vigil end-to-end ingest bench: node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  ensureBuild(BUILD_DIR, (l) => console.log(l));
  const base = await openDatabase({ freshDb: true, log: () => {} });
  const phases: E2eFigures["phases"] = {};
  let soak: E2eFigures["soak"];
  try {
    console.log(`PostgreSQL: ${new URL(base.url).host}${base.embedded ? " (embedded)" : ""}`);
    const rssEvery = Math.min(RSS_EVERY_MS, Math.max(1000, (SECONDS * 1000) / 10));
    for (const phase of PHASES) {
      const days = phase === "off" ? 0 : 7;
      try {
        phases[phase] = await runPhase(base.url, `retention ${phase}`, days, SECONDS, rssEvery, false);
      } catch (error) {
        // A server that refuses retention off (not supported yet) must not hide the other figures.
        const message = String((error as Error).message).split("\n")[0]!;
        console.log(`  FAILED: ${message}`);
        phases[phase] = { error: message };
      }
    }
    if (SOAK_SECONDS > 0) {
      try {
        soak = await runPhase(base.url, `soak, retention on`, 7, SOAK_SECONDS, RSS_EVERY_MS, true);
      } catch (error) {
        soak = { error: String((error as Error).message).split("\n")[0]! };
        console.log(`  FAILED: ${soak.error}`);
      }
    }
  } finally {
    await base.stop();
  }
  const ok = (p: PhaseFigures | { error: string } | undefined): PhaseFigures | undefined => (p && "eps" in p ? p : undefined);
  const on = ok(phases["on"]);
  const off = ok(phases["off"]);
  const p99s = [on?.latency_ms.p99, off?.latency_ms.p99].filter((x): x is number => x !== undefined);
  const loadEnd = os.loadavg()[0]!;
  console.log(`load average (1 min) at start ${loadStart.toFixed(2)}, at end ${loadEnd.toFixed(2)}`);
  return {
    e2e_eps_retention_on: on?.eps ?? null,
    e2e_eps_retention_off: off?.eps ?? null,
    e2e_p99_ms: p99s.length ? Math.max(...p99s) : null,
    rss_mb_start: (on ?? off)?.rss_mb_start ?? null,
    rss_mb_end: (on ?? off)?.rss_mb_end ?? null,
    phases,
    ...(soak && { soak }),
    load_avg_start: round2(loadStart),
    load_avg_end: round2(loadEnd),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const figures = await runE2eBench();
  console.log(JSON.stringify(figures));
}
